// export/alexa_interaction_model.h: the Alexa model from the real catalog, held to Alexa's rules.
#include <catch2/catch.hpp>

#include <algorithm>
#include <map>
#include <set>
#include <string>

#include "alexa_model_rules.h"
#include "channels/alexa/alexa_names.h"
#include "export/alexa_interaction_model.h"
#include "export/export_error.h"
#include "temp_catalog.h"
#include "test_support.h"

using crampbot::exporting::alexa_interaction_model;
using crampbot::exporting::alexa_slot_type;
using crampbot::exporting::ExportError;
using crampbot::test::alexa_model_problems;
using crampbot::test::real_engine;
using nlohmann::json;

namespace {

const json& real_model() {
  static const json model = alexa_interaction_model(real_engine(), "leg cramp helper");
  return model;
}

const json& language_model() {
  return real_model()["interactionModel"]["languageModel"];
}

const json* intent_named(const std::string& name) {
  for (const auto& intent : language_model()["intents"])
    if (intent["name"] == name) return &intent;
  return nullptr;
}

std::string joined(const std::vector<std::string>& problems) {
  std::string out;
  for (const auto& p : problems)
    out += p + "\n";
  return out;
}

// A small model that passes, to break one rule at a time.
json valid_model() {
  return json::parse(R"({"interactionModel": {"languageModel": {
    "invocationName": "leg cramp helper",
    "intents": [
      {"name": "FoodSourcesIntent", "slots": [{"name": "nutrient", "type": "NUTRIENT"}],
       "samples": ["what foods have {nutrient}", "foods with lots of it"]},
      {"name": "AskIntent", "slots": [{"name": "query", "type": "AMAZON.SearchQuery"}],
       "samples": ["my question is {query}"]},
      {"name": "AMAZON.HelpIntent", "samples": []}
    ],
    "types": [{"name": "NUTRIENT", "values": [
      {"id": "vitamin_b12", "name": {"value": "vitamin b twelve", "synonyms": ["b twelve"]}}]}]
  }}})");
}

json& samples_of(json& model, std::size_t intent) {
  return model["interactionModel"]["languageModel"]["intents"][intent]["samples"];
}

}  // namespace

TEST_CASE("the rules catch what Alexa refuses", "[alexa][rules]") {
  REQUIRE(alexa_model_problems(valid_model()).empty());
  const auto broken = [](auto&& change) {
    json model = valid_model();
    change(model);
    return alexa_model_problems(model).size();
  };
  CHECK(broken([](json& m) { samples_of(m, 0).push_back("foods with vitamin b12"); }) > 0);  // digits
  CHECK(broken([](json& m) { samples_of(m, 0).push_back("what foods, please?"); }) > 0);     // punctuation
  CHECK(broken([](json& m) { samples_of(m, 0).push_back("foods with {calcium}"); }) > 0);  // undeclared slot
  CHECK(broken([](json& m) { samples_of(m, 0).push_back("{nutrient} or {nutrient}"); }) > 0);    // slot twice
  CHECK(broken([](json& m) { samples_of(m, 1).push_back("what foods have {nutrient}"); }) > 0);  // shared
  CHECK(broken([](json& m) { samples_of(m, 1).push_back("{query}"); }) > 0);  // no carrier phrase
  CHECK(broken([](json& m) { samples_of(m, 0) = json::array(); }) > 0);       // custom intent, no sample
  CHECK(broken([](json& m) { samples_of(m, 0).push_back(std::string(201, 'a')); }) > 0);
  CHECK(broken([](json& m) {
          m["interactionModel"]["languageModel"]["types"][0]["values"][0]["name"]["value"] = "vitamin b12";
        }) > 0);
  CHECK(broken([](json& m) { m["interactionModel"]["languageModel"]["invocationName"] = "Cramp Helper"; }) >
        0);
}

TEST_CASE("the exported model obeys Alexa's rules", "[alexa]") {
  const auto problems = alexa_model_problems(real_model());
  INFO(joined(problems));
  CHECK(problems.empty());
  CHECK(language_model()["invocationName"] == "leg cramp helper");
}

TEST_CASE("our intents appear under their Alexa names - built-ins stand for the rest", "[alexa]") {
  std::set<std::string> expected;
  for (const auto& intent : real_engine().intents().intents) {
    if (!intent.templates.empty() && !crampbot::alexa::covered_by_builtin(intent.name)) {
      expected.insert(crampbot::alexa::alexa_intent_name(intent.name));
    }
  }
  std::set<std::string> custom;
  for (const auto& intent : language_model()["intents"]) {
    const std::string name = intent["name"];
    if (name.rfind("AMAZON.", 0) == 0 || name == crampbot::alexa::kCatchAllIntent) continue;
    custom.insert(name);
    // Every custom name leads back to one of our intents, as the channel will read it.
    const auto ours = crampbot::alexa::intent_from_alexa_name(name);
    REQUIRE(ours);
    CHECK(real_engine().intents().find(*ours) != nullptr);
  }
  CHECK(custom == expected);
  CHECK(custom.count("NutrientRoleIntent") == 1);
  for (const std::string covered :
       {"HelpIntent", "GoodbyeIntent", "MoreIntent", "RepeatIntent", "FallbackIntent"})
    CHECK(custom.count(covered) == 0);
  for (const std::string builtin :
       {"AMAZON.HelpIntent", "AMAZON.StopIntent", "AMAZON.CancelIntent", "AMAZON.FallbackIntent",
        "AMAZON.NavigateHomeIntent", "AMAZON.RepeatIntent", "AMAZON.MoreIntent"}) {
    INFO(builtin);
    CHECK(intent_named(builtin) != nullptr);
  }
}

