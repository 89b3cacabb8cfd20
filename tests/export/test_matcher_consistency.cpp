// The exported samples against our own matcher: a sample Alexa or Dialogflow learns for intent X, with its
// slot filled, should be one our matcher also answers as X with that value. Both platforms hand us the
// intent they matched, so a disagreement means a user is answered differently by voice and by chat.
#include <catch2/catch.hpp>

#include <cstdio>
#include <map>
#include <string>
#include <vector>

#include "channels/alexa/alexa_names.h"
#include "export/alexa_interaction_model.h"
#include "export/dialogflow_agent.h"
#include "test_support.h"

using crampbot::test::real_engine;
using nlohmann::json;

namespace {

struct Tally {
  std::size_t total = 0;
  std::vector<std::string> misses;
  std::map<std::string, std::pair<std::size_t, std::size_t>> by_intent;  // intent → (hits, samples)

  // The intent whose samples agree least, and its share.
  std::pair<std::string, double> weakest() const {
    std::pair<std::string, double> out{"", 1.0};
    for (const auto& [intent, counts] : by_intent) {
      const double share = static_cast<double>(counts.first) / static_cast<double>(counts.second);
      if (share < out.second) out = {intent, share};
    }
    return out;
  }

  double share() const {
    return total == 0 ? 0 : 1.0 - static_cast<double>(misses.size()) / static_cast<double>(total);
  }
  void report(const char* what) const {
    std::printf(
        "%s: %zu of %zu samples match the same intent and slot (%.1f%%); weakest intent %s "
        "(%.1f%%); misses:\n",
        what, total - misses.size(), total, 100.0 * share(), weakest().first.c_str(),
        100.0 * weakest().second);
    for (const auto& miss : misses)
      std::printf("  %s\n", miss.c_str());
  }
};

void tally(Tally& tally, const std::string& intent, const std::string& text, const std::string& value) {
  ++tally.total;
  auto& [hits, samples] = tally.by_intent[intent];
  ++samples;
  const auto match = real_engine().match(text);
  const auto slot = match.slots.find("nutrient");
  const bool slot_ok = value.empty() || (slot != match.slots.end() && slot->second == value);
  if (match.intent == intent && slot_ok) {
    ++hits;
  } else {
    tally.misses.push_back(intent + ": \"" + text + "\" -> " + match.intent +
                           (slot == match.slots.end() ? "" : " " + slot->second) + " (" + match.reason + ")");
  }
}

// The spoken forms of each NUTRIENT value, as (form, id), taken in turn to fill samples.
std::vector<std::pair<std::string, std::string>> spoken_values(const json& model) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& value : model["interactionModel"]["languageModel"]["types"][0]["values"]) {
    out.emplace_back(value["name"]["value"], value["id"]);
    for (const auto& synonym : value["name"].value("synonyms", json::array()))
      out.emplace_back(synonym, value["id"]);
  }
  return out;
}

}  // namespace

// The bars. A miss is a sentence that, filled with another value than the first of its list (the one the
// export probes with), reads as much like another intent, or words the normaliser changes so the template
// no longer matches them. Since the export keeps only template sentences the matcher agrees with, and the
// examples must match by `crampbot check`, both were 100% when this was written (508 Alexa samples, 577
// Dialogflow phrases). The bars leave a little room for values that read differently; the per-intent bar
// catches one intent whose samples stop matching wholesale, which the overall figure would hide.
constexpr double kMinAgreement = 0.98;
constexpr double kMinIntentAgreement = 0.9;
// Every exported intent has its examples and more (the figures above).
constexpr std::size_t kMinSamples = 400;

TEST_CASE("Alexa samples, filled with a value, match the same intent and slot in our matcher",
          "[consistency]") {
  const json model = crampbot::exporting::alexa_interaction_model(real_engine(), "leg cramp helper");
  const auto values = spoken_values(model);
  REQUIRE(!values.empty());
  Tally result;
  std::size_t turn = 0;
  for (const auto& intent : model["interactionModel"]["languageModel"]["intents"]) {
    const auto ours = crampbot::alexa::intent_from_alexa_name(intent["name"].get<std::string>());
    if (!ours || intent["name"] == crampbot::alexa::kCatchAllIntent ||
        intent["name"].get<std::string>().rfind("AMAZON.", 0) == 0) {
      continue;
    }
    for (const auto& sample_json : intent["samples"]) {
      std::string sample = sample_json;
      std::string value;
      if (const auto at = sample.find("{nutrient}"); at != std::string::npos) {
        const auto& [form, id] = values[turn++ % values.size()];
        sample.replace(at, std::string("{nutrient}").size(), form);
        value = id;
      }
      tally(result, *ours, sample, value);
    }
  }
  result.report("Alexa samples");
  CHECK(result.total > kMinSamples);
  CHECK(result.share() >= kMinAgreement);
  INFO("weakest: " << result.weakest().first);
  CHECK(result.weakest().second >= kMinIntentAgreement);
}

TEST_CASE("Dialogflow training phrases match the same intent and slot in our matcher", "[consistency]") {
  const auto files = crampbot::exporting::dialogflow_agent_files(real_engine(), {});
  std::map<std::string, std::string> canonical;  // phrase → value
  for (const auto& value : real_engine().intents().lexicon.lists.at("nutrient"))
    for (const auto& phrase : value.phrases)
      canonical[phrase] = value.canonical;
  Tally result;
  for (const auto& intent : real_engine().intents().intents) {
    if (intent.templates.empty()) continue;
    for (const auto& phrase : files.at("intents/" + intent.name + "_usersays_en.json")) {
      std::string text;
      std::string value;
      for (const auto& chunk : phrase["data"]) {
        text += chunk["text"].get<std::string>();
        if (chunk.contains("alias")) value = canonical.at(chunk["text"].get<std::string>());
      }
      tally(result, intent.name, text, value);
    }
  }
  result.report("Dialogflow phrases");
  CHECK(result.total > kMinSamples);
  CHECK(result.share() >= kMinAgreement);
  INFO("weakest: " << result.weakest().first);
  CHECK(result.weakest().second >= kMinIntentAgreement);
}
