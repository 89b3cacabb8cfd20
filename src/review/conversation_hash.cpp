#include "review/conversation_hash.h"

#include <array>

#include <openssl/evp.h>
#include <openssl/hmac.h>

namespace crampbot::review {

namespace {

constexpr std::size_t kHashBytes = 8;

// HMAC-SHA256(key, message), or "" when OpenSSL fails.
std::string hmac_sha256(std::string_view key, std::string_view message) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int length = 0;
  if (!HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
            reinterpret_cast<const unsigned char*>(message.data()), message.size(), digest.data(), &length)) {
    return {};
  }
  return std::string(reinterpret_cast<const char*>(digest.data()), length);
}

}  // namespace

ConversationHasher::ConversationHasher(std::string key) : key_(std::move(key)) {}

std::string ConversationHasher::hash(std::string_view day, std::string_view conversation) const {
  const std::string salt = hmac_sha256(key_, "crampbot review salt " + std::string(day));
  if (salt.empty()) return {};
  const std::string digest = hmac_sha256(salt, conversation);
  if (digest.size() < kHashBytes) return {};
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(2 * kHashBytes);
  for (std::size_t i = 0; i < kHashBytes; ++i) {
    const auto byte = static_cast<unsigned char>(digest[i]);
    out += kHex[byte >> 4];
    out += kHex[byte & 0xF];
  }
  return out;
}

}  // namespace crampbot::review
