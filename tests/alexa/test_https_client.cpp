// https_get against a local TLS server on 127.0.0.1 (port 0) with certificates from the test PKI: success,
// an untrusted certificate, the wrong host name, an oversized body, a non-200, a silent server, name lookups
// that hang, and the certificate fetcher built on it.
#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <future>
#include <mutex>
#include <thread>
#include <vector>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/use_future.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>

#include "alexa_test_support.h"
#include "channels/alexa/https_certificate_fetcher.h"
#include "net/https_client.h"
#include "support/test_pki.h"

namespace asio = boost::asio;
namespace ssl = asio::ssl;
namespace http = boost::beast::http;
using tcp = asio::ip::tcp;
using crampbot::alexa::test::contains;
using crampbot::net::https_get;
using crampbot::net::HttpsLimits;
using crampbot::net::HttpsResponse;
using crampbot::test::TestPki;
using crampbot::test::TlsIdentity;

namespace {

constexpr auto kNoThrow = asio::as_tuple(asio::use_awaitable);

// What the test server does with its one connection.
enum class Behaviour { answer, say_nothing };

// What the test server saw.
struct Seen {
  std::string target;
  std::string host;
};

// Serves one connection: a TLS handshake with `identity`, one request read, `raw_response` written as is.
// With say_nothing it accepts and then waits for the client to give up.
asio::awaitable<void> serve_once(tcp::acceptor acceptor, std::shared_ptr<ssl::context> tls,
                                 std::string raw_response, Behaviour behaviour, std::shared_ptr<Seen> seen) {
  auto [accept_ec, socket] = co_await acceptor.async_accept(kNoThrow);
  if (accept_ec) co_return;
  if (behaviour == Behaviour::say_nothing) {
    // Reads (and ignores) the ClientHello and anything after it, until the client closes.
    char bytes[512];
    while (true) {
      auto [ec, n] = co_await socket.async_read_some(asio::buffer(bytes), kNoThrow);
      if (ec) co_return;
    }
  }
  ssl::stream<tcp::socket> stream(std::move(socket), *tls);
  auto [handshake_ec] = co_await stream.async_handshake(ssl::stream_base::server, kNoThrow);
  if (handshake_ec) co_return;
  boost::beast::flat_buffer buffer;
  http::request<http::string_body> request;
  auto [read_ec, read] = co_await http::async_read(stream, buffer, request, kNoThrow);
  if (read_ec) co_return;
  seen->target = std::string(request.target());
  seen->host = std::string(request[http::field::host]);
  co_await asio::async_write(stream, asio::buffer(raw_response), kNoThrow);
}

std::shared_ptr<ssl::context> server_tls(const TlsIdentity& identity) {
  auto tls = std::make_shared<ssl::context>(ssl::context::tls_server);
  tls->use_certificate_chain(asio::buffer(identity.certificate_chain_pem));
  tls->use_private_key(asio::buffer(identity.private_key_pem), ssl::context::pem);
  return tls;
}

// A client context that trusts only the test PKI's root.
ssl::context client_tls() {
  ssl::context tls(ssl::context::tls_client);
  tls.add_certificate_authority(asio::buffer(TestPki::shared().root_pem()));
  return tls;
}

std::string ok_response(const std::string& body) {
  return "HTTP/1.1 200 OK\r\nContent-Type: application/x-pem-file\r\nContent-Length: " +
         std::to_string(body.size()) + "\r\n\r\n" + body;
}

// Starts a server on 127.0.0.1:0 and GETs https://HOST:PORT/PATH from it with `client`.
struct Exchange {
  HttpsResponse response;
  Seen seen;
};

Exchange exchange(const std::string& raw_response, const TlsIdentity& identity,
                  const std::string& host = "localhost", const std::string& path = "/echo.api/cert.pem",
                  HttpsLimits limits = {}, Behaviour behaviour = Behaviour::answer,
                  ssl::context* client = nullptr) {
  asio::io_context io;
  tcp::acceptor acceptor(io, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
  const auto port = acceptor.local_endpoint().port();
  auto seen = std::make_shared<Seen>();
  asio::co_spawn(io, serve_once(std::move(acceptor), server_tls(identity), raw_response, behaviour, seen),
                 asio::detached);
  ssl::context default_client = client_tls();
  const std::string url = "https://" + host + ":" + std::to_string(port) + path;
  auto result =
      asio::co_spawn(io, https_get(url, client ? *client : default_client, limits), asio::use_future);
  io.run();
  return {result.get(), *seen};
}

// A name lookup that hangs, as getaddrinfo does behind a dead resolver: it returns `answer` after 3 s, or
// as soon as it is released.
class StuckLookups {
 public:
  crampbot::net::HostResolver resolver(crampbot::net::ResolvedHost answer = {{},
                                                                             "no such host (test)"}) const {
    return [state = state_, answer](const std::string&, const std::string&) {
      std::unique_lock lock(state->mutex);
      state->changed.wait_for(lock, std::chrono::seconds(3), [&] { return state->released; });
      return answer;
    };
  }
  void release() {
    std::lock_guard lock(state_->mutex);
    state_->released = true;
    state_->changed.notify_all();
  }
  ~StuckLookups() { release(); }

 private:
  struct State {
    std::mutex mutex;
    std::condition_variable changed;
    bool released = false;
  };
  std::shared_ptr<State> state_ = std::make_shared<State>();
};

// Waits until no lookup thread is left (they are process-wide; each test leaves none behind).
bool lookups_drained() {
  const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (crampbot::net::host_lookups_in_progress() != 0 && std::chrono::steady_clock::now() < give_up)
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  return crampbot::net::host_lookups_in_progress() == 0;
}

}  // namespace

TEST_CASE("https_get: fetches a 200 body from a trusted server", "[https]") {
  const auto identity = TestPki::shared().tls_server_identity("localhost");
  const std::string pem = TestPki::shared().chain_pem();
  const Exchange result = exchange(ok_response(pem), identity, "localhost", "/echo.api/cert.pem?version=2");
  INFO(result.response.error);
  REQUIRE(result.response.ok());
  CHECK(result.response.body == pem);
  CHECK(result.seen.target == "/echo.api/cert.pem?version=2");
  CHECK(contains(result.seen.host, "localhost:"));
}

TEST_CASE("https_get: a chunked body is read whole", "[https]") {
  const auto identity = TestPki::shared().tls_server_identity("localhost");
  const std::string chunked =
      "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n";
  const Exchange result = exchange(chunked, identity);
  INFO(result.response.error);
  CHECK(result.response.body == "hello world");
}

TEST_CASE("https_get: a certificate from an untrusted CA is refused", "[https]") {
  const auto identity = TestPki::shared().tls_server_identity("localhost", false);
  const Exchange result = exchange(ok_response("secret"), identity);
  CHECK_FALSE(result.response.ok());
  CHECK(result.response.body.empty());
  CHECK(contains(result.response.error, "tls handshake"));
  CHECK(contains(result.response.error, "certificate"));
}

TEST_CASE("https_get: a certificate for another host name is refused", "[https]") {
  const auto identity = TestPki::shared().tls_server_identity("not-localhost.example");
  const Exchange result = exchange(ok_response("secret"), identity);
  CHECK_FALSE(result.response.ok());
  CHECK(contains(result.response.error, "hostname mismatch"));
}

TEST_CASE("https_get: an IP address must be in the certificate too", "[https]") {
  const auto identity = TestPki::shared().tls_server_identity("localhost");
  const Exchange result = exchange(ok_response("secret"), identity, "127.0.0.1");
  CHECK_FALSE(result.response.ok());
  CHECK(contains(result.response.error, "mismatch"));
}

TEST_CASE("https_get: a body over the limit is an error", "[https]") {
  const auto identity = TestPki::shared().tls_server_identity("localhost");
  HttpsLimits limits;
  limits.max_body_bytes = 64 * 1024;
  const Exchange result =
      exchange(ok_response(std::string(70 * 1024, 'x')), identity, "localhost", "/big", limits);
  CHECK_FALSE(result.response.ok());
  CHECK(contains(result.response.error, "larger than 65536 bytes"));
  // The same body within a larger limit is fine: the limit is what refused it.
  limits.max_body_bytes = 128 * 1024;
  CHECK(exchange(ok_response(std::string(70 * 1024, 'x')), identity, "localhost", "/big", limits)
            .response.ok());
}

TEST_CASE("https_get: a status other than 200 is an error", "[https]") {
  const auto identity = TestPki::shared().tls_server_identity("localhost");
  for (const char* status :
       {"404 Not Found", "403 Forbidden", "301 Moved Permanently", "500 Internal Server Error"}) {
    INFO(status);
    const Exchange result =
        exchange(std::string("HTTP/1.1 ") + status + "\r\nContent-Length: 4\r\n\r\nnope", identity);
    CHECK_FALSE(result.response.ok());
    CHECK(contains(result.response.error, "HTTP status " + std::string(status).substr(0, 3)));
  }
}

TEST_CASE("https_get: a server that accepts and says nothing times out", "[https]") {
  const auto identity = TestPki::shared().tls_server_identity("localhost");
  HttpsLimits limits;
  limits.total_timeout = std::chrono::milliseconds(300);
  const Exchange result = exchange("", identity, "localhost", "/", limits, Behaviour::say_nothing);
  INFO(result.response.error);
  CHECK_FALSE(result.response.ok());
  CHECK(contains(result.response.error, "timed out"));
}

TEST_CASE("https_get: a closed port is a connect error", "[https]") {
  asio::io_context io;
  unsigned short port = 0;
  {
    tcp::acceptor acceptor(io, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
    port = acceptor.local_endpoint().port();
  }
  ssl::context tls = client_tls();
  auto result =
      asio::co_spawn(io, https_get("https://127.0.0.1:" + std::to_string(port) + "/", tls), asio::use_future);
  io.run();
  const HttpsResponse response = result.get();
  CHECK_FALSE(response.ok());
  CHECK(contains(response.error, "connect 127.0.0.1:"));
}

TEST_CASE("https_get: URLs it cannot fetch are refused before any I/O", "[https]") {
  ssl::context tls = client_tls();
  for (const char* url :
       {"http://localhost/", "localhost/x", "https:///x", "https://user@localhost/", "https://localhost:0/",
        "https://localhost:99999/", "https://localhost:http/", "https://[::1]/", "https://local host/"}) {
    INFO(url);
    asio::io_context io;
    auto result = asio::co_spawn(io, https_get(url, tls), asio::use_future);
    io.run();
    const HttpsResponse response = result.get();
    CHECK_FALSE(response.ok());
    CHECK(contains(response.error, "url: "));
  }
}

TEST_CASE("https_get: the system's roots do not trust the test PKI", "[https]") {
  const auto identity = TestPki::shared().tls_server_identity("localhost");
  auto system = crampbot::net::make_client_tls_context();
  const Exchange result =
      exchange(ok_response("x"), identity, "localhost", "/", {}, Behaviour::answer, system.get());
  CHECK_FALSE(result.response.ok());
  CHECK(contains(result.response.error, "certificate"));
}

TEST_CASE("https certificate fetcher: hands back the body or the error", "[https][alexa]") {
  const auto identity = TestPki::shared().tls_server_identity("localhost");
  auto client = std::make_shared<ssl::context>(client_tls());
  const auto fetcher = crampbot::alexa::https_certificate_fetcher(client);
  for (const bool found : {true, false}) {
    asio::io_context io;
    tcp::acceptor acceptor(io, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
    const auto port = acceptor.local_endpoint().port();
    const std::string raw =
        found ? ok_response("PEM") : "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n";
    asio::co_spawn(io,
                   serve_once(std::move(acceptor), server_tls(identity), raw, Behaviour::answer,
                              std::make_shared<Seen>()),
                   asio::detached);
    auto result = asio::co_spawn(io, fetcher("https://localhost:" + std::to_string(port) + "/echo.api/c.pem"),
                                 asio::use_future);
    io.run();
    const auto fetched = result.get();
    CHECK(fetched.ok() == found);
    CHECK(fetched.body == (found ? "PEM" : ""));
  }
  CHECK_THROWS_AS(crampbot::alexa::https_certificate_fetcher(nullptr), std::invalid_argument);
}

TEST_CASE("https_get: a name lookup that hangs ends at the connect timeout", "[https][resolve]") {
  StuckLookups stuck;
  ssl::context tls = client_tls();
  HttpsLimits limits;
  limits.connect_timeout = std::chrono::milliseconds(300);
  asio::io_context io;
  const auto start = std::chrono::steady_clock::now();
  auto result = asio::co_spawn(
      io, https_get("https://slow.example/echo.api/c.pem", tls, limits, stuck.resolver()), asio::use_future);
  io.run();
  const auto elapsed = std::chrono::steady_clock::now() - start;
  const HttpsResponse response = result.get();
  INFO(response.error);
  CHECK(response.error == "resolve slow.example: timed out after 300 ms");
  // The lookup takes 3 s; the fetch did not wait for it (the margin is generous for slow machines).
  CHECK(elapsed < std::chrono::milliseconds(300) + std::chrono::milliseconds(1500));
  CHECK(crampbot::net::host_lookups_in_progress() == 1);  // still running, alone
  stuck.release();
  CHECK(lookups_drained());
}

TEST_CASE("https_get: a stuck lookup does not hold back the next one", "[https][resolve]") {
  StuckLookups stuck;
  const auto identity = TestPki::shared().tls_server_identity("localhost");
  ssl::context tls = client_tls();
  asio::io_context io;
  tcp::acceptor acceptor(io, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
  const auto port = acceptor.local_endpoint().port();
  asio::co_spawn(io,
                 serve_once(std::move(acceptor), server_tls(identity), ok_response("PEM"), Behaviour::answer,
                            std::make_shared<Seen>()),
                 asio::detached);
  HttpsLimits slow_limits;
  slow_limits.connect_timeout = std::chrono::seconds(2);
  auto slow = asio::co_spawn(io, https_get("https://slow.example/", tls, slow_limits, stuck.resolver()),
                             asio::use_future);
  // On the same io_context, while the first lookup hangs: the system's resolver finds localhost.
  auto fast =
      asio::co_spawn(io, https_get("https://localhost:" + std::to_string(port) + "/", tls), asio::use_future);
  while (fast.wait_for(std::chrono::seconds(0)) != std::future_status::ready)
    io.run_one();
  const HttpsResponse fetched = fast.get();
  INFO(fetched.error);
  CHECK(fetched.body == "PEM");
  CHECK(slow.wait_for(std::chrono::seconds(0)) != std::future_status::ready);  // still waiting for its name
  io.run();
  CHECK(contains(slow.get().error, "timed out"));
  stuck.release();
  CHECK(lookups_drained());
}

TEST_CASE("https_get: with every lookup thread stuck, a fetch fails at once", "[https][resolve]") {
  StuckLookups stuck;
  ssl::context tls = client_tls();
  HttpsLimits limits;
  limits.connect_timeout = std::chrono::milliseconds(50);
  asio::io_context io;
  std::vector<std::future<HttpsResponse>> stuck_fetches;
  for (std::size_t i = 0; i < crampbot::net::kMaxHostLookups; ++i)
    stuck_fetches.push_back(asio::co_spawn(
        io, https_get("https://stuck" + std::to_string(i) + ".example/", tls, limits, stuck.resolver()),
        asio::use_future));
  io.run();
  for (auto& fetch : stuck_fetches)
    CHECK(contains(fetch.get().error, "timed out after 50 ms"));
  CHECK(crampbot::net::host_lookups_in_progress() == crampbot::net::kMaxHostLookups);

  io.restart();
  std::atomic<bool> resolver_called{false};
  crampbot::net::HostResolver counting = [&](const std::string&, const std::string&) {
    resolver_called = true;
    return crampbot::net::ResolvedHost{{}, "unreachable"};
  };
  auto refused =
      asio::co_spawn(io, https_get("https://next.example/", tls, limits, counting), asio::use_future);
  io.run();
  const std::string error = refused.get().error;
  INFO(error);
  CHECK(error == "resolve next.example: " + std::to_string(crampbot::net::kMaxHostLookups) +
                     " lookups are still running; not starting another");
  CHECK_FALSE(resolver_called);

  // Once they return, lookups run again.
  stuck.release();
  REQUIRE(lookups_drained());
  io.restart();
  auto again =
      asio::co_spawn(io, https_get("https://next.example/", tls, limits, counting), asio::use_future);
  io.run();
  CHECK(again.get().error == "resolve next.example: unreachable");
  CHECK(resolver_called);
  CHECK(lookups_drained());
}

TEST_CASE("https_get: an io_context may go away while a lookup hangs", "[https][resolve]") {
  StuckLookups stuck;
  ssl::context tls = client_tls();
  HttpsLimits limits;
  limits.connect_timeout = std::chrono::seconds(60);
  limits.total_timeout = std::chrono::seconds(60);
  const auto start = std::chrono::steady_clock::now();
  {
    asio::io_context io;
    asio::co_spawn(io, https_get("https://stuck.example/", tls, limits, stuck.resolver()), asio::detached);
    io.run_for(std::chrono::milliseconds(100));
    CHECK(crampbot::net::host_lookups_in_progress() == 1);
  }  // destroyed with the fetch suspended: nothing waits for the lookup thread
  CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(2));
  // The lookup finishing afterwards signals only its own shared state (AddressSanitizer watches this).
  stuck.release();
  CHECK(lookups_drained());
}

TEST_CASE("https_get: an IP address needs no lookup", "[https][resolve]") {
  ssl::context tls = client_tls();
  std::atomic<bool> resolver_called{false};
  crampbot::net::HostResolver counting = [&](const std::string&, const std::string&) {
    resolver_called = true;
    return crampbot::net::ResolvedHost{{}, "unreachable"};
  };
  asio::io_context io;
  unsigned short port = 0;
  {
    tcp::acceptor acceptor(io, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
    port = acceptor.local_endpoint().port();
  }
  auto result = asio::co_spawn(
      io, https_get("https://127.0.0.1:" + std::to_string(port) + "/", tls, {}, counting), asio::use_future);
  io.run();
  CHECK(contains(result.get().error, "connect 127.0.0.1:"));
  CHECK_FALSE(resolver_called);
}
