// channels/base64.h: both alphabets, round trips, and strict refusal of anything else.
#include <catch2/catch.hpp>

#include "channels/base64.h"

using namespace crampbot;

TEST_CASE("base64 encodes the RFC 4648 test vectors", "[base64]") {
  const std::pair<const char*, const char*> vectors[] = {{"", ""},
                                                         {"f", "Zg=="},
                                                         {"fo", "Zm8="},
                                                         {"foo", "Zm9v"},
                                                         {"foob", "Zm9vYg=="},
                                                         {"fooba", "Zm9vYmE="},
                                                         {"foobar", "Zm9vYmFy"}};
  for (const auto& [plain, encoded] : vectors) {
    CHECK(encode_base64(plain) == encoded);
    CHECK(decode_base64(encoded) == std::optional<std::string>(plain));
  }
}

TEST_CASE("base64: the URL alphabet has no padding and uses - and _", "[base64]") {
  const std::string bytes = "\xfb\xff\xfe";
  CHECK(encode_base64(bytes) == "+//+");
  CHECK(encode_base64(bytes, Base64Alphabet::url) == "-__-");
  CHECK(encode_base64("f", Base64Alphabet::url) == "Zg");
  CHECK(decode_base64("-__-", Base64Alphabet::url) == std::optional<std::string>(bytes));
  CHECK_FALSE(decode_base64("+//+", Base64Alphabet::url).has_value());
  CHECK_FALSE(decode_base64("-__-").has_value());
  CHECK_FALSE(decode_base64("Zg==", Base64Alphabet::url).has_value());
}

TEST_CASE("base64: standard input may leave out its padding", "[base64]") {
  CHECK(decode_base64("aGVsbG8") == std::optional<std::string>("hello"));
  CHECK(decode_base64("aGVsbG8=") == std::optional<std::string>("hello"));
}

TEST_CASE("base64: anything else is refused", "[base64]") {
  for (const char* text : {"a", "aGVs bG8=", "aGV=sbG8", "not base64!", "====", "Zh==", "aGVsbG8\n"}) {
    INFO(text);
    CHECK_FALSE(decode_base64(text).has_value());
  }
  // Every random byte string round-trips in both alphabets.
  std::string bytes;
  for (int i = 0; i < 300; ++i) {
    bytes += static_cast<char>((i * 7919) & 0xFF);
    CHECK(decode_base64(encode_base64(bytes)) == std::optional<std::string>(bytes));
    CHECK(decode_base64(encode_base64(bytes, Base64Alphabet::url), Base64Alphabet::url) ==
          std::optional<std::string>(bytes));
  }
}
