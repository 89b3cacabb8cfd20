#pragma once

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "engine/engine.h"
#include "export/sample_selection.h"

namespace crampbot::exporting {

// Bounds we keep to in the Alexa model. Alexa documents 1.5 MB for the whole model, 250 intents and 140
// characters per slot value or synonym; the sample bounds are ours, far inside what the console accepts.
inline constexpr std::size_t kAlexaMaxModelBytes = 1500 * 1000;
inline constexpr std::size_t kAlexaMaxIntents = 250;
inline constexpr std::size_t kAlexaMaxSlotValueChars = 140;
inline constexpr std::size_t kAlexaMaxSampleChars = 200;

struct AlexaModelOptions {
  SampleLimits samples{4, 80};
};

// The custom-skill interaction model for the Alexa console: {"interactionModel":{"languageModel":
// {"invocationName","intents","types"}}}. Each intent with templates becomes "<Pascal>Intent" with sample
// utterances that read as people speak (select_samples(): its examples, then sentence-like readings of its
// templates), unless an Amazon built-in stands for it (help, goodbye, more, repeat, fallback); the
// built-ins Help, Stop, Cancel, Fallback, NavigateHome, Repeat and More come with no samples of their own;
// the catch-all AskIntent carries the raw text in an AMAZON.SearchQuery slot behind the lexicon's
// carrier_phrases (in the catalog's language). Each
// slot list becomes a custom type (nutrient → NUTRIENT) whose value ids are our canonical values and whose
// names and synonyms are the list's phrases spelled for speech. Samples obey Alexa's rules: letters,
// spaces, apostrophes and hyphens inside words, numbers in words, declared slots each used once, unique
// across the model, no sample naming the invocation name (Alexa handles "open <name>" itself); numbers are
// said in the language's words (LanguageRules::spoken_numbers). Throws ExportError when the invocation name
// is unusable, the lexicon has no carrier phrases or an intent is left with no sample Alexa accepts;
// TemplateError when a template does not expand.
nlohmann::json alexa_interaction_model(const Engine& engine, std::string_view invocation_name,
                                       const AlexaModelOptions& options = {});

// The custom slot type for a slot list: "nutrient" → "NUTRIENT". Throws ExportError unless the list name
// is lower-case letters and underscores (all Alexa allows in a type name).
std::string alexa_slot_type(std::string_view list);

}  // namespace crampbot::exporting
