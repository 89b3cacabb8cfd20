// POST /v1/chat and the Rasa REST channel over real HTTP: replies, the session token that carries the
// conversation, forged tokens, and two servers sharing one conversation.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "support/http_client.h"
#include "test_server.h"

using namespace crampbot;
using namespace crampbot::test;

namespace {

nlohmann::json chat(HttpClient& client, const std::string& text, const nlohmann::json& session = nullptr) {
  nlohmann::json body = {{"text", text}};
  if (!session.is_null()) body["session"] = session;
  auto reply = client.post_json("/v1/chat", body.dump());
  REQUIRE(reply);
  REQUIRE(reply->status == 200);
  return nlohmann::json::parse(reply->body);
}

}  // namespace

TEST_CASE("the chat API returns the reply object with a session token", "[chat]") {
  TestServer server;
  HttpClient client(server.port());
  const auto reply = chat(client, "what foods have magnesium");
  CHECK(reply["intent"] == "food_sources");
  CHECK(reply["slots"]["nutrient"] == "magnesium");
  for (const char* key :
       {"confidence", "text", "ssml", "caveat", "suggestions", "urgent", "end", "context", "session"}) {
    CHECK(reply.contains(key));
  }
  CHECK(reply["text"].get<std::string>().find(reply["caveat"].get<std::string>()) != std::string::npos);
  CHECK(reply["session"].is_string());
  CHECK(reply["session"].get<std::string>().find("magnesium") ==
        std::string::npos);  // opaque, not plain JSON
}

TEST_CASE("the session token carries the conversation to the next turn", "[chat]") {
  TestServer server;
  HttpClient client(server.port());
  const auto first = chat(client, "what does calcium do for muscles");
  CHECK(first["intent"] == "nutrient_role");
  const auto second = chat(client, "what foods have it", first["session"]);
  CHECK(second["intent"] == "food_sources");
  CHECK(second["slots"]["nutrient"] == "calcium");
  const auto third = chat(client, "and b12?", second["session"]);
  CHECK(third["intent"] == "food_sources");
  CHECK(third["slots"]["nutrient"] == "vitamin_b12");
  // Without the token, "what foods have it" has nothing to refer to.
  const auto fresh = chat(client, "what foods have it");
  CHECK(fresh["slots"].empty());
}

TEST_CASE("a forged, corrupted or foreign session token starts a fresh conversation, never an error",
          "[chat]") {
  TestServer server;
  HttpClient client(server.port());
  const auto first = chat(client, "what does calcium do for muscles");
  std::string token = first["session"];
  std::string flipped = token;
  flipped[flipped.size() / 3] = flipped[flipped.size() / 3] == 'A' ? 'B' : 'A';
  const std::vector<std::string> bad = {
      flipped,
      token.substr(0, token.size() - 2),
      token + "x",
      "not-a-token",
      "",
      std::string(20000, 'A'),
      "eyJjIjp7fX0.AAAA",  // a valid-looking payload with a wrong signature
  };
  for (const auto& forged : bad) {
    INFO(forged.substr(0, 40));
    const auto reply = chat(client, "what foods have it", forged);
    CHECK(reply["intent"] == "food_sources");
    CHECK(reply["slots"].empty());
  }

  // A token sealed by another deployment (another secret) does not open here.
  app::AppConfig other_config = test_config();
  other_config.chat.session_secret = "another-deployment-secret-000000";
  TestServer other(other_config);
  HttpClient other_client(other.port());
  const auto elsewhere = chat(other_client, "what does calcium do for muscles");
  const auto here = chat(client, "what foods have it", elsewhere["session"]);
  CHECK(here["slots"].empty());
}

TEST_CASE("two servers with one secret serving alternate turns behave exactly like one", "[chat]") {
  const std::vector<std::string> turns = {"hi",
                                          "what does magnesium do",
                                          "what foods have it",
                                          "and potassium?",
                                          "tell me more",
                                          "say that again",
                                          "what about vitamin d",
                                          "my calf is swollen and hot",
                                          "thanks",
                                          "bye"};
  TestServer a;
  TestServer b;
  TestServer single;
  HttpClient client_a(a.port());
  HttpClient client_b(b.port());
  HttpClient client_single(single.port());
  nlohmann::json alternating_session;
  nlohmann::json single_session;
  for (std::size_t i = 0; i < turns.size(); ++i) {
    INFO(turns[i]);
    HttpClient& alternating = i % 2 == 0 ? client_a : client_b;
    auto x = chat(alternating, turns[i], alternating_session);
    auto y = chat(client_single, turns[i], single_session);
    alternating_session = x["session"];
    single_session = y["session"];
    x.erase("session");  // tokens differ only by their issue time
    y.erase("session");
    CHECK(x == y);
  }
}

TEST_CASE("the Rasa REST channel keeps the conversation per sender", "[rasa]") {
  TestServer server;
  HttpClient client(server.port());
  auto send = [&](const std::string& sender, const std::string& message) {
    auto reply = client.post_json("/webhooks/rest/webhook",
                                  nlohmann::json{{"sender", sender}, {"message", message}}.dump());
    REQUIRE(reply);
    REQUIRE(reply->status == 200);
    return nlohmann::json::parse(reply->body);
  };
  const auto first = send("alice", "what does potassium do");
  REQUIRE(first.is_array());
  REQUIRE(first.size() == 1);
  CHECK(first[0]["recipient_id"] == "alice");
  CHECK(first[0]["text"].get<std::string>().find("potassium") != std::string::npos);
  REQUIRE(first[0]["buttons"].is_array());
  CHECK(first[0]["buttons"][0]["title"] == first[0]["buttons"][0]["payload"]);

  send("bob", "what does calcium do");
  const auto alice_again = send("alice", "what foods have it");
  CHECK(alice_again[0]["text"].get<std::string>().find("otassium") != std::string::npos);
  const auto bob_again = send("bob", "what foods have it");
  CHECK(bob_again[0]["text"].get<std::string>().find("alcium") != std::string::npos);

  for (const char* body : {R"({"message":"hi"})", R"({"sender":"","message":"hi"})", R"({"sender":"a"})",
                           R"({"sender":"a","message":3})", R"({"sender":"a","message":""})"}) {
    INFO(body);
    auto reply = client.post_json("/webhooks/rest/webhook", body);
    REQUIRE(reply);
    CHECK(reply->status == 400);
  }
}
