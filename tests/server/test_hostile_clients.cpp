// Hostile clients against the real server, each attack with a well-behaved client asking throughout
// (a Bystander) and resident memory sampled meanwhile: slow-loris headers, a body that never finishes, floods
// of body, chunks, header and garbage bytes, pipelined requests never read, bad bodies at full speed, clients
// that vanish mid-response, thousands of idle connections, huge strings, markup in utterances. Each gets a
// clear status or a closed connection within the configured limits, every bystander question is answered,
// and memory stays bounded. (The connection cap, 413/431 at small limits, garbage and pipelining answered in
// order are in test_http_server.cpp.)
#include <catch2/catch.hpp>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "alexa/alexa_test_support.h"
#include "bystander.h"
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

// How much resident memory an attack may add: 8 MiB, and a sanitizer's allocator (redzones, shadow,
// quarantine, fake stacks, size classes touched for the first time) adds 20-42 MiB of its own under any load.
#if defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
#define CRAMPBOT_TEST_SANITIZED 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__) || defined(CRAMPBOT_TEST_SANITIZED)
constexpr long kAllocatorAllowanceKib = 56 * 1024;
#else
constexpr long kAllocatorAllowanceKib = 0;
#endif
constexpr long kMemoryBoundKib = 8 * 1024 + kAllocatorAllowanceKib;
// What each flood offers: four times the larger bound, so a server that kept what it was sent could not stay
// within either.
constexpr std::size_t kFloodBytes = 256u << 20;
// What a flood may leave in flight: the socket buffers of both sides on loopback hold a few MiB.
constexpr std::size_t kSocketBuffersBytes = 32u << 20;

// A server whose deadlines are short, so the attacks that wait for them take a second, not ten.
app::AppConfig short_deadlines() {
  app::AppConfig config = test_config();
  config.server.header_timeout = 400ms;
  config.server.read_timeout = 400ms;
  config.server.idle_timeout = 400ms;
  return config;
}

// Runs `attack` against a server on `config` while a Bystander asks throughout, then checks that every
// question was answered (at least three were asked during the attack) and that resident memory grew less
// than `bound_kib`.
void under_attack(const app::AppConfig& config, long bound_kib,
                  const std::function<void(std::uint16_t)>& attack) {
  TestServer server(config);
  Bystander bystander(server.port());
  attack(server.port());
  const Bystander::Report report = bystander.stop();
  INFO(report.describe());
  REQUIRE(report.baseline_kib > 0);
  CHECK(report.asked >= 3);
  CHECK(report.answered == report.asked);
  CHECK(report.grown_kib() < bound_kib);
}

// Holds `count` connections to 127.0.0.1:port open from the loopback addresses `sources` (in turn), each
// having sent only the start of a request head, from construction until stop(): every one the server
// closes (or refuses) is opened again at once, as fast as the server closes them.
class HalfSentFlood {
 public:
  HalfSentFlood(std::uint16_t port, int count, std::vector<std::string> sources)
      : port_(port), sources_(std::move(sources)), fds_(count, -1) {
    for (std::size_t i = 0; i < fds_.size(); ++i)
      fds_[i] = open_one(i);
    thread_ = std::thread([this] { run(); });
  }
  ~HalfSentFlood() { stop(); }
  HalfSentFlood(const HalfSentFlood&) = delete;
  HalfSentFlood& operator=(const HalfSentFlood&) = delete;

  // Stops re-opening and closes every connection; returns how many were opened in all.
  long stop() {
    stopping_ = true;
    if (thread_.joinable()) thread_.join();
    for (int& fd : fds_) {
      if (fd >= 0) ::close(fd);
      fd = -1;
    }
    return opened_;
  }

 private:
  int open_one(std::size_t i) {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) return -1;
    // connect(2) honours the send timeout: a full accept queue cannot stall the flood for long.
    const timeval tv{0, 200'000};
    ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
    sockaddr_in local{};
    local.sin_family = AF_INET;
    ::inet_pton(AF_INET, sources_[i % sources_.size()].c_str(), &local.sin_addr);
    sockaddr_in server{};
    server.sin_family = AF_INET;
    server.sin_port = htons(port_);
    server.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    static constexpr std::string_view kHalfHead = "POST /v1/chat HTTP/1.1\r\n";
    if (::bind(fd, reinterpret_cast<sockaddr*>(&local), sizeof local) != 0 ||
        ::connect(fd, reinterpret_cast<sockaddr*>(&server), sizeof server) != 0 ||
        ::send(fd, kHalfHead.data(), kHalfHead.size(), MSG_NOSIGNAL) < 0) {
      ::close(fd);
      return -1;
    }
    ++opened_;
    return fd;
  }

