// channels/json_body.h: untrusted bodies parse to values or to a message, never an exception.
#include <catch2/catch.hpp>

#include "channels/json_body.h"

using namespace crampbot;

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
