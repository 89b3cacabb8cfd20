#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "engine/lexicon.h"

namespace crampbot {

using SlotMap = std::map<std::string, std::string>;  // slot name → canonical value

// What an intent does with the conversation context, beyond answering.
enum class ContextAction {
  none,
  follow_up,  // keep the previous intent with the new slot values ("and b12?")
  more,       // tell more about the previous reply
  repeat,     // say the previous reply again
};

// A labelled utterance that must resolve to `intent` with exactly `slots` (in a fresh conversation).
struct IntentExample {
  std::string text;
  std::string intent;
  SlotMap slots;
};

// One intent as authored in intents/<name>.json.
struct IntentDefinition {
  std::string name;
  std::filesystem::path file;
  std::map<std::string, std::string> slots;  // slot name → lexicon list
  std::vector<std::string> templates;
  std::vector<IntentExample> examples;
  std::vector<std::string> negatives;
  bool spot = false;
  bool overrides = false;
  bool urgent = false;
  bool ends_conversation = false;
  bool full_disclaimer = false;  // replies carry the full disclaimer instead of the topic caveat
  ContextAction context_action = ContextAction::none;
  std::string follow_up_default;  // for ContextAction::follow_up without a usable previous intent
  std::string answer_as;  // answered as this intent instead (an explicit out-of-scope intent → fallback)
};

// The name every catalog answers with when nothing matches well enough.
inline constexpr const char* kFallbackIntent = "fallback";

// Everything in intents/: the lexicon and every intent, sorted by name.
struct IntentCatalog {
  Lexicon lexicon;
  std::vector<IntentDefinition> intents;

  // Loads `dir`/_lexicon.json and every other `dir`/*.json as one intent. Throws CatalogError naming the
  // file and field on any problem (unknown field, wrong type, duplicate intent, a slot with no list, a
  // follow_up without a valid default, an intent other than fallback without templates).
  static IntentCatalog load(const std::filesystem::path& dir);

  // The intent with this name, or nullptr.
  const IntentDefinition* find(const std::string& name) const;
};

}  // namespace crampbot
