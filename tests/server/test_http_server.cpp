// The HTTP layer over real sockets: routes, errors as JSON, keep-alive, pipelining, limits, timeouts, the
// connection cap, CORS, and a graceful stop with a request in flight.
#include <catch2/catch.hpp>

#include <future>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "support/http_client.h"
#include "test_server.h"

using namespace crampbot;
using namespace crampbot::test;
using namespace std::chrono_literals;

namespace {

const std::string kChatBody = R"({"text":"what foods have magnesium"})";

nlohmann::json json_of(const HttpReply& reply) {
  return nlohmann::json::parse(reply.body);
}

}  // namespace

TEST_CASE("health, readiness and metrics answer", "[server]") {
  TestServer server;
  HttpClient client(server.port());
  auto health = client.get("/healthz");
  REQUIRE(health);
  CHECK(health->status == 200);
  CHECK(json_of(*health)["status"] == "ok");
  auto ready = client.get("/readyz");
  REQUIRE(ready);
  CHECK(ready->status == 200);
  CHECK(json_of(*ready)["intents"].get<int>() > 20);

  auto chat = client.post_json("/v1/chat", kChatBody);
  REQUIRE(chat);
  CHECK(chat->status == 200);
  CHECK(client.post_json("/v1/chat", R"({"text":"my calf is swollen red and hot"})")->status == 200);
  CHECK(client.post_json("/v1/chat", R"({"text":"what is the capital of peru"})")->status == 200);
  auto metrics = client.get("/metrics");
  REQUIRE(metrics);
  CHECK(metrics->status == 200);
  CHECK(metrics->header("content-type").starts_with("text/plain; version=0.0.4"));
  const std::string& text = metrics->body;
  CHECK(text.find("crampbot_http_requests_total{channel=\"chat\",status=\"200\"} 3") != std::string::npos);
  CHECK(text.find("crampbot_replies_total{intent=\"food_sources\"} 1") != std::string::npos);
  CHECK(text.find("crampbot_urgent_replies_total 1") != std::string::npos);
  CHECK(text.find("crampbot_fallback_replies_total 1") != std::string::npos);
  CHECK(text.find("crampbot_request_duration_seconds_count") != std::string::npos);
  CHECK(text.find("crampbot_request_duration_seconds_bucket{le=\"+Inf\"}") != std::string::npos);
  CHECK(text.find("crampbot_open_connections 1") != std::string::npos);
}

TEST_CASE("unknown paths, wrong methods and wrong content types get JSON errors", "[server]") {
  TestServer server;
  HttpClient client(server.port());
  auto missing = client.get("/nope");
  REQUIRE(missing);
  CHECK(missing->status == 404);
  CHECK(json_of(*missing)["error"] == "not_found");

  auto wrong_method = client.get("/v1/chat");
  REQUIRE(wrong_method);
  CHECK(wrong_method->status == 405);
  CHECK(wrong_method->header("allow") == "POST, OPTIONS");
  CHECK(json_of(*wrong_method)["error"] == "method_not_allowed");

  auto no_type = client.request("POST", "/v1/chat", kChatBody);
  REQUIRE(no_type);
  CHECK(no_type->status == 415);
  auto text_type = client.request("POST", "/alexa", "{}", {{"Content-Type", "text/plain"}});
  REQUIRE(text_type);
  CHECK(text_type->status == 415);
  CHECK(json_of(*text_type)["message"].get<std::string>().find("application/json") != std::string::npos);
  // Parameters and case do not matter.
  CHECK(client.request("POST", "/v1/chat", kChatBody, {{"Content-Type", "Application/JSON; charset=utf-8"}})
            ->status == 200);
}

