// channels/alexa/alexa_envelope.h: the body is checked whole, and what the channel reads is kept in place.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "channels/alexa/alexa_envelope.h"
#include "channels/json_body.h"
#include "test_support.h"

using namespace crampbot;
using namespace crampbot::alexa;
using namespace std::string_literals;
using nlohmann::json;

namespace {

std::string read_text(const std::filesystem::path& file) {
  std::ifstream in(file);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// The members the channel and the verifier read: what parse_alexa_envelope keeps.
const std::vector<std::string> kReadPaths = {"/version",
                                             "/session/new",
                                             "/session/sessionId",
                                             "/session/application/applicationId",
                                             "/session/attributes/crampbot",
                                             "/context/System/application/applicationId",
                                             "/request/type",
                                             "/request/timestamp",
                                             "/request/locale",
                                             "/request/intent/name",
                                             "/request/intent/slots"};

// Whether `kept` holds each read member of `full` unchanged, and nothing else: every other place in it is a
// container on the way to a read member.
void check_keeps_read_members(const json& kept, const json& full) {
  for (const std::string& path : kReadPaths) {
    const json::json_pointer at(path);
    INFO(path);
    REQUIRE(kept.contains(at) == full.contains(at));
    if (full.contains(at)) CHECK(kept[at] == full[at]);
  }
  const json flat = kept.flatten();
  for (const auto& [path, value] : flat.items()) {
    INFO(path);
    bool allowed = false;
    for (const std::string& read : kReadPaths)
      allowed = allowed || path.starts_with(read) ||
                (read.starts_with(path) && (value.is_null() || value == json::object()));
    CHECK(allowed);
  }
}

}  // namespace

TEST_CASE("envelope: every fixture request keeps exactly the members that are read", "[alexa][envelope]") {
  int files = 0;
  for (const auto& entry : std::filesystem::directory_iterator(test::fixture("alexa"))) {
    if (!entry.path().string().ends_with(".request.json")) continue;
    ++files;
    INFO(entry.path().filename());
    const std::string body = read_text(entry.path());
    const ParsedBody parsed = parse_alexa_envelope(body);
    REQUIRE(parsed.ok());
    const json full = json::parse(body);
    check_keeps_read_members(parsed.json, full);
    CHECK_FALSE(parsed.json.contains(json::json_pointer("/context/System/apiAccessToken")));
    CHECK_FALSE(parsed.json.contains(json::json_pointer("/context/Viewport")));
  }
  CHECK(files >= 8);
}

TEST_CASE("envelope: values of every type inside kept members come through unchanged", "[alexa][envelope]") {
  const json slots = {{"nutrient",
                       {{"name", "nutrient"},
                        {"value", "magnésium \"quoted\" \\ \u00e9"},
                        {"n", -7},
                        {"big", 18446744073709551615u},
                        {"f", 0.25},
                        {"flag", true},
                        {"nothing", nullptr},
                        {"list", {1, "two", json::array(), json::object()}}}}};
  const json envelope = {
      {"request", {{"type", "IntentRequest"}, {"intent", {{"name", "X"}, {"slots", slots}}}}},
      {"session", {{"new", false}, {"attributes", {{"crampbot", {{"turn", 2}}}, {"other", 1}}}}}};
  const ParsedBody parsed = parse_alexa_envelope(envelope.dump());
  REQUIRE(parsed.ok());
  CHECK(parsed.json["request"]["intent"]["slots"] == slots);
  CHECK(parsed.json["session"]["attributes"] == json{{"crampbot", {{"turn", 2}}}});
}

TEST_CASE("envelope: members of the wrong type are kept for their reader to refuse", "[alexa][envelope]") {
  const ParsedBody parsed = parse_alexa_envelope(R"({"request":"text","session":[1,2],"context":7})");
  REQUIRE(parsed.ok());
  CHECK(parsed.json == json{{"request", "text"}, {"session", {1, 2}}, {"context", 7}});
  const ParsedBody not_object = parse_alexa_envelope("[1,2]");
  REQUIRE(not_object.ok());
  CHECK(not_object.json == json{1, 2});
}

TEST_CASE("envelope: a repeated key counts once, the last one", "[alexa][envelope]") {
  const ParsedBody parsed =
      parse_alexa_envelope(R"({"request":{"type":"LaunchRequest","type":"IntentRequest"}})");
  REQUIRE(parsed.ok());
  CHECK(parsed.json["request"]["type"] == "IntentRequest");
  CHECK(parse_json_body(R"({"request":{"type":"LaunchRequest","type":"IntentRequest"}})")
            .json["request"]["type"] == "IntentRequest");
}

TEST_CASE("envelope: bad JSON, bad UTF-8 and deep nesting anywhere are refused with a message",
          "[alexa][envelope]") {
  for (const std::string& body :
       {std::string("{not json"), std::string(""), std::string("{\"request\":{}} trailing"),
        std::string("{\"context\":{\"x\":\"\xff\"}}"), std::string("{\"context\":{\"x\":\"\xed\xa0\x80\"}}"),
        std::string("{\"a\":1,}"), std::string("{\"a\":01}"), std::string("{\"a\":\"\x01\"}"),
        std::string("\0{}", 3),
        // JSON text holds no NUL byte; nlohmann's parser took one as the end of input (found by fuzzing).
        "{\"request\":{}}\0trailing"s, "{\"a\":\"x\0y\"}"s}) {
    INFO(dump_json(json(body)));
    const ParsedBody parsed = parse_alexa_envelope(body);
    CHECK_FALSE(parsed.ok());
    CHECK(parsed.error.starts_with("invalid JSON"));
    // The general parser refuses the same bodies.
    CHECK_FALSE(parse_json_body(body).ok());
  }
  const std::string deep_in_skipped = "{\"context\":" + std::string(65, '[') + std::string(65, ']') + "}";
  const ParsedBody deep = parse_alexa_envelope(deep_in_skipped);
  CHECK_FALSE(deep.ok());
  CHECK(deep.error.find("nested deeper than 64") != std::string::npos);
  // The same limit as parse_json_body, whether the innermost container is empty or not.
  for (const std::string inner : {"", "1", "{\"a\":1}"}) {
    for (const std::size_t levels : {63, 64, 65}) {
      INFO(levels << " levels around \"" << inner << "\"");
      const std::string body = std::string(levels, '[') + inner + std::string(levels, ']');
      const bool within = levels + (inner.starts_with('{') ? 1 : 0) <= 64;
      CHECK(parse_alexa_envelope(body).ok() == within);
      CHECK(parse_json_body(body).ok() == within);
    }
  }
  CHECK_FALSE(parse_alexa_envelope(std::string(100000, '[') + std::string(100000, ']')).ok());
}

TEST_CASE("envelope: bodies larger than the reused parser's size parse, and smaller ones after them",
          "[alexa][envelope]") {
  const std::string padding(200 * 1024, 'x');
  const json envelope = {{"context", {{"System", {{"apiAccessToken", padding}}}}},
                         {"request", {{"type", "LaunchRequest"}}}};
  const ParsedBody parsed = parse_alexa_envelope(envelope.dump());
  REQUIRE(parsed.ok());
  CHECK(parsed.json ==
        json{{"context", {{"System", json::object()}}}, {"request", {{"type", "LaunchRequest"}}}});
  CHECK(parse_alexa_envelope(R"({"request":{"type":"SessionEndedRequest"}})").ok());
}

TEST_CASE("envelope: a byte order mark before the JSON is allowed, as parse_json_body allows it",
          "[alexa][envelope]") {
  const std::string body = "\xEF\xBB\xBF{\"request\":{\"type\":\"LaunchRequest\"}}";
  const ParsedBody parsed = parse_alexa_envelope(body);
  REQUIRE(parsed.ok());
  CHECK(parsed.json["request"]["type"] == "LaunchRequest");
  CHECK(parse_json_body(body).ok());
}

TEST_CASE("envelope: numbers beyond 64 bits or a double are refused (Alexa sends none)",
          "[alexa][envelope]") {
  CHECK_FALSE(parse_alexa_envelope(R"({"context":{"n":123456789012345678901234567890}})").ok());
  CHECK_FALSE(parse_alexa_envelope(R"({"context":{"n":1e400}})").ok());
  CHECK(parse_alexa_envelope(R"({"context":{"n":18446744073709551615,"m":-9223372036854775808,"f":1e300}})")
            .ok());
}