TEST_CASE("the nutrient slot uses the NUTRIENT type in the intents that take it", "[alexa]") {
  CHECK(alexa_slot_type("nutrient") == crampbot::alexa::kNutrientSlotType);
  for (const auto& intent : real_engine().intents().intents) {
    const auto* exported = intent_named(crampbot::alexa::alexa_intent_name(intent.name));
    if (!exported) continue;
    INFO(intent.name);
    const bool takes_nutrient = intent.slots.count("nutrient") > 0;
    const auto slots = exported->value("slots", json::array());
    CHECK(std::any_of(slots.begin(), slots.end(), [](const json& s) {
            return s["name"] == "nutrient" && s["type"] == "NUTRIENT";
          }) == takes_nutrient);
  }
  const auto* food = intent_named("FoodSourcesIntent");
  REQUIRE(food);
  const auto& samples = (*food)["samples"];
  CHECK(std::any_of(samples.begin(), samples.end(), [](const json& s) {
    return s.get<std::string>().find("{nutrient}") != std::string::npos;
  }));
}

TEST_CASE("the catch-all intent carries the raw text behind carrier phrases", "[alexa]") {
  const auto* ask = intent_named(crampbot::alexa::kCatchAllIntent);
  REQUIRE(ask);
  REQUIRE((*ask)["slots"].size() == 1);
  CHECK((*ask)["slots"][0]["name"] == crampbot::alexa::kCatchAllSlot);
  CHECK((*ask)["slots"][0]["type"] == "AMAZON.SearchQuery");
  CHECK((*ask)["samples"].size() >= 5);
  for (const auto& sample : (*ask)["samples"]) {
    const std::string text = sample;
    CHECK(text.size() > std::string("{query}").size() + 1);
    CHECK(text.find("{query}") != std::string::npos);
  }
  // The carriers are the lexicon's (data, per language), in its order.
  std::vector<std::string> expected;
  for (const auto& carrier : real_engine().intents().lexicon.carrier_phrases)
    expected.push_back(carrier + " {" + crampbot::alexa::kCatchAllSlot + "}");
  CHECK((*ask)["samples"].get<std::vector<std::string>>() == expected);
}

TEST_CASE("the Spanish model speaks Spanish: its numbers and its carrier phrases", "[alexa]") {
  const crampbot::Engine& spanish = crampbot::test::real_engines().for_locale("es-US");
  REQUIRE(spanish.locale() == "es-US");
  const json model = alexa_interaction_model(spanish, "ayuda con calambres");
  CHECK(alexa_model_problems(model).empty());
  const std::string dump = model.dump();
  CHECK(dump.find("\"vitamina b doce\"") != std::string::npos);
  CHECK(dump.find("twelve") == std::string::npos);
  CHECK(dump.find("i want to ask") == std::string::npos);
  const json* ask = nullptr;
  for (const auto& intent : model["interactionModel"]["languageModel"]["intents"])
    if (intent["name"] == crampbot::alexa::kCatchAllIntent) ask = &intent;
  REQUIRE(ask);
  CHECK(std::count((*ask)["samples"].begin(), (*ask)["samples"].end(), "quiero preguntar {query}") == 1);
}

TEST_CASE("a lexicon without carrier phrases cannot make an Alexa model", "[alexa]") {
  const crampbot::test::TempDir dir;
  std::filesystem::copy(crampbot::test::fixture("tiny"), dir.path(),
                        std::filesystem::copy_options::recursive);
  const auto lexicon_file = dir.path() / "intents" / "_lexicon.json";
  json lexicon = crampbot::load_json_file(lexicon_file);
  lexicon.erase("carrier_phrases");
  crampbot::test::write_json(lexicon_file, lexicon);
  const auto engine = crampbot::test::load_engine(dir.path() / "config.json");
  CHECK_THROWS_WITH(alexa_interaction_model(*engine, "tiny helper"), Catch::Contains("carrier_phrases"));
}

TEST_CASE("NUTRIENT ids are exactly the lexicon's canonical values, spoken forms lead back to them",
          "[alexa]") {
  const auto& types = language_model()["types"];
  REQUIRE(types.size() == 1);
  CHECK(types[0]["name"] == "NUTRIENT");
  std::set<std::string> ids;
  for (const auto& value : types[0]["values"]) {
    const std::string id = value["id"];
    ids.insert(id);
    std::vector<std::string> spoken = {value["name"]["value"]};
    for (const auto& synonym : value["name"].value("synonyms", json::array()))
      spoken.push_back(synonym);
    for (const auto& form : spoken) {
      INFO(id << " <- \"" << form << "\"");
      // Alexa may send the spoken form as the slot value; our own synonyms must read it as the same value.
      CHECK(real_engine().slot_value("nutrient", form) == id);
    }
  }
  std::set<std::string> canonical;
  for (const auto& value : real_engine().intents().lexicon.lists.at("nutrient"))
    canonical.insert(value.canonical);
  CHECK(ids == canonical);
  // "b12" is spoken "b twelve", "vitamin k2" "vitamin k two".
  const std::string dump = types.dump();
  CHECK(dump.find("\"b twelve\"") != std::string::npos);
  CHECK(dump.find("\"vitamin k two\"") != std::string::npos);
}

