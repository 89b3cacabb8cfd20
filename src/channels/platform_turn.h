#pragma once

#include <map>
#include <string>
#include <string_view>

#include "engine/engine.h"

namespace crampbot {

// One turn as a platform with its own NLU delivers it (Dialogflow): the intent the platform picked, with
// the slot values as the platform spelled them, and the user's text.
struct PlatformTurn {
  std::string intent;                        // the platform's intent display name ("" when none)
  std::map<std::string, std::string> slots;  // slot name → raw value (canonical or a synonym)
  std::string text;                          // what the user said ("" when the platform sent none)
};

// Answers a platform turn: the platform's intent when it is one of ours (other than fallback, which our
// own matcher may still beat), its slot values mapped to canonical values through our synonyms (unknown
// ones dropped); otherwise our matcher on the text; a turn with neither gets the fallback reply.
// Never throws.
Reply answer_platform_turn(const Engine& engine, const PlatformTurn& turn, const DialogueContext& context);

// The parameter under which Dialogflow keeps our context for the next turn.
inline constexpr const char* kStoredContextParameter = "crampbot_context";

// The context stored in a platform's parameters object under kStoredContextParameter; a fresh context when
// `parameters` is not an object, holds none, or holds something unusable. Never throws.
DialogueContext context_from_parameters(const Engine& engine, const nlohmann::json& parameters);

// Reads a context that a platform stored for us as a JSON string (Dialogflow keeps parameters as protobuf
// Structs, which turn integers into doubles, so the context travels as text). Anything unusable gives a
// fresh context. Never throws.
DialogueContext context_from_text(const Engine& engine, std::string_view text);

}  // namespace crampbot
