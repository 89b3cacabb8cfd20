// The review of misunderstood questions over real HTTP: what each channel's misunderstood turns leave in the
// store, GET /admin/review with its k threshold, and the fallback and clarify counts by locale and channel
// in /metrics.
#include <catch2/catch.hpp>

#include <sys/stat.h>

#include <fstream>
#include <random>
#include <sstream>

#include <nlohmann/json.hpp>

#include "support/http_client.h"
#include "test_server.h"

using namespace crampbot;
using namespace crampbot::test;
using nlohmann::json;

namespace {

// A fresh folder for a review store, removed at the end of the test.
class ReviewFolder {
 public:
  ReviewFolder() {
    std::random_device random;
    path_ = std::filesystem::temp_directory_path() / ("crampbot-review-api-" + std::to_string(random()));
    std::filesystem::create_directories(path_);
  }
  ~ReviewFolder() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  std::filesystem::path file() const { return path_ / "review.jsonl"; }

 private:
  std::filesystem::path path_;
};

app::AppConfig review_config(const std::filesystem::path& file) {
  app::AppConfig config = test_config();
  config.review.enabled = true;
  config.review.file = file;
  config.alexa.verify = false;  // the Alexa channel's verification has tests of its own
  return config;
}

std::string read_file(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

json chat(HttpClient& client, const json& body) {
  const auto reply = client.post_json("/v1/chat", body.dump());
  REQUIRE(reply);
  REQUIRE(reply->status == 200);
  return json::parse(reply->body);
}

json listing(HttpClient& client) {
  const auto reply = client.get("/admin/review");
  REQUIRE(reply);
  INFO(reply->body);
  REQUIRE(reply->status == 200);
  return json::parse(reply->body);
}

// The value of the metric line that starts with `series` ("name{labels}"), or -1 when there is none.
long metric(HttpClient& client, const std::string& series) {
  const auto reply = client.get("/metrics");
  REQUIRE(reply);
  std::istringstream in(reply->body);
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind(series + " ", 0) == 0) return std::stol(line.substr(series.size() + 1));
  }
  return -1;
}

constexpr const char* kQuestion = "How many bananas a day? Email me: jo.bloggs@example.com";
constexpr const char* kPhrase = "how many banana a day email me";

}  // namespace

TEST_CASE("a phrase shows at /admin/review only once k chat conversations sent it", "[review][server]") {
  ReviewFolder folder;
  TestServer server(review_config(folder.file()));
  HttpClient client(server.port());

  // Four conversations, one of them asking three times: still four.
  json first = chat(client, {{"text", kQuestion}, {"locale", "en-GB"}});
  CHECK(first["intent"] == "fallback");
  chat(client, {{"text", kQuestion}, {"session", first["session"]}});
  chat(client, {{"text", kQuestion}, {"session", first["session"]}});
  for (int i = 0; i < 3; ++i)
    chat(client, {{"text", kQuestion}, {"locale", "en-GB"}});
  json shown = listing(client);
  CHECK(shown["min_conversations"] == 5);
  CHECK(shown["phrases"].empty());
  CHECK(shown["hidden"]["phrases"] == 1);
  CHECK(shown["hidden"]["records"] == 6);
  CHECK(shown.dump().find("banana") == std::string::npos);

  // A question that was understood is not kept.
  CHECK(chat(client, {{"text", "what foods have magnesium"}})["intent"] == "food_sources");

  chat(client, {{"text", kQuestion}});
  shown = listing(client);
  REQUIRE(shown["phrases"].size() == 1);
  CHECK(shown["phrases"][0]["text"] == kPhrase);
  CHECK(shown["phrases"][0]["conversations"] == 5);
  CHECK(shown["phrases"][0]["count"] == 7);
  CHECK(shown["phrases"][0]["outcomes"] == json({{"fallback", 7}}));
  // The first conversation named en-GB once and its token kept it for its next two turns.
  CHECK(shown["phrases"][0]["locales"] == json({{"", 1}, {"en-GB", 6}}));

  // The store: private, scrubbed, with no session token, id or raw words in it.
  struct stat status {};
  REQUIRE(::stat(folder.file().c_str(), &status) == 0);
  CHECK((status.st_mode & 0777) == 0600);
  const std::string stored = read_file(folder.file());
  CHECK(stored.find("jo.bloggs") == std::string::npos);
  CHECK(stored.find("example.com") == std::string::npos);
  CHECK(stored.find("Bananas") == std::string::npos);
  CHECK(stored.find(first["session"].get<std::string>().substr(0, 20)) == std::string::npos);
  CHECK(metric(client, R"(crampbot_review_records_total{result="written"})") == 7);
}

