// export/dialogflow_agent.h: the Dialogflow ES agent folder from the real catalog.
#include <catch2/catch.hpp>

#include <fstream>
#include <regex>
#include <set>
#include <string>

#include "export/dialogflow_agent.h"
#include "export/export_error.h"
#include "temp_catalog.h"
#include "test_support.h"

using crampbot::exporting::dialogflow_agent_files;
using crampbot::exporting::DialogflowAgentOptions;
using crampbot::exporting::ExportError;
using crampbot::exporting::write_dialogflow_agent;
using crampbot::test::real_engine;
using crampbot::test::TempDir;
using nlohmann::json;

namespace {

constexpr const char* kWebhook = "https://crampbot.example.org/dialogflow";

DialogflowAgentOptions options() {
  DialogflowAgentOptions out;
  out.webhook_url = kWebhook;
  return out;
}

// The agent of the real catalog with options(), exported once for the file's cases (an export is seconds
// under the sanitizers); the case about ids exports a second time to compare.
const std::map<std::string, json>& real_agent_files() {
  static const auto files = dialogflow_agent_files(real_engine(), options());
  return files;
}

json read_json(const std::filesystem::path& file) {
  std::ifstream in(file);
  REQUIRE(in.good());
  return json::parse(in);  // throws (fails the test) when the file is not valid JSON
}

std::string phrase_text(const json& user_says) {
  std::string out;
  for (const auto& chunk : user_says["data"])
    out += chunk["text"].get<std::string>();
  return out;
}

}  // namespace

TEST_CASE("the agent folder has every file, each valid JSON", "[dialogflow]") {
  const TempDir dir;
  const auto agent = dir.path() / "agent";
  write_dialogflow_agent(real_engine(), agent, options());
  std::set<std::string> expected = {"agent.json", "package.json", "entities/nutrient.json",
                                    "entities/nutrient_entries_en.json"};
  for (const auto& intent : real_engine().intents().intents) {
    if (intent.name == crampbot::kClarifyIntent) continue;  // the matcher's own question, not an agent intent
    expected.insert("intents/" + intent.name + ".json");
    expected.insert("intents/" + intent.name + "_usersays_en.json");  // fallback: its negative phrases
  }
  std::set<std::string> written;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(agent)) {
    if (!entry.is_regular_file()) continue;
    written.insert(std::filesystem::relative(entry.path(), agent).generic_string());
    INFO(entry.path());
    CHECK_NOTHROW(read_json(entry.path()));
  }
  CHECK(written == expected);
  CHECK(read_json(agent / "package.json") == json{{"version", "1.0.0"}});
  const json settings = read_json(agent / "agent.json");
  CHECK(settings["language"] == "en");
  CHECK(settings["webhook"]["url"] == kWebhook);
  CHECK(settings["webhook"]["available"] == true);
}

TEST_CASE("every intent keeps our name, uses the webhook, and takes the nutrient entity", "[dialogflow]") {
  const auto& files = real_agent_files();
  CHECK(files.count("intents/" + std::string(crampbot::kClarifyIntent) + ".json") == 0);
  for (const auto& intent : real_engine().intents().intents) {
    if (intent.name == crampbot::kClarifyIntent) continue;
    INFO(intent.name);
    const json& file = files.at("intents/" + intent.name + ".json");
    CHECK(file["name"] == intent.name);
    CHECK(file["webhookUsed"] == true);
    CHECK(file["fallbackIntent"] == (intent.name == "fallback"));
    const bool welcome = file["events"] == json::array({{{"name", "WELCOME"}}});
    CHECK(welcome == (intent.name == "welcome"));
    const json& parameters = file["responses"][0]["parameters"];
    if (intent.slots.count("nutrient")) {
      REQUIRE(parameters.size() == 1);
      CHECK(parameters[0]["name"] == "nutrient");
      CHECK(parameters[0]["dataType"] == "@nutrient");
      CHECK(parameters[0]["value"] == "$nutrient");
    } else {
      CHECK(parameters.empty());
    }
  }
}

TEST_CASE("training phrases come from the examples and templates, the nutrient annotated as the entity",
          "[dialogflow]") {
  const auto& files = real_agent_files();
  std::set<std::string> synonyms;
  for (const auto& value : real_engine().intents().lexicon.lists.at("nutrient"))
    synonyms.insert(value.phrases.begin(), value.phrases.end());
  std::map<std::string, std::string> owner;  // phrase → intent
  std::size_t annotated = 0;
  for (const auto& intent : real_engine().intents().intents) {
    if (intent.templates.empty()) continue;
    INFO(intent.name);
    const json& phrases = files.at("intents/" + intent.name + "_usersays_en.json");
    CHECK(phrases.size() >= 10);
    CHECK(phrases.size() <= 200);
    for (const auto& phrase : phrases) {
      const std::string text = phrase_text(phrase);
      INFO(text);
      CHECK(phrase["lang"] == "en");
      CHECK(text.size() <= crampbot::exporting::kDialogflowMaxPhraseChars);
      CHECK(text.find_first_of("*()[]<>{}|") == std::string::npos);
      for (const auto& chunk : phrase["data"]) {
        if (!chunk.contains("alias")) continue;
        ++annotated;
        CHECK(chunk["alias"] == "nutrient");
        CHECK(chunk["meta"] == "@nutrient");
        CHECK(synonyms.count(chunk["text"].get<std::string>()) == 1);
      }
      auto [it, fresh] = owner.emplace(text, intent.name);
      INFO("also in " << it->second);
      CHECK(fresh);
    }
  }
  CHECK(annotated > 60);  // every example and template sentence naming a nutrient (109 when written)
  // The fallback's phrases are its examples: what must not match our intents.
  const json& negatives = files.at("intents/fallback_usersays_en.json");
  CHECK(negatives.size() == real_engine().intents().find("fallback")->examples.size());
}

