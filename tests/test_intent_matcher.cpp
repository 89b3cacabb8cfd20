// engine/intent_matcher.h: scoring, thresholds, overrides and the fuzzy stage, on the test catalog in
// tests/fixtures/mini (its own lexicon, intents and responses; see the files for the templates).
#include <catch2/catch.hpp>

#include <algorithm>
#include <memory>
#include <string>

#include "engine/intent_catalog.h"
#include "engine/intent_matcher.h"
#include "engine/text_normaliser.h"
#include "test_support.h"

using namespace crampbot;
using crampbot::test::fixture;

namespace {

// The thresholds these tests' mini catalog was written for (stricter than the shipped defaults, so that each
// rule shows with few templates).
MatcherOptions documented_options() {
  MatcherOptions options;
  options.min_confidence = 0.5;
  options.min_margin = 0.1;
  options.min_distinctiveness_margin = 0.25;
  options.fuzzy_min_confidence = 0.5;
  options.fuzzy_penalty = 0.9;
  options.filler_weight = 0.25;
  return options;
}

struct Matcher {
  IntentCatalog catalog;
  std::unique_ptr<TextNormaliser> normaliser;
  std::unique_ptr<IntentMatcher> matcher;

  explicit Matcher(const MatcherOptions& options = documented_options())
      : catalog(IntentCatalog::load(fixture("mini") / "intents")) {
    normaliser = std::make_unique<TextNormaliser>(catalog.lexicon);
    matcher = std::make_unique<IntentMatcher>(catalog, *normaliser, options);
  }
  MatchResult match(std::string_view text) const { return matcher->match(normaliser->normalise(text)); }
};

const Matcher& mini() {
  static const Matcher m;
  return m;
}

const IntentScore* candidate(const MatchResult& result, const std::string& intent) {
  for (const auto& c : result.candidates) {
    if (c.intent == intent) return &c;
  }
  return nullptr;
}

}  // namespace

TEST_CASE("the test catalog loads with an implicit fallback intent", "[matcher]") {
  const auto& catalog = mini().catalog;
  REQUIRE(catalog.find(kFallbackIntent) != nullptr);
  CHECK(catalog.find(kFallbackIntent)->templates.empty());
  CHECK(catalog.find("no_such_intent") == nullptr);
  std::size_t templates = 0;
  for (const auto& intent : catalog.intents)
    templates += intent.templates.size();
  CHECK(mini().matcher->template_count() == templates);
  CHECK(catalog.find("red_flag")->overrides);
  CHECK(catalog.find("red_flag")->spot);
  CHECK(catalog.find("follow_up")->context_action == ContextAction::follow_up);
  CHECK(catalog.find("follow_up")->follow_up_default == "nutrient_role");
}

TEST_CASE("an exact match of a whole template", "[matcher]") {
  const auto result = mini().match("Hello!");
  CHECK(result.intent == "greeting");
  CHECK(result.decision == MatchDecision::matched);
  CHECK(result.confidence == Approx(1.0));
  CHECK(result.slots.empty());
  CHECK(result.normalised == "hello");
  CHECK(result.template_source == "(hi|hello) [there]");
  CHECK(result.corrections.empty());
  REQUIRE_FALSE(result.candidates.empty());
  CHECK(result.candidates.front().intent == "greeting");
}

TEST_CASE("slots are reported with their canonical value", "[matcher]") {
  SECTION("a synonym") {
    const auto result = mini().match("what foods have cobalamin");
    CHECK(result.intent == "food_sources");
    CHECK(result.slots == SlotMap{{"nutrient", "vitamin_b12"}});
  }
  SECTION("a short form") {
    const auto result = mini().match("food with mag");
    CHECK(result.intent == "food_sources");
    CHECK(result.slots == SlotMap{{"nutrient", "magnesium"}});
  }
  SECTION("a form that only matches after normalisation") {
    const auto result = mini().match("What does Vitamin B-12 do?");
    CHECK(result.intent == "nutrient_role");
    CHECK(result.slots == SlotMap{{"nutrient", "vitamin_b12"}});
    CHECK(result.template_source == "what does {nutrient} do");
  }
  SECTION("no slot when the template has none") {
    const auto result = mini().match("what causes leg cramps");
    CHECK(result.intent == "causes");
    CHECK(result.slots.empty());
  }
}

