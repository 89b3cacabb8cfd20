// The server facing the open internet, over real sockets: the Host allow-list (421, DNS rebinding), the
// per-client rate limit of the browser-facing routes (429 with Retry-After, X-Forwarded-For from trusted
// proxies only, the Rasa sender table), and the cap on connections per client address. (The floods of
// half-sent requests are in test_hostile_clients.cpp; the RFC 9112 framing rules in test_http_server.cpp.)
#include <catch2/catch.hpp>

#include <chrono>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "alexa/alexa_test_support.h"
#include "support/http_client.h"
#include "test_server.h"

using namespace crampbot;
using namespace crampbot::test;
using namespace std::chrono_literals;

namespace {

const std::string kChatBody = R"({"text":"what foods have magnesium"})";

int chat_status(HttpClient& client, const std::map<std::string, std::string>& headers = {}) {
  const auto reply = client.post_json("/v1/chat", kChatBody, headers);
  return reply ? reply->status : 0;
}

// The value of one sample line of /metrics ("name{labels}"), or -1 when absent.
long metric(HttpClient& client, const std::string& sample) {
  const auto reply = client.get("/metrics");
  if (!reply) return -1;
  const auto at = reply->body.find(sample + " ");
  if (at == std::string::npos) return -1;
  return std::stol(reply->body.substr(at + sample.size() + 1));
}

// One raw request with the given Host line (or none), answered and closed.
std::string with_host(std::uint16_t port, const std::string& target, const std::string& host_line) {
  RawConnection raw(port);
  raw.send("GET " + target + " HTTP/1.1\r\n" + host_line + "Connection: close\r\n\r\n");
  return raw.read_until_closed(5s);
}

}  // namespace

TEST_CASE("a Host that is not allowed is 421 with a JSON error; the allowed names pass on any port",
          "[internet]") {
  TestServer server;
  const auto port = server.port();
  for (const char* host :
       {"localhost", "localhost:8080", "LOCALHOST.", "127.0.0.1", "127.0.0.1:1", "[::1]", "[::1]:443"}) {
    INFO(host);
    CHECK(status_of(with_host(port, "/healthz", std::string("Host: ") + host + "\r\n")) == 200);
  }
  for (const char* host : {"evil.example", "evil.example:8080", "localhost.evil.example", "127.0.0.2", ""}) {
    INFO(host);
    const std::string reply = with_host(port, "/healthz", std::string("Host: ") + host + "\r\n");
    CHECK(status_of(reply) == 421);
    CHECK(reply.find(R"("error":"misdirected_request")") != std::string::npos);
    CHECK(reply.find("application/json") != std::string::npos);
  }
  // The absolute form's authority stands for Host (RFC 9112 §3.2.2), both ways.
  CHECK(status_of(with_host(port, "http://evil.example/healthz", "Host: localhost\r\n")) == 421);
  CHECK(status_of(with_host(port, "http://localhost/healthz", "Host: evil.example\r\n")) == 200);
  // HTTP/1.0 without any Host cannot come from a browser: answered.
  RawConnection old(port);
  old.send("GET /healthz HTTP/1.0\r\n\r\n");
  CHECK(status_of(old.read_until_closed(5s)) == 200);
}

TEST_CASE("allowed_hosts: names with a port, subdomains, and * for any host", "[internet]") {
  app::AppConfig config = test_config();
  config.server.allowed_hosts = {"bot.example.com:443", "*.example.org"};
  TestServer server(config);
  const auto port = server.port();
  CHECK(status_of(with_host(port, "/healthz", "Host: bot.example.com:443\r\n")) == 200);
  CHECK(status_of(with_host(port, "/healthz", "Host: bot.example.com:80\r\n")) == 421);
  CHECK(status_of(with_host(port, "/healthz", "Host: a.example.org\r\n")) == 200);
  CHECK(status_of(with_host(port, "/healthz", "Host: a.b.Example.ORG:8080\r\n")) == 200);
  CHECK(status_of(with_host(port, "/healthz", "Host: example.org\r\n")) == 421);
  CHECK(status_of(with_host(port, "/healthz", "Host: localhost\r\n")) == 421);

  config.server.allowed_hosts = {"*"};
  TestServer any(config);
  CHECK(status_of(with_host(any.port(), "/healthz", "Host: anything.example\r\n")) == 200);
}

TEST_CASE("DNS rebinding: a page under another name gets neither the same-origin exemption nor /metrics",
          "[internet]") {
  TestServer server;
  const std::string name = "rebound.example:" + std::to_string(server.port());
  HttpClient client(server.port());
  // What the page's fetch sends once its name points at this server: its own origin and its own Host.
  const auto chat = client.post_json("/v1/chat", kChatBody, {{"Host", name}, {"Origin", "http://" + name}});
  REQUIRE(chat);
  CHECK(chat->status == 421);
  CHECK(chat->header("access-control-allow-origin").empty());
  const auto metrics = client.request("GET", "/metrics", {}, {{"Host", name}});
  REQUIRE(metrics);
  CHECK(metrics->status == 421);
  CHECK(metrics->body.find("crampbot_http_requests_total") == std::string::npos);
  // The demo page's own origin, reached by an allowed name, still has it.
  const auto own =
      client.post_json("/v1/chat", kChatBody, {{"Host", "localhost:1"}, {"Origin", "http://localhost:1"}});
  REQUIRE(own);
  CHECK(own->status == 200);
  CHECK(own->header("access-control-allow-origin") == "http://localhost:1");
}

