// engine/text_normaliser.h: the one normalisation shared by templates and input.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "engine/lexicon.h"
#include "engine/text_normaliser.h"
#include "test_support.h"

using crampbot::fold_text;
using crampbot::LanguageRules;
using crampbot::Lexicon;
using crampbot::NormalisedText;
using crampbot::TextNormaliser;

namespace {

LanguageRules rules_from(const char* json) {
  const nlohmann::json parsed = nlohmann::json::parse(json);
  return LanguageRules::from_json(&parsed, "test_lexicon.json");
}

// A lexicon written for these tests, so that tuning of intents/_lexicon.json cannot change them.
Lexicon test_lexicon() {
  Lexicon lexicon;
  lexicon.language = crampbot::test::english_rules();
  lexicon.lists["nutrient"] = {{"magnesium", {"magnesium"}}, {"vitamin_b12", {"vitamin b12", "b12"}}};
  lexicon.skip_words = {"please", "um", "can you", "i was wondering"};
  lexicon.filler_words = {"the", "my"};
  lexicon.replacements = {{"what's", "what is"}, {"whats", "what is"}, {"don't", "do not"},
                          {"dont", "do not"},    {"i'm", "i am"},      {"legcramps", "leg cramps"}};
  return lexicon;
}

const TextNormaliser& normaliser() {
  static const Lexicon lexicon = test_lexicon();
  static const TextNormaliser n(lexicon);
  return n;
}

std::string norm(std::string_view text) {
  return std::string(normaliser().normalise(text).plain());
}

}  // namespace

TEST_CASE("case folding, ASCII and non-ASCII", "[normaliser]") {
  CHECK(norm("MAGNESIUM") == "magnesium");
  CHECK(norm("MaGnEsIuM") == "magnesium");
  CHECK(norm("\xEF\xBC\xAD\xEF\xBC\xA1\xEF\xBC\xA7\xEF\xBC\xAE\xEF\xBC\xA5\xEF\xBC\xB3\xEF\xBC\xA9\xEF\xBC"
             "\xB5\xEF\xBC\xAD") == "magnesium");  // ＭＡＧＮＥＳＩＵＭ (fullwidth)
  CHECK(norm("\xEF\xAC\x81"
             "bre") == "fibre");                // "ﬁ" ligature (NFKC)
  CHECK(norm("CAF\xC3\x89") == "caf\xC3\xA9");  // CAFÉ → café
  CHECK(norm("Stra\xC3\x9F"
             "e") == "strasse");  // ß case-folds to ss
}

TEST_CASE("dotted capital I and dotless i fold to a plain i", "[normaliser]") {
  // Full case folding turns İ (U+0130) into "i" + combining dot above (U+0307); the dot is dropped.
  CHECK(norm("MAGNES\xC4\xB0UM foods") == "magnesium food");
  CHECK(norm("\xC4\xB0S MY POTASSIUM LOW") == "is my potassium low");
  // A combining dot typed after i or j is dropped too; after other letters it stays.
  CHECK(norm("magnesi\xCC\x87um") == "magnesium");
  CHECK(norm("e\xCC\x87") != "e");
  // Dotless ı (U+0131, Turkish keyboards) stands for i in English words.
  CHECK(norm("magnes\xC4\xB1um") == "magnesium");
}

TEST_CASE("fold_text lower-cases, keeps apostrophes and turns punctuation into spaces", "[normaliser]") {
  CHECK(fold_text("What's UP?") == "what's up ");
  CHECK(fold_text("leg-cramps!") == "leg cramps ");
  CHECK(fold_text("what\xE2\x80\x99s") == "what's");  // curly apostrophe → '
  CHECK(fold_text("don`t") == "don't");
  CHECK(fold_text("B12") == "b12");
}

TEST_CASE("vitamin names: b / d / k joined to the number after them", "[normaliser]") {
  CHECK(norm("Vitamin B-12") == "vitamin b12");
  CHECK(norm("vitamin b 12") == "vitamin b12");
  CHECK(norm("b 12") == "b12");
  CHECK(norm("vitamin b twelve") == "vitamin b12");
  CHECK(norm("VITAMIN B12") == "vitamin b12");
  CHECK(norm("k 2") == "k2");
  CHECK(norm("vitamin K-2?") == "vitamin k2");
  CHECK(norm("vitamin d 3") == "vitamin d3");
  CHECK(norm("d three") == "d3");
  // Only a lone b, d or k joins, and only with a number.
  CHECK(norm("vitamin b") == "vitamin b");
  CHECK(norm("plan b now") == "plan b now");
  CHECK(norm("bk 12") == "bk 12");
}

