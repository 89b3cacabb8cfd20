#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

struct evp_mac_ctx_st;

namespace crampbot {

// Seals a conversation context into an opaque token that the chat client hands back with the next turn, so
// the context lives in the request and any replica can serve any turn. The token is
// base64url(payload) "." base64url(HMAC-SHA256(secret, payload)); the payload is
// {"c": context, "t": issued-at seconds, "v": conversation id}. It is signed, not encrypted: it holds only
// intent names, slot values and a random conversation id, never the user's words.
//
// The conversation id is made at random when a conversation starts (a request without a usable token) and
// sealed again into every later token, so that what counts conversations (the review of misunderstood
// questions, one feedback vote per turn) can tell them apart without any state on the server.
struct OpenedSession {
  nlohmann::json context;
  std::string conversation;  // "" in a token sealed without one (before conversation ids existed)
  std::string locale;        // the locale the conversation is held in; "" when none was sealed
  std::chrono::system_clock::time_point issued;
};

class SessionTokenSealer {
 public:
  // `secret` must be at least 16 bytes (checked when the configuration is read); `max_age` bounds how long
  // a token is honoured.
  SessionTokenSealer(std::string secret, std::chrono::seconds max_age);

  // A token for the context written as JSON text (`context_json` must be one valid JSON value, as
  // context_json() or dump_json() writes it), issued at `now`, naming `conversation` ("": none; otherwise
  // as random_conversation_id() makes them: URL-safe characters only) and the conversation's `locale` (""
  // for none; a language tag, at most 35 bytes).
  std::string seal(std::string_view context_json, std::chrono::system_clock::time_point now,
                   std::string_view conversation = {}, std::string_view locale = {}) const;

  // What `token` holds, or nullopt when the token is malformed, its signature does not match, it was issued
  // more than max_age before `now` or more than a minute after it. Never throws.
  std::optional<OpenedSession> open_session(std::string_view token,
                                            std::chrono::system_clock::time_point now) const;

  // The context alone (open_session().context).
  std::optional<nlohmann::json> open(std::string_view token, std::chrono::system_clock::time_point now) const;

  std::chrono::seconds max_age() const { return max_age_; }

 private:
  std::string mac(std::string_view payload) const;

  std::string secret_;
  std::chrono::seconds max_age_;
  // HMAC-SHA256 already keyed with the secret, copied for each token: fetching the algorithm and keying it
  // anew cost more than the rest of sealing. Read-only after construction (shared by copies).
  std::shared_ptr<const evp_mac_ctx_st> keyed_;
};

// A fresh random secret (32 bytes from the OS's CSPRNG), for a single process without a configured secret.
std::string random_session_secret();

// A fresh conversation id: 16 random bytes from the OS's CSPRNG in base64url (22 characters). Throws
// std::runtime_error only when the CSPRNG fails.
std::string random_conversation_id();

}  // namespace crampbot
