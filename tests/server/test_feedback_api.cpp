// POST /v1/feedback over real HTTP: a vote on an answer is counted in crampbot_feedback_total with the intent
// sealed in its token, once per turn; a forged token is a 400 with a JSON error; the widget's origins may
// call it.
#include <catch2/catch.hpp>

#include <sstream>

#include <nlohmann/json.hpp>

#include "support/http_client.h"
#include "test_server.h"

using namespace crampbot;
using namespace crampbot::test;
using nlohmann::json;

namespace {

std::string session_of(HttpClient& client, const std::string& text, const std::string& previous = "") {
  json body = {{"text", text}};
  if (!previous.empty()) body["session"] = previous;
  const auto reply = client.post_json("/v1/chat", body.dump());
  REQUIRE(reply);
  REQUIRE(reply->status == 200);
  return json::parse(reply->body)["session"];
}

HttpReply vote(HttpClient& client, const std::string& session, bool helpful,
               std::map<std::string, std::string> headers = {}) {
  const auto reply =
      client.post_json("/v1/feedback", json({{"session", session}, {"helpful", helpful}}).dump(), headers);
  REQUIRE(reply);
  return *reply;
}

// Every crampbot_feedback_total line of /metrics.
std::vector<std::string> feedback_lines(HttpClient& client) {
  const auto reply = client.get("/metrics");
  REQUIRE(reply);
  std::vector<std::string> out;
  std::istringstream in(reply->body);
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("crampbot_feedback_total{", 0) == 0) out.push_back(line);
  }
  return out;
}

}  // namespace

TEST_CASE("votes are counted by the intent sealed in the token, once per turn", "[feedback][server]") {
  TestServer server;
  HttpClient client(server.port());
  const std::string magnesium = session_of(client, "what foods have magnesium");
  const std::string tonic = session_of(client, "is tonic water good for cramps", magnesium);
  CHECK(vote(client, magnesium, true).status == 200);
  CHECK(vote(client, tonic, false).status == 200);
  CHECK(vote(client, session_of(client, "what foods have potassium"), true).status == 200);

  const HttpReply again = vote(client, magnesium, false);
  CHECK(again.status == 409);
  CHECK(json::parse(again.body)["error"] == "already_voted");

  CHECK(feedback_lines(client) ==
        std::vector<std::string>{R"(crampbot_feedback_total{intent="food_sources",helpful="true"} 2)",
                                 R"(crampbot_feedback_total{intent="supplements",helpful="false"} 1)"});
  // A vote is not a reply: the replies by intent are untouched by it.
  const auto metrics = client.get("/metrics");
  REQUIRE(metrics);
  CHECK(metrics->body.find(R"(crampbot_replies_total{intent="food_sources"} 2)") != std::string::npos);
}

TEST_CASE("a forged or foreign token is a 400 with a JSON error, and counts nothing", "[feedback][server]") {
  TestServer server;
  HttpClient client(server.port());
  std::string forged = session_of(client, "what foods have magnesium");
  // Another intent in the payload, the signature kept: what a client would try.
  forged.replace(0, 4, "eyJk");
  for (const std::string& token : {forged, std::string("nonsense"), std::string()}) {
    const HttpReply refused = vote(client, token, true);
    CHECK(refused.status == 400);
    CHECK(refused.header("content-type") == "application/json");
    const json body = json::parse(refused.body);
    CHECK(body["error"] == "bad_session");
    CHECK(body["message"].is_string());
  }
  const auto no_json = client.post_json("/v1/feedback", "{\"session\": ");
  REQUIRE(no_json);
  CHECK(no_json->status == 400);
  CHECK(json::parse(no_json->body)["error"] == "bad_json");
  CHECK(feedback_lines(client).empty());
}

TEST_CASE("the widget's origins may post feedback, others may not", "[feedback][server]") {
  TestServer server;
  HttpClient client(server.port());
  auto preflight =
      client.request("OPTIONS", "/v1/feedback", {},
                     {{"Origin", "http://localhost:8080"}, {"Access-Control-Request-Method", "POST"}});
  REQUIRE(preflight);
  CHECK(preflight->status == 204);
  CHECK(preflight->header("access-control-allow-origin") == "http://localhost:8080");
  const HttpReply allowed = vote(client, session_of(client, "what foods have magnesium"), true,
                                 {{"Origin", "http://localhost:8080"}});
  CHECK(allowed.status == 200);
  CHECK(allowed.header("access-control-allow-origin") == "http://localhost:8080");
  const HttpReply refused = vote(client, session_of(client, "what foods have magnesium"), true,
                                 {{"Origin", "https://evil.example"}});
  CHECK(refused.status == 403);
}
