// engine/template_compiler.h: the template language compiled to RE2 patterns over normalised text.
#include <catch2/catch.hpp>

#include "test_support.h"

#include <re2/re2.h>

#include <algorithm>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "engine/lexicon.h"
#include "engine/template_compiler.h"
#include "engine/template_expander.h"
#include "engine/text_normaliser.h"
#include "engine/vocabulary.h"

using crampbot::CaptureGroup;
using crampbot::CatalogError;
using crampbot::CompiledTemplate;
using crampbot::Lexicon;
using crampbot::TemplateCompiler;
using crampbot::TemplateError;
using crampbot::TextNormaliser;
using crampbot::Vocabulary;

namespace {

using Slots = std::map<std::string, std::string>;

Lexicon test_lexicon() {
  Lexicon lexicon;
  lexicon.language = crampbot::test::english_rules();
  lexicon.lists["nutrient"] = {{"magnesium", {"magnesium", "mag"}},
                               {"vitamin_b12", {"vitamin b12", "b12", "cobalamin"}},
                               {"b_vitamins", {"vitamin b", "b vitamins"}}};
  lexicon.lists["body"] = {{"leg", {"leg", "legs"}}, {"calf", {"calf", "calves"}}};
  lexicon.rules = {{"cramp", "(cramp|spasm|charley horse)"}, {"cramps", "[leg|calf] <cramp>"}};
  // A short chain well within it.
  lexicon.rules["s0"] = "<s1>";
  lexicon.rules["s1"] = "<s2>";
  lexicon.rules["s2"] = "shallow";
  lexicon.skip_words = {"please", "um"};
  lexicon.replacements = {{"what's", "what is"}};
  return lexicon;
}

struct Fixture {
  Lexicon lexicon = test_lexicon();
  TextNormaliser normaliser{lexicon};
  // Compiling adds words to the vocabulary; a Fixture is only ever used through the const fx(), and
  // compile() is const, so the vocabulary lives outside the const part.
  std::unique_ptr<Vocabulary> vocabulary = std::make_unique<Vocabulary>();
  std::unique_ptr<TemplateCompiler> compiler_ptr =
      std::make_unique<TemplateCompiler>(lexicon, normaliser, *vocabulary);
  const TemplateCompiler& compiler = *compiler_ptr;

  CompiledTemplate compile(std::string_view source, const Slots& slots = {}, bool spot = false) const {
    return compiler.compile(source, slots, spot);
  }
  // The utterance as compiled patterns see it: normalised, then one code per token.
  std::string encode(std::string_view utterance) const {
    return vocabulary->encode(normaliser.normalise(utterance));
  }
  // Encoded tokens back to words ("?" for a word outside the vocabulary).
  std::string decode(const std::string& encoded) const {
    std::string out;
    for (std::size_t i = 0; i + Vocabulary::kCodeBytes <= encoded.size(); i += Vocabulary::kCodeBytes) {
      const auto id = Vocabulary::decode(encoded.data() + i);
      out +=
          (out.empty() ? "" : " ") + (id == Vocabulary::kUnknown ? std::string("?") : vocabulary->word(id));
    }
    return out;
  }
  // Does the compiled template match this utterance, normalised and encoded like any input?
  bool matches(const CompiledTemplate& t, std::string_view utterance) const {
    RE2 re(t.pattern, crampbot::template_pattern_options());
    REQUIRE(re.ok());
    return RE2::FullMatch(encode(utterance), re);
  }
  std::string error(std::string_view source, const Slots& slots = {}) const {
    try {
      compiler.compile(source, slots, false);
    } catch (const TemplateError& e) {
      return e.what();
    }
    FAIL("template \"" << source << "\" compiled, but it should not");
    return {};
  }
};

const Fixture& fx() {
  static const Fixture f;
  return f;
}

const Slots kNutrient = {{"nutrient", "nutrient"}};

}  // namespace

