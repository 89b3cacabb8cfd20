#pragma once

#include <optional>
#include <string>
#include <vector>

#include "engine/intent_catalog.h"

namespace crampbot::authoring {

// What one turn's reply looked like on a channel: what the platform would show and say, read back from the
// platform's own response, and what the reply meant (from the channel's record of it). A member a platform
// has no place for (Alexa shows no suggestions, Rasa speaks nothing) is nullopt there.
struct ObservedTurn {
  bool refused = false;  // the request was refused (a 400, or the engine's InputError)
  std::string refusal;   // why, as the platform or engine said it
  // Whether the channel can refuse words at all: voice platforms and Dialogflow always send something, and
  // an unusable utterance is answered (as fallback), never refused.
  bool can_refuse = true;

  std::string intent;
  SlotMap slots;
  bool urgent = false;
  std::vector<std::string> candidates;  // intents a clarifying question offers, best first
  std::vector<std::string> sources;     // the reply's sources by title
  std::vector<std::string> source_ids;  // and by id

  std::string shown;                  // the text shown (chat text, Alexa card, Dialogflow text)
  std::optional<std::string> ssml;    // the SSML spoken, on platforms that speak SSML
  std::optional<std::string> spoken;  // the words a listener hears
  std::optional<std::string> title;   // the card title
  std::optional<bool> end;            // whether the conversation ended
  std::optional<std::vector<std::string>> suggestions;  // quick replies offered

  std::vector<std::string> platform_problems;  // the platform's limits broken by this response
};

}  // namespace crampbot::authoring
