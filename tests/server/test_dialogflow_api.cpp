// Dialogflow ES and CX webhooks over real HTTP: which intent answers, context round trips, basic auth.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "support/http_client.h"
#include "test_server.h"

using namespace crampbot;
using namespace crampbot::test;

namespace {

nlohmann::json es_request(const std::string& text, const std::string& display_name,
                          const nlohmann::json& parameters = nlohmann::json::object(),
                          const nlohmann::json& contexts = nlohmann::json::array()) {
  return {{"session", "projects/p/agent/sessions/s1"},
          {"queryResult",
           {{"queryText", text},
            {"parameters", parameters},
            {"outputContexts", contexts},
            {"intent", {{"displayName", display_name}}}}}};
}

nlohmann::json post(HttpClient& client, const std::string& path, const nlohmann::json& body,
                    int status = 200) {
  auto reply = client.post_json(path, body.dump());
  REQUIRE(reply);
  CHECK(reply->status == status);
  return nlohmann::json::parse(reply->body);
}

}  // namespace

TEST_CASE("Dialogflow ES: the agent's intent is used when it is ours, else our matcher", "[dialogflow]") {
  TestServer server;
  HttpClient client(server.port());
  // The agent picked one of ours: its intent and parameter win, even over the words.
  auto picked = post(client, "/dialogflow",
                     es_request("tell me about bananas", "supplements", {{"nutrient", "calcium"}}));
  CHECK(picked["fulfillmentText"].get<std::string>().find("alcium") != std::string::npos);
  const auto& context = picked["outputContexts"][0];
  CHECK(context["name"] == "projects/p/agent/sessions/s1/contexts/crampbot");
  CHECK(context["lifespanCount"].get<int>() > 0);
  const auto stored = nlohmann::json::parse(context["parameters"]["crampbot_context"].get<std::string>());
  CHECK(stored["intent"] == "supplements");
  CHECK(stored["slots"]["nutrient"] == "calcium");

  // A synonym as the parameter value maps through our lexicon.
  auto synonym = post(client, "/dialogflow", es_request("x", "food_sources", {{"nutrient", "cobalamin"}}));
  const auto synonym_context = nlohmann::json::parse(
      synonym["outputContexts"][0]["parameters"]["crampbot_context"].get<std::string>());
  CHECK(synonym_context["slots"]["nutrient"] == "vitamin_b12");

  // Not ours: our matcher reads the text.
  auto matched =
      post(client, "/dialogflow", es_request("will a banana help my cramps", "Default Fallback Intent"));
  const auto matched_context = nlohmann::json::parse(
      matched["outputContexts"][0]["parameters"]["crampbot_context"].get<std::string>());
  CHECK(matched_context["intent"] == "banana");

  // The context comes back: "what foods have it" after the banana question about… nothing; after calcium,
  // calcium.
  auto follow =
      post(client, "/dialogflow",
           es_request("what foods have it", "Default Fallback Intent", {}, picked["outputContexts"]));
  const auto follow_context =
      nlohmann::json::parse(follow["outputContexts"][0]["parameters"]["crampbot_context"].get<std::string>());
  CHECK(follow_context["intent"] == "food_sources");
  CHECK(follow_context["slots"]["nutrient"] == "calcium");

  // Quick replies carry the suggestions.
  bool has_quick_replies = false;
  for (const auto& message : picked["fulfillmentMessages"]) {
    if (message.contains("quickReplies"))
      has_quick_replies = !message["quickReplies"]["quickReplies"].empty();
  }
  CHECK(has_quick_replies);

  // A garbled stored context is ignored, not an error.
  nlohmann::json garbled = nlohmann::json::array({{{"name", "projects/p/agent/sessions/s1/contexts/crampbot"},
                                                   {"parameters", {{"crampbot_context", "{nope"}}}}});
  auto ignored =
      post(client, "/dialogflow", es_request("what foods have it", "Default Fallback Intent", {}, garbled));
  CHECK(ignored.contains("fulfillmentText"));
}

