// Loading refuses a broken catalog or config with a CatalogError that names the file and the field.
// Each folder under tests/fixtures/broken/ has a config.json and differs from tests/fixtures/tiny (which
// loads) in exactly one way.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "engine/catalog_error.h"
#include "test_support.h"

using namespace crampbot;
using crampbot::test::fixture;

namespace {

// Loads tests/fixtures/broken/<name>/config.json and returns the CatalogError message ("" on success).
std::string load_error(const std::string& name) {
  const auto config = fixture("broken") / name / "config.json";
  try {
    crampbot::test::load_engine(config);
  } catch (const CatalogError& e) {
    return e.what();
  }
  return "";
}

struct Case {
  const char* fixture;
  const char* file;                   // the file the message must name
  std::vector<const char*> mentions;  // the field and the problem
};

void check_case(const Case& c) {
  CAPTURE(c.fixture);
  std::string message;
  REQUIRE_NOTHROW(message = load_error(c.fixture));  // only CatalogError, nothing else
  CAPTURE(message);
  REQUIRE_FALSE(message.empty());
  CHECK_THAT(message, Catch::Contains(c.file));
  CHECK_THAT(message, Catch::Contains(std::string("broken/") + c.fixture));  // the path, not just a name
  for (const char* m : c.mentions)
    CHECK_THAT(message, Catch::Contains(m));
}

}  // namespace

TEST_CASE("the unbroken base catalog loads", "[catalog_errors]") {
  std::shared_ptr<const Engine> engine;
  REQUIRE_NOTHROW(engine = crampbot::test::load_engine(fixture("tiny") / "config.json"));
  const auto outcome = engine->respond("hello", {});
  REQUIRE(std::holds_alternative<Reply>(outcome));
  CHECK(std::get<Reply>(outcome).intent == "hello");
}

TEST_CASE("broken responses: bad JSON", "[catalog_errors]") {
  check_case({"bad_json", "responses/hello.json", {"invalid JSON", "line 4"}});
}

TEST_CASE("broken responses: an intent without a response file", "[catalog_errors]") {
  check_case({"missing_response", "responses/food.json", {"missing", "food"}});
}

TEST_CASE("broken responses: empty caveats", "[catalog_errors]") {
  check_case({"empty_caveat", "responses/hello.json", {"caveat", "empty"}});
  check_case({"empty_variant_caveat", "responses/hello.json", {"replies.default[0].caveat", "empty"}});
}

TEST_CASE("broken responses: a slot value without replies, or replies for an unknown value",
          "[catalog_errors]") {
  check_case({"missing_slot_value", "responses/food.json", {"replies.potassium", "missing"}});
  check_case({"unknown_reply_key", "responses/food.json", {"replies.zinc"}});
}

TEST_CASE("broken responses: an unknown field", "[catalog_errors]") {
  check_case({"unknown_field", "responses/hello.json", {"replies.default[0].titel", "unknown field"}});
}

TEST_CASE("broken responses: spoken text over the voice limit", "[catalog_errors]") {
  check_case({"voice_too_long", "responses/hello.json", {"replies.default[0].voice", "601"}});
  check_case({"text_too_long_without_voice", "responses/hello.json", {"replies.default[0].text", "601"}});
  // The limit is for what is spoken: the speech and the caveat after it (590 + 1 + 13 = 604).
  check_case({"voice_too_long_with_caveat",
              "responses/hello.json",
              {"replies.default[0].voice", "604", "voice 590", "caveat 13"}});
  check_case({"more_too_long", "responses/hello.json", {"replies.default[0].more", "614"}});
}

TEST_CASE("broken responses: an empty spoken disclaimer", "[catalog_errors]") {
  check_case(
      {"empty_spoken_disclaimer", "responses/_common.json", {"spoken_disclaimer", "must not be empty"}});
}

TEST_CASE("broken intents: an override intent's exception may not use *", "[catalog_errors]") {
  check_case(
      {"except_wildcard_on_override", "intents/hello.json", {"except", "hello * there", "may not use *"}});
}

TEST_CASE("broken responses: empty text, no variants, a bad suggestion", "[catalog_errors]") {
  check_case({"empty_text", "responses/hello.json", {"replies.default[0].text", "empty"}});
  check_case({"no_variants", "responses/hello.json", {"replies.default"}});
  check_case({"suggestion_not_string", "responses/hello.json", {"replies.default[0].suggestions[1]"}});
}

TEST_CASE("broken responses: _common.json without a disclaimer", "[catalog_errors]") {
  check_case({"common_without_disclaimer", "responses/_common.json", {"disclaimer"}});
}

TEST_CASE("broken responses: a response file for an intent that does not exist", "[catalog_errors]") {
  check_case({"response_for_unknown_intent", "responses/goodbye.json", {"goodbye"}});
}

TEST_CASE("broken intents: templates that do not compile", "[catalog_errors]") {
  check_case({"template_unbalanced", "intents/hello.json", {"templates", "(hi|hello", "missing ')'"}});
  check_case({"template_unknown_slot", "intents/hello.json", {"templates", "{nutrient}"}});
  check_case({"template_unknown_rule", "intents/hello.json", {"templates", "<nosuch>"}});
  // A cycle of rules is the lexicon's fault, found when the rules are loaded, used or not.
  check_case({"template_rule_cycle", "intents/_lexicon.json", {"rules", "<ping>", "refers to itself"}});
}