TEST_CASE("bad JSON bodies are 400 with a message that says what was wrong", "[server]") {
  TestServer server;
  HttpClient client(server.port());
  struct Case {
    std::string body;
    std::string error;
    std::string message_part;
  };
  const std::vector<Case> cases = {
      {"{\"text\": ", "bad_json", "invalid JSON"},
      {"[1,2]", "bad_request", "JSON object"},
      {"{}", "missing_field", "\"text\""},
      {R"({"text": 5})", "bad_field", "\"text\""},
      {R"({"text": "hi", "session": 7})", "bad_field", "\"session\""},
      {R"({"text": ""})", "bad_text", "empty"},
      {"{\"text\": \"\xff\xfe\"}", "bad_json", "invalid JSON"},
      {std::string(200, '[') + std::string(200, ']'), "bad_json", "nested deeper"},
  };
  for (const auto& c : cases) {
    INFO(c.body.substr(0, 40));
    auto reply = client.post_json("/v1/chat", c.body);
    REQUIRE(reply);
    CHECK(reply->status == 400);
    const auto body = json_of(*reply);
    CHECK(body["error"] == c.error);
    CHECK(body["message"].get<std::string>().find(c.message_part) != std::string::npos);
  }
  // The server is still fine.
  CHECK(client.post_json("/v1/chat", kChatBody)->status == 200);
}

TEST_CASE("a kept-alive connection serves many requests, and pipelined requests are answered in order",
          "[server]") {
  TestServer server;
  RawConnection raw(server.port());
  REQUIRE(raw.connected());
  const std::string one = chat_request_bytes(kChatBody);
  const std::string two = chat_request_bytes(R"({"text":"quick relief"})");
  const std::string three = "GET /healthz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n";
  REQUIRE(raw.send(one + two + three));
  const std::string replies = raw.read_until_closed(5s);
  const auto first = replies.find("\"intent\":\"food_sources\"");
  const auto second = replies.find("\"intent\":\"quick_relief\"");
  const auto third = replies.find("{\"status\":\"ok\"}");
  CHECK(first != std::string::npos);
  CHECK(second != std::string::npos);
  CHECK(third != std::string::npos);
  CHECK(first < second);
  CHECK(second < third);
}

TEST_CASE("a body over the limit is 413 and headers over the limit are 431", "[server]") {
  app::AppConfig config = test_config();
  config.server.max_body_bytes = 4096;
  config.server.max_header_bytes = 2048;
  TestServer server(config);
  {
    RawConnection raw(server.port());
    const std::string body = R"({"text":")" + std::string(5000, 'a') + "\"}";
    raw.send(chat_request_bytes(body));
    const std::string reply = raw.read_until_closed(5s);
    CHECK(status_of(reply) == 413);
    CHECK(reply.find("\"error\":\"body_too_large\"") != std::string::npos);
  }
  {
    RawConnection raw(server.port());
    raw.send("GET /healthz HTTP/1.1\r\nHost: localhost\r\nX-Big: " + std::string(4000, 'b') + "\r\n\r\n");
    const std::string reply = raw.read_until_closed(5s);
    CHECK(status_of(reply) == 431);
  }
  HttpClient client(server.port());
  CHECK(client.post_json("/v1/chat", kChatBody)->status == 200);
}

TEST_CASE("garbage instead of HTTP is 400 and the connection closes", "[server]") {
  TestServer server;
  RawConnection raw(server.port());
  raw.send("\x16\x03\x01\x02\x00 hello this is not http\r\n\r\n");
  const std::string reply = raw.read_until_closed(5s);
  CHECK(status_of(reply) == 400);
  CHECK(reply.find("malformed HTTP request") != std::string::npos);
}

TEST_CASE("Expect: 100-continue gets its interim answer before the body", "[server]") {
  TestServer server;
  RawConnection raw(server.port());
  raw.send(
      "POST /v1/chat HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nExpect: "
      "100-continue\r\n"
      "Content-Length: " +
      std::to_string(kChatBody.size()) + "\r\nConnection: close\r\n\r\n");
  const std::string interim = raw.read_some(5s);
  CHECK(interim.starts_with("HTTP/1.1 100 Continue"));
  raw.send(kChatBody);
  const std::string reply = raw.read_until_closed(5s);
  CHECK(status_of(reply) == 200);
}