TEST_CASE("Dialogflow ES: malformed requests are 400 naming the field", "[dialogflow]") {
  TestServer server;
  HttpClient client(server.port());
  CHECK(post(client, "/dialogflow", {{"queryResult", {{"queryText", "hi"}}}}, 400)["message"]
            .get<std::string>()
            .find("session") != std::string::npos);
  CHECK(post(client, "/dialogflow", {{"session", "s"}}, 400)["message"].get<std::string>().find(
            "queryResult") != std::string::npos);
  CHECK(post(client, "/dialogflow", {{"session", "s"}, {"queryResult", {{"queryText", 5}}}}, 400)["message"]
            .get<std::string>()
            .find("queryText") != std::string::npos);
}

TEST_CASE("Dialogflow CX: tag, then display name, then our matcher - context in session parameters",
          "[dialogflow]") {
  TestServer server;
  HttpClient client(server.port());
  auto tagged = post(client, "/dialogflow-cx",
                     {{"text", "anything at all"}, {"fulfillmentInfo", {{"tag", "stretching"}}}});
  const auto text = tagged["fulfillmentResponse"]["messages"][0]["text"]["text"][0].get<std::string>();
  CHECK(text.find("stretch") != std::string::npos);
  const auto stored =
      nlohmann::json::parse(tagged["sessionInfo"]["parameters"]["crampbot_context"].get<std::string>());
  CHECK(stored["intent"] == "stretching");

  auto matched = post(client, "/dialogflow-cx",
                      {{"text", "what does vitamin d do for muscles"},
                       {"fulfillmentInfo", {{"tag", "not-ours"}}},
                       {"sessionInfo", {{"parameters", nlohmann::json::object()}}}});
  const auto matched_context =
      nlohmann::json::parse(matched["sessionInfo"]["parameters"]["crampbot_context"].get<std::string>());
  CHECK(matched_context["intent"] == "nutrient_role");
  CHECK(matched_context["slots"]["nutrient"] == "vitamin_d");

  auto follow = post(client, "/dialogflow-cx",
                     {{"text", "what foods have it"},
                      {"sessionInfo", {{"parameters", matched["sessionInfo"]["parameters"]}}}});
  const auto follow_context =
      nlohmann::json::parse(follow["sessionInfo"]["parameters"]["crampbot_context"].get<std::string>());
  CHECK(follow_context["intent"] == "food_sources");
  CHECK(follow_context["slots"]["nutrient"] == "vitamin_d");

  auto goodbye = post(client, "/dialogflow-cx", {{"text", "bye"}});
  CHECK(goodbye["sessionInfo"]["parameters"]["crampbot_context"].is_null());

  CHECK(post(client, "/dialogflow-cx", {{"text", 3}}, 400)["error"] == "bad_field");
  CHECK(post(client, "/dialogflow-cx", {{"sessionInfo", "x"}}, 400)["error"] == "bad_field");
}

TEST_CASE("Dialogflow webhooks require basic auth when configured", "[dialogflow]") {
  app::AppConfig config = test_config();
  config.dialogflow_auth = {"agent", "s3cret-password"};
  TestServer server(config);
  HttpClient client(server.port());
  const std::string body = es_request("hi", "welcome").dump();
  auto none = client.post_json("/dialogflow", body);
  REQUIRE(none);
  CHECK(none->status == 401);
  CHECK(none->header("www-authenticate").find("Basic") != std::string::npos);
  // "agent:wrong" and "agent:s3cret-password" in base64.
  CHECK(client.post_json("/dialogflow", body, {{"Authorization", "Basic YWdlbnQ6d3Jvbmc="}})->status == 401);
  CHECK(client.post_json("/dialogflow-cx", R"({"text":"hi"})", {{"Authorization", "Basic YWdlbnQ6d3Jvbmc="}})
            ->status == 401);
  CHECK(client.post_json("/dialogflow", body, {{"Authorization", "Basic YWdlbnQ6czNjcmV0LXBhc3N3b3Jk"}})
            ->status == 200);
  CHECK(client
            .post_json("/dialogflow-cx", R"({"text":"hi"})",
                       {{"Authorization", "basic YWdlbnQ6czNjcmV0LXBhc3N3b3Jk"}})
            ->status == 200);
  // Other channels are not affected.
  CHECK(client.post_json("/v1/chat", R"({"text":"hi"})")->status == 200);
}
