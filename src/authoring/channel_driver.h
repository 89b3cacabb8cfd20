#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "authoring/observed_turn.h"
#include "engine/engine_set.h"

namespace crampbot::authoring {

// One conversation on one channel, in-process: each turn goes through the channel's own request parsing and
// reply rendering (as its platform would send and read it), and the channel's own state (session token,
// session attributes, output contexts, sender id) is carried to the next turn. The "engine" channel calls the
// engine directly. Not thread-safe; one driver per conversation.
class ChannelDriver {
 public:
  virtual ~ChannelDriver() = default;

  // The user's words, as the platform sends them (Alexa: its catch-all intent's raw query; Dialogflow: the
  // query text of the agent's fallback intent).
  virtual ObservedTurn say(const std::string& text) = 0;

  // Whether the platform has an NLU of its own that can pick an intent (send_intent answers). A channel
  // without one (chat, Rasa) keeps the defaults.
  virtual bool can_send_intents() const { return false; }

  // An intent the platform's own NLU picked, with slot values as the platform spells them; nullopt on a
  // channel with no NLU of its own to send it.
  virtual std::optional<ObservedTurn> send_intent(const std::string& /*intent*/,
                                                  const std::map<std::string, std::string>& /*slots*/) {
    return std::nullopt;
  }
};

// A driver for `channel` (one of known_channel_names()) starting a fresh conversation on `engines`, which
// must outlive it, sending `locale` as its platform does ("": the default locale's). nullptr for an unknown
// channel name.
std::unique_ptr<ChannelDriver> make_channel_driver(std::string_view channel, const EngineSet& engines,
                                                   std::string locale = {});

}  // namespace crampbot::authoring