TEST_CASE("plain words match the normalised utterance, whole", "[template]") {
  const auto t = fx().compile("what causes cramps");
  CHECK(t.groups.empty());
  CHECK(fx().matches(t, "What causes CRAMPS?"));
  CHECK(fx().matches(t, "what causes cramp"));  // plural folded on both sides
  CHECK_FALSE(fx().matches(t, "what causes"));
  CHECK_FALSE(fx().matches(t, "so what causes cramps"));  // a template matches the whole utterance
  CHECK_FALSE(fx().matches(t, "what causes cramps now"));
}

TEST_CASE("template literals are normalised like input", "[template]") {
  const auto t = fx().compile("what's vitamin B-12");
  CHECK(fx().matches(t, "what is vitamin b12"));
  CHECK(fx().matches(t, "What\xE2\x80\x99s vitamin b twelve"));
  CHECK_FALSE(fx().matches(t, "whats vitamin b12"));  // "whats" is not a replacement in this lexicon
}

TEST_CASE("alternatives", "[template]") {
  const auto t = fx().compile("(hi|hello there|good morning) crampbot");
  CHECK(fx().matches(t, "hi crampbot"));
  CHECK(fx().matches(t, "hello there crampbot"));
  CHECK(fx().matches(t, "Good morning, crampbot!"));
  CHECK_FALSE(fx().matches(t, "hello crampbot"));
  CHECK_FALSE(fx().matches(t, "crampbot"));
}

TEST_CASE("optional parts", "[template]") {
  const auto t = fx().compile("tell me [more|again] [about it]");
  CHECK(fx().matches(t, "tell me"));
  CHECK(fx().matches(t, "tell me more"));
  CHECK(fx().matches(t, "tell me again about it"));
  CHECK(fx().matches(t, "tell me about it"));
  CHECK_FALSE(fx().matches(t, "tell me now"));
  CHECK_FALSE(fx().matches(t, "tell me more again"));
}

TEST_CASE("slots capture the phrase of a list value", "[template]") {
  const auto t = fx().compile("what foods have {nutrient}", kNutrient);
  REQUIRE(t.groups.size() == 1);
  CHECK(t.groups[0].kind == CaptureGroup::Kind::slot);
  CHECK(t.groups[0].slot == "nutrient");
  CHECK(t.groups[0].list == "nutrient");
  RE2 re(t.pattern, crampbot::template_pattern_options());
  REQUIRE(re.ok());
  CHECK(re.NumberOfCapturingGroups() == 1);
  std::string captured;
  REQUIRE(RE2::FullMatch(fx().encode("What foods have Vitamin B-12?"), re, &captured));
  CHECK(fx().decode(captured) == "vitamin b12");
  REQUIRE(RE2::FullMatch(fx().encode("what foods have mag"), re, &captured));
  CHECK(fx().decode(captured) == "mag");
  CHECK_FALSE(fx().matches(t, "what foods have zinc"));
  CHECK_FALSE(fx().matches(t, "what foods have"));
}

TEST_CASE("a slot may use a list under another name", "[template]") {
  const auto t = fx().compile("cramp in my {where}", {{"where", "body"}});
  REQUIRE(t.groups.size() == 1);
  CHECK(t.groups[0].slot == "where");
  CHECK(t.groups[0].list == "body");
  CHECK(fx().matches(t, "cramp in my calves"));
}

TEST_CASE("list phrases are normalised, most tokens first, with their canonical value", "[template]") {
  const auto& phrases = fx().compiler.list_phrases("nutrient");
  REQUIRE(phrases.size() == 7);
  for (std::size_t i = 1; i < phrases.size(); ++i) {
    CHECK(phrases[i - 1].encoded.size() >= phrases[i].encoded.size());
  }
  const auto find = [&](const std::string& phrase) {
    for (const auto& p : phrases) {
      if (p.text == phrase) {
        CHECK(fx().decode(p.encoded) == phrase);
        return p.canonical;
      }
    }
    return std::string("(missing)");
  };
  CHECK(find("vitamin b12") == "vitamin_b12");
  CHECK(find("vitamin b") == "b_vitamins");
  CHECK(find("b vitamin") == "b_vitamins");  // "b vitamins" normalised: plural folded
  CHECK(find("mag") == "magnesium");
  CHECK(find("cobalamin") == "vitamin_b12");
  CHECK(fx().compiler.list_phrases("no_such_list").empty());
}

