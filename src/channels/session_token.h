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
// {"c": context, "t": issued-at seconds}. It is signed, not encrypted: it holds only intent names and slot
// values, never the user's words.
class SessionTokenSealer {
 public:
  // `secret` must be at least 16 bytes (checked when the configuration is read); `max_age` bounds how long
  // a token is honoured.
  SessionTokenSealer(std::string secret, std::chrono::seconds max_age);

  // A token for the context written as JSON text (`context_json` must be one valid JSON value, as
  // context_json() or dump_json() writes it), issued at `now`.
  std::string seal(std::string_view context_json, std::chrono::system_clock::time_point now) const;

  // The context sealed in `token`, or nullopt when the token is malformed, its signature does not match,
  // it was issued more than max_age before `now` or more than a minute after it. Never throws.
  std::optional<nlohmann::json> open(std::string_view token, std::chrono::system_clock::time_point now) const;

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

}  // namespace crampbot
