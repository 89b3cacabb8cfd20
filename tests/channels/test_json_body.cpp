// channels/json_body.h: untrusted bodies parse to values or to a message, never an exception.
#include <catch2/catch.hpp>

#include <cmath>
#include <limits>
#include <vector>

#include "channels/json_body.h"

using namespace crampbot;
using namespace std::string_literals;

TEST_CASE("valid JSON parses", "[json]") {
  const ParsedBody parsed = parse_json_body(R"({"text": "hi", "n": [1, 2, {"x": null}]})");
  REQUIRE(parsed.ok());
  CHECK(parsed.json["text"] == "hi");
}

TEST_CASE("bad JSON, invalid UTF-8 and deep nesting are refused with a message", "[json]") {
  const ParsedBody truncated = parse_json_body("{\"text\": ");
  CHECK_FALSE(truncated.ok());
  CHECK(truncated.error.find("invalid JSON") == 0);
  CHECK(truncated.error.find("[json.exception") == std::string::npos);
  CHECK_FALSE(parse_json_body("{\"text\": \"\xff\"}").ok());
  CHECK_FALSE(parse_json_body("").ok());
  CHECK_FALSE(parse_json_body(std::string("\0{}", 3)).ok());
  // nlohmann's parser takes a NUL byte as the end of input, so anything after one went unread (found by
  // fuzz_session_token: fuzz/regressions/). JSON text cannot hold a NUL anywhere.
  const ParsedBody nul = parse_json_body("{\"text\": \"hi\"}\0{\"text\": \"other\"}"s);
  CHECK_FALSE(nul.ok());
  CHECK(nul.error == "invalid JSON: a NUL byte at offset 14 (JSON text cannot contain one)");
  CHECK_FALSE(parse_json_body("{\"a\":\"x\0y\"}"s).ok());
  CHECK_FALSE(parse_json_body("12\0"s).ok());
  const ParsedBody deep = parse_json_body(std::string(100000, '[') + std::string(100000, ']'));
  CHECK_FALSE(deep.ok());
  CHECK(deep.error.find("nested deeper than 64") != std::string::npos);
  // Brackets inside strings are not nesting.
  CHECK(parse_json_body("{\"t\": \"" + std::string(1000, '[') + "\"}").ok());
  CHECK(parse_json_body(std::string(64, '[') + std::string(64, ']')).ok());
  CHECK_FALSE(parse_json_body(std::string(65, '[') + std::string(65, ']')).ok());
}

TEST_CASE("dump_json never throws on invalid UTF-8", "[json]") {
  const nlohmann::json value = std::string("bad \xff byte");
  CHECK_NOTHROW(dump_json(value));
  CHECK(dump_json(value).find("bad") != std::string::npos);
}

TEST_CASE("dump_json writes what nlohmann's dump writes", "[json]") {
  const std::vector<nlohmann::json> values = {
      nullptr,
      true,
      false,
      0,
      -7,
      42u,
      18446744073709551615u,
      INT64_MIN,
      0.15,
      1.0,
      -2.5,
      1e20,
      1e-7,
      0.30000000000000004,
      123456789.125,
      "",
      "plain",
      "quote \" backslash \\ slash / tab \t newline \n",
      std::string("nul \0 bell \x07 unit \x1f del \x7f", 26),
      "caf\u00e9 \u20ac \U0001F600 <speak>&amp;</speak>",
      nlohmann::json::array(),
      nlohmann::json::object(),
      {{"b", 1}, {"a", {1, 2.5, "x", nullptr, {{"nested", {{"deep", true}}}}}}, {"", "empty key"}},
      {{"key \"quoted\"", "value\n"}}};
  for (const auto& value : values) {
    INFO(value.dump());
    CHECK(dump_json(value) == value.dump());
  }
  // What JSON cannot hold is null, as nlohmann writes it.
  CHECK(dump_json(std::numeric_limits<double>::infinity()) == "null");
  CHECK(dump_json(std::nan("")) == "null");
  // Invalid UTF-8 is replaced, and the result parses.
  const std::string bad = dump_json({{"t", std::string("a \xff\xfe b \xc3")}});
  CHECK(nlohmann::json::parse(bad)["t"].get<std::string>().find("\xef\xbf\xbd") != std::string::npos);
}