TEST_CASE("the longer phrase wins where two could match", "[template]") {
  const auto t = fx().compile("* {nutrient} *", kNutrient);
  RE2 re(t.pattern, crampbot::template_pattern_options());
  std::string before, value, after;
  REQUIRE(RE2::FullMatch(fx().encode("is vitamin b12 good"), re, &before, &value, &after));
  CHECK(fx().decode(value) == "vitamin b12");
}

TEST_CASE("rules expand, including rules that use rules", "[template]") {
  const auto t = fx().compile("<cramps> at night");
  CHECK(fx().matches(t, "leg cramps at night"));
  CHECK(fx().matches(t, "spasm at night"));
  CHECK(fx().matches(t, "calf charley horse at night"));
  CHECK_FALSE(fx().matches(t, "leg at night"));
  CHECK(fx().matches(fx().compile("<s0>"), "shallow"));
}

TEST_CASE("wildcards match any number of words, including none, and are capture groups", "[template]") {
  const auto t = fx().compile("* {nutrient} *", kNutrient);
  REQUIRE(t.groups.size() == 3);
  CHECK(t.groups[0].kind == CaptureGroup::Kind::wildcard);
  CHECK(t.groups[1].kind == CaptureGroup::Kind::slot);
  CHECK(t.groups[2].kind == CaptureGroup::Kind::wildcard);
  RE2 re(t.pattern, crampbot::template_pattern_options());
  CHECK(re.NumberOfCapturingGroups() == 3);
  CHECK(fx().matches(t, "magnesium"));
  CHECK(fx().matches(t, "tell me about magnesium please"));
  std::string before, value, after;
  REQUIRE(RE2::FullMatch(fx().encode("tell me about mag for cramps"), re, &before, &value, &after));
  CHECK(before.size() == 3 * Vocabulary::kCodeBytes);  // "tell me about"
  CHECK(fx().decode(value) == "mag");
  CHECK(after.size() == 2 * Vocabulary::kCodeBytes);  // "for cramp"
  CHECK_FALSE(fx().matches(t, "tell me about zinc"));
}

TEST_CASE("capture groups are exactly the wildcards and slots, in order", "[template]") {
  for (const char* source : {"* food * [with|have] {nutrient} *", "* [a] [b] {nutrient}",
                             "(x|* {nutrient}) *", "[* {nutrient}] <cramps> *", "<cramps> * [at night]"}) {
    CAPTURE(source);
    const auto t = fx().compile(source, kNutrient);
    RE2 re(t.pattern, crampbot::template_pattern_options());
    REQUIRE(re.ok());
    CHECK(static_cast<std::size_t>(re.NumberOfCapturingGroups()) == t.groups.size());
  }
}

TEST_CASE("a wildcard followed by optional words still lets the optional words match", "[template]") {
  const auto t = fx().compile("* food * [with|have] {nutrient} *", kNutrient);
  CHECK(fx().matches(t, "what foods have magnesium"));
  CHECK(fx().matches(t, "food magnesium"));
  CHECK(fx().matches(t, "any food that is rich with b12 please"));
  CHECK_FALSE(fx().matches(t, "what foods have zinc"));
}

TEST_CASE("spot mode matches anywhere in the utterance", "[template]") {
  const auto exact = fx().compile("chest pain", {}, false);
  const auto spot = fx().compile("chest pain", {}, true);
  CHECK(fx().matches(exact, "chest pain"));
  CHECK_FALSE(fx().matches(exact, "my leg cramps and i have chest pain too"));
  CHECK(fx().matches(spot, "my leg cramps and i have chest pain too"));
  CHECK(fx().matches(spot, "chest pain"));
  CHECK_FALSE(fx().matches(spot, "my chest hurts"));
  REQUIRE(spot.groups.size() == 2);
  CHECK(spot.groups[0].kind == CaptureGroup::Kind::wildcard);
  CHECK(spot.groups[1].kind == CaptureGroup::Kind::wildcard);
  CHECK(RE2(spot.pattern, crampbot::template_pattern_options()).NumberOfCapturingGroups() == 2);
}

