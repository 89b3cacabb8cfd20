#pragma once

#include <string>
#include <string_view>

namespace crampbot::review {

// Turns a platform's conversation id into what the review store keeps: a hash that tells the day's
// conversations apart without naming any. The salt of each day is HMAC-SHA256(key, "crampbot review salt "
// + day), so every replica given the same key (the shared chat.session_secret) hashes one conversation
// alike and two replicas' files can be combined; and the same conversation on two days gives unrelated
// hashes, so records cannot be strung together across days.
class ConversationHasher {
 public:
  // `key` is secret and at least 16 bytes (checked where it is configured).
  explicit ConversationHasher(std::string key);

  // The first 8 bytes of HMAC-SHA256(day's salt, conversation), as 16 lower-case hex digits; "" when
  // OpenSSL fails (the caller then keeps nothing). Thread-safe; never throws.
  std::string hash(std::string_view day, std::string_view conversation) const;

 private:
  std::string key_;
};

}  // namespace crampbot::review