TEST_CASE("every channel's misunderstood turns are kept with their locale and counted by channel",
          "[review][server]") {
  ReviewFolder folder;
  TestServer server(review_config(folder.file()));
  HttpClient client(server.port());
  const std::string text = "how many bananas a day";

  chat(client, {{"text", text}, {"locale", "en-GB"}});
  auto reply = client.post_json(
      "/webhooks/rest/webhook",
      json({{"sender", "visitor-1"}, {"message", text}, {"metadata", {{"locale", "en-AU"}}}}).dump());
  REQUIRE(reply);
  CHECK(reply->status == 200);
  reply = client.post_json("/dialogflow", json({{"session", "projects/p/agent/sessions/s1"},
                                                {"queryResult",
                                                 {{"queryText", text},
                                                  {"languageCode", "en-US"},
                                                  {"intent", {{"displayName", "Default Fallback Intent"}}}}}})
                                              .dump());
  REQUIRE(reply);
  CHECK(reply->status == 200);
  reply = client.post_json(
      "/dialogflow-cx", json({{"text", text},
                              {"languageCode", "en-IN"},
                              {"sessionInfo", {{"session", "projects/p/locations/l/agents/a/sessions/s2"}}}})
                            .dump());
  REQUIRE(reply);
  CHECK(reply->status == 200);
  const json alexa = {
      {"version", "1.0"},
      {"session",
       {{"new", true},
        {"sessionId", "amzn1.echo-api.session.review"},
        {"application", {{"applicationId", kTestSkillId}}},
        {"user", {{"userId", "u"}}}}},
      {"request",
       {{"type", "IntentRequest"},
        {"requestId", "r"},
        {"timestamp", "2026-12-01T10:00:00Z"},
        {"locale", "en-CA"},
        {"intent", {{"name", "AskIntent"}, {"slots", {{"query", {{"name", "query"}, {"value", text}}}}}}}}}};
  reply = client.post_json("/alexa", alexa.dump());
  REQUIRE(reply);
  CHECK(reply->status == 200);

  for (const auto& [channel, locale] :
       std::vector<std::pair<std::string, std::string>>{{"chat", "en-GB"},
                                                        {"rasa", "en-AU"},
                                                        {"dialogflow", "en-US"},
                                                        {"dialogflow_cx", "en-IN"},
                                                        {"alexa", "en-CA"}}) {
    INFO(channel);
    CHECK(metric(client, "crampbot_not_understood_total{outcome=\"fallback\",channel=\"" + channel +
                             "\",locale=\"" + locale + "\"}") == 1);
  }
  // Five platforms, five conversations: the phrase shows.
  const json shown = listing(client);
  REQUIRE(shown["phrases"].size() == 1);
  CHECK(shown["phrases"][0]["text"] == "how many banana a day");
  CHECK(shown["phrases"][0]["conversations"] == 5);
  CHECK(shown["phrases"][0]["locales"].size() == 5);
}

TEST_CASE("clarifying questions are counted by locale and channel whether or not review is on",
          "[review][server]") {
  TestServer server;  // review off
  HttpClient client(server.port());
  // Two of our intents claim this about equally: the reply asks which.
  const json reply = chat(
      client, {{"text", "why do my feet and calves cramp after wearing heels all day"}, {"locale", "en-NZ"}});
  REQUIRE(reply["intent"] == "clarify");
  CHECK(metric(client, R"(crampbot_not_understood_total{outcome="clarify",channel="chat",locale="en-NZ"})") ==
        1);
  // Understood answers are not counted there.
  chat(client, {{"text", "what foods have magnesium"}, {"locale", "en-NZ"}});
  CHECK(metric(client,
               R"(crampbot_not_understood_total{outcome="fallback",channel="chat",locale="en-NZ"})") == -1);
  // With review off nothing is kept, and /admin/review says so.
  const auto review = client.get("/admin/review");
  REQUIRE(review);
  CHECK(review->status == 404);
  CHECK(json::parse(review->body)["error"] == "review_off");
}

TEST_CASE("locales in the metrics are bounded, whatever clients send", "[review][server]") {
  // Off: 42 questions at once from one client are over the per-client rate limit's burst.
  app::AppConfig config = test_config();
  config.server.rate_limit_rps = 0;
  TestServer server(config);
  HttpClient client(server.port());
  for (std::size_t i = 0; i < server::Metrics::kMaxLocales + 10; ++i)
    chat(client, {{"text", "how many bananas a day"}, {"locale", "xx-" + std::to_string(1000 + i)}});
  CHECK(metric(client,
               R"(crampbot_not_understood_total{outcome="fallback",channel="chat",locale="other"})") == 10);
}

TEST_CASE("/admin/review answers loopback clients only, never a browser, and only GET", "[review][server]") {
  ReviewFolder folder;
  TestServer server(review_config(folder.file()));
  HttpClient client(server.port());
  auto reply = client.request("GET", "/admin/review", {}, {{"Origin", "http://127.0.0.1:8080"}});
  REQUIRE(reply);
  CHECK(reply->status == 403);
  CHECK(json::parse(reply->body)["error"] == "forbidden");
  reply = client.post_json("/admin/review", "{}");
  REQUIRE(reply);
  CHECK(reply->status == 405);
  CHECK(listing(client)["phrases"].empty());
}

TEST_CASE("a review file in use by another server stops the start with a message naming it",
          "[review][server]") {
  ReviewFolder folder;
  TestServer first(review_config(folder.file()));
  CHECK_THROWS_WITH(TestServer(review_config(folder.file())),
                    Catch::Contains("review.file") && Catch::Contains("in use by another crampbot process"));
}
