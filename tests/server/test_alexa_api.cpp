// POST /alexa over real HTTP with requests signed by a test PKI made at test time: accepted when every check
// holds, 400 with nothing answered when any fails; and still accepted while a flood of requests that name
// fresh certificate URLs keeps their fetches hanging.
#include <catch2/catch.hpp>

#include <sys/socket.h>
#include <sys/time.h>

#include <atomic>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <nlohmann/json.hpp>

#include "channels/alexa/certificate_cache.h"

#include "alexa/alexa_test_support.h"
#include "support/http_client.h"
#include "support/test_pki.h"
#include "test_server.h"

using namespace crampbot;
using namespace crampbot::test;
using namespace std::chrono_literals;
namespace alexa_test = crampbot::alexa::test;

namespace {

struct Signed {
  std::string body;
  std::map<std::string, std::string> headers;
};

Signed sign(const nlohmann::json& envelope, const std::string& url = kTestCertificateUrl) {
  Signed out;
  out.body = envelope.dump();
  out.headers = {{"Signature-256", TestPki::shared().sign_base64(out.body)}, {"SignatureCertChainUrl", url}};
  return out;
}

nlohmann::json intent_envelope(std::chrono::system_clock::time_point when = std::chrono::system_clock::now(),
                               const std::string& skill = kTestSkillId) {
  return alexa_test::envelope(
      alexa_test::intent_request("FoodSourcesIntent",
                                 {{"nutrient", alexa_test::slot("nutrient", "magnesium", "magnesium")}}),
      when, skill);
}

std::optional<HttpReply> post(HttpClient& client, const Signed& request) {
  return client.post_json("/alexa", request.body, request.headers);
}

// A URL of Amazon's shape for `name`.
std::string real_shape_url(const std::string& name) {
  return "https://s3.amazonaws.com/echo.api/echo-api-cert-" + name + ".pem";
}

// One kept-alive connection to the server from `source` (any 127.0.0.0/8 address: each is a client of its
// own to the server), for the flood.
class SourceConnection {
 public:
  SourceConnection(std::string source, std::uint16_t port) : source_(std::move(source)), port_(port) {}

  // Sends `request` as POST /alexa and returns the reply's status, 0 when there was none.
  int post(const Signed& request) {
    namespace http = boost::beast::http;
    if (!socket_ && !connect()) return 0;
    http::request<http::string_body> message(http::verb::post, "/alexa", 11);
    message.set(http::field::host, "127.0.0.1");
    message.set(http::field::content_type, "application/json");
    for (const auto& [name, value] : request.headers)
      message.set(name, value);
    message.body() = request.body;
    message.prepare_payload();
    boost::beast::error_code ec;
    http::write(*socket_, message, ec);
    boost::beast::flat_buffer buffer;
    http::response<http::string_body> reply;
    if (!ec) http::read(*socket_, buffer, reply, ec);
    if (ec || !reply.keep_alive()) socket_.reset();
    return ec ? 0 : static_cast<int>(reply.result_int());
  }

 private:
  bool connect() {
    using boost::asio::ip::tcp;
    socket_.emplace(context_);
    boost::beast::error_code ec;
    socket_->open(tcp::v4(), ec);
    if (!ec) socket_->bind({boost::asio::ip::make_address(source_), 0}, ec);
    if (!ec) socket_->connect({boost::asio::ip::make_address("127.0.0.1"), port_}, ec);
    if (ec) {
      socket_.reset();
      return false;
    }
    // A held request is answered when the test releases it; this only keeps a broken test from hanging.
    const timeval timeout{30, 0};
    ::setsockopt(socket_->native_handle(), SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
    return true;
  }

  std::string source_;
  std::uint16_t port_;
  boost::asio::io_context context_;
  std::optional<boost::asio::ip::tcp::socket> socket_;
};

// Requests that cannot be genuine but pass every check before the fetch: a well-formed 256-byte signature
// (of other bytes), a fresh URL of Amazon's shape each time, from `threads_per_source` threads on each
// source address, sent again as soon as each is answered, until stop(). `fetcher` holds their fetches.
class CertificateUrlFlood {
 public:
  CertificateUrlFlood(std::uint16_t port, const std::vector<std::string>& sources, int threads_per_source,
                      alexa::test::MapFetcher& fetcher)
      : fetcher_(fetcher) {
    for (const auto& source : sources) {
      for (int i = 0; i < threads_per_source; ++i)
        threads_.emplace_back([this, source, port] { run(source, port); });
    }
  }
  ~CertificateUrlFlood() { stop(); }