TEST_CASE("coverage scores: covered weight over total weight, fillers weigh less", "[matcher]") {
  // "what food have magnesium": "what" is a filler (0.25), the rest weigh 1. food_sources leaves only
  // "what" to a wildcard; nutrient_role's "* {nutrient} *" covers only "magnesium".
  const auto result = mini().match("what foods have magnesium");
  CHECK(result.intent == "food_sources");
  REQUIRE(result.candidates.size() >= 2);
  CHECK(result.candidates[0].intent == "food_sources");
  CHECK(result.candidates[0].score == Approx(3.0 / 3.25));
  CHECK(result.candidates[1].intent == "nutrient_role");
  CHECK(result.candidates[1].score == Approx(1.0 / 3.25));
  CHECK(result.confidence == Approx(3.0 / 3.25));
  for (std::size_t i = 1; i < result.candidates.size(); ++i) {
    CHECK(result.candidates[i - 1].score >= result.candidates[i].score);
  }
}

TEST_CASE("the best template of an intent is the one reported", "[matcher]") {
  // "what does magnesium do" matches both "* {nutrient} *" (1 of 2.5) and "what does {nutrient} do" (all).
  const auto result = mini().match("what does magnesium do");
  CHECK(result.intent == "nutrient_role");
  CHECK(result.confidence == Approx(1.0));
  CHECK(result.template_source == "what does {nutrient} do");
  const auto* role = candidate(result, "nutrient_role");
  REQUIRE(role != nullptr);
  CHECK(role->slots == SlotMap{{"nutrient", "magnesium"}});
}

TEST_CASE("below min_confidence the answer is fallback, reason too weak", "[matcher]") {
  // Only "magnesium" is covered; "hello", "bye" and "more" are known words swallowed by wildcards.
  const auto result = mini().match("magnesium hello bye more");
  CHECK(result.intent == kFallbackIntent);
  CHECK(result.slots.empty());
  CHECK(result.decision == MatchDecision::too_weak);
  CHECK_THAT(result.reason, Catch::StartsWith("too weak"));
  CHECK(result.confidence == Approx(0.25));  // the best rejected candidate's score
  REQUIRE_FALSE(result.candidates.empty());
  CHECK(result.candidates.front().intent == "nutrient_role");
  CHECK(result.template_source.empty());

  // The same utterance passes when the bar is lower, and a good match fails when it is higher.
  MatcherOptions low = documented_options();
  low.min_confidence = 0.2;
  CHECK(Matcher(low).match("magnesium hello bye more").intent == "nutrient_role");
  MatcherOptions high = documented_options();
  high.min_confidence = 0.95;
  const auto strict = Matcher(high).match("what foods have magnesium");
  CHECK(strict.intent == kFallbackIntent);
  CHECK_THAT(strict.reason, Catch::StartsWith("too weak"));
}

TEST_CASE("a near tie is ambiguous and answered with fallback", "[matcher]") {
  // tie_b "zeta * epsilon the" covers 2.25 of 3.25, tie_a "zeta gamma *" covers 2 of 3.25: 0.692 vs 0.615.
  const auto result = mini().match("zeta gamma epsilon the");
  CHECK(result.intent == kFallbackIntent);
  CHECK(result.decision == MatchDecision::ambiguous);
  CHECK_THAT(result.reason, Catch::StartsWith("ambiguous"));
  CHECK_THAT(result.reason, Catch::Contains("tie_a") && Catch::Contains("tie_b"));
  REQUIRE(result.candidates.size() >= 2);
  CHECK(result.candidates[0].intent == "tie_b");
  CHECK(result.candidates[0].score == Approx(2.25 / 3.25));
  CHECK(result.candidates[1].intent == "tie_a");
  CHECK(result.candidates[1].score == Approx(2.0 / 3.25));
  CHECK(result.confidence == Approx(2.25 / 3.25));

  MatcherOptions narrow = documented_options();
  narrow.min_margin = 0.05;
  CHECK(Matcher(narrow).match("zeta gamma epsilon the").intent == "tie_b");
  // Without the rival the same intent wins outright.
  CHECK(mini().match("zeta gamma").intent == "tie_a");
}

TEST_CASE("an override intent wins over a better-scoring intent", "[matcher]") {
  const auto result = mini().match("what causes leg cramps with a swollen leg");
  CHECK(result.intent == "red_flag");
  CHECK(result.decision == MatchDecision::override_intent);
  CHECK(result.confidence == Approx(1.0));
  const auto* causes = candidate(result, "causes");
  const auto* red_flag = candidate(result, "red_flag");
  REQUIRE(causes != nullptr);
  REQUIRE(red_flag != nullptr);
  CHECK(causes->score > red_flag->score);  // it really was outscored
  CHECK(result.template_source == "(swollen|red) (leg|calf)");
  // Spotting: anywhere in the utterance, even when nothing else matches.
  CHECK(mini().match("blah blah chest pain blah").intent == "red_flag");
  CHECK(mini().match("chest pain").intent == "red_flag");
}