TEST_CASE("spelt-out abbreviations of three or more letters are one word", "[normaliser]") {
  CHECK(norm("p a d and cramps") == "pad and cramp");
  CHECK(norm("D.V.T.") == "dvt");
  CHECK(norm("is it a b vitamin") == "is it a b vitamin");
  CHECK(norm("a b c") == "a b c");
}

TEST_CASE("spoken letter names after \"vitamin\" are letters", "[normaliser]") {
  CHECK(norm("vitamin bee twelve") == "vitamin b12");
  CHECK(norm("vitamin be 6") == "vitamin b6");
  CHECK(norm("vitamin dee") == "vitamin d");
  CHECK(norm("vitamin kay two") == "vitamin k2");
  // Elsewhere the words keep their meaning.
  CHECK(norm("i want to be 12 again") == "i want to be 12 again");
  CHECK(norm("the key to cramps") == "the key to cramp");
}

TEST_CASE("number words become digits", "[normaliser]") {
  CHECK(norm("twelve") == "12");
  CHECK(norm("two cramps a night") == "2 cramp a night");
  CHECK(norm("Twenty") == "20");
}

TEST_CASE("apostrophes and contractions", "[normaliser]") {
  CHECK(norm("what\xE2\x80\x99s magnesium") == "what is magnesium");  // curly ’
  CHECK(norm("what\xE2\x80\x98s magnesium") == "what is magnesium");  // ‘
  CHECK(norm("What's magnesium") == "what is magnesium");
  CHECK(norm("whats magnesium") == "what is magnesium");
  CHECK(norm("I don\xE2\x80\x99t know") == "i do not know");
  CHECK(norm("dont") == "do not");
  CHECK(norm("I'm cramping") == "i am cramping");
  CHECK(norm("my calf's muscle") == "my calf muscle");  // possessive 's dropped
  CHECK(norm("'quoted'") == "quoted");                  // quotes at the edges of a word dropped
  CHECK(norm("legcramps") == "leg cramp");              // replacement output gets plural folding too
}

TEST_CASE("plural rules fold plurals and leaves other words alone", "[normaliser]") {
  CHECK(normaliser().fold_plural("cramps") == "cramp");
  CHECK(normaliser().fold_plural("berries") == "berry");
  CHECK(normaliser().fold_plural("foods") == "food");
  CHECK(normaliser().fold_plural("vitamins") == "vitamin");
  CHECK(normaliser().fold_plural("peaches") == "peach");
  CHECK(normaliser().fold_plural("boxes") == "box");
  CHECK(normaliser().fold_plural("bushes") == "bush");
  for (const char* word : {"this",   "does",   "is",     "has",   "was",    "his",   "yes",
                           "always", "less",   "stress", "glass", "status", "sinus", "diabetes",
                           "news",   "series", "thanks", "cramp", "leg",    "its",   "bus"}) {
    CAPTURE(word);
    CHECK(normaliser().fold_plural(word) == word);
  }
}

TEST_CASE("plural folding is applied during normalisation", "[normaliser]") {
  CHECK(norm("Cramps at night") == "cramp at night");
  CHECK(norm("which berries have magnesium") == "which berry have magnesium");
  CHECK(norm("this does help") == "this does help");
}

TEST_CASE("skip words and phrases are removed", "[normaliser]") {
  CHECK(norm("please tell me about magnesium") == "tell me about magnesium");
  CHECK(norm("um, what is b12, please?") == "what is b12");
  CHECK(norm("can you tell me") == "tell me");
  CHECK(norm("I was wondering: what's magnesium") == "what is magnesium");
  CHECK(norm("can magnesium help") == "can magnesium help");  // "can" alone is not "can you"
  CHECK(norm("please") == "");
  CHECK(normaliser().normalise("please um").empty());
}

TEST_CASE("punctuation separates words", "[normaliser]") {
  CHECK(norm("magnesium?!...cramps") == "magnesium cramp");
  CHECK(norm("  leg   cramps\t\n") == "leg cramp");
  CHECK(norm("(magnesium)/[potassium]") == "magnesium potassium");
  CHECK(norm("<speak>&amp;</speak>") == "speak amp speak");
  CHECK(norm("...!!!") == "");
}

TEST_CASE("invalid UTF-8 bytes act as word separators", "[normaliser]") {
  CHECK(norm("magnesium\xFF"
             "cramps") == "magnesium cramp");
  CHECK(norm("\xC3(b12") == "b12");
  CHECK(norm("leg\xED\xA0\x80"
             "cramp") == "leg cramp");  // surrogate
  CHECK(norm("\xFF\xFE\xFD") == "");
}