  void run() {
    std::vector<pollfd> polled(fds_.size());
    char sink[512];
    while (!stopping_) {
      // A breath between rounds: the attacker shares this machine's two cores with the server, which a
      // real one would not; every connection closed meanwhile is still opened again within a millisecond.
      std::this_thread::sleep_for(1ms);
      for (std::size_t i = 0; i < fds_.size(); ++i)
        polled[i] = pollfd{fds_[i], POLLIN | POLLRDHUP, 0};
      if (::poll(polled.data(), polled.size(), 20) < 0) continue;
      for (std::size_t i = 0; i < fds_.size() && !stopping_; ++i) {
        // Anything from the server (a refusal, the end of the stream) means it is done with this one.
        const bool done = fds_[i] < 0 ||
                          (polled[i].revents != 0 && ::recv(fds_[i], sink, sizeof sink, 0) >= 0) ||
                          (polled[i].revents & (POLLERR | POLLHUP | POLLRDHUP)) != 0;
        if (!done) continue;
        if (fds_[i] >= 0) ::close(fds_[i]);
        fds_[i] = open_one(i);
      }
    }
  }

  std::uint16_t port_;
  std::vector<std::string> sources_;
  std::vector<int> fds_;  // this thread's until stop() has joined
  long opened_ = 0;
  std::atomic<bool> stopping_{false};
  std::thread thread_;
};

// Runs `step` again and again for `duration`.
void repeat_for(std::chrono::milliseconds duration, const std::function<void()>& step) {
  const auto until = std::chrono::steady_clock::now() + duration;
  while (std::chrono::steady_clock::now() < until)
    step();
}