TEST_CASE("an \"except\" template rules its intent out, override included, for that whole utterance only",
          "[matcher]") {
  // red_flag spots "chest pain" anywhere, except in exactly "does chest pain ever cause leg cramps".
  const auto question = mini().match("does chest pain ever cause leg cramps");
  CHECK(question.intent != "red_flag");
  CHECK(question.decision != MatchDecision::override_intent);
  CHECK(candidate(question, "red_flag") == nullptr);
  CHECK(question.excluded == std::vector<std::string>{"red_flag"});
  // Any extra words void the exception: they could be the symptom.
  const auto symptom = mini().match("does chest pain ever cause leg cramps i have chest pain");
  CHECK(symptom.intent == "red_flag");
  CHECK(symptom.decision == MatchDecision::override_intent);
  CHECK(symptom.excluded.empty());
  CHECK(mini().match("chest pain").intent == "red_flag");
  // Skip words and punctuation are normalised away first, as for any template.
  CHECK(mini().match("Does chest pain, please, ever cause leg cramps?").excluded ==
        std::vector<std::string>{"red_flag"});
}

TEST_CASE("words known only to \"except\" templates weigh like unknown words", "[matcher]") {
  // "ever" appears in mini only in red_flag's exception; it must not count against other intents more than
  // an unknown word would.
  const auto with_known_only_to_except = mini().match("magnesium ever");
  const auto with_unknown = mini().match("magnesium zzzz");
  REQUIRE(with_known_only_to_except.intent == "nutrient_role");
  REQUIRE(with_unknown.intent == "nutrient_role");
  CHECK(with_known_only_to_except.confidence == Approx(with_unknown.confidence));
}

TEST_CASE("a spelling correction can win, at a lower confidence, and is recorded", "[matcher]") {
  const auto exact = mini().match("what does magnesium do");
  const auto fuzzy = mini().match("what does magnesuim do");
  CHECK(exact.corrections.empty());
  CHECK(fuzzy.intent == "nutrient_role");
  CHECK(fuzzy.slots == SlotMap{{"nutrient", "magnesium"}});
  CHECK(fuzzy.confidence == Approx(exact.confidence * 0.9));
  CHECK(fuzzy.confidence < exact.confidence);
  CHECK_THAT(fuzzy.reason, Catch::Contains("spelling correction"));
  REQUIRE(fuzzy.corrections.size() == 1);
  CHECK(fuzzy.corrections[0].from == "magnesuim");
  CHECK(fuzzy.corrections[0].to == "magnesium");
  CHECK(fuzzy.normalised == "what does magnesium do");
}

TEST_CASE("the fuzzy stage merges split words and compounds the penalty per correction", "[matcher]") {
  const auto merged = mini().match("what does mag nesium do");
  CHECK(merged.intent == "nutrient_role");
  REQUIRE(merged.corrections.size() == 1);
  CHECK(merged.corrections[0].from == "mag nesium");
  CHECK(merged.confidence == Approx(0.9));

  const auto twice = mini().match("what dose magnesuim do");  // "dose" → "does", "magnesuim" → "magnesium"
  CHECK(twice.intent == "nutrient_role");
  CHECK(twice.corrections.size() == 2);
  CHECK(twice.confidence == Approx(0.81));
}

TEST_CASE("an exact match is not replaced by a worse fuzzy one", "[matcher]") {
  // "hellp" is one edit from the known "hello", but the exact pass already matched food_sources better than
  // the corrected text (where "hello" is an uncovered word) can, after its penalty.
  const auto result = mini().match("food with magnesium hellp");
  CHECK(result.intent == "food_sources");
  CHECK(result.slots == SlotMap{{"nutrient", "magnesium"}});
  CHECK(result.corrections.empty());
  CHECK(result.decision == MatchDecision::matched);
  CHECK(result.normalised == "food with magnesium hellp");
}

TEST_CASE("nothing matches, or nothing is left to match", "[matcher]") {
  const auto none = mini().match("qwerty uiop");
  CHECK(none.intent == kFallbackIntent);
  CHECK(none.decision == MatchDecision::no_template);
  CHECK(none.candidates.empty());
  CHECK(none.confidence == 0);

  const auto empty = mini().match("please");  // a skip word: nothing left
  CHECK(empty.intent == kFallbackIntent);
  CHECK(empty.normalised.empty());
  CHECK_THAT(empty.reason, Catch::Contains("nothing"));
}

TEST_CASE("match never throws, whatever the text", "[matcher]") {
  std::uint32_t state = 12345;
  const auto next = [&] {
    state = state * 1103515245u + 12345u;
    return static_cast<char>((state >> 16) & 0xFF);
  };
  for (int i = 0; i < 300; ++i) {
    std::string text;
    const int length = i % 40;
    for (int j = 0; j < length; ++j)
      text += next();
    CAPTURE(i);
    MatchResult result;
    REQUIRE_NOTHROW(result = mini().match(text));
    CHECK_FALSE(result.reason.empty());
    if (result.intent == kFallbackIntent) CHECK(result.slots.empty());
  }
}

