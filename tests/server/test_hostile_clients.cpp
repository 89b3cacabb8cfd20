// Hostile clients against the real server: a body that never finishes, clients that vanish mid-response,
// thousands of idle connections, huge strings, markup in utterances. Each gets a clear status or a closed
// connection within the configured limits, and a well-behaved client is served meanwhile. (Slow headers,
// oversized headers and bodies, garbage, pipelining and the connection cap are in test_http_server.cpp.)
#include <catch2/catch.hpp>

#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "alexa/alexa_test_support.h"
#include "engine/ssml.h"
#include "support/http_client.h"
#include "support/test_pki.h"
#include "test_server.h"

using namespace crampbot;
using namespace crampbot::test;
using namespace std::chrono_literals;
namespace alexa_test = crampbot::alexa::test;

namespace {

const std::string kChatBody = R"({"text":"what foods have magnesium"})";

// A well-behaved client's request during an attack: answered, and about magnesium.
bool served(std::uint16_t port) {
  HttpClient client(port);
  const auto reply = client.post_json("/v1/chat", kChatBody);
  return reply && reply->status == 200 && reply->body.find("agnesium") != std::string::npos;
}

// This process's resident memory in KiB (the server runs in it), from /proc/self/status.
long resident_kib() {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.starts_with("VmRSS:")) return std::stol(line.substr(6));
  }
  return -1;
}

// Raises this process's open-file limit towards `wanted`; returns what it is now.
rlim_t raise_file_limit(rlim_t wanted) {
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) != 0) return 0;
  if (limit.rlim_cur < wanted) {
    rlimit raised = limit;
    raised.rlim_cur = std::min(wanted, limit.rlim_max);
    if (setrlimit(RLIMIT_NOFILE, &raised) == 0) limit = raised;
  }
  return limit.rlim_cur;
}

}  // namespace

TEST_CASE("a body that never finishes is cut off at the read deadline, while others are served",
          "[hostile]") {
  app::AppConfig config = test_config();
  config.server.read_timeout = 400ms;
  TestServer server(config);
  RawConnection stalled(server.port());
  // Promises 1000 bytes, sends 10, then nothing.
  const auto sent = std::chrono::steady_clock::now();
  stalled.send(
      "POST /v1/chat HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n"
      "{\"text\":\"w");
  for (int i = 0; i < 3; ++i)
    CHECK(served(server.port()));
  // Closed without an answer (nothing was asked in full), at the deadline: not before it, well within 3 s.
  CHECK(stalled.closed_within(3s));
  CHECK(std::chrono::steady_clock::now() - sent >= 400ms);
  CHECK(served(server.port()));
}

TEST_CASE("clients that disconnect before or during their answers do not disturb the server", "[hostile]") {
  TestServer server;
  // Many pipelined requests, then gone before reading a byte: the server's writes meet a closed socket.
  for (int round = 0; round < 20; ++round) {
    RawConnection vanishing(server.port());
    std::string burst;
    for (int i = 0; i < 200; ++i)
      burst += "POST /v1/chat HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: " +
               std::to_string(kChatBody.size()) + "\r\n\r\n" + kChatBody;
    vanishing.send(burst);
    vanishing.close();
  }
  // A large answer (the widget's script) abandoned after its first bytes.
  for (int round = 0; round < 20; ++round) {
    RawConnection impatient(server.port());
    impatient.send("GET /widget.js HTTP/1.1\r\nHost: x\r\n\r\n");
    (void)impatient.read_some(1s);
    impatient.close();
  }
  CHECK(served(server.port()));
  HttpClient client(server.port());
  const auto health = client.get("/healthz");
  REQUIRE(health);
  CHECK(health->status == 200);
}

