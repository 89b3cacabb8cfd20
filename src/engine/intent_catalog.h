#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "engine/lexicon.h"

namespace crampbot {

using SlotMap = std::map<std::string, std::string>;  // slot name → canonical value

// Slots as a person reads them in messages and diffs: "{nutrient: magnesium}", "{}" for none.
std::string describe_slots(const SlotMap& slots);

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
  // Whole-utterance templates that rule this intent out ("can low b12 cause numbness" only asks about
  // numbness): when one matches, the intent is not a candidate. For an override intent they may not use
  // `*`, so that any extra words (which may describe a symptom) keep the override.
  std::vector<std::string> exceptions;
  bool spot = false;
  bool overrides = false;
  // A warning nobody may miss (quinine): when one of its templates matches, it wins over every intent but
  // the override, whatever else the utterance asks ("what foods contain quinine").
  bool safety_warning = false;
  bool urgent = false;
  bool ends_conversation = false;
  bool full_disclaimer = false;  // replies carry the full disclaimer instead of the topic caveat
  // A greeting, thanks, help: the turn after it is not "on topic" for the scope rules.
  bool conversational = false;
  // Intents this one is a narrower case of (night_cramps of causes): in a near tie with one of them, this
  // one wins instead of a clarifying question.
  std::vector<std::string> refines;
  ContextAction context_action = ContextAction::none;
  std::string follow_up_default;  // for ContextAction::follow_up without a usable previous intent
  // Answered as this intent instead (an explicit out-of-scope intent → fallback). When the helper has its own
  // file in responses/, its replies are used under that intent's name (quinine → a supplements reply that
  // warns); otherwise the other intent's replies are.
  std::string answer_as;
};

// The intent name a reply reports: the answer_as target of a helper intent, else the intent itself.
inline const std::string& public_name(const IntentDefinition& intent) {
  return intent.answer_as.empty() ? intent.name : intent.answer_as;
}

// The name every catalog answers with when nothing matches well enough.
inline constexpr const char* kFallbackIntent = "fallback";
// The name of the clarifying question a catalog may answer with when two of its intents tie (when it has
// intents/clarify.json and responses/clarify.json; otherwise a tie gets the fallback).
inline constexpr const char* kClarifyIntent = "clarify";

// Everything in intents/: the lexicon and every intent, sorted by name.
struct IntentCatalog {
  Lexicon lexicon;
  std::filesystem::path lexicon_file;  // intents/_lexicon.json, for messages about its rules
  std::vector<IntentDefinition> intents;
  // The red-flag and scope rules (intents/_red_flags.json, intents/_scope.json); empty when the catalog has
  // none. The matcher compiles them with the normaliser.
  std::filesystem::path red_flags_file;
  std::filesystem::path scope_file;

  // Loads `dir`/_lexicon.json, notes `dir`/_red_flags.json and _scope.json, and every `dir`/*.json not
  // starting with _ as one intent. Throws CatalogError naming the
  // file and field on any problem (unknown field, wrong type, duplicate intent, a slot with no list, a
  // follow_up without a valid default, an intent other than fallback and clarify without templates).
  static IntentCatalog load(const std::filesystem::path& dir);

  // The intent with this name, or nullptr.
  const IntentDefinition* find(const std::string& name) const;
  // The one intent with "override" (red flags answer as it), or nullptr when none or several have it.
  const IntentDefinition* override_intent() const;
};

}  // namespace crampbot
