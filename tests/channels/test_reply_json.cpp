// channels/json_writer.h and channels/reply_json.h: replies written without a DOM are the same text the DOM
// dump gave, for every reply the real catalog can make.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "channels/alexa/alexa_response.h"
#include "channels/json_body.h"
#include "channels/json_writer.h"
#include "channels/reply_json.h"
#include "engine/ssml.h"
#include "test_support.h"

using namespace crampbot;

namespace {

// Every reply of the real catalog: each intent with no slots and with each value of each of its slots,
// at several turns (which pick the variants) and after a previous turn of another intent.
std::vector<Reply> every_reply(const Engine& engine) {
  std::vector<Reply> replies;
  DialogueContext previous;
  previous.turn = 3;
  previous.intent = "best_vitamin";
  previous.memory = {{"nutrient", "magnesium"}};
  for (const auto& intent : engine.intents().intents) {
    std::vector<SlotMap> slot_sets = {{}};
    for (const auto& [slot, list] : intent.slots) {
      for (const auto& value : engine.intents().lexicon.lists.at(list))
        slot_sets.push_back({{slot, value.canonical}});
    }
    for (const auto& slots : slot_sets) {
      for (int turn = 0; turn < 3; ++turn) {
        DialogueContext context = previous;
        context.turn = turn;
        replies.push_back(engine.respond_to_intent(intent.name, slots, context));
      }
      replies.push_back(engine.respond_to_intent(intent.name, slots, {}));
    }
  }
  return replies;
}

}  // namespace

TEST_CASE("JsonWriter writes what nlohmann's dump writes", "[json][writer]") {
  std::string out;
  JsonWriter writer(out);
  writer.begin_object()
      .key("a")
      .begin_array()
      .integer(-7)
      .unsigned_integer(18446744073709551615u)
      .null()
      .number(0.15)
      .number(1.0)
      .boolean(true)
      .begin_object()
      .end_object()
      .begin_array()
      .end_array()
      .string("q \" \\ \n \x01 é")
      .end_array()
      .key("b")
      .string_map({{"x", "1"}, {"y", "2"}})
      .key("c")
      .string_array({"one", "two"})
      .key("d")
      .raw(R"({"k":[1,2]})")
      .key("e")
      .string_map({})
      .end_object();
  const nlohmann::json expected = {{"a",
                                    {-7, 18446744073709551615u, nullptr, 0.15, 1.0, true,
                                     nlohmann::json::object(), nlohmann::json::array(), "q \" \\ \n \x01 é"}},
                                   {"b", {{"x", "1"}, {"y", "2"}}},
                                   {"c", {"one", "two"}},
                                   {"d", {{"k", {1, 2}}}},
                                   {"e", nlohmann::json::object()}};
  CHECK(out == expected.dump());
}

TEST_CASE("JsonWriter replaces invalid UTF-8 instead of throwing", "[json][writer]") {
  std::string out;
  JsonWriter(out).string("bad \xff byte");
  CHECK(out == "\"bad \xef\xbf\xbd byte\"");
  CHECK(nlohmann::json::parse(out) == "bad \xef\xbf\xbd byte");
}

TEST_CASE("replies written directly equal the DOM's dump for every reply of the catalog", "[json][reply]") {
  const Engine& engine = test::real_engine();
  const auto replies = every_reply(engine);
  REQUIRE(replies.size() > 100);
  for (const Reply& reply : replies) {
    INFO(reply.intent << " " << reply.text);
    const std::string context = context_json(reply.context);
    REQUIRE(context == dump_json(to_json(reply.context)));

    std::string plain;
    JsonWriter plain_writer(plain);
    write_reply(plain_writer, reply, context);
    REQUIRE(plain == dump_json(to_json(reply)));

    std::string with_session;
    JsonWriter session_writer(with_session);
    write_reply(session_writer, reply, context, "token.abc");
    nlohmann::json expected = to_json(reply);
    expected["session"] = "token.abc";
    REQUIRE(with_session == dump_json(expected));
  }
}

TEST_CASE("the Alexa response written directly is the envelope for every reply of the catalog",
          "[json][alexa]") {
  const Engine& engine = test::real_engine();
  for (const Reply& reply : every_reply(engine)) {
    INFO(reply.intent << " " << reply.text);
    // The catalog's replies are all within Alexa's limits, so nothing is cut. The card names the sources.
    nlohmann::json response = {
        {"outputSpeech", {{"type", "SSML"}, {"ssml", reply.ssml}}},
        {"card", {{"type", "Simple"}, {"title", reply.title}, {"content", shown_text(reply)}}},
        {"shouldEndSession", reply.end}};
    if (!reply.end && !reply.reprompt.empty()) {
      response["reprompt"] = {
          {"outputSpeech",
           {{"type", "SSML"}, {"ssml", "<speak>" + escape_xml(reply.reprompt) + "</speak>"}}}};
    }
    const nlohmann::json expected = {{"version", "1.0"},
                                     {"sessionAttributes", {{"crampbot", to_json(reply.context)}}},
                                     {"response", response}};
    REQUIRE(alexa::render_reply(reply) == dump_json(expected));
  }
}

TEST_CASE("JSON strings are escaped wherever the special byte falls in a word", "[json][writer]") {
  // The writer skips plain ASCII eight bytes at a time: every position around a word's edges is tried.
  for (const std::string special : {"\"", "\\", "\n", "\x01", "\x1f", "\x7f", " ", "~", "\xc3\xa9",
                                    "\xe2\x80\x99", "\xf0\x9f\x98\x80", "\xff", "\xc3", "\xed\xa0\x80"}) {
    for (std::size_t position = 0; position < 24; ++position) {
      for (const std::size_t length : {position, position + 1, position + 7, position + 8, position + 17}) {
        std::string text(length, 'a');
        text.insert(position, special);
        INFO(position << " " << length << " " << dump_json(nlohmann::json(special)));
        std::string written;
        append_json_string(text, written);
        const std::string expected =
            nlohmann::json(text).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
        CHECK(written == expected);
      }
    }
  }
}
