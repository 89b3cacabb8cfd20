#pragma once

#include <string_view>

#include "channels/channel_outcome.h"
#include "engine/engine_set.h"

namespace crampbot {

// POST /dialogflow: a Dialogflow ES fulfillment webhook. The agent's matched intent is used when its display
// name is one of ours (as `crampbot export dialogflow` names them); otherwise our matcher runs on
// queryResult.queryText. The reply is fulfillmentText plus fulfillmentMessages (text and quick replies); the
// conversation context travels in the output context "<session>/contexts/crampbot".
class DialogflowEsChannel {
 public:
  // Answers one request. Missing "session" or "queryResult", or fields of the wrong type → 400 with a JSON
  // error naming the field. Never throws.
  ChannelOutcome handle(const EngineSet& engines, std::string_view body) const;
};

}  // namespace crampbot