TEST_CASE("NormalisedText layout: tokens each followed by one space", "[normaliser]") {
  const NormalisedText text = normaliser().normalise("What foods have Vitamin B-12?");
  CHECK(text.text == "what food have vitamin b12 ");
  REQUIRE(text.size() == 5);
  CHECK(text.starts == std::vector<std::uint32_t>{0, 5, 10, 15, 23});
  CHECK(text.token(0) == "what");
  CHECK(text.token(4) == "b12");
  CHECK(text.plain() == "what food have vitamin b12");
  CHECK(text.tokens() == std::vector<std::string>{"what", "food", "have", "vitamin", "b12"});
  const NormalisedText rebuilt = NormalisedText::from_tokens(text.tokens());
  CHECK(rebuilt.text == text.text);
  CHECK(rebuilt.starts == text.starts);

  const NormalisedText empty = normaliser().normalise("");
  CHECK(empty.empty());
  CHECK(empty.text.empty());
  CHECK(empty.plain().empty());
}

TEST_CASE("tokenise and normalise agree", "[normaliser]") {
  for (const char* input : {"What's the B 12 thing, please?", "legcramps at NIGHT", "", "k two"}) {
    CAPTURE(input);
    CHECK(normaliser().tokenise(input) == normaliser().normalise(input).tokens());
  }
}

TEST_CASE("the real lexicon normalises the documented examples", "[normaliser][real]") {
  const auto& real = crampbot::test::real_engine().normaliser();
  CHECK(real.normalise("What\xE2\x80\x99s vitamin B twelve?").plain() == "what is vitamin b12");
  CHECK(real.normalise("Um, please tell me about MAGNESIUM").plain() == "tell me about magnesium");
}

TEST_CASE("accent folding drops marks except on kept letters", "[normaliser][language]") {
  Lexicon lexicon;
  lexicon.language = rules_from(R"({"fold_accents": true, "kept_letters": ["Ñ"],
                                    "number_words": {"dieciséis": "16", "doce": "12"},
                                    "number_letters": ["b"]})");
  const TextNormaliser folding(lexicon);
  const auto norm_es = [&](std::string_view text) { return std::string(folding.normalise(text).plain()); };
  CHECK(norm_es("\xC2\xBFQu\xC3\xA9 vitamina?") == "que vitamina");  // ¿Qué vitamina?
  CHECK(norm_es("CANCI\xC3\x93N ping\xC3\xBC"
                "ino") == "cancion pinguino");                  // CANCIÓN pingüino
  CHECK(norm_es("A\xC3\x91O") == "a\xC3\xB1o");                 // AÑO → año: ñ is kept
  CHECK(norm_es("an\xCC\x83o") == "a\xC3\xB1o");                // n + combining tilde composes to ñ
  CHECK(norm_es("vitamina B doce") == "vitamina b12");          // number words of the language
  CHECK(norm_es("diecis\xC3\xA9is y dieciseis") == "16 y 16");  // number words are folded too
  // Without the rule, accents stay (the English catalog's behaviour).
  CHECK(norm("caf\xC3\xA9") == "caf\xC3\xA9");
}

TEST_CASE("a language without rules folds case only", "[normaliser][language]") {
  const Lexicon lexicon;
  const TextNormaliser plain(lexicon);
  CHECK(plain.normalise("Twelve cramps, vitamin b 12").plain() == "twelve cramps vitamin b 12");
}

TEST_CASE("language rules name the key of a mistake", "[normaliser][language]") {
  const auto message = [](const char* json) {
    try {
      rules_from(json);
    } catch (const crampbot::CatalogError& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  CHECK_THAT(message(R"({"number_words": {"doce": "twelve"}})"),
             Catch::Contains("language.number_words.doce") && Catch::Contains("digits"));
  CHECK_THAT(message(R"({"kept_letters": ["ab"]})"),
             Catch::Contains("kept_letters") && Catch::Contains("one letter"));
  CHECK_THAT(message(R"({"plurals": {"rules": [{"suffix": ""}]}})"),
             Catch::Contains("language.plurals.rules[0]"));
  CHECK_THAT(message(R"({"fold_accent": true})"), Catch::Contains("fold_accent"));
  CHECK_THAT(message(R"({"letter_words": ["?"]})"),
             Catch::Contains("letter_words") && Catch::Contains("no letters"));
}

TEST_CASE("a skip phrase that contains a shorter one is skipped whole, whatever the list's order",
          "[normaliser]") {
  Lexicon lexicon;
  lexicon.language = crampbot::test::english_rules();
  lexicon.skip_words = {"a question", "i have a question"};
  const TextNormaliser skipping(lexicon);
  CHECK(skipping.normalise("i have a question what foods have magnesium").plain() ==
        "what food have magnesium");
  CHECK(skipping.normalise("a question about cramps").plain() == "about cramp");
}
