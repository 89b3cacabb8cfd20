// engine/concept_rules.h: concepts, rules, windows, negation, masks, given concepts and load errors, on small
// rule files written by each test.
#include <catch2/catch.hpp>

#include <unistd.h>

#include <fstream>

#include "engine/catalog_error.h"
#include "engine/concept_rules.h"
#include "test_support.h"

using namespace crampbot;

namespace {

Lexicon english_lexicon() {
  Lexicon lexicon;
  lexicon.language = crampbot::test::english_rules();
  return lexicon;
}

// A rule file (and optional phrase files) in a fresh folder, loaded with a tiny lexicon.
struct RuleFile {
  std::filesystem::path dir;
  Lexicon lexicon = english_lexicon();
  TextNormaliser normaliser{lexicon};

  explicit RuleFile(const std::string& json, const std::map<std::string, std::string>& files = {}) {
    static int counter = 0;
    dir = std::filesystem::temp_directory_path() /
          ("crampbot-rules-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
    std::filesystem::create_directories(dir);
    std::ofstream(dir / "rules.json") << json;
    for (const auto& [name, text] : files)
      std::ofstream(dir / name) << text;
  }
  ~RuleFile() { std::filesystem::remove_all(dir); }
  ConceptRules load() const { return ConceptRules::load(dir / "rules.json", lexicon, normaliser); }
};

RuleVerdict judge(const ConceptRules& rules, const TextNormaliser& normaliser, const std::string& text,
                  std::vector<std::string> given = {}) {
  return rules.first_rule(normaliser.normalise(text), given);
}

}  // namespace

TEST_CASE("a rule holds when all its concepts are there, within the window, and none of its none",
          "[concepts]") {
  const RuleFile file(R"({
    "concepts": {"site": ["leg", "calf"], "sign": ["swollen", "red"], "other": ["nose"]},
    "rules": [{"name": "leg_sign", "all": ["site", "sign"], "window": 4},
              {"name": "sign_alone", "all": ["sign"], "none": ["other", "site"]}]
  })");
  const ConceptRules rules = file.load();
  const auto held = judge(rules, file.normaliser, "my calf is swollen");
  CHECK(held.holds);
  CHECK(held.rule == "leg_sign");
  CHECK(held.evidence == std::vector<std::string>{"site: calf", "sign: swollen"});
  // Either order; and beyond the window the pair does not count (then "sign" alone has a site: no rule).
  CHECK(judge(rules, file.normaliser, "swollen and red calf").rule == "leg_sign");
  CHECK_FALSE(
      judge(rules, file.normaliser, "my calf was fine yesterday but today something is swollen").holds);
  CHECK(judge(rules, file.normaliser, "it is all swollen").rule == "sign_alone");
  CHECK_FALSE(judge(rules, file.normaliser, "my nose is red").holds);
  CHECK_FALSE(judge(rules, file.normaliser, "what helps cramps").holds);
}

TEST_CASE("a negator just before a negatable phrase discounts it, in the same clause only", "[concepts]") {
  const RuleFile file(R"({
    "negators": ["no", "not"], "clause_breaks": ["but"], "negation_reach": 3,
    "concepts": {"site": ["leg"], "sign": {"negatable": true, "phrases": ["swollen", "red"]},
                 "named": ["clot"]},
    "rules": [{"name": "leg_sign", "all": ["site", "sign"]}, {"name": "named", "all": ["named"]}]
  })");
  const ConceptRules rules = file.load();
  CHECK_FALSE(judge(rules, file.normaliser, "my leg is not swollen").holds);
  CHECK_FALSE(judge(rules, file.normaliser, "my leg is not swollen or red").holds);
  CHECK(judge(rules, file.normaliser, "my leg is not swollen but it is red").holds);
  CHECK(judge(rules, file.normaliser, "no idea why my leg is so very swollen").holds);  // out of reach
  // A concept that is not negatable errs toward the rule.
  CHECK(judge(rules, file.normaliser, "i do not think it is a clot").holds);
}

TEST_CASE("a none phrase that overlaps the rule's own words does not rule it out", "[concepts]") {
  const RuleFile file(R"({
    "concepts": {"site": ["calf"], "sign": ["ice cold", "warm"], "remedy": ["ice", "bath"]},
    "rules": [{"name": "leg_cold", "all": ["site", "sign"], "none": ["remedy"]}]
  })");
  const ConceptRules rules = file.load();
  CHECK(judge(rules, file.normaliser, "my calf is ice cold").holds);
  CHECK_FALSE(judge(rules, file.normaliser, "is a warm bath good for my calf").holds);
  CHECK_FALSE(judge(rules, file.normaliser, "should i put ice on my warm calf").holds);
}

TEST_CASE("a masking phrase hides the shorter phrases inside it", "[concepts]") {
  const RuleFile file(R"({
    "concepts": {"site": ["leg"], "sign": ["red", "warm"], "food": {"masks": true, "phrases": ["red meat", "warm bath"]}},
    "rules": [{"name": "leg_sign", "all": ["site", "sign"]}]
  })");
  const ConceptRules rules = file.load();
  CHECK_FALSE(judge(rules, file.normaliser, "does red meat help leg cramps").holds);
  CHECK_FALSE(judge(rules, file.normaliser, "a warm bath for my leg").holds);
  CHECK(judge(rules, file.normaliser, "red meat and a red leg").holds);
}

