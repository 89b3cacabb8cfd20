// export/speech_text.h: text spelled the way voice platforms want sample utterances and slot values, with
// the numbers in the catalog language's words.
#include <catch2/catch.hpp>

#include "engine/catalog_error.h"
#include "export/speech_text.h"
#include "test_support.h"

using crampbot::LanguageRules;
using crampbot::exporting::number_in_words;
using crampbot::exporting::spell_for_speech;

namespace {

LanguageRules rules_from(const nlohmann::json& language) {
  return LanguageRules::from_json(&language, "_lexicon.json");
}

}  // namespace

TEST_CASE("numbers in words, from the language's number words", "[speech]") {
  const LanguageRules english = crampbot::test::english_rules();
  CHECK(number_in_words("0", english) == "zero");
  CHECK(number_in_words("2", english) == "two");
  CHECK(number_in_words("12", english) == "twelve");
  CHECK(number_in_words("20", english) == "twenty");
  // Without a word of its own, or with three digits or a leading zero: digit by digit.
  CHECK(number_in_words("24", english) == "two four");
  CHECK(number_in_words("911", english) == "nine one one");
  CHECK(number_in_words("112", english) == "one one two");
  CHECK(number_in_words("07", english) == "zero seven");
  // A digit the language has no word for stays a digit (the Alexa export then refuses the sample).
  CHECK(number_in_words("5", rules_from(nlohmann::json::object())) == "5");
}

TEST_CASE("spoken_numbers adds and overrides what number_words reads", "[speech]") {
  const LanguageRules spanish =
      rules_from({{"fold_accents", true},
                  {"number_words", {{"doce", "12"}, {"dos", "2"}, {"dieciséis", "16"}}},
                  {"spoken_numbers", {{"1", "uno"}}}});
  CHECK(number_in_words("12", spanish) == "doce");
  CHECK(number_in_words("1", spanish) == "uno");
  CHECK(number_in_words("21", spanish) == "dos uno");
  CHECK(number_in_words("16", spanish) == "dieciseis");  // number_words' keys are folded
  CHECK(spell_for_speech("vitamina B12", spanish) == "vitamina b doce");
  const LanguageRules accented = rules_from({{"fold_accents", true},
                                             {"number_words", {{"dieciséis", "16"}, {"diezyseis", "16"}}},
                                             {"spoken_numbers", {{"16", "dieciséis"}}}});
  CHECK(number_in_words("16", accented) == "dieciséis");
  // Among several words for one number, the shortest, then the first in byte order.
  const LanguageRules two_words =
      rules_from({{"number_words", {{"twelve", "12"}, {"dozen", "12"}, {"xii", "12"}}}});
  CHECK(number_in_words("12", two_words) == "xii");
}

TEST_CASE("spoken_numbers: a key that is not a number, or an empty word, names the field", "[speech]") {
  CHECK_THROWS_WITH(rules_from({{"spoken_numbers", {{"07", "seven"}}}}),
                    Catch::Contains("spoken_numbers.07"));
  CHECK_THROWS_WITH(rules_from({{"spoken_numbers", {{"one", "one"}}}}), Catch::Contains("number in digits"));
  CHECK_THROWS_WITH(rules_from({{"spoken_numbers", {{"1", ""}}}}), Catch::Contains("non-empty string"));
  CHECK_THROWS_AS(rules_from({{"spoken_numbers", {{"1", 1}}}}), crampbot::CatalogError);
}

TEST_CASE("text spelled for speech", "[speech]") {
  const LanguageRules english = crampbot::test::english_rules();
  CHECK(spell_for_speech("b12", english) == "b twelve");
  CHECK(spell_for_speech("Vitamin D3", english) == "vitamin d three");
  CHECK(spell_for_speech("vitamin d 3", english) == "vitamin d three");
  CHECK(spell_for_speech("mk7", english) == "mk seven");
  CHECK(spell_for_speech("call 911", english) == "call nine one one");
  CHECK(spell_for_speech("number 1 vitamin", english) == "number one vitamin");
  CHECK(spell_for_speech("what's up?", english) == "what's up");
  CHECK(spell_for_speech("what\xE2\x80\x99s up", english) == "what's up");
  CHECK(spell_for_speech("'quoted' words", english) == "quoted words");
  CHECK(spell_for_speech("an x-ray - now", english) == "an x-ray now");
  CHECK(spell_for_speech("a.m., p.m.!", english) == "a m p m");
  CHECK(spell_for_speech("  spaced   out  ", english) == "spaced out");
  CHECK(spell_for_speech("?!", english) == "");
  // Spanish opening marks and guillemets break words; accented letters stay.
  CHECK(spell_for_speech("\xC2\xBFqu\xC3\xA9 vitamina?", english) ==
        "qu\xC3\xA9 vitamina");  // ¿qué vitamina?
  CHECK(spell_for_speech("\xC2\xA1hola!\xC2\xAB"
                         "calambre\xC2\xBB",
                         english) == "hola calambre");  // ¡hola!«calambre»
}