TEST_CASE("samples naming the invocation name are left to Alexa's launch handling", "[alexa]") {
  const auto model = alexa_interaction_model(real_engine(), "cramp bot");
  INFO(joined(alexa_model_problems(model)));
  CHECK(alexa_model_problems(model).empty());
  for (const auto& intent : model["interactionModel"]["languageModel"]["intents"]) {
    for (const auto& sample : intent["samples"]) {
      CHECK((" " + sample.get<std::string>() + " ").find(" cramp bot ") == std::string::npos);
    }
  }
  // "good morning" is a welcome sample under the default name, and only under it.
  const auto* welcome = intent_named("WelcomeIntent");
  REQUIRE(welcome);
  const auto& samples = (*welcome)["samples"];
  CHECK(std::find(samples.begin(), samples.end(), "good morning") != samples.end());
  const auto renamed = alexa_interaction_model(real_engine(), "good morning");
  CHECK(alexa_model_problems(renamed).empty());
  for (const auto& intent : renamed["interactionModel"]["languageModel"]["intents"]) {
    for (const auto& sample : intent["samples"])
      CHECK((" " + sample.get<std::string>() + " ").find(" good morning ") == std::string::npos);
  }
}

TEST_CASE("the model is the same on every export", "[alexa]") {
  CHECK(alexa_interaction_model(real_engine(), "leg cramp helper") == real_model());
}

TEST_CASE("an invocation name Alexa refuses is refused", "[alexa]") {
  CHECK_THROWS_AS(alexa_interaction_model(real_engine(), ""), ExportError);
  CHECK_THROWS_AS(alexa_interaction_model(real_engine(), "Leg Cramp Helper"), ExportError);
  CHECK_THROWS_AS(alexa_interaction_model(real_engine(), "alexa cramps"), ExportError);
  CHECK_THROWS_AS(alexa_interaction_model(real_engine(), "cramp helper 2"), ExportError);
  CHECK_THROWS_WITH(alexa_interaction_model(real_engine(), "cramp skill"), Catch::Contains("skill"));
}

TEST_CASE("a sample two intents share stays with the intent our matcher gives it, or with none", "[alexa]") {
  const crampbot::test::TempDir dir;
  // hello says "hi" and "hello there", the tiny catalog's food says "food" among others. "hello there" is
  // also the override intent alarm's: the matcher gives it to alarm outright. "food" is also wave's; the
  // two tie on it, so neither keeps it. (The examples are what makes the template sentences natural.)
  const auto engine = crampbot::test::tiny_engine_with(dir, {{{"intent", "hello"},
                                                              {"templates", {"(hi|hello) [there]"}},
                                                              {"examples", {"hi", "hello", "hello there"}}},
                                                             {{"intent", "alarm"},
                                                              {"override", true},
                                                              {"templates", {"hello there", "(fire|smoke)"}},
                                                              {"examples", {"fire", "smoke"}}},
                                                             {{"intent", "wave"},
                                                              {"templates", {"food", "wave [goodbye]"}},
                                                              {"examples", {"wave", "wave goodbye"}}}});
  const auto model = alexa_interaction_model(*engine, "tiny helper");
  INFO(model.dump(2));
  CHECK(alexa_model_problems(model).empty());
  std::map<std::string, std::set<std::string>> samples;
  for (const auto& intent : model["interactionModel"]["languageModel"]["intents"])
    for (const auto& sample : intent["samples"])
      samples[intent["name"]].insert(sample.get<std::string>());
  CHECK(samples["AlarmIntent"].count("hello there") == 1);
  CHECK(samples["HelloIntent"].count("hello there") == 0);
  CHECK(samples["HelloIntent"].count("hi") == 1);
  CHECK(samples["FoodIntent"].count("food") == 0);
  CHECK(samples["FoodIntent"].count("what food has {nutrient}") == 1);
  CHECK(samples["WaveIntent"].count("food") == 0);
  CHECK(samples["WaveIntent"] == std::set<std::string>{"wave", "wave goodbye"});
}

TEST_CASE("an intent left with no sample Alexa accepts is an error that names it", "[alexa]") {
  const crampbot::test::TempDir dir;
  // Every sentence of echo's template is also one of hello's, and they tie.
  const auto engine = crampbot::test::tiny_engine_with(
      dir, {{{"intent", "echo_back"}, {"templates", {"(hi|hello) [there]"}}}});
  CHECK_THROWS_WITH(alexa_interaction_model(*engine, "tiny helper"), Catch::Contains("echo_back"));
}