TEST_CASE("the rate limit: 429 with Retry-After and a JSON error over a client's burst, counted in /metrics",
          "[internet]") {
  app::AppConfig config = test_config();
  // A token every 4 s: none comes back while the test runs its checks, even on a loaded machine.
  config.server.rate_limit_rps = 0.25;
  config.server.rate_limit_burst = 5;
  config.server.cors_origins = {"https://shop.example"};
  TestServer server(config);
  HttpClient client(server.port());
  for (int i = 0; i < 5; ++i)
    CHECK(chat_status(client) == 200);
  const auto refused = client.post_json("/v1/chat", kChatBody, {{"Origin", "https://shop.example"}});
  REQUIRE(refused);
  CHECK(refused->status == 429);
  const int retry_after =
      std::stoi(refused->header("retry-after").empty() ? "0" : refused->header("retry-after"));
  CHECK(retry_after >= 1);
  CHECK(retry_after <= 4);  // one token comes back within 4 s at a quarter a second
  const auto error = nlohmann::json::parse(refused->body);
  CHECK(error["error"] == "rate_limited");
  // A page can read why: the CORS headers come with the refusal.
  CHECK(refused->header("access-control-allow-origin") == "https://shop.example");
  // The other browser-facing routes share the client's bucket.
  const auto rasa = client.post_json("/webhooks/rest/webhook", R"({"sender":"s","message":"hi"})");
  REQUIRE(rasa);
  CHECK(rasa->status == 429);
  const auto feedback = client.post_json("/v1/feedback", "{}");
  REQUIRE(feedback);
  CHECK(feedback->status == 429);
  // Health, metrics and preflights are not limited.
  CHECK(client.get("/healthz")->status == 200);
  CHECK(client
            .request("OPTIONS", "/v1/chat", {},
                     {{"Origin", "https://shop.example"}, {"Access-Control-Request-Method", "POST"}})
            ->status == 204);
  CHECK(metric(client, R"(crampbot_rate_limited_total{channel="chat"})") == 1);
  CHECK(metric(client, R"(crampbot_rate_limited_total{channel="rasa"})") == 1);
  CHECK(metric(client, R"(crampbot_http_requests_total{channel="chat",status="429"})") == 1);
  // Another client, named by the loopback proxy, has its own bucket.
  CHECK(chat_status(client, {{"X-Forwarded-For", "198.51.100.7"}}) == 200);
  // The bucket refills at the rate.
  std::this_thread::sleep_for(std::chrono::seconds(retry_after) + 100ms);
  CHECK(chat_status(client) == 200);
}

TEST_CASE("the rate limit does not apply to Alexa or Dialogflow, and 0 turns it off", "[internet]") {
  app::AppConfig config = test_config();
  config.server.rate_limit_rps = 0.1;
  config.server.rate_limit_burst = 2;
  config.alexa.verify = false;
  config.alexa.skill_ids = {};
  TestServer server(config);
  HttpClient client(server.port());
  const nlohmann::json dialogflow = {{"session", "projects/p/agent/sessions/s1"},
                                     {"queryResult",
                                      {{"queryText", "what foods have magnesium"},
                                       {"parameters", nlohmann::json::object()},
                                       {"intent", {{"displayName", "Default Fallback Intent"}}}}}};
  // Every user of a skill arrives from the platform's few addresses: one bucket would be shared by all.
  for (int i = 0; i < 10; ++i) {
    const auto reply = client.post_json("/dialogflow", dialogflow.dump());
    REQUIRE(reply);
    CHECK(reply->status == 200);
    const std::string envelope =
        alexa::test::envelope(alexa::test::intent_request(
                                  "AskIntent", {{"query", {{"name", "query"}, {"value", "magnesium"}}}}),
                              std::chrono::system_clock::now(), kTestSkillId)
            .dump();
    const auto alexa = client.post_json("/alexa", envelope);
    REQUIRE(alexa);
    CHECK(alexa->status == 200);
  }
  CHECK(chat_status(client) == 200);
  CHECK(chat_status(client) == 200);
  CHECK(chat_status(client) == 429);

  config.server.rate_limit_rps = 0;
  TestServer unlimited(config);
  HttpClient free_client(unlimited.port());
  for (int i = 0; i < 60; ++i)
    CHECK(chat_status(free_client) == 200);
}

