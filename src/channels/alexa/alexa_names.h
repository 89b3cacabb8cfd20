#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace crampbot::alexa {

// The Alexa name of one of our intents: "nutrient_role" → "NutrientRoleIntent".
std::string alexa_intent_name(std::string_view intent);

// Our intent for an Alexa intent name: our own "NutrientRoleIntent" → "nutrient_role", or the built-ins
// (AMAZON.HelpIntent → help, AMAZON.StopIntent and AMAZON.CancelIntent → goodbye, AMAZON.FallbackIntent →
// fallback, AMAZON.RepeatIntent → repeat, AMAZON.MoreIntent → more, AMAZON.NavigateHomeIntent → welcome).
// nullopt for anything else, including a name that is not of the form "<Pascal>Intent".
std::optional<std::string> intent_from_alexa_name(std::string_view alexa_name);

// The intent name Alexa sends when a user asks for one of our intents: the built-in that stands for it
// (help → AMAZON.HelpIntent, goodbye → AMAZON.StopIntent, fallback, repeat, more), else alexa_intent_name.
std::string alexa_request_name(std::string_view intent);

// Our intents that Alexa's built-in intents stand for; the interaction model does not repeat them as custom
// intents, so their sample utterances do not clash with the built-ins.
bool covered_by_builtin(std::string_view intent);

// The catch-all intent whose AMAZON.SearchQuery slot carries the raw utterance to our own matcher.
inline constexpr const char* kCatchAllIntent = "AskIntent";
inline constexpr const char* kCatchAllSlot = "query";

// The custom slot type of the nutrient slot; its value ids are our canonical values ("vitamin_b12").
inline constexpr const char* kNutrientSlotType = "NUTRIENT";

}  // namespace crampbot::alexa