TEST_CASE("broken intents: unknown field, wrong name, wrong type, unknown list", "[catalog_errors]") {
  check_case({"intent_unknown_field", "intents/hello.json", {"tempaltes", "unknown field"}});
  check_case({"intent_name_mismatch", "intents/hello.json", {"intent"}});
  check_case({"flag_wrong_type", "intents/hello.json", {"spot"}});
  check_case({"slot_unknown_list", "intents/food.json", {"slots.nutrient", "nutrients"}});
}

TEST_CASE("broken intents: the lexicon is not valid JSON", "[catalog_errors]") {
  check_case({"lexicon_bad_json", "intents/_lexicon.json", {"invalid JSON"}});
}

TEST_CASE("broken config: wrong type, out of range, unknown key", "[catalog_errors]") {
  check_case({"config_wrong_type", "config.json", {"matcher.min_confidence", "number"}});
  check_case({"config_out_of_range", "config.json", {"matcher.min_margin"}});
  check_case({"config_unknown_key", "config.json", {"matcher.min_confidense", "unknown field"}});
}

TEST_CASE("a config or catalog folder that does not exist", "[catalog_errors]") {
  CHECK_THROWS_AS(crampbot::test::load_engine(fixture("broken") / "no_such_fixture" / "config.json"),
                  CatalogError);
  nlohmann::json config = {{"catalog", {{"intents", "nowhere/intents"}, {"responses", "nowhere/responses"}}}};
  const auto file = fixture("tiny") / "config.json";
  try {
    Engine::load(EngineConfig::from_json(config, file));
    FAIL("no exception");
  } catch (const CatalogError& e) {
    CHECK_THAT(std::string(e.what()), Catch::Contains("nowhere/intents"));
  }
}

TEST_CASE("EngineConfig: relative catalog paths are taken from the config file's folder",
          "[catalog_errors]") {
  const auto file = fixture("tiny") / "config.json";
  const EngineConfig config = EngineConfig::from_json(load_json_file(file), file);
  CHECK(config.intents_dir == (fixture("tiny") / "intents").lexically_normal());
  CHECK(config.responses_dir == (fixture("tiny") / "responses").lexically_normal());
  const EngineConfig defaults =
      EngineConfig::from_json(nlohmann::json::object(), fixture("tiny") / "config.json");
  // Without a catalog section: catalog/ beside the config folder, the default locale en-US in its "en"
  // folder.
  CHECK(defaults.catalog_dir == (fixture("tiny") / ".." / "catalog").lexically_normal());
  CHECK(defaults.default_locale == "en-US");
  CHECK(defaults.intents_dir == (fixture("tiny") / ".." / "catalog" / "en" / "intents").lexically_normal());
  CHECK(defaults.max_utterance_bytes == 2000);
  CHECK_THROWS_AS(EngineConfig::from_json(nlohmann::json::array(), file), CatalogError);
  CHECK_THROWS_AS(EngineConfig::from_json({{"limits", {{"max_utterance_bytes", 5}}}}, file), CatalogError);
}

TEST_CASE("EngineConfig: catalog.locales lists locale tags, and every locale when absent",
          "[catalog_errors]") {
  const auto file = fixture("tiny") / "config.json";
  CHECK(EngineConfig::from_json(nlohmann::json::object(), file).locales.empty());
  const EngineConfig some = EngineConfig::from_json({{"catalog", {{"locales", {"en-GB", "es"}}}}}, file);
  CHECK(some.locales == std::vector<std::string>{"en-GB", "es"});
  for (const nlohmann::json& bad :
       {nlohmann::json{"en_GB"}, nlohmann::json{"english"}, nlohmann::json{7}, nlohmann::json("en-GB")}) {
    INFO(bad.dump());
    CHECK_THROWS_WITH(EngineConfig::from_json({{"catalog", {{"locales", bad}}}}, file),
                      Catch::Contains("catalog.locales"));
  }
}

TEST_CASE("a matcher budget too small for the templates is refused with the setting to raise",
          "[catalog_errors]") {
  // Built on the load's second thread: the error must still reach the caller as a CatalogError.
  const auto config_file = crampbot::test::source_dir() / "config" / "crampbot.json";
  auto json = load_json_file(config_file);
  json["matcher"]["set_max_mem_mb"] = 1;
  std::string message;
  try {
    Engine::load(EngineConfig::from_json(json, config_file));
  } catch (const CatalogError& e) {
    message = e.what();
  }
  CHECK_THAT(message, Catch::Contains("memory budget"));
  CHECK_THAT(message, Catch::Contains("matcher.set_max_mem"));
}

TEST_CASE("broken responses: sources and review dates", "[catalog_errors][sources]") {
  check_case({"reviewed_not_a_date", "responses/food.json", {"reviewed", "YYYY-MM-DD"}});
  check_case({"source_not_https", "responses/_sources.json", {"sources[0].url", "https://"}});
  check_case({"source_listed_twice", "responses/_sources.json", {"sources[1].id", "listed twice"}});
  check_case({"sources_not_strings", "responses/food.json", {"sources[0]", "non-empty string"}});
}