TEST_CASE("a request dribbled too slowly and an idle connection are both closed, while others are served",
          "[server]") {
  app::AppConfig config = test_config();
  config.server.header_timeout = 400ms;
  config.server.read_timeout = 400ms;
  config.server.idle_timeout = 400ms;
  TestServer server(config);
  RawConnection slow(server.port());
  RawConnection idle(server.port());
  slow.send("POST /v1/chat HTTP/1.1\r\nHost: localhost\r\n");
  HttpClient client(server.port());
  for (int i = 0; i < 5; ++i)
    CHECK(client.post_json("/v1/chat", kChatBody)->status == 200);
  CHECK(slow.closed_within(3s));
  CHECK(idle.closed_within(3s));
}

TEST_CASE("over the connection cap, an idle connection makes room - with every one busy, 503", "[server]") {
  app::AppConfig config = test_config();
  config.server.max_connections = 4;
  TestServer server(config);
  std::vector<std::unique_ptr<RawConnection>> held;
  for (int i = 0; i < 4; ++i) {
    held.push_back(std::make_unique<RawConnection>(server.port()));
    // One complete request each, so each is a kept-alive idle connection afterwards.
    held.back()->send("GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n");
    CHECK(status_of(held.back()->read_some(5s)) == 200);
  }
  {
    HttpClient newcomer(server.port());
    auto reply = newcomer.post_json("/v1/chat", kChatBody);
    REQUIRE(reply);
    CHECK(reply->status == 200);
  }
  int closed = 0;
  for (auto& c : held)
    closed += c->closed_within(200ms) ? 1 : 0;
  CHECK(closed >= 1);

  // Now every slot holds a request whose head is read and whose body is on its way (busy, not waiting): a
  // newcomer is refused with 503.
  held.clear();
  std::this_thread::sleep_for(200ms);
  for (int i = 0; i < 4; ++i) {
    held.push_back(std::make_unique<RawConnection>(server.port()));
    held.back()->send(
        "POST /v1/chat HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: "
        "100\r\n\r\n{");
  }
  std::this_thread::sleep_for(200ms);
  RawConnection refused(server.port());
  const std::string reply = refused.read_until_closed(3s);
  CHECK(status_of(reply) == 503);
}

TEST_CASE("CORS: preflight and requests from allowed origins only", "[server]") {
  app::AppConfig config = test_config();
  config.server.cors_origins = {"https://shop.example"};
  TestServer server(config);
  HttpClient client(server.port());
  auto preflight = client.request("OPTIONS", "/v1/chat", {},
                                  {{"Origin", "https://shop.example"},
                                   {"Access-Control-Request-Method", "POST"},
                                   {"Access-Control-Request-Headers", "content-type"}});
  REQUIRE(preflight);
  CHECK(preflight->status == 204);
  CHECK(preflight->header("access-control-allow-origin") == "https://shop.example");
  CHECK(preflight->header("access-control-allow-methods").find("POST") != std::string::npos);
  CHECK(preflight->header("access-control-allow-headers").find("Content-Type") != std::string::npos);

  auto denied = client.request("OPTIONS", "/v1/chat", {}, {{"Origin", "https://evil.example"}});
  REQUIRE(denied);
  CHECK(denied->status == 403);
  CHECK(denied->header("access-control-allow-origin").empty());

  auto allowed = client.post_json("/v1/chat", kChatBody, {{"Origin", "https://shop.example"}});
  REQUIRE(allowed);
  CHECK(allowed->status == 200);
  CHECK(allowed->header("access-control-allow-origin") == "https://shop.example");
  CHECK(allowed->header("vary") == "Origin");
  auto forbidden = client.post_json("/webhooks/rest/webhook", R"({"sender":"a","message":"hi"})",
                                    {{"Origin", "https://evil.example"}});
  REQUIRE(forbidden);
  CHECK(forbidden->status == 403);
  // Server-to-server callers send no Origin and are not affected.
  CHECK(client.post_json("/v1/chat", kChatBody)->status == 200);

  // A page the server itself served (the demo at "/") sends its own origin: that is not cross-origin,
  // whatever the port or host name the browser used. Only an exact match counts.
  const std::string host = "127.0.0.1:" + std::to_string(server.port());
  for (const std::string& own : {"http://" + host, "https://" + host}) {
    auto same = client.post_json("/v1/chat", kChatBody, {{"Origin", own}, {"Host", host}});
    REQUIRE(same);
    CHECK(same->status == 200);
  }
  // Only the stateless chat API: a Rasa sender's conversation lives on the server.
  auto rasa = client.post_json("/webhooks/rest/webhook", R"({"sender":"a","message":"hi"})",
                               {{"Origin", "http://" + host}, {"Host", host}});
  REQUIRE(rasa);
  CHECK(rasa->status == 403);
  for (const std::string& other :
       {"http://" + host + ".evil.example", "http://evil." + host, "http://" + host + "/", "ftp://" + host}) {
    INFO(other);
    auto refused = client.post_json("/v1/chat", kChatBody, {{"Origin", other}, {"Host", host}});
    REQUIRE(refused);
    CHECK(refused->status == 403);
  }
}