// Sends `head`, then `unit` over and over until kFloodBytes or the server stops taking them, again on new
// connections for 600 ms. Each must end closed, having taken no more than the socket buffers hold, with
// `status` or no answer at all: when the server closes while bytes are still arriving, the reset it sends
// can discard the answer it wrote. At least one flood must see `status`.
void flood_expecting(std::uint16_t port, const std::string& head, const std::string& unit, int status) {
  int answered = 0;
  int unanswered = 0;
  repeat_for(600ms, [&] {
    RawConnection raw(port);
    REQUIRE(raw.connected());
    REQUIRE(raw.send(head));
    const std::size_t taken = raw.flood(unit, kFloodBytes, 1s);
    INFO("the server took " << taken << " of " << kFloodBytes << " bytes offered");
    CHECK(taken < kSocketBuffersBytes);
    const std::string reply = raw.read_until_closed(3s);
    INFO("reply: " << reply.substr(0, 200));
    CHECK(raw.closed_within(100ms));
    if (reply.empty()) {
      ++unanswered;
    } else {
      CHECK(status_of(reply) == status);
      ++answered;
    }
  });
  INFO(answered << " floods answered " << status << ", " << unanswered << " cut off without an answer");
  CHECK(answered >= 1);
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

TEST_CASE("slow-loris: headers dribbled a byte at a time are cut off at the header deadline", "[hostile]") {
  under_attack(short_deadlines(), kMemoryBoundKib, [](std::uint16_t port) {
    const std::string request =
        "GET /healthz HTTP/1.1\r\nHost: localhost\r\nX-Slow: " + std::string(200, 'a');
    constexpr int kConnections = 8;
    using Clock = std::chrono::steady_clock;
    // Before connecting: the server counts a first request's head from the connection's start.
    const auto started = Clock::now();
    std::vector<std::unique_ptr<RawConnection>> slow;
    for (int i = 0; i < kConnections; ++i)
      slow.push_back(std::make_unique<RawConnection>(port));
    // A byte on each every 25 ms, well into the X-Slow header, for 1.6 s: four times the 400 ms the server
    // gives a request's head. A server that restarted its deadline at every byte would let them all
    // dribble on.
    std::vector<Clock::duration> closed_after(kConnections, Clock::duration::max());
    for (std::size_t at = 0; at < 64; ++at) {
      for (int i = 0; i < kConnections; ++i) {
        if (closed_after[i] != Clock::duration::max()) continue;
        if (slow[i]->gone_unread_within(0ms))
          closed_after[i] = Clock::now() - started;
        else
          (void)slow[i]->send(request.substr(at, 1));
      }
      std::this_thread::sleep_for(25ms);
    }
    for (int i = 0; i < kConnections; ++i) {
      INFO("connection " << i);
      REQUIRE(closed_after[i] != Clock::duration::max());  // closed while it was still dribbling
      CHECK(closed_after[i] >= 400ms);                     // and not before its deadline
    }
  });
}

TEST_CASE("a body that never finishes is cut off at the read deadline", "[hostile]") {
  under_attack(short_deadlines(), kMemoryBoundKib, [](std::uint16_t port) {
    std::vector<std::unique_ptr<RawConnection>> stalled;
    for (int i = 0; i < 8; ++i) {
      stalled.push_back(std::make_unique<RawConnection>(port));
      // Promises 1000 bytes, sends 10, then nothing.
      stalled.back()->send(
          "POST /v1/chat HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: "
          "1000\r\n\r\n"
          "{\"text\":\"w");
    }
    // Still open 250 ms on, before the 400 ms deadline.
    for (auto& connection : stalled)
      CHECK_FALSE(connection->gone_unread_within(connection == stalled.front() ? 250ms : 0ms));
    // Then closed without an answer (nothing was asked in full), well within 3 s.
    for (auto& connection : stalled) {
      CHECK(connection->read_until_closed(3s).empty());
      CHECK(connection->closed_within(100ms));
    }
  });
}

TEST_CASE("floods: an endless body, endless chunks, an endless header and garbage are refused and not kept",
          "[hostile]") {
  const std::string post = "POST /v1/chat HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n";
  std::string garbage(64 * 1024, '\0');
  std::mt19937 random(6);
  for (char& c : garbage)
    c = static_cast<char>(random());
  const std::string chunk = "10000\r\n" + std::string(0x10000, 'a') + "\r\n";
  SECTION("a body declared at 1 GiB") {
    under_attack(short_deadlines(), kMemoryBoundKib, [&](std::uint16_t port) {
      flood_expecting(port, post + "Content-Length: 1073741824\r\n\r\n", std::string(64 * 1024, 'a'), 413);
    });
  }
  SECTION("a chunked body that never ends") {
    under_attack(short_deadlines(), kMemoryBoundKib, [&](std::uint16_t port) {
      flood_expecting(port, post + "Transfer-Encoding: chunked\r\n\r\n", chunk, 413);
    });
  }
  SECTION("a header that never ends") {
    under_attack(short_deadlines(), kMemoryBoundKib, [&](std::uint16_t port) {
      flood_expecting(
          port, "GET /healthz HTTP/1.1\r\nHost: localhost\r\nX-Big: ", std::string(64 * 1024, 'b'), 431);
    });
  }
  SECTION("random bytes instead of HTTP") {
    under_attack(short_deadlines(), kMemoryBoundKib,
                 [&](std::uint16_t port) { flood_expecting(port, "", garbage, 400); });
  }
}

TEST_CASE("pipelined requests that are never read: the server stops at its write deadline", "[hostile]") {
  under_attack(short_deadlines(), kMemoryBoundKib, [](std::uint16_t port) {
    RawConnection greedy(port);
    REQUIRE(greedy.connected());
    // Requests until the server, its answers unread, stops reading (its socket buffers full), then held
    // open without reading: the write deadline closes it. (Reading, even to see the close, would let the
    // server go on answering the megabytes of requests queued.)
    const std::size_t sent = greedy.flood(chat_request_bytes(kChatBody), kFloodBytes, 1s);
    INFO(sent << " bytes of requests sent");
    CHECK(sent < kSocketBuffersBytes);
    CHECK(greedy.gone_unread_within(3s));
  });
}

TEST_CASE("bad bodies at full speed: deep nesting, huge strings, invalid UTF-8 are 400s", "[hostile]") {
  // Off: this test is about reading the bodies, which the per-client rate limit would refuse unread (429)
  // after its burst.
  app::AppConfig config = short_deadlines();
  config.server.rate_limit_rps = 0;
  under_attack(config, kMemoryBoundKib, [](std::uint16_t port) {
    struct Bad {
      std::string body;
      const char* error;
    };
    const std::vector<Bad> bad = {
        {std::string(60000, '['), "bad_json"},
        {R"({"text":")" + std::string(60000, 'a') + "\"}", "bad_text"},
        {"{\"text\":\"" + std::string(30000, '\xff') + "\"}", "bad_json"},
        {R"({"text":"a","x":)" + std::string(30000, '{') + "}", "bad_json"},
    };
    HttpClient client(port);
    int refused = 0;
    repeat_for(800ms, [&] {
      for (const Bad& b : bad) {
        const auto reply = client.post_json("/v1/chat", b.body);
        REQUIRE(reply);
        CHECK(reply->status == 400);
        CHECK(reply->body.find(std::string("\"error\":\"") + b.error + "\"") != std::string::npos);
        ++refused;
      }
    });
    CHECK(refused >= 8);
  });
}

