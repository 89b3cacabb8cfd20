#pragma once

#include <string_view>

#include "channels/channel_outcome.h"
#include "engine/engine_set.h"

namespace crampbot {

// POST /dialogflow-cx: a Dialogflow CX (Conversational Agents) webhook. The intent is the webhook tag
// (fulfillmentInfo.tag) when it names one of ours, else the matched intent's display name, else our matcher
// on the text or transcript. The reply is a text message (plus suggestion chips for Dialogflow Messenger);
// the context travels in sessionInfo.parameters.crampbot_context.
class DialogflowCxChannel {
 public:
  // Answers one request. Fields of the wrong type → 400 with a JSON error naming the field. Never throws.
  ChannelOutcome handle(const EngineSet& engines, std::string_view body) const;
};

}  // namespace crampbot