  // Stops sending, lets the held fetches end, and waits for the threads.
  void stop() {
    stopping_ = true;
    fetcher_.release_held();
    for (auto& thread : threads_) {
      if (thread.joinable()) thread.join();
    }
  }
  int answered() const { return answered_.load(); }
  int refused() const { return refused_.load(); }

 private:
  void run(const std::string& source, std::uint16_t port) {
    static const std::string signature = TestPki::shared().sign_base64("not this body");
    SourceConnection connection(source, port);
    while (!stopping_) {
      Signed request;
      request.body = intent_envelope().dump();
      request.headers = {{"Signature-256", signature},
                         {"SignatureCertChainUrl", real_shape_url("flood-" + std::to_string(next_++))}};
      const int status = connection.post(request);
      if (status != 0) ++answered_;
      if (status == 400) ++refused_;
    }
  }

  alexa::test::MapFetcher& fetcher_;
  std::atomic<bool> stopping_{false};
  std::atomic<int> next_{0};
  std::atomic<int> answered_{0};
  std::atomic<int> refused_{0};
  std::vector<std::thread> threads_;
};

// Waits up to 20 s for `done()`.
template <class Done>
bool eventually(Done done) {
  const auto give_up = std::chrono::steady_clock::now() + 20s;
  while (!done() && std::chrono::steady_clock::now() < give_up)
    std::this_thread::sleep_for(5ms);
  return done();
}

}  // namespace

TEST_CASE("a correctly signed Alexa request is answered", "[alexa]") {
  TestServer server;
  HttpClient client(server.port());
  auto reply = post(client, sign(intent_envelope()));
  REQUIRE(reply);
  REQUIRE(reply->status == 200);
  const auto body = nlohmann::json::parse(reply->body);
  CHECK(body["version"] == "1.0");
  CHECK(body["response"]["outputSpeech"]["type"] == "SSML");
  CHECK(body["response"]["outputSpeech"]["ssml"].get<std::string>().starts_with("<speak>"));
  CHECK(body["response"]["card"]["type"] == "Simple");
  CHECK(body["response"]["shouldEndSession"] == false);
  CHECK(body["sessionAttributes"]["crampbot"]["slots"]["nutrient"] == "magnesium");
  // A second request reuses the cached certificate chain.
  REQUIRE(post(client, sign(intent_envelope()))->status == 200);
  CHECK(server.fetches() == 1);
}

TEST_CASE("tampered, stale, future, foreign and badly addressed Alexa requests are refused with 400",
          "[alexa]") {
  TestServer server;
  HttpClient client(server.port());
  const auto now = std::chrono::system_clock::now();
  auto expect_refused = [&](const Signed& request, const std::string& why) {
    INFO(why);
    auto reply = post(client, request);
    REQUIRE(reply);
    CHECK(reply->status == 400);
    const auto body = nlohmann::json::parse(reply->body);
    CHECK(body["error"] == "verification_failed");
    CHECK_FALSE(body.contains("response"));
  };

  Signed tampered = sign(intent_envelope());
  tampered.body.replace(tampered.body.find("magnesium"), 9, "potassium");
  expect_refused(tampered, "body changed after signing");

  Signed wrong_key = sign(intent_envelope());
  wrong_key.headers["Signature-256"] = TestPki::shared().sign_base64_with_wrong_key(wrong_key.body);
  expect_refused(wrong_key, "signed with another key");

  Signed no_signature = sign(intent_envelope());
  no_signature.headers.erase("Signature-256");
  expect_refused(no_signature, "no Signature-256");

  Signed no_url = sign(intent_envelope());
  no_url.headers.erase("SignatureCertChainUrl");
  expect_refused(no_url, "no SignatureCertChainUrl");

  expect_refused(sign(intent_envelope(now - 200s)), "timestamp 200 s old");
  expect_refused(sign(intent_envelope(now + 200s)), "timestamp 200 s ahead");
  expect_refused(sign(intent_envelope(now, "amzn1.ask.skill.someone-else")), "skill id not allowed");
  for (const std::string url : {"http://s3.amazonaws.com/echo.api/echo-api-cert-12.pem",
                                "https://notamazon.com/echo.api/echo-api-cert-12.pem",
                                "https://s3.amazonaws.com/EcHo.aPi/echo-api-cert-12.pem",
                                "https://s3.amazonaws.com/invalid.path/echo-api-cert-12.pem",
                                "https://s3.amazonaws.com:563/echo.api/echo-api-cert-12.pem",
                                "https://s3.amazonaws.com/echo.api/echo-api-cert.pem"}) {
    expect_refused(sign(intent_envelope(), url), "certificate URL " + url);
  }
  // A URL that passes the rules but serves nothing.
  expect_refused(sign(intent_envelope(), "https://s3.amazonaws.com/echo.api/echo-api-cert-missing.pem"),
                 "unfetchable chain");

  // Within the window, both directions, it is accepted.
  CHECK(post(client, sign(intent_envelope(now - 100s)))->status == 200);
  CHECK(post(client, sign(intent_envelope(now + 100s)))->status == 200);
}

TEST_CASE("certificate chains that are expired, for another name or from an untrusted CA are refused",
          "[alexa]") {
  const auto& pki = TestPki::shared();
  const std::map<std::string, std::string> served = {
      {kTestCertificateUrl, pki.chain_pem()},
      {"https://s3.amazonaws.com/echo.api/echo-api-cert-expired.pem",
       pki.chain_pem(SigningCertificate::expired)},
      {"https://s3.amazonaws.com/echo.api/echo-api-cert-future.pem",
       pki.chain_pem(SigningCertificate::not_yet_valid)},
      {"https://s3.amazonaws.com/echo.api/echo-api-cert-wrong-san.pem",
       pki.chain_pem(SigningCertificate::wrong_san)},
      {"https://s3.amazonaws.com/echo.api/echo-api-cert-untrusted.pem",
       pki.chain_pem(SigningCertificate::untrusted)},
      {"https://s3.amazonaws.com/echo.api/echo-api-cert-leaf-only.pem",
       pki.chain_pem(SigningCertificate::good, false)},
  };
  TestServer server(test_config(), served);
  HttpClient client(server.port());
  for (const auto& [url, pem] : served) {
    INFO(url);
    auto reply = post(client, sign(intent_envelope(), url));
    REQUIRE(reply);
    CHECK(reply->status == (url == kTestCertificateUrl ? 200 : 400));
  }
}

TEST_CASE("with verification off, unsigned requests are answered but the skill id list still applies",
          "[alexa]") {
  app::AppConfig config = test_config();
  config.alexa.verify = false;
  TestServer server(config);
  HttpClient client(server.port());
  auto launch = client.post_json(
      "/alexa",
      alexa_test::envelope(alexa_test::launch_request(), std::chrono::system_clock::now(), kTestSkillId)
          .dump());
  REQUIRE(launch);
  CHECK(launch->status == 200);
  CHECK(launch->body.find("not a substitute for professional medical advice") != std::string::npos);
  auto foreign = client.post_json(
      "/alexa",
      alexa_test::envelope(alexa_test::launch_request(), std::chrono::system_clock::now(), "amzn1.other")
          .dump());
  REQUIRE(foreign);
  CHECK(foreign->status == 400);
  CHECK(server.fetches() == 0);
}

TEST_CASE("during a flood naming fresh certificate URLs, a URL that worked before is fetched and verified",
          "[alexa][flood]") {
  app::AppConfig config = test_config();
  config.alexa.skill_ids.clear();  // the default: nothing but the signature tells a flood from Alexa
  // Every lookup fetches the chain again, so every genuine request needs a fetch slot during the flood.
  config.alexa.certificate_cache_ttl = 0s;
  TestServer server(config);
  auto& fetcher = server.fetcher();
  fetcher.hold_unserved();  // the flood's URLs hang, as a silent server's would
  HttpClient client(server.port());
  const auto first = post(client, sign(intent_envelope()));
  REQUIRE(first);
  REQUIRE(first->status == 200);  // kTestCertificateUrl is known good from now on

  // Four flooding clients (each is allowed one fetch of an unknown URL) fill every slot unknown URLs may
  // hold; a second thread on each keeps sending fresh URLs that are refused at once.
  constexpr auto kUnknownSlots = alexa::CertificateCache::kMaxConcurrentFetches;
  CertificateUrlFlood flood(server.port(), {"127.0.0.2", "127.0.0.3", "127.0.0.4", "127.0.0.5"}, 2, fetcher);
  REQUIRE(eventually([&] { return fetcher.held() == kUnknownSlots && flood.refused() >= 10; }));

  int verified = 0;
  for (int i = 0; i < 20; ++i) {
    const auto reply = post(client, sign(intent_envelope()));
    REQUIRE(reply);
    INFO(reply->body);
    CHECK(reply->status == 200);
    verified += reply->status == 200 ? 1 : 0;
  }
  CHECK(verified == 20);
  // Each was fetched anew (not served stale from the cache after a refused fetch)…
  CHECK(fetcher.calls(kTestCertificateUrl) == 21);
  // …while the flood still held every slot open to unknown URLs, and kept coming.
  CHECK(fetcher.held() == kUnknownSlots);
  const int refused_before = flood.refused();
  CHECK(eventually([&] { return flood.refused() > refused_before; }));
  flood.stop();
}

TEST_CASE("during a flood from one client naming fresh certificate URLs, a cold URL is fetched and verified",
          "[alexa][flood]") {
  app::AppConfig config = test_config();
  config.alexa.skill_ids.clear();
  // Twenty URLs never fetched before, as after a restart or a certificate rotation: each needs a fetch.
  std::map<std::string, std::string> served;
  for (int i = 0; i < 20; ++i)
    served[real_shape_url("cold-" + std::to_string(i))] = TestPki::shared().chain_pem();
  TestServer server(config, served);
  auto& fetcher = server.fetcher();
  fetcher.hold_unserved();

  // Six connections from one client: one fetch of an unknown URL is its share, the rest is refused at once.
  CertificateUrlFlood flood(server.port(), {"127.0.0.2"}, 6, fetcher);
  REQUIRE(eventually([&] { return fetcher.held() >= 1 && flood.refused() >= 20; }));

  HttpClient client(server.port());  // from 127.0.0.1
  int verified = 0;
  for (int i = 0; i < 20; ++i) {
    const std::string url = real_shape_url("cold-" + std::to_string(i));
    const auto reply = post(client, sign(intent_envelope(), url));
    REQUIRE(reply);
    INFO(url << ": " << reply->body);
    CHECK(reply->status == 200);
    verified += reply->status == 200 ? 1 : 0;
    CHECK(fetcher.calls(url) == 1);
  }
  CHECK(verified == 20);
  CHECK(fetcher.held() == 1);
  flood.stop();
}