TEST_CASE("a graceful stop finishes the request in flight, closes idle connections and refuses new ones",
          "[server]") {
  auto server = std::make_unique<TestServer>();
  const auto port = server->port();
  RawConnection idle(port);
  RawConnection in_flight(port);
  const std::string request = chat_request_bytes(kChatBody);
  // Half the request is in before the stop…
  in_flight.send(request.substr(0, request.size() / 2));
  std::this_thread::sleep_for(100ms);
  auto stopped = std::async(std::launch::async, [&] {
    server->app().stop();
    server->app().wait();
  });
  std::this_thread::sleep_for(200ms);
  CHECK(idle.closed_within(2s));
  RawConnection late(port);
  CHECK_FALSE(late.connected());
  // …and the rest after: it is still answered, with Connection: close.
  in_flight.send(request.substr(request.size() / 2));
  const std::string reply = in_flight.read_until_closed(5s);
  CHECK(status_of(reply) == 200);
  CHECK(reply.find("Connection: close") != std::string::npos);
  CHECK(stopped.wait_for(5s) == std::future_status::ready);
}

TEST_CASE("HEAD is GET without the body, and a pipelined request after it is read correctly", "[server]") {
  TestServer server;
  RawConnection raw(server.port());
  raw.send(
      "HEAD /healthz HTTP/1.1\r\nHost: localhost\r\n\r\nGET /healthz HTTP/1.1\r\nHost: "
      "localhost\r\nConnection: "
      "close\r\n\r\n");
  const std::string replies = raw.read_until_closed(5s);
  const auto second = replies.find("HTTP/1.1", 1);
  REQUIRE(second != std::string::npos);
  const std::string head = replies.substr(0, second);
  CHECK(status_of(head) == 200);
  CHECK(head.find("Content-Length: 15") != std::string::npos);
  CHECK(head.ends_with("\r\n\r\n"));  // headers only
  CHECK(status_of(replies.substr(second)) == 200);
  CHECK(replies.substr(second).find("{\"status\":\"ok\"}") != std::string::npos);
  HttpClient client(server.port());
  auto head_post_route = client.request("HEAD", "/v1/chat");
  REQUIRE(head_post_route);
  CHECK(head_post_route->status == 405);
  CHECK(head_post_route->body.empty());
}