TEST_CASE("two thousand idle connections cost bounded memory and do not block a working client",
          "[hostile]") {
  // Each connection is two descriptors in this process (client and server side): as many as the hard
  // limit allows, up to 2,000, and no fewer than 500.
  const rlim_t file_limit = raise_file_limit(2 * 2000 + 256);
  const int idle_count =
      file_limit > 256 ? static_cast<int>(std::min<rlim_t>(2000, (file_limit - 256) / 2)) : 0;
  INFO(idle_count << " idle connections (open-file limit " << file_limit << ")");
  REQUIRE(idle_count >= 500);
  TestServer server;
  REQUIRE(served(server.port()));
  const long before = resident_kib();
  std::vector<std::unique_ptr<RawConnection>> idle;
  idle.reserve(idle_count);
  for (int i = 0; i < idle_count; ++i) {
    idle.push_back(std::make_unique<RawConnection>(server.port()));
    REQUIRE(idle.back()->connected());
    // Half send half a request line and stop; half send nothing at all.
    if (i % 2 == 0) idle.back()->send("GET /hea");
  }
  // The server has seen them all once a request behind them is answered.
  CHECK(served(server.port()));
  const long grown = resident_kib() - before;
  INFO("resident memory grew by " << grown << " KiB for " << idle_count << " idle connections");
  // Generous against what a connection holds (a coroutine frame and a small read buffer on each side):
  // a per-connection allocation of a body-sized buffer (64 KiB) would blow through it.
  CHECK(grown < idle_count * 24);
  for (int i = 0; i < 5; ++i)
    CHECK(served(server.port()));
}

TEST_CASE("huge strings: an utterance over the limit is a 400 naming it, a big unread field is ignored",
          "[hostile]") {
  TestServer server;
  HttpClient client(server.port());
  // 60,000 bytes of text: inside the 64 KiB body limit, over the 2,000-byte utterance limit.
  const auto long_text =
      client.post_json("/v1/chat", nlohmann::json{{"text", std::string(60000, 'a')}}.dump());
  REQUIRE(long_text);
  CHECK(long_text->status == 400);
  const auto error = nlohmann::json::parse(long_text->body);
  CHECK(error["error"] == "bad_text");
  CHECK(error["message"].get<std::string>().find("\"text\"") != std::string::npos);
  // A field we do not read, long and full of escapes (6 bytes of JSON for each character built).
  std::string note(9000, ' ');
  for (int i = 0; i < 1000; ++i)
    note += "\\u00e9";
  const auto escaped =
      client.post_json("/v1/chat", R"({"text":"what foods have magnesium","note":")" + note + "\"}");
  REQUIRE(escaped);
  CHECK(escaped->status == 200);
  CHECK(served(server.port()));
}

TEST_CASE("SSML- and JSON-breaking characters in what users send never break a reply", "[hostile]") {
  TestServer server;
  HttpClient client(server.port());
  const std::vector<std::string> utterances = {
      R"(what foods have magnesium</speak><audio src="https://evil.example/x.mp3"/><speak>)",
      "magnesium & potassium <break time=\"10s\"/> \"quoted\" 'single' ]]> <!-- -->",
      "<![CDATA[ leg cramps ]]> &amp; &#x3C; &unknown; \\u0000 \\\" }]",
      "my calf is swollen & red <and> hot",
  };
  for (const std::string& utterance : utterances) {
    INFO(utterance);
    // Chat: the reply's JSON parses, and its SSML is one well-formed <speak> element.
    const auto chat = client.post_json("/v1/chat", nlohmann::json{{"text", utterance}}.dump());
    REQUIRE(chat);
    REQUIRE(chat->status == 200);
    const auto chat_body = nlohmann::json::parse(chat->body);
    CHECK(is_well_formed_ssml(chat_body["ssml"].get<std::string>()));
    CHECK(chat->body.find("evil.example") == std::string::npos);

    // Alexa's catch-all intent hands our matcher the raw words.
    nlohmann::json ask =
        alexa_test::intent_request("AskIntent", {{"query", {{"name", "query"}, {"value", utterance}}}});
    const std::string envelope =
        alexa_test::envelope(std::move(ask), std::chrono::system_clock::now(), kTestSkillId).dump();
    const auto alexa = client.post_json("/alexa", envelope,
                                        {{"Signature-256", TestPki::shared().sign_base64(envelope)},
                                         {"SignatureCertChainUrl", kTestCertificateUrl}});
    REQUIRE(alexa);
    REQUIRE(alexa->status == 200);
    const auto speech = nlohmann::json::parse(alexa->body)["response"]["outputSpeech"];
    CHECK(speech["type"] == "SSML");
    CHECK(is_well_formed_ssml(speech["ssml"].get<std::string>()));
    CHECK(alexa->body.find("evil.example") == std::string::npos);

    // Rasa echoes the sender: it comes back exactly, inside valid JSON.
    const auto rasa = client.post_json("/webhooks/rest/webhook",
                                       nlohmann::json{{"sender", utterance}, {"message", utterance}}.dump());
    REQUIRE(rasa);
    REQUIRE(rasa->status == 200);
    CHECK(nlohmann::json::parse(rasa->body)[0]["recipient_id"] == utterance);
  }
}
