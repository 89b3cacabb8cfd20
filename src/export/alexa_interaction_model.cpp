#include "export/alexa_interaction_model.h"

#include <algorithm>
#include <array>
#include <set>

#include "channels/alexa/alexa_names.h"
#include "export/export_error.h"
#include "export/speech_text.h"

namespace crampbot::exporting {

namespace {

constexpr std::array<const char*, 7> kBuiltinIntents = {
    "AMAZON.HelpIntent",         "AMAZON.StopIntent",   "AMAZON.CancelIntent", "AMAZON.FallbackIntent",
    "AMAZON.NavigateHomeIntent", "AMAZON.RepeatIntent", "AMAZON.MoreIntent"};

// Words Alexa does not allow in an invocation name: wake words and launch words that would confuse it.
constexpr std::array<std::string_view, 6> kForbiddenInvocationWords = {"alexa",    "amazon", "echo",
                                                                       "computer", "skill",  "app"};

bool is_lower_name(std::string_view name) {
  return !name.empty() &&
         std::all_of(name.begin(), name.end(), [](char c) { return (c >= 'a' && c <= 'z') || c == '_'; });
}

bool is_alexa_intent_name(std::string_view name) {
  return !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
  });
}

void check_invocation_name(std::string_view name) {
  const auto fail = [name](const std::string& why) {
    throw ExportError("invocation name \"" + std::string(name) + "\": " + why);
  };
  if (name.empty()) fail("is empty");
  const bool allowed = std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || c == ' ' || c == '\'' || c == '.';
  });
  if (!allowed) fail("use lower-case letters, spaces, apostrophes and periods only");
  if (name.front() == ' ' || name.back() == ' ' || name.find("  ") != std::string_view::npos) {
    fail("separate words with single spaces");
  }
  for (const auto& word : split_words(name)) {
    for (const auto forbidden : kForbiddenInvocationWords) {
      if (word == forbidden) fail("Alexa does not allow the word \"" + std::string(forbidden) + "\"");
    }
  }
}

// Whether `phrase` occurs in `text` as whole words.
bool contains_words(std::string_view text, std::string_view phrase) {
  const std::string padded_text = " " + std::string(text) + " ";
  const std::string padded_phrase = " " + std::string(phrase) + " ";
  return padded_text.find(padded_phrase) != std::string::npos;
}

std::string render_sample(const ExpandedSentence& sentence, const LanguageRules& language) {
  std::string out;
  for (const auto& part : sentence.parts) {
    const std::string piece = part.slot ? "{" + part.text + "}" : spell_for_speech(part.text, language);
    if (piece.empty()) continue;
    if (!out.empty()) out += ' ';
    out += piece;
  }
  return out;
}

bool slots_used_once(const ExpandedSentence& sentence) {
  auto slots = sentence.slots();
  std::sort(slots.begin(), slots.end());
  return std::adjacent_find(slots.begin(), slots.end()) == slots.end();
}

nlohmann::json slot_type(const Lexicon& lexicon, const std::string& list) {
  nlohmann::json values = nlohmann::json::array();
  std::set<std::string> used;  // Alexa maps each spoken form to one value only
  for (const auto& value : lexicon.lists.at(list)) {
    std::vector<std::string> spoken;
    for (const auto& phrase : value.phrases) {
      std::string form = spell_for_speech(phrase, lexicon.language);
      if (form.empty() || form.size() > kAlexaMaxSlotValueChars || !used.insert(form).second) continue;
      spoken.push_back(std::move(form));
    }
    if (spoken.empty()) {
      throw ExportError("list \"" + list + "\" value \"" + value.canonical +
                        "\": no phrase left that Alexa accepts as a slot value");
    }
    nlohmann::json name = {{"value", spoken.front()}};
    if (spoken.size() > 1) name["synonyms"] = std::vector<std::string>(spoken.begin() + 1, spoken.end());
    values.push_back({{"id", value.canonical}, {"name", std::move(name)}});
  }
  return {{"name", alexa_slot_type(list)}, {"values", std::move(values)}};
}

}  // namespace

std::string alexa_slot_type(std::string_view list) {
  if (!is_lower_name(list)) {
    throw ExportError("slot list \"" + std::string(list) +
                      "\": Alexa type names take letters and underscores only");
  }
  std::string out(list);
  for (char& c : out)
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  return out;
}