TEST_CASE("a concept named twice needs two phrases; given concepts count without words", "[concepts]") {
  const RuleFile file(R"({
    "concepts": {"sign": ["red", "hot"], "topic": ["cramp"], "unknown": {"given": true}},
    "rules": [{"name": "two_signs", "all": ["sign", "sign"], "window": 3},
              {"name": "off_topic", "all": ["unknown"], "none": ["topic"]}]
  })");
  const ConceptRules rules = file.load();
  CHECK_FALSE(judge(rules, file.normaliser, "red").holds);
  CHECK(judge(rules, file.normaliser, "red and hot").rule == "two_signs");
  CHECK_FALSE(judge(rules, file.normaliser, "what about taxes").holds);
  CHECK(judge(rules, file.normaliser, "what about taxes", {"unknown"}).rule == "off_topic");
  CHECK_FALSE(judge(rules, file.normaliser, "what about cramp", {"unknown"}).holds);
  CHECK_FALSE(judge(rules, file.normaliser, "what about taxes", {"unknown", "topic"}).holds);
}

TEST_CASE("phrases come from files and lexicon lists; except and except_concepts take ours out",
          "[concepts]") {
  RuleFile file(
      R"({
    "concepts": {"ours": {"lists": ["nutrient"], "phrases": ["cramp"]},
                 "other": {"files": ["conditions.txt"], "except": ["kidney disease"], "except_concepts": ["ours"]}},
    "rules": [{"name": "other", "all": ["other"], "none": ["ours"]}]
  })",
      {{"conditions.txt", "# a comment\nasthma\nmagnesium deficiency\nkidney disease\nmigraine\n"}});
  file.lexicon.lists["nutrient"] = {{"magnesium", {"magnesium", "mag"}}};
  const ConceptRules rules = file.load();
  CHECK(judge(rules, file.normaliser, "vitamins for asthma").rule == "other");
  CHECK_FALSE(judge(rules, file.normaliser, "does mag help migraine").holds);  // ours is there
  CHECK_FALSE(judge(rules, file.normaliser, "signs of magnesium deficiency").holds);
  CHECK_FALSE(judge(rules, file.normaliser, "is it safe with kidney disease").holds);
  CHECK(rules.mentions(file.normaliser.normalise("any mag"), "ours"));
  CHECK_FALSE(rules.mentions(file.normaliser.normalise("any mag"), "nobody"));
}

TEST_CASE("a long utterance that repeats phrases is judged correctly", "[concepts]") {
  const RuleFile file(R"({
    "concepts": {"a": ["red"], "b": ["leg"], "c": ["hot"]},
    "rules": [{"name": "abc", "all": ["a", "b", "c"], "window": 3}]
  })");
  const ConceptRules rules = file.load();
  std::string text;
  for (int i = 0; i < 300; ++i)
    text += "red leg cold ";
  CHECK_FALSE(judge(rules, file.normaliser, text).holds);
  CHECK(judge(rules, file.normaliser, text + "red leg hot").holds);
}

TEST_CASE("rule files with mistakes are refused with the file and key named", "[concepts][errors]") {
  const auto refused = [](const std::string& json, const std::string& words) {
    const RuleFile file(json);
    CAPTURE(json);
    REQUIRE_THROWS_AS(file.load(), CatalogError);
    try {
      file.load();
    } catch (const CatalogError& e) {
      CHECK_THAT(e.what(), Catch::Contains("rules.json") && Catch::Contains(words));
    }
  };
  refused(R"({"concepts": {"a": ["x"]}, "rules": [{"name": "r", "all": ["b"]}]})", "unknown concept \"b\"");
  refused(R"({"concepts": {"a": ["x"]}, "rules": []})", "at least one rule");
  refused(R"({"negation_reach": -1, "concepts": {"a": ["x"]}, "rules": [{"name": "r", "all": ["a"]}]})",
          "negation_reach");
  refused(
      R"({"concepts": {"a": {"phrases": ["x"], "except_concepts": ["a"]}}, "rules": [{"name": "r", "all": ["a"]}]})",
      "cannot except itself");
  refused(R"({"concepts": {"a": {"phrases": ["x y"], "except_concepts": ["b"]}, "b": ["x"]},
              "rules": [{"name": "r", "all": ["a"]}]})",
          "no phrases left");
  refused(R"({"concepts": {"a": []}, "rules": [{"name": "r", "all": ["a"]}]})", "has no phrases");
  refused(R"({"concepts": {"a": {"files": ["missing.txt"]}}, "rules": [{"name": "r", "all": ["a"]}]})",
          "cannot read");
  refused(R"({"concepts": {"a": {"phrase": ["x"]}}, "rules": [{"name": "r", "all": ["a"]}]})",
          "unknown field");
  refused(R"({"concepts": {"a": {"lists": ["nope"]}}, "rules": [{"name": "r", "all": ["a"]}]})",
          "not a lexicon list");
  refused(R"({"concepts": {"a": ["x"]}, "rules": [{"name": "r"}]})", "needs \"all\" or \"none\"");
  refused(R"({"concepts": {"a": ["x"]}, "rules": [{"name": "r", "all": ["a"], "window": -1}]})", "window");
  refused(R"({"concepts": {"a": {"given": true, "phrases": ["x"]}}, "rules": [{"name": "r", "all": ["a"]}]})",
          "given concept has no phrases");
}
