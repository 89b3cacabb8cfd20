#include "channels/session_token.h"

#include <array>
#include <stdexcept>

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/params.h>
#include <openssl/rand.h>

#include "channels/base64.h"
#include "channels/json_body.h"
#include "channels/json_writer.h"

namespace crampbot {

namespace {

constexpr std::size_t kMaxTokenBytes = 8192;
constexpr std::size_t kMaxConversationBytes = 64;
constexpr std::size_t kMaxLocaleBytes = 35;  // as parse_locale accepts them
constexpr auto kClockSkew = std::chrono::seconds(60);

}  // namespace

std::string random_session_secret() {
  std::array<unsigned char, 32> bytes{};
  if (RAND_bytes(bytes.data(), static_cast<int>(bytes.size())) != 1) {
    throw std::runtime_error("cannot read random bytes for the session secret");
  }
  return std::string(reinterpret_cast<const char*>(bytes.data()), bytes.size());
}

std::string random_conversation_id() {
  std::array<unsigned char, 16> bytes{};
  if (RAND_bytes(bytes.data(), static_cast<int>(bytes.size())) != 1) {
    throw std::runtime_error("cannot read random bytes for a conversation id");
  }
  return encode_base64(std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size()),
                       Base64Alphabet::url);
}

SessionTokenSealer::SessionTokenSealer(std::string secret, std::chrono::seconds max_age)
    : secret_(std::move(secret)), max_age_(max_age) {
  EVP_MAC* hmac = EVP_MAC_fetch(nullptr, "HMAC", nullptr);
  if (!hmac) throw std::runtime_error("OpenSSL has no HMAC");
  EVP_MAC_CTX* context = EVP_MAC_CTX_new(hmac);
  EVP_MAC_free(hmac);  // the context keeps its own reference
  if (!context) throw std::runtime_error("cannot create an HMAC context");
  keyed_ = std::shared_ptr<const EVP_MAC_CTX>(
      context, [](const EVP_MAC_CTX* c) { EVP_MAC_CTX_free(const_cast<EVP_MAC_CTX*>(c)); });
  char digest_name[] = "SHA256";
  const OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string("digest", digest_name, 0), OSSL_PARAM_END};
  if (EVP_MAC_init(context, reinterpret_cast<const unsigned char*>(secret_.data()), secret_.size(), params) !=
      1) {
    throw std::runtime_error("cannot key HMAC-SHA256 with the session secret");
  }
}

std::string SessionTokenSealer::mac(std::string_view payload) const {
  std::unique_ptr<EVP_MAC_CTX, decltype(&EVP_MAC_CTX_free)> context(EVP_MAC_CTX_dup(keyed_.get()),
                                                                    &EVP_MAC_CTX_free);
  if (!context) return {};
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  std::size_t length = 0;
  if (EVP_MAC_update(context.get(), reinterpret_cast<const unsigned char*>(payload.data()), payload.size()) !=
          1 ||
      EVP_MAC_final(context.get(), digest.data(), &length, digest.size()) != 1) {
    return {};
  }
  return std::string(reinterpret_cast<const char*>(digest.data()), length);
}

std::string SessionTokenSealer::seal(std::string_view context_json, std::chrono::system_clock::time_point now,
                                     std::string_view conversation, std::string_view locale) const {
  const auto issued = std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count();
  // {"c":CONTEXT,"l":LOCALE,"t":ISSUED,"v":CONVERSATION}, as dump_json writes that object.
  std::string payload_json;
  payload_json.reserve(context_json.size() + conversation.size() + locale.size() + 48);
  JsonWriter writer(payload_json);
  writer.begin_object().key("c").raw(context_json);
  if (!locale.empty()) writer.key("l").string(locale);
  writer.key("t").integer(issued);
  if (!conversation.empty()) writer.key("v").string(conversation);
  writer.end_object();
  std::string token = encode_base64(payload_json, Base64Alphabet::url);
  const std::string signature = mac(token);
  token += '.';
  token += encode_base64(signature, Base64Alphabet::url);
  return token;
}

std::optional<nlohmann::json> SessionTokenSealer::open(std::string_view token,
                                                       std::chrono::system_clock::time_point now) const {
  auto opened = open_session(token, now);
  if (!opened) return std::nullopt;
  return std::move(opened->context);
}

std::optional<OpenedSession> SessionTokenSealer::open_session(
    std::string_view token, std::chrono::system_clock::time_point now) const {
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
  OpenedSession out{*context, {}, {}, issued_at};
  if (const auto locale = parsed.json.find("l"); locale != parsed.json.end()) {
    if (!locale->is_string() || locale->get_ref<const std::string&>().size() > kMaxLocaleBytes)
      return std::nullopt;
    out.locale = locale->get<std::string>();
  }
  if (const auto conversation = parsed.json.find("v"); conversation != parsed.json.end()) {
    if (!conversation->is_string() ||
        conversation->get_ref<const std::string&>().size() > kMaxConversationBytes)
      return std::nullopt;
    out.conversation = conversation->get<std::string>();
  }
  return out;
}

}  // namespace crampbot