nlohmann::json alexa_interaction_model(const Engine& engine, std::string_view invocation_name,
                                       const AlexaModelOptions& options) {
  check_invocation_name(invocation_name);
  const IntentCatalog& catalog = engine.intents();
  std::vector<std::string> exported;
  for (const auto& intent : catalog.intents) {
    if (!intent.templates.empty() && !alexa::covered_by_builtin(intent.name)) exported.push_back(intent.name);
  }
  const LanguageRules& language = catalog.lexicon.language;
  // A digit left in a sample is a number the language has no word for: Alexa wants numbers in words.
  const auto accept = [invocation_name, &language](const ExpandedSentence& sentence) {
    const std::string sample = render_sample(sentence, language);
    return !sample.empty() && sample.size() <= kAlexaMaxSampleChars && slots_used_once(sentence) &&
           !contains_words(sample, invocation_name) &&
           sample.find_first_of("0123456789") == std::string::npos;
  };
  const auto samples = select_samples(engine, exported, options.samples, accept);

  nlohmann::json intents = nlohmann::json::array();
  std::set<std::string> lists;
  std::set<std::string> taken;  // every sample in the model: Alexa refuses one in two intents
  for (const auto& name : exported) {
    const IntentDefinition& intent = *catalog.find(name);
    const std::string alexa_name = alexa::alexa_intent_name(name);
    if (!is_alexa_intent_name(alexa_name)) {
      throw ExportError(intent.file.string() + ": intent \"" + name +
                        "\": Alexa intent names take letters and underscores only");
    }
    nlohmann::json slots = nlohmann::json::array();
    for (const auto& [slot, list] : intent.slots) {
      if (!is_lower_name(slot)) {
        throw ExportError(intent.file.string() + ": slot \"" + slot +
                          "\": Alexa slot names take letters and underscores only");
      }
      slots.push_back({{"name", slot}, {"type", alexa_slot_type(list)}});
      lists.insert(list);
    }
    std::vector<std::string> texts;
    for (const auto& chosen : samples.at(name)) {
      std::string sample = render_sample(chosen.sentence, language);
      if (taken.insert(sample).second) texts.push_back(std::move(sample));
    }
    if (texts.empty()) {
      throw ExportError(intent.file.string() + ": intent \"" + name +
                        "\" has no sample utterance that Alexa accepts");
    }
    nlohmann::json entry = {{"name", alexa_name}};
    if (!slots.empty()) entry["slots"] = std::move(slots);
    entry["samples"] = std::move(texts);
    intents.push_back(std::move(entry));
  }

  std::vector<std::string> carriers;
  for (const auto& carrier : catalog.lexicon.carrier_phrases) {
    const std::string words = spell_for_speech(carrier, language);
    if (words.empty()) continue;
    std::string sample = words + " {" + alexa::kCatchAllSlot + "}";
    if (taken.insert(sample).second) carriers.push_back(std::move(sample));
  }
  if (carriers.empty()) {
    throw ExportError("the lexicon has no \"carrier_phrases\" for the catch-all " +
                      std::string(alexa::kCatchAllIntent) +
                      " (Alexa refuses a sample that is only its slot)");
  }
  intents.push_back({{"name", alexa::kCatchAllIntent},
                     {"slots", {{{"name", alexa::kCatchAllSlot}, {"type", "AMAZON.SearchQuery"}}}},
                     {"samples", std::move(carriers)}});
  for (const auto* builtin : kBuiltinIntents)
    intents.push_back({{"name", builtin}, {"samples", nlohmann::json::array()}});
  if (intents.size() > kAlexaMaxIntents) {
    throw ExportError("the model has " + std::to_string(intents.size()) + " intents; Alexa allows " +
                      std::to_string(kAlexaMaxIntents));
  }

  nlohmann::json types = nlohmann::json::array();
  for (const auto& list : lists)
    types.push_back(slot_type(catalog.lexicon, list));

  nlohmann::json model = {{"interactionModel",
                           {{"languageModel",
                             {{"invocationName", std::string(invocation_name)},
                              {"intents", std::move(intents)},
                              {"types", std::move(types)}}}}}};
  if (const std::size_t bytes = model.dump().size(); bytes > kAlexaMaxModelBytes) {
    throw ExportError("the model is " + std::to_string(bytes) + " bytes; Alexa allows " +
                      std::to_string(kAlexaMaxModelBytes));
  }
  return model;
}

}  // namespace crampbot::exporting
