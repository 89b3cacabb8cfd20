#pragma once

#include <chrono>
#include <cstddef>
#include <string_view>

#include "channels/channel_outcome.h"
#include "channels/sender_contexts.h"
#include "engine/engine_set.h"

namespace crampbot {

// Settings of the Rasa REST channel (the "rasa" section of the configuration).
struct RasaSettings {
  std::size_t max_senders = 10000;           // conversations remembered at once
  std::chrono::seconds sender_ttl{30 * 60};  // a conversation idle this long is forgotten
};

// POST /webhooks/rest/webhook, compatible with Rasa's REST channel that many chat widgets speak:
// {"sender": "ID", "message": "TEXT"} → [{"recipient_id": "ID", "text": "...", "buttons": [{"title",
// "payload"}]}]. The context is kept per sender in a bounded, expiring table.
class RasaChannel {
 public:
  explicit RasaChannel(const RasaSettings& settings);

  // Answers one request. A missing or non-string "sender" or "message", an empty sender, or an unusable
  // message → 400 with a JSON error. Never throws.
  ChannelOutcome handle(const EngineSet& engines, std::string_view body,
                        std::chrono::steady_clock::time_point now);

 private:
  SenderContexts contexts_;
};

}  // namespace crampbot