TEST_CASE("X-Forwarded-For names the client only when the peer is a trusted proxy", "[internet]") {
  app::AppConfig config = test_config();
  config.server.rate_limit_rps = 0.1;
  config.server.rate_limit_burst = 2;
  SECTION("from an untrusted peer it is ignored: every request is the peer's") {
    config.server.trusted_proxies = {"10.0.0.0/8"};
    TestServer server(config);
    HttpClient client(server.port());
    CHECK(chat_status(client, {{"X-Forwarded-For", "198.51.100.1"}}) == 200);
    CHECK(chat_status(client, {{"X-Forwarded-For", "198.51.100.2"}}) == 200);
    CHECK(chat_status(client, {{"X-Forwarded-For", "198.51.100.3"}}) == 429);
  }
  SECTION(
      "through trusted proxies, the last untrusted address: what a client writes to its left is ignored") {
    config.server.trusted_proxies = {"127.0.0.0/8", "10.0.0.0/8"};
    TestServer server(config);
    HttpClient client(server.port());
    CHECK(chat_status(client, {{"X-Forwarded-For", "1.1.1.1, 198.51.100.9, 10.0.0.2"}}) == 200);
    CHECK(chat_status(client, {{"X-Forwarded-For", "2.2.2.2, 198.51.100.9, 10.0.0.7"}}) == 200);
    CHECK(chat_status(client, {{"X-Forwarded-For", "3.3.3.3,198.51.100.9"}}) == 429);
    // Another client behind the same proxies is not affected.
    CHECK(chat_status(client, {{"X-Forwarded-For", "198.51.100.10, 10.0.0.2"}}) == 200);
  }
}

TEST_CASE("a flood of new Rasa senders from one client is refused, and another user's conversation survives",
          "[internet]") {
  app::AppConfig config = test_config();
  // Small, so that a flood ten times smaller than 10,000 would evict the oldest conversation.
  config.rasa.max_senders = 500;
  TestServer server(config);
  HttpClient user(server.port());
  auto send = [&](HttpClient& client, const std::string& sender, const std::string& message,
                  const std::map<std::string, std::string>& headers) {
    const auto reply = client.post_json(
        "/webhooks/rest/webhook", nlohmann::json{{"sender", sender}, {"message", message}}.dump(), headers);
    return reply ? *reply : HttpReply{};
  };
  const std::map<std::string, std::string> from_user = {{"X-Forwarded-For", "198.51.100.20"}};
  REQUIRE(send(user, "alice", "what does potassium do", from_user).status == 200);
  HttpClient attacker(server.port());
  int accepted = 0;
  int refused = 0;
  for (int i = 0; i < 1000; ++i) {
    const int status = send(attacker, "flood-" + std::to_string(i), "hi", {}).status;
    accepted += status == 200 ? 1 : 0;
    refused += status == 429 ? 1 : 0;
  }
  INFO(accepted << " new senders accepted, " << refused << " refused");
  CHECK(accepted < 250);
  CHECK(refused >= 750);
  const HttpReply again = send(user, "alice", "what foods have it", from_user);
  REQUIRE(again.status == 200);
  CHECK(nlohmann::json::parse(again.body)[0]["text"].get<std::string>().find("otassium") !=
        std::string::npos);
}

TEST_CASE("one client address may hold max_connections_per_client connections; trusted proxies are exempt",
          "[internet]") {
  app::AppConfig config = test_config();
  config.server.max_connections_per_client = 4;
  config.server.trusted_proxies = {"127.0.0.1"};
  TestServer server(config);
  std::vector<std::unique_ptr<RawConnection>> held;
  for (int i = 0; i < 4; ++i) {
    held.push_back(std::make_unique<RawConnection>(server.port(), "127.0.0.2"));
    REQUIRE(held.back()->connected());
    held.back()->send("POST /v1/chat HTTP/1.1\r\nHost: localhost\r\n");
  }
  // The fifth from that address is refused at once, with 503 and a JSON error.
  RawConnection fifth(server.port(), "127.0.0.2");
  REQUIRE(fifth.connected());
  const std::string refusal = fifth.read_until_closed(3s);
  CHECK(status_of(refusal) == 503);
  CHECK(refusal.find("too many connections from one address") != std::string::npos);
  // Another address, and the trusted proxy, are served meanwhile.
  RawConnection other(server.port(), "127.0.0.3");
  other.send("GET /healthz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
  CHECK(status_of(other.read_until_closed(5s)) == 200);
  std::vector<std::unique_ptr<RawConnection>> proxied;
  for (int i = 0; i < 8; ++i) {
    proxied.push_back(std::make_unique<RawConnection>(server.port(), "127.0.0.1"));
    proxied.back()->send("GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n");
  }
  for (auto& connection : proxied)
    CHECK(status_of(connection->read_some(5s)) == 200);
  // Once one of the four closes, the address may open another.
  held.front()->close();
  std::this_thread::sleep_for(200ms);
  RawConnection again(server.port(), "127.0.0.2");
  again.send("GET /healthz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
  CHECK(status_of(again.read_until_closed(5s)) == 200);
}