TEST_CASE("clients that disconnect before or during their answers do not disturb the server", "[hostile]") {
  under_attack(test_config(), kMemoryBoundKib, [](std::uint16_t port) {
    // Many pipelined requests, then gone before reading a byte: the server's writes meet a closed socket.
    for (int round = 0; round < 20; ++round) {
      RawConnection vanishing(port);
      std::string burst;
      for (int i = 0; i < 200; ++i)
        burst += chat_request_bytes(kChatBody);
      vanishing.send(burst);
      vanishing.close();
    }
    // A large answer (the widget's script) abandoned after its first bytes.
    for (int round = 0; round < 20; ++round) {
      RawConnection impatient(port);
      impatient.send("GET /widget.js HTTP/1.1\r\nHost: localhost\r\n\r\n");
      (void)impatient.read_some(1s);
      impatient.close();
    }
    // Long enough for the bystander to ask a few times after the last of them.
    std::this_thread::sleep_for(200ms);
  });
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
  // Generous against what a connection holds (a coroutine frame and a small read buffer on each side): a
  // per-connection allocation of a body-sized buffer (64 KiB) would blow through it.
  under_attack(test_config(), idle_count * 24L + kAllocatorAllowanceKib, [idle_count](std::uint16_t port) {
    std::vector<std::unique_ptr<RawConnection>> idle;
    idle.reserve(idle_count);
    for (int i = 0; i < idle_count; ++i) {
      idle.push_back(std::make_unique<RawConnection>(port));
      REQUIRE(idle.back()->connected());
      // Half send half a request line and stop; half send nothing at all.
      if (i % 2 == 0) idle.back()->send("GET /hea");
    }
    // The server has seen them all once a request behind them is answered; then they are held open while
    // the bystander asks a few more times.
    HttpClient behind(port);
    const auto reply = behind.post_json("/v1/chat", kChatBody);
    REQUIRE(reply);
    CHECK(reply->status == 200);
    std::this_thread::sleep_for(300ms);
  });
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

TEST_CASE("half-sent requests re-opened as fast as they close cannot lock clients out: per-client cap",
          "[hostile]") {
  // The attack of issue 15: 4,100 connections that each send only a request line, from one address,
  // re-opened as fast as the server closes them, against the shipped limits (4,096 connections, 256 per
  // client, 5 s for a head). 127.0.0.1 stays a trusted proxy (the bystander's), 127.0.0.2 is the attacker.
  const rlim_t file_limit = raise_file_limit(2 * 4100 + 512);
  const int count = file_limit > 512 ? static_cast<int>(std::min<rlim_t>(4100, (file_limit - 512) / 2)) : 0;
  INFO(count << " half-sent connections (open-file limit " << file_limit << ")");
  REQUIRE(count >= 1000);
  app::AppConfig config = test_config();
  config.server.trusted_proxies = {"127.0.0.1"};
  long opened = 0;
  // What the server holds for the attacker: 256 connections of a coroutine and a small read buffer each.
  under_attack(config, kMemoryBoundKib, [&](std::uint16_t port) {
    HalfSentFlood flood(port, count, {"127.0.0.2"});
    std::this_thread::sleep_for(3s);
    opened = flood.stop();
  });
  INFO(opened << " attacking connections opened");
  CHECK(opened > count);  // the server refused and closed some, and they were opened again
}

TEST_CASE("half-sent requests from many addresses under a small cap: the longest waiting make room",
          "[hostile]") {
  // Every attacking address stays under its per-client cap, so only the reclaiming at the global cap of 64
  // protects the bystander: each newcomer closes the connection that has waited longest for its head.
  const rlim_t file_limit = raise_file_limit(2 * 400 + 512);
  REQUIRE(file_limit >= 2 * 400 + 512);
  app::AppConfig config = test_config();
  config.server.max_connections = 64;
  config.server.trusted_proxies = {"127.0.0.1"};
  std::vector<std::string> sources;
  for (int i = 2; i < 18; ++i)
    sources.push_back("127.0.0." + std::to_string(i));
  long opened = 0;
  TestServer server(config);
  Bystander bystander(server.port());
  {
    HalfSentFlood flood(server.port(), 400, sources);
    std::this_thread::sleep_for(3s);
    opened = flood.stop();
  }
  const Bystander::Report report = bystander.stop();
  INFO(report.describe() << "; " << opened << " attacking connections opened");
  REQUIRE(report.baseline_kib > 0);
  // Each question waits its turn in the kernel's accept queue behind the flood's connections (the server
  // paces its accepts at the cap), so fewer are asked than without the attack.
  CHECK(report.asked >= 5);
  // The issue asks for 99 %: a newcomer may, rarely, be the longest waiting itself when its first bytes are
  // read late on a loaded machine.
  CHECK(report.answered * 100 >= report.asked * 99);
  CHECK(report.grown_kib() < kMemoryBoundKib);
  CHECK(opened > 400 + 100);  // the cap kept closing attacking connections, and they came back
}