TEST_CASE("requests the RFC tells a server to accept or refuse", "[server]") {
  TestServer server;
  auto exchange = [&](const std::string& bytes) {
    RawConnection raw(server.port());
    raw.send(bytes);
    return raw.read_until_closed(5s);
  };
  // Absolute-form target (its authority stands for Host, RFC 9112 §3.2.2) and empty lines before the
  // request line: accepted.
  CHECK(
      status_of(exchange(
          "GET http://localhost:8080/healthz HTTP/1.1\r\nHost: example.org\r\nConnection: close\r\n\r\n")) ==
      200);
  CHECK(status_of(exchange(
            "GET HTTPS://[::1]/healthz?x=1 HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")) ==
        200);
  CHECK(status_of(exchange(
            "\r\n\r\nGET /healthz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")) == 200);
  // HTTP/1.1 without Host, and a body framed by a Transfer-Encoding other than chunked: 400.
  CHECK(status_of(exchange("GET /healthz HTTP/1.1\r\nConnection: close\r\n\r\n")) == 400);
  CHECK(status_of(exchange("POST /v1/chat HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                           "Transfer-Encoding: gzip\r\n\r\n{\"text\":\"hi\"}")) == 400);
  // RFC 9112 §3.2: more than one Host, or one that is not a host, is 400.
  CHECK(status_of(exchange("GET /healthz HTTP/1.1\r\nHost: localhost\r\nHost: localhost\r\n\r\n")) == 400);
  CHECK(status_of(exchange("GET /healthz HTTP/1.1\r\nHost: local host\r\n\r\n")) == 400);
  CHECK(status_of(exchange("GET /healthz HTTP/1.1\r\nHost: user@localhost\r\n\r\n")) == 400);
  CHECK(status_of(exchange("GET /healthz HTTP/1.1\r\nHost: localhost:80x\r\n\r\n")) == 400);
  CHECK(status_of(exchange("GET /healthz HTTP/1.1\r\nHost: [::1\r\n\r\n")) == 400);
  // An absolute-form target of another scheme, or without a valid authority, is 400: its path is not
  // taken.
  CHECK(status_of(exchange("GET ftp://localhost/healthz HTTP/1.1\r\nHost: localhost\r\n\r\n")) == 400);
  CHECK(status_of(exchange("GET http:///healthz HTTP/1.1\r\nHost: localhost\r\n\r\n")) == 400);
  CHECK(status_of(exchange("GET http://us er@x/healthz HTTP/1.1\r\nHost: localhost\r\n\r\n")) == 400);
  CHECK(status_of(exchange("GET http://a@localhost/healthz HTTP/1.1\r\nHost: localhost\r\n\r\n")) == 400);
  CHECK(status_of(exchange("GET healthz HTTP/1.1\r\nHost: localhost\r\n\r\n")) == 400);
  // RFC 9112 §6.1: HTTP/1.0 with Transfer-Encoding has faulty framing: 400, and the connection closes
  // (a request behind it is not read).
  {
    RawConnection raw(server.port());
    raw.send(
        "POST /v1/chat HTTP/1.0\r\nHost: localhost\r\nContent-Type: application/json\r\n"
        "Transfer-Encoding: chunked\r\n\r\n5\r\n{\"a\":\r\n0\r\n\r\nGET /healthz HTTP/1.1\r\nHost: "
        "localhost\r\n\r\n");
    const std::string replies = raw.read_until_closed(5s);
    CHECK(status_of(replies) == 400);
    CHECK(replies.find("HTTP/1.1", 1) == std::string::npos);
    CHECK(raw.closed_within(1s));
  }
  // RFC 9112 §2.2: empty lines before a pipelined request line are skipped, as before the first.
  {
    RawConnection raw(server.port());
    const std::string body = R"({"text":"hi"})";
    raw.send(
        "POST /v1/chat HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: " +
        std::to_string(body.size()) + "\r\n\r\n" + body +
        "\r\n\r\nGET /healthz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
    const std::string replies = raw.read_until_closed(5s);
    CHECK(status_of(replies) == 200);
    const auto second = replies.find("HTTP/1.1", 1);
    REQUIRE(second != std::string::npos);
    CHECK(status_of(replies.substr(second)) == 200);
  }
  // HTTP/1.0 keep-alive is answered as HTTP/1.0 and says it stays open.
  const std::string old = exchange("GET /healthz HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
  CHECK(old.starts_with("HTTP/1.0 200"));
}

TEST_CASE("a chunked body cannot grow memory through chunk extensions or trailers", "[server]") {
  TestServer server;
  RawConnection raw(server.port());
  raw.send(
      "POST /v1/chat HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nTransfer-Encoding: "
      "chunked\r\n\r\n"
      "1;a=");
  const std::string filler(64 * 1024, 'x');
  bool sent_all = true;
  for (int i = 0; i < 64 && sent_all; ++i)
    sent_all = raw.send(filler);  // 4 MiB of one extension
  const std::string reply = raw.read_until_closed(5s);
  const int status = status_of(reply);
  CHECK((status == 413 || status == 431 || (status == 0 && !sent_all)));
  HttpClient client(server.port());
  CHECK(client.get("/healthz")->status == 200);
}

TEST_CASE("over the cap, the connection longest without a request head makes room, on any worker",
          "[server]") {
  app::AppConfig config = test_config();
  config.server.max_connections = 2;
  config.server.threads = 2;
  TestServer server(config);
  // Connections go to the workers in turn: busy → worker 0, idle → worker 1, newcomer → worker 0.
  RawConnection busy(server.port());
  busy.send(
      "POST /v1/chat HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: "
      "100\r\n\r\n{");
  std::this_thread::sleep_for(100ms);
  RawConnection idle(server.port());
  idle.send("GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n");
  CHECK(status_of(idle.read_some(5s)) == 200);
  std::this_thread::sleep_for(100ms);
  RawConnection newcomer(server.port());
  newcomer.send("GET /healthz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
  CHECK(status_of(newcomer.read_until_closed(5s)) == 200);
  CHECK(idle.closed_within(2s));
}

TEST_CASE("over the cap, a half-sent request head makes room before a younger idle connection", "[server]") {
  app::AppConfig config = test_config();
  config.server.max_connections = 2;
  TestServer server(config);
  // The half-sent head has waited longest for its request: it goes, the idle kept-alive one stays.
  RawConnection half_sent(server.port());
  half_sent.send("POST /v1/chat HTTP/1.1\r\nHost: localhost\r\n");
  std::this_thread::sleep_for(150ms);
  RawConnection idle(server.port());
  idle.send("GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n");
  CHECK(status_of(idle.read_some(5s)) == 200);
  RawConnection newcomer(server.port());
  newcomer.send("GET /healthz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
  CHECK(status_of(newcomer.read_until_closed(5s)) == 200);
  CHECK(half_sent.closed_within(2s));
  CHECK_FALSE(idle.gone_unread_within(200ms));
}

TEST_CASE("a request head has its own deadline, apart from the body's and the idle timeout", "[server]") {
  app::AppConfig config = test_config();
  config.server.header_timeout = 300ms;
  config.server.read_timeout = 3s;
  config.server.idle_timeout = 3s;
  TestServer server(config);
  using Clock = std::chrono::steady_clock;
  const auto start = Clock::now();
  // A connection that sends nothing, and one that sends half a head: both gone at the head's deadline, long
  // before the idle timeout or the body's deadline.
  RawConnection silent(server.port());
  RawConnection half_sent(server.port());
  half_sent.send("POST /v1/chat HTTP/1.1\r\nHost: localhost\r\n");
  CHECK(silent.closed_within(2s));
  CHECK(half_sent.closed_within(2s));
  CHECK(Clock::now() - start < 2500ms);
  // A whole head and then a body sent slowly, within the body's deadline but past the head's: answered.
  RawConnection slow_body(server.port());
  const std::string body = kChatBody;
  slow_body.send(
      "POST /v1/chat HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nConnection: "
      "close\r\nContent-Length: " +
      std::to_string(body.size()) + "\r\n\r\n" + body.substr(0, 5));
  std::this_thread::sleep_for(600ms);
  slow_body.send(body.substr(5));
  CHECK(status_of(slow_body.read_until_closed(5s)) == 200);
}

TEST_CASE("CORS headers come with errors too, and preflight answers carry no Content-Length", "[server]") {
  app::AppConfig config = test_config();
  config.server.cors_origins = {"https://shop.example"};
  TestServer server(config);
  HttpClient client(server.port());
  auto unsupported = client.request("POST", "/v1/chat", "{}", {{"Origin", "https://shop.example"}});
  REQUIRE(unsupported);
  CHECK(unsupported->status == 415);
  CHECK(unsupported->header("access-control-allow-origin") == "https://shop.example");
  auto bad = client.post_json("/v1/chat", "{", {{"Origin", "https://shop.example"}});
  CHECK(bad->status == 400);
  CHECK(bad->header("access-control-allow-origin") == "https://shop.example");
  auto preflight = client.request("OPTIONS", "/v1/chat", {}, {{"Origin", "https://shop.example"}});
  REQUIRE(preflight);
  CHECK(preflight->status == 204);
  CHECK(preflight->header("content-length").empty());
}