TEST_CASE("the entity has our canonical values and the lexicon's synonyms", "[dialogflow]") {
  const auto& files = real_agent_files();
  CHECK(files.at("entities/nutrient.json")["name"] == "nutrient");
  const json& entries = files.at("entities/nutrient_entries_en.json");
  const auto& values = real_engine().intents().lexicon.lists.at("nutrient");
  REQUIRE(entries.size() == values.size());
  for (std::size_t i = 0; i < values.size(); ++i) {
    CHECK(entries[i]["value"] == values[i].canonical);
    CHECK(entries[i]["synonyms"] == json(values[i].phrases));
  }
}

TEST_CASE("ids are unique UUIDs and the same on every export", "[dialogflow]") {
  const auto& files = real_agent_files();
  CHECK(files == dialogflow_agent_files(real_engine(), options()));
  const std::regex uuid("[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
  std::set<std::string> ids;
  std::size_t count = 0;
  for (const auto& [path, content] : files) {
    const auto check = [&](const json& object) {
      if (!object.is_object() || !object.contains("id")) return;
      ++count;
      const std::string id = object["id"];
      CHECK(std::regex_match(id, uuid));
      CHECK(ids.insert(id).second);
    };
    check(content);
    if (content.is_array())
      for (const auto& item : content)
        check(item);
    if (content.contains("responses"))
      for (const auto& parameter : content["responses"][0]["parameters"])
        check(parameter);
  }
  CHECK(count > 500);  // intents, parameters, entities and every training phrase (628 when written)
}

TEST_CASE("a webhook URL that is not https is refused - none leaves the webhook off", "[dialogflow]") {
  DialogflowAgentOptions plain;
  plain.webhook_url = "http://crampbot.example.org/dialogflow";
  CHECK_THROWS_AS(dialogflow_agent_files(real_engine(), plain), ExportError);
  const auto files = dialogflow_agent_files(real_engine(), {});
  CHECK(files.at("agent.json")["webhook"]["url"] == "");
  CHECK(files.at("agent.json")["webhook"]["available"] == false);
}

TEST_CASE("write errors name the path", "[dialogflow]") {
  const TempDir dir;
  const auto file = dir.path() / "a_file";
  std::ofstream(file) << "not a folder";
  // A folder cannot be made inside a regular file, whoever runs the test (root included).
  CHECK_THROWS_WITH(write_dialogflow_agent(real_engine(), file / "agent", options()),
                    Catch::Contains((file / "agent").string()) || Catch::Contains(file.string()));
  CHECK_THROWS_AS(write_dialogflow_agent(real_engine(), file, options()), ExportError);
  // A folder that holds something other than an agent is left alone.
  const auto other = dir.path() / "other";
  std::filesystem::create_directories(other);
  std::ofstream(other / "notes.txt") << "mine";
  CHECK_THROWS_WITH(write_dialogflow_agent(real_engine(), other, options()), Catch::Contains(other.string()));
  CHECK(std::filesystem::exists(other / "notes.txt"));
  CHECK(!std::filesystem::exists(other / "agent.json"));
}

TEST_CASE("exporting again over an earlier export replaces its intents", "[dialogflow]") {
  const TempDir dir;
  const auto agent = dir.path() / "agent";
  write_dialogflow_agent(real_engine(), agent, options());
  std::ofstream(agent / "intents" / "removed_intent.json") << "{}";
  write_dialogflow_agent(real_engine(), agent, options());
  CHECK(!std::filesystem::exists(agent / "intents" / "removed_intent.json"));
  CHECK(std::filesystem::exists(agent / "intents" / "nutrient_role.json"));
}

TEST_CASE("one agent holds every language: definitions once, phrases and entries per language",
          "[dialogflow][locale]") {
  const auto& engines = crampbot::test::real_engines();
  const std::vector<const crampbot::Engine*> languages = {engines.find("en"), engines.find("es")};
  REQUIRE(languages[0]);
  REQUIRE(languages[1]);
  const auto files = dialogflow_agent_files(languages, options());
  CHECK(files.at("agent.json")["language"] == "en");
  CHECK(files.at("agent.json")["supportedLanguages"] == json::array({"es"}));
  for (const auto& intent : languages[0]->intents().intents) {
    if (intent.name == crampbot::kClarifyIntent || intent.templates.empty()) continue;
    INFO(intent.name);
    CHECK(files.count("intents/" + intent.name + ".json") == 1);
    CHECK(files.count("intents/" + intent.name + "_usersays_en.json") == 1);
    REQUIRE(files.count("intents/" + intent.name + "_usersays_es.json") == 1);
    for (const auto& phrase : files.at("intents/" + intent.name + "_usersays_es.json"))
      CHECK(phrase["lang"] == "es");
  }
  // The entity's Spanish entries keep our canonical values, with the Spanish words as synonyms.
  bool magnesio = false;
  for (const auto& entry : files.at("entities/nutrient_entries_es.json")) {
    if (entry["value"] == "magnesium") {
      for (const auto& synonym : entry["synonyms"])
        magnesio = magnesio || synonym == "magnesio";
    }
  }
  CHECK(magnesio);
  // Phrase ids differ between languages, so Dialogflow keeps both.
  const auto& en = files.at("intents/best_vitamin_usersays_en.json");
  const auto& es = files.at("intents/best_vitamin_usersays_es.json");
  CHECK(en.front()["id"] != es.front()["id"]);
}
