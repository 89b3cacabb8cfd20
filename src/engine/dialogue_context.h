#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "engine/intent_catalog.h"

namespace crampbot {

// What the next turn needs to know about the conversation so far. It travels with the request (the caller
// hands back what the last reply returned), so the engine itself keeps no state between turns.
struct DialogueContext {
  int turn = 0;        // turns answered so far; picks variants deterministically
  std::string intent;  // the intent of the last reply ("" at the start)
  SlotMap slots;       // its slot values
  int variant = 0;     // which of its variants was said
  bool more = false;   // whether the last reply was the "tell me more" part
  SlotMap memory;      // the latest value of each slot mentioned, carried into later turns

  bool operator==(const DialogueContext&) const = default;
};

nlohmann::json to_json(const DialogueContext& context);

// Reads a context from untrusted JSON against the catalog. Anything malformed (wrong types, an unknown
// intent, a slot value that is not canonical, out-of-range numbers) gives a fresh context and sets
// `*valid` to false; never throws.
DialogueContext context_from_json(const nlohmann::json& json, const IntentCatalog& catalog, bool* valid);

}  // namespace crampbot