TEST_CASE("compiled templates record the literal words they can match, and the vocabulary knows them",
          "[template]") {
  const auto t = fx().compile("what (causes|triggers) <cramp> [in {nutrient}]", kNutrient);
  const auto has = [&](const std::string& w) {
    return std::find(t.words.begin(), t.words.end(), w) != t.words.end();
  };
  CHECK(has("what"));
  CHECK(has("cause"));  // normalised
  CHECK(has("trigger"));
  CHECK(has("spasm"));  // from the rule
  CHECK(has("charley"));
  CHECK(t.source == "what (causes|triggers) <cramp> [in {nutrient}]");
  for (const auto& word : t.words)
    CHECK(fx().vocabulary->find(word) != Vocabulary::kUnknown);
  CHECK(fx().vocabulary->find("cobalamin") != Vocabulary::kUnknown);  // list phrases are words too
  CHECK(fx().vocabulary->find("never_compiled") == Vocabulary::kUnknown);
}

TEST_CASE("syntax errors: unbalanced brackets", "[template][errors]") {
  CHECK_THAT(fx().error("(hi|hello"), Catch::Contains("missing ')'"));
  CHECK_THAT(fx().error("tell me [more"), Catch::Contains("missing ']'"));
  CHECK_THAT(fx().error("hi)"), Catch::Contains("')'"));
  CHECK_THAT(fx().error("hi ] there"), Catch::Contains("']'"));
  CHECK_THAT(fx().error("what {nutrient", kNutrient), Catch::Contains("missing '}'"));
  CHECK_THAT(fx().error("what <cramp"), Catch::Contains("missing '>'"));
  CHECK_THAT(fx().error("what } now"), Catch::Contains("'}'"));
  CHECK_THAT(fx().error("what > now"), Catch::Contains("'>'"));
  CHECK_THAT(fx().error("(hi|hello"), Catch::Contains("(hi|hello"));  // the message quotes the template
}

TEST_CASE("errors: bad, unknown or undeclared slot and rule names", "[template][errors]") {
  CHECK_THAT(fx().error("what {}", kNutrient), Catch::Contains("slot"));
  CHECK_THAT(fx().error("what {Nutrient}", kNutrient), Catch::Contains("slot"));
  CHECK_THAT(fx().error("what {mineral}", kNutrient), Catch::Contains("{mineral}"));
  CHECK_THAT(fx().error("what {nutrient}"), Catch::Contains("{nutrient}"));  // not declared by this intent
  CHECK_THAT(fx().error("what <nosuch>"), Catch::Contains("<nosuch>"));
  CHECK_THAT(fx().error("what <Bad Name>"), Catch::Contains("rule"));
  // A slot whose list the lexicon does not define.
  CHECK_THROWS_AS(fx().compile("what {x}", {{"x", "minerals"}}), TemplateError);
}

// The lexicon's rules are checked together when they are loaded, whether any template uses them or not.
std::string rules_error(const std::map<std::string, std::string>& rules) {
  Lexicon lexicon = test_lexicon();
  for (const auto& [name, body] : rules)
    lexicon.rules[name] = body;
  const TextNormaliser normaliser(lexicon);
  Vocabulary vocabulary;
  try {
    TemplateCompiler compiler(lexicon, normaliser, vocabulary);
  } catch (const TemplateError& e) {
    return e.what();
  }
  return "";
}

