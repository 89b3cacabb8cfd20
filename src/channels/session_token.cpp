#include "channels/session_token.h"

#include <array>
#include <stdexcept>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include "channels/base64.h"
#include "channels/json_body.h"

namespace crampbot {

namespace {

constexpr std::size_t kMaxTokenBytes = 8192;
constexpr auto kClockSkew = std::chrono::seconds(60);

}  // namespace

std::string random_session_secret() {
  std::array<unsigned char, 32> bytes{};
  if (RAND_bytes(bytes.data(), static_cast<int>(bytes.size())) != 1) {
    throw std::runtime_error("cannot read random bytes for the session secret");
  }
  return std::string(reinterpret_cast<const char*>(bytes.data()), bytes.size());
}

SessionTokenSealer::SessionTokenSealer(std::string secret, std::chrono::seconds max_age)
    : secret_(std::move(secret)), max_age_(max_age) {}

std::string SessionTokenSealer::mac(std::string_view payload) const {
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int length = 0;
  const unsigned char* result =
      HMAC(EVP_sha256(), secret_.data(), static_cast<int>(secret_.size()),
           reinterpret_cast<const unsigned char*>(payload.data()), payload.size(), digest.data(), &length);
  if (!result) return {};
  return std::string(reinterpret_cast<const char*>(digest.data()), length);
}

std::string SessionTokenSealer::seal(const nlohmann::json& context,
                                     std::chrono::system_clock::time_point now) const {
  const auto issued = std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count();
  const std::string payload = encode_base64(dump_json({{"c", context}, {"t", issued}}), Base64Alphabet::url);
  return payload + "." + encode_base64(mac(payload), Base64Alphabet::url);
}

std::optional<nlohmann::json> SessionTokenSealer::open(std::string_view token,
                                                       std::chrono::system_clock::time_point now) const {
  if (token.empty() || token.size() > kMaxTokenBytes) return std::nullopt;
  const auto dot = token.find('.');
  if (dot == std::string_view::npos) return std::nullopt;
  const std::string_view payload = token.substr(0, dot);
  const auto signature = decode_base64(token.substr(dot + 1), Base64Alphabet::url);
  const std::string expected = mac(payload);
  if (!signature || expected.empty() || signature->size() != expected.size() ||
      CRYPTO_memcmp(signature->data(), expected.data(), expected.size()) != 0) {
    return std::nullopt;
  }
  const auto decoded = decode_base64(payload, Base64Alphabet::url);
  if (!decoded) return std::nullopt;
  const ParsedBody parsed = parse_json_body(*decoded);
  if (!parsed.ok() || !parsed.json.is_object()) return std::nullopt;
  const auto issued = parsed.json.find("t");
  const auto context = parsed.json.find("c");
  if (issued == parsed.json.end() || !issued->is_number_integer() || context == parsed.json.end()) {
    return std::nullopt;
  }
  const auto issued_at =
      std::chrono::system_clock::time_point(std::chrono::seconds(issued->get<long long>()));
  if (issued_at > now + kClockSkew || now - issued_at > max_age_) return std::nullopt;
  return *context;
}

}  // namespace crampbot
