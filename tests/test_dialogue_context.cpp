// engine/dialogue_context.h: the context that travels with each request, written by the engine and read back
// from untrusted JSON. Uses the test catalog in tests/fixtures/mini.
#include <catch2/catch.hpp>

#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "engine/dialogue_context.h"
#include "test_support.h"

using namespace crampbot;
using nlohmann::json;

namespace {

const IntentCatalog& catalog() {
  return crampbot::test::mini_engine().intents();
}

DialogueContext sample() {
  DialogueContext c;
  c.turn = 3;
  c.intent = "food_sources";
  c.slots = {{"nutrient", "potassium"}};
  c.variant = 0;
  c.more = true;
  c.memory = {{"nutrient", "potassium"}};
  return c;
}

// Reads `j`; asserts it was refused, gave a fresh context and did not throw.
void expect_refused(const json& j) {
  CAPTURE(j.dump());
  bool valid = true;
  DialogueContext context;
  REQUIRE_NOTHROW(context = context_from_json(j, catalog(), &valid));
  CHECK_FALSE(valid);
  CHECK(context == DialogueContext{});
  // Without the out-parameter, too.
  REQUIRE_NOTHROW(context = context_from_json(j, catalog(), nullptr));
  CHECK(context == DialogueContext{});
}

}  // namespace

TEST_CASE("to_json writes every field", "[context]") {
  const json j = to_json(sample());
  CHECK(j.at("turn") == 3);
  CHECK(j.at("intent") == "food_sources");
  CHECK(j.at("slots") == json{{"nutrient", "potassium"}});
  CHECK(j.at("variant") == 0);
  CHECK(j.at("more") == true);
  CHECK(j.at("memory") == json{{"nutrient", "potassium"}});
  CHECK(j.size() == 6);
  const json fresh = to_json(DialogueContext{});
  CHECK(fresh.at("turn") == 0);
  CHECK(fresh.at("intent") == "");
  CHECK(fresh.at("slots").is_object());
  CHECK(fresh.at("memory").is_object());
}

TEST_CASE("to_json / context_from_json round trip", "[context]") {
  std::vector<DialogueContext> contexts = {DialogueContext{}, sample()};
  DialogueContext edge;
  edge.turn = 1'000'000;
  edge.intent = "causes";
  edge.variant = 1000;
  edge.memory = {{"nutrient", "vitamin_b12"}};
  contexts.push_back(edge);
  for (const auto& original : contexts) {
    const json j = to_json(original);
    CAPTURE(j.dump());
    bool valid = false;
    const DialogueContext back = context_from_json(j, catalog(), &valid);
    CHECK(valid);
    CHECK(back == original);
    // Through text, as a client would send it.
    CHECK(context_from_json(json::parse(j.dump()), catalog(), &valid) == original);
    CHECK(valid);
  }
}

TEST_CASE("null and partial contexts are read as valid", "[context]") {
  bool valid = false;
  CHECK(context_from_json(json(nullptr), catalog(), &valid) == DialogueContext{});
  CHECK(valid);
  valid = false;
  CHECK(context_from_json(json::object(), catalog(), &valid) == DialogueContext{});
  CHECK(valid);
  valid = false;
  const auto partial = context_from_json(json{{"turn", 4}, {"intent", "causes"}}, catalog(), &valid);
  CHECK(valid);
  CHECK(partial.turn == 4);
  CHECK(partial.intent == "causes");
  CHECK(partial.slots.empty());
}

TEST_CASE("forged contexts: not an object", "[context]") {
  expect_refused(json("hello"));
  expect_refused(json(42));
  expect_refused(json::array({1, 2, 3}));
  expect_refused(json(true));
}

TEST_CASE("forged contexts: wrong types", "[context]") {
  expect_refused(json{{"turn", "3"}});
  expect_refused(json{{"turn", 1.5}});
  expect_refused(json{{"turn", true}});
  expect_refused(json{{"turn", nullptr}});
  expect_refused(json{{"variant", "0"}});
  expect_refused(json{{"intent", 42}});
  expect_refused(json{{"intent", json::array()}});
  expect_refused(json{{"more", "yes"}});
  expect_refused(json{{"more", 1}});
  expect_refused(json{{"slots", "nutrient=magnesium"}});
  expect_refused(json{{"slots", json::array({"magnesium"})}});
  expect_refused(json{{"slots", {{"nutrient", 7}}}});
  expect_refused(json{{"memory", {{"nutrient", nullptr}}}});
  expect_refused(json{{"memory", 12}});
}

TEST_CASE("forged contexts: negative or huge numbers", "[context]") {
  expect_refused(json{{"turn", -1}});
  expect_refused(json{{"turn", 1'000'001}});
  expect_refused(json{{"turn", std::numeric_limits<std::int64_t>::max()}});
  expect_refused(json{{"turn", std::numeric_limits<std::int64_t>::min()}});
  expect_refused(json{{"turn", std::numeric_limits<std::uint64_t>::max()}});
  expect_refused(json::parse(R"({"turn": 1e300})"));
  expect_refused(json{{"variant", -5}});
  expect_refused(json{{"variant", 4'294'967'296LL}});
}

TEST_CASE("forged contexts: unknown intent", "[context]") {
  expect_refused(json{{"intent", "no_such_intent"}});
  expect_refused(json{{"intent", "FOOD_SOURCES"}});
  expect_refused(json{{"intent", "food_sources "}});
  expect_refused(json{{"intent", std::string(100000, 'x')}});
}

TEST_CASE("forged contexts: slot values that are not canonical", "[context]") {
  expect_refused(json{{"slots", {{"nutrient", "zinc"}}}});
  expect_refused(json{{"slots", {{"nutrient", "mag"}}}});        // a phrase, not the canonical value
  expect_refused(json{{"slots", {{"nutrient", "Magnesium"}}}});  // case matters
  expect_refused(json{{"slots", {{"mineral", "magnesium"}}}});   // no intent has this slot
  expect_refused(json{{"memory", {{"nutrient", "vitamin b12"}}}});
  json many = json::object();
  for (int i = 0; i < 20; ++i)
    many["slot" + std::to_string(i)] = "magnesium";
  expect_refused(json{{"memory", many}});
}

TEST_CASE("forged contexts: one bad field spoils the whole context", "[context]") {
  json j = to_json(sample());
  j["memory"]["nutrient"] = "zinc";
  expect_refused(j);
  j = to_json(sample());
  j["turn"] = -3;
  expect_refused(j);
}

TEST_CASE("a refused context reset to valid=false even if the flag was true before", "[context]") {
  bool valid = true;
  context_from_json(json{{"turn", -1}}, catalog(), &valid);
  CHECK_FALSE(valid);
  context_from_json(json{{"turn", 1}}, catalog(), &valid);
  CHECK(valid);
}

TEST_CASE("every context the engine writes reads back as valid and equal", "[context]") {
  const Engine& engine = crampbot::test::mini_engine();
  DialogueContext context;
  for (const char* say :
       {"hello", "what foods have magnesium", "and potassium", "tell me more", "say that again",
        "what causes leg cramps", "tell me more", "tell me more", "qwerty", "chest pain", "bye"}) {
    CAPTURE(say);
    const auto outcome = engine.respond(say, context);
    REQUIRE(std::holds_alternative<Reply>(outcome));
    context = std::get<Reply>(outcome).context;
    bool valid = false;
    CHECK(engine.context_from_json(to_json(context), &valid) == context);
    CHECK(valid);
  }
  CHECK(context.turn == 11);
}