// ---------------------------------------------------------------------------------------------------------
// Near ties broken by distinctiveness, on a catalog built in code: "alpha" is used by three intents
// (x, z, w), "omega" only by y, "the" is a filler. x covers "the alpha", y covers "omega".

namespace {

IntentCatalog distinctiveness_catalog() {
  IntentCatalog catalog;
  catalog.lexicon.lists["nutrient"] = {{"magnesium", {"magnesium"}}};
  catalog.lexicon.filler_words = {"the"};
  const auto intent = [](const std::string& name, std::vector<std::string> templates) {
    IntentDefinition d;
    d.name = name;
    d.file = name + ".json";
    d.templates = std::move(templates);
    return d;
  };
  catalog.intents = {intent("w", {"alpha yankee"}), intent("x", {"the alpha *"}), intent("y", {"* omega *"}),
                     intent("z", {"alpha zulu"}), intent(kFallbackIntent, {})};
  return catalog;
}

// The values of config/crampbot.json when this was written.
MatcherOptions configured_options() {
  MatcherOptions options;
  options.min_confidence = 0.15;
  options.min_margin = 0.05;
  options.min_distinctiveness_margin = 0.1;
  options.filler_weight = 0.25;
  options.unknown_weight = 0.2;
  return options;
}

}  // namespace

TEST_CASE("a near tie goes to the more distinctive intent", "[matcher]") {
  const IntentCatalog catalog = distinctiveness_catalog();
  const TextNormaliser normaliser(catalog.lexicon);
  MatcherOptions options = configured_options();
  options.min_margin = 0.2;  // x 1.25/2.25 and y 1/2.25 count as a near tie
  const IntentMatcher matcher(catalog, normaliser, options);
  const auto result = matcher.match(normaliser.normalise("the alpha omega"));
  REQUIRE(result.candidates.size() >= 2);
  CHECK(result.candidates[0].intent == "x");
  CHECK(result.candidates[1].intent == "y");
  CHECK(result.candidates[1].distinctiveness > result.candidates[0].distinctiveness);
  CHECK(result.intent == "y");
  CHECK(result.confidence == Approx(1.0 / 2.25));
  CHECK_THAT(result.reason, Catch::Contains("distinctive"));
}

// "the best intent must reach min_confidence": an intent that wins a near tie on distinctiveness is the
// answer, so it must reach it too. Here x scores 1.25/7.45 = 0.168 (above 0.15) and y 1/7.45 = 0.134
// (below), a near tie (0.034 < 0.05) that y wins on distinctiveness; the reply then carries a confidence
// below min_confidence instead of being the fallback.
TEST_CASE("the winner of a near tie still has to reach min_confidence", "[matcher]") {
  const IntentCatalog catalog = distinctiveness_catalog();
  const TextNormaliser normaliser(catalog.lexicon);
  const MatcherOptions options = configured_options();
  const IntentMatcher matcher(catalog, normaliser, options);
  std::string text = "the alpha omega";
  for (int i = 1; i <= 26; ++i)
    text += " q" + std::to_string(i);  // unknown words, weighing 0.2 each
  const auto result = matcher.match(normaliser.normalise(text));
  REQUIRE(result.candidates.size() >= 2);
  REQUIRE(result.candidates[0].intent == "x");
  REQUIRE(result.candidates[0].score >= options.min_confidence);
  REQUIRE(result.candidates[1].intent == "y");
  REQUIRE(result.candidates[1].score < options.min_confidence);
  INFO("intent " << result.intent << ", confidence " << result.confidence << ", reason: " << result.reason);
  CHECK((result.intent == kFallbackIntent || result.confidence >= options.min_confidence));
}

TEST_CASE("the matcher's defaults in code are the shipped ones (config/crampbot.json)", "[matcher][config]") {
  const auto file = crampbot::test::source_dir() / "config" / "crampbot.json";
  const MatcherOptions shipped = EngineConfig::from_json(load_json_file(file), file).matcher;
  const MatcherOptions defaults;
  CHECK(defaults.min_confidence == shipped.min_confidence);
  CHECK(defaults.min_margin == shipped.min_margin);
  CHECK(defaults.min_distinctiveness_margin == shipped.min_distinctiveness_margin);
  CHECK(defaults.fuzzy_penalty == shipped.fuzzy_penalty);
  CHECK(defaults.fuzzy_min_confidence == shipped.fuzzy_min_confidence);
  CHECK(defaults.filler_weight == shipped.filler_weight);
  CHECK(defaults.unknown_weight == shipped.unknown_weight);
  CHECK(defaults.set_max_mem == shipped.set_max_mem);
}
