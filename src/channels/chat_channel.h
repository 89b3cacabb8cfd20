#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include "channels/channel_outcome.h"
#include "channels/session_token.h"
#include "engine/engine_set.h"

namespace crampbot {

// Settings of the native chat API (the "chat" section of the configuration).
struct ChatSettings {
  std::string session_secret;  // shared by every replica; "" gives each process a random one
  std::chrono::seconds session_max_age{24 * 3600};
};

// POST /v1/chat: {"text": "...", "session": "<token>", "locale": "es-MX"} → the reply object plus
// "session", the sealed context to send back with the next turn. The conversation lives in the token, not
// in server memory, so two replicas serving alternate turns behave as one. The locale that answers is the
// request's "locale", else the one sealed in the token (a conversation keeps its language), else the
// browser's Accept-Language, else the default (EngineSet::for_locale); the token remembers it.
// The best of an Accept-Language header ("es-MX,es;q=0.9,en;q=0.8") among the languages `engines` has, as a
// tag ("es-MX"); "" when the header names none of them. Never throws.
std::string preferred_locale(std::string_view accept_language, const EngineSet& engines);

class ChatChannel {
 public:
  // `settings.session_secret` must not be empty (the caller picks a random one when none is configured).
  explicit ChatChannel(const ChatSettings& settings);

  // Answers one request. A missing or non-string "text", a "session" or "locale" that is not a string, or
  // an unusable utterance (empty, too long, control characters) → 400 with a JSON error; a forged, stale or
  // corrupted token → a fresh conversation with a new random id. A locale that is not a language tag is
  // ignored. Never throws.
  ChannelOutcome handle(const EngineSet& engines, std::string_view body,
                        std::chrono::system_clock::time_point now,
                        std::string_view accept_language = {}) const;

 private:
  SessionTokenSealer sealer_;
};

}  // namespace crampbot
