// channels/session_token.h: a sealed context opens only with the same secret, unchanged, within its age.
#include <catch2/catch.hpp>

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "channels/base64.h"
#include "channels/json_body.h"
#include "channels/session_token.h"

using namespace crampbot;
using namespace std::chrono_literals;

namespace {

const auto kNow = std::chrono::system_clock::time_point(std::chrono::seconds(1'800'000'000));
const nlohmann::json kContext = {
    {"turn", 2}, {"intent", "food_sources"}, {"slots", {{"nutrient", "calcium"}}}};

}  // namespace

TEST_CASE("a sealed context opens to the same context", "[session]") {
  const SessionTokenSealer sealer("0123456789abcdef-secret", 24h);
  const std::string token = sealer.seal(dump_json(kContext), kNow);
  CHECK(token.find("calcium") == std::string::npos);
  CHECK(token.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.") ==
        std::string::npos);
  CHECK(sealer.open(token, kNow) == std::optional<nlohmann::json>(kContext));
  CHECK(sealer.open(token, kNow + 23h) == std::optional<nlohmann::json>(kContext));
}

TEST_CASE("a token does not open when changed, foreign, stale or from the future", "[session]") {
  const SessionTokenSealer sealer("0123456789abcdef-secret", 24h);
  const SessionTokenSealer other("another-secret-of-16+ bytes", 24h);
  const std::string token = sealer.seal(dump_json(kContext), kNow);
  for (std::size_t i = 0; i < token.size(); ++i) {
    std::string changed = token;
    changed[i] = changed[i] == 'A' ? 'B' : 'A';
    INFO(i);
    CHECK_FALSE(sealer.open(changed, kNow).has_value());
  }
  CHECK_FALSE(other.open(token, kNow).has_value());
  CHECK_FALSE(sealer.open(token, kNow + 25h).has_value());
  CHECK_FALSE(sealer.open(sealer.seal(dump_json(kContext), kNow + 2h), kNow).has_value());
  CHECK(sealer.open(sealer.seal(dump_json(kContext), kNow + 30s), kNow)
            .has_value());  // small clock skew is fine
  for (const char* garbage : {"", ".", "abc", "abc.", ".abc", "a.b.c", "%%%.%%%"}) {
    CHECK_FALSE(sealer.open(garbage, kNow).has_value());
  }
  CHECK_FALSE(sealer.open(std::string(10000, 'A') + "." + std::string(43, 'A'), kNow).has_value());
}

TEST_CASE("random secrets are 32 bytes and differ", "[session]") {
  const std::string a = random_session_secret();
  const std::string b = random_session_secret();
  CHECK(a.size() == 32);
  CHECK(a != b);
}

TEST_CASE("the signature is HMAC-SHA256 of the payload under the secret", "[session]") {
  const std::string secret = "a-known-secret-of-32-characters!";
  const SessionTokenSealer sealer(secret, std::chrono::hours(1));
  const auto now = std::chrono::system_clock::now();
  const std::string token = sealer.seal(dump_json({{"intent", "banana"}}), now);
  const auto dot = token.find('.');
  REQUIRE(dot != std::string::npos);
  const std::string payload = token.substr(0, dot);
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
       reinterpret_cast<const unsigned char*>(payload.data()), payload.size(), digest, &length);
  const std::string expected(reinterpret_cast<const char*>(digest), length);
  CHECK(token.substr(dot + 1) == encode_base64(expected, Base64Alphabet::url));
  // Many tokens from one sealer, each signed on its own (the keyed state is copied, never consumed).
  for (int i = 0; i < 3; ++i)
    CHECK(sealer.open(sealer.seal(dump_json({{"turn", i}}), now), now).has_value());
}

TEST_CASE("a token carries its conversation id and issue time; tokens without one still open", "[session]") {
  const SessionTokenSealer sealer("0123456789abcdef-secret", 24h);
  const std::string id = random_conversation_id();
  CHECK(id.size() == 22);
  CHECK(id != random_conversation_id());
  CHECK(id.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") ==
        std::string::npos);

  const auto opened = sealer.open_session(sealer.seal(dump_json(kContext), kNow, id), kNow + 1h);
  REQUIRE(opened.has_value());
  CHECK(opened->context == kContext);
  CHECK(opened->conversation == id);
  CHECK(opened->issued == kNow);

  // Tokens sealed before conversation ids existed open with none.
  const auto old = sealer.open_session(sealer.seal(dump_json(kContext), kNow), kNow);
  REQUIRE(old.has_value());
  CHECK(old->conversation.empty());
  CHECK(sealer.open(sealer.seal(dump_json(kContext), kNow, id), kNow) ==
        std::optional<nlohmann::json>(kContext));
}