TEST_CASE("errors: rule cycles, unknown rules in rules, rules that do not parse", "[template][errors]") {
  CHECK_THAT(rules_error({{"ping", "ping <pong>"}, {"pong", "pong <ping>"}}),
             Catch::Contains("refers to itself"));
  CHECK_THAT(rules_error({{"self", "again <self>"}}), Catch::Contains("<self> refers to itself"));
  CHECK_THAT(rules_error({{"lost", "where is <nosuch>"}}),
             Catch::Contains("rule <lost>: unknown rule <nosuch>"));
  CHECK_THAT(rules_error({{"open", "(never closed"}}), Catch::Contains("rule <open>"));
  CHECK(rules_error({{"fine", "<cramp> again"}}).empty());
  // The sentence sampler reads the same rules the same way.
  Lexicon lexicon = test_lexicon();
  lexicon.rules["self"] = "again <self>";
  CHECK_THROWS_WITH(crampbot::TemplateExpander(lexicon), Catch::Contains("<self> refers to itself"));
}

TEST_CASE("errors: empty templates", "[template][errors]") {
  for (const char* source : {"", " ", "*", "* *", "please", "[*]", "()", "please *", "(*|*)"}) {
    CAPTURE(source);
    CHECK_THROWS_AS(fx().compile(source, {}, false), TemplateError);
  }
  CHECK_THROWS_AS(fx().compile("*", {}, true), TemplateError);
}

TEST_CASE("errors: nesting limit", "[template][errors]") {
  const auto nested = [](std::size_t depth) {
    return std::string(depth, '(') + "deep" + std::string(depth, ')');
  };
  CHECK_NOTHROW(fx().compile(nested(crampbot::kMaxTemplateNesting), {}, false));
  CHECK(fx().matches(fx().compile(nested(crampbot::kMaxTemplateNesting), {}, false), "deep"));
  CHECK_THAT(fx().error(nested(crampbot::kMaxTemplateNesting + 1)), Catch::Contains("nested too deeply"));
  CHECK_THAT(fx().error(nested(1000)), Catch::Contains("nested too deeply"));
  // A chain of rules deeper than the limit, r0 → <r1> → ... → <r39> → "deep", is refused with the rules.
  std::map<std::string, std::string> chain;
  for (int i = 0; i < 40; ++i)
    chain["r" + std::to_string(i)] = "<r" + std::to_string(i + 1) + ">";
  chain["r40"] = "deep";
  CHECK_THAT(rules_error(chain), Catch::Contains("nested too deeply"));
}

TEST_CASE("errors: compiled pattern over the size limit", "[template][errors]") {
  std::string source;
  for (int i = 0; i < 40000; ++i)
    source += "word ";
  CHECK_THAT(fx().error(source), Catch::Contains("limit"));
}

TEST_CASE("template errors are catalog errors", "[template][errors]") {
  CHECK_THROWS_AS(fx().compile("(oops", {}, false), CatalogError);
}

TEST_CASE("the compiler refuses a lexicon whose rules or lists are broken", "[template][errors]") {
  {
    Lexicon lexicon = test_lexicon();
    lexicon.rules["broken"] = "(a|b";
    TextNormaliser normaliser(lexicon);
    try {
      Vocabulary vocabulary;
      TemplateCompiler compiler(lexicon, normaliser, vocabulary);
      FAIL("a rule that does not parse was accepted");
    } catch (const TemplateError& e) {
      CHECK_THAT(std::string(e.what()), Catch::Contains("<broken>"));
    }
  }
  {
    Lexicon lexicon = test_lexicon();
    lexicon.lists["nutrient"].push_back({"zinc", {"zinc", "mag"}});  // "mag" already means magnesium
    TextNormaliser normaliser(lexicon);
    Vocabulary vocabulary;
    CHECK_THROWS_AS(TemplateCompiler(lexicon, normaliser, vocabulary), TemplateError);
  }
  {
    Lexicon lexicon = test_lexicon();
    lexicon.lists["nutrient"].push_back({"nothing", {"please"}});  // vanishes after normalisation
    TextNormaliser normaliser(lexicon);
    Vocabulary vocabulary;
    CHECK_THROWS_AS(TemplateCompiler(lexicon, normaliser, vocabulary), TemplateError);
  }
}
