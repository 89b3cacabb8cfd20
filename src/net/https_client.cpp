#include "net/https_client.h"

#include <netdb.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <exception>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string_view>
#include <thread>
#include <variant>

#include <openssl/ssl.h>
#include <openssl/x509_vfy.h>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/stream_traits.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>

namespace crampbot::net {

namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;
using boost::system::error_code;
using namespace boost::asio::experimental::awaitable_operators;

constexpr auto kNoThrow = asio::as_tuple(asio::use_awaitable);

// The parts of an https URL that a GET needs.
struct HttpsTarget {
  std::string host;
  std::string port = "443";
  std::string host_header;  // host, with ":port" when the port is not 443
  std::string target;       // path and query, at least "/"
  std::string error;        // "" when the URL can be fetched
};

bool iequals(std::string_view a, std::string_view b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](char x, char y) {
    const auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; };
    return lower(x) == lower(y);
  });
}

// Splits "https://host[:port]/path?query#fragment". User info, IPv6 literals and other schemes are refused:
// nothing this client is for needs them.
HttpsTarget parse_https_url(std::string_view url) {
  HttpsTarget out;
  constexpr std::string_view kScheme = "https://";
  if (url.size() < kScheme.size() || !iequals(url.substr(0, kScheme.size()), kScheme)) {
    out.error = "not an https URL";
    return out;
  }
  for (const char c : url) {
    if (static_cast<unsigned char>(c) <= 0x20 || c == 0x7f) {
      out.error = "the URL contains white space or a control character";
      return out;
    }
  }
  std::string_view rest = url.substr(kScheme.size());
  if (const auto hash = rest.find('#'); hash != std::string_view::npos) rest = rest.substr(0, hash);
  const std::size_t path_start = rest.find_first_of("/?");
  const std::string_view authority = rest.substr(0, path_start);
  const std::string_view path = path_start == std::string_view::npos ? "" : rest.substr(path_start);
  if (authority.find('@') != std::string_view::npos || authority.find('[') != std::string_view::npos) {
    out.error = "the URL's authority has user info or an IPv6 literal";
    return out;
  }
  const std::size_t colon = authority.find(':');
  out.host = std::string(authority.substr(0, colon));
  if (out.host.empty()) {
    out.error = "the URL has no host";
    return out;
  }
  if (colon != std::string_view::npos) {
    const std::string_view port = authority.substr(colon + 1);
    const bool digits = !port.empty() && port.size() <= 5 &&
                        std::all_of(port.begin(), port.end(), [](char c) { return c >= '0' && c <= '9'; });
    const int value = digits ? std::stoi(std::string(port)) : 0;
    if (value < 1 || value > 65535) {
      out.error = "the URL's port is not a number from 1 to 65535";
      return out;
    }
    out.port = std::to_string(value);
  }
  out.host_header = out.port == "443" ? out.host : out.host + ":" + out.port;
  out.target = path.empty() || path.front() != '/' ? "/" + std::string(path) : std::string(path);
  return out;
}

HttpsResponse failure(std::string what) {
  HttpsResponse out;
  out.error = std::move(what);
  return out;
}

// "timed out" for Beast's timeout, the system's words otherwise.
std::string describe(const error_code& ec) {
  return ec == beast::error::timeout ? std::string("timed out") : ec.message();
}

// A failed handshake's message, with OpenSSL's verdict on the peer's certificate when that was the cause.
std::string describe_handshake(const error_code& ec, SSL* ssl) {
  std::string out = describe(ec);
  const long verdict = SSL_get_verify_result(ssl);
  if (verdict != X509_V_OK) out += std::string(" (") + X509_verify_cert_error_string(verdict) + ")";
  return out;
}

// Names the peer we expect: SNI and a host-name check for names, an address check for IP literals.
std::string expect_peer(SSL* ssl, const std::string& host) {
  error_code not_an_address;
  asio::ip::make_address(host, not_an_address);
  if (not_an_address) {
    // The macro casts away const; OpenSSL copies the name.
    if (SSL_set_tlsext_host_name(ssl, host.c_str()) != 1) return "cannot set the TLS server name";
    if (SSL_set1_host(ssl, host.c_str()) != 1) return "cannot set the expected host name";
  } else if (X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl), host.c_str()) != 1) {
    return "cannot set the expected address";
  }
  return {};
}

std::atomic<std::size_t> lookups_in_progress{0};

// One name lookup, shared by the fetch that waits for it and the thread that runs it, so that the thread may
// finish long after the fetch (and its io_context) are gone. The thread signals through an eventfd: writing
// to a descriptor is safe whatever became of the waiting side, where posting to its executor is not.
struct HostLookup {
  std::mutex mutex;
  ResolvedHost result;  // guarded by mutex; complete once the event is signalled
  int event = -1;       // eventfd, owned

  HostLookup() : event(::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK)) {}
  ~HostLookup() {
    if (event >= 0) ::close(event);
  }
  HostLookup(const HostLookup&) = delete;
  HostLookup& operator=(const HostLookup&) = delete;
};

// Starts `resolver` on a detached thread of its own; false when kMaxHostLookups are already running or no
// thread can be made. A detached thread, because a stuck getaddrinfo cannot be stopped and nothing (not the
// fetch, not the process's exit) should wait for it.
bool start_lookup(const std::shared_ptr<HostLookup>& lookup, const HostResolver& resolver,
                  const std::string& host, const std::string& port) {
  std::size_t running = lookups_in_progress.load();
  do {
    if (running >= kMaxHostLookups) return false;
  } while (!lookups_in_progress.compare_exchange_weak(running, running + 1));
  try {
    std::thread([lookup, resolver, host, port] {
      ResolvedHost found;
      try {
        found = resolver(host, port);
      } catch (const std::exception& e) {
        found.error = std::string("the resolver failed: ") + e.what();
      }
      if (found.error.empty() && found.endpoints.empty()) found.error = "no addresses";
      {
        std::lock_guard lock(lookup->mutex);
        lookup->result = std::move(found);
      }
      const std::uint64_t done = 1;
      // Cannot fail for an eventfd short of its counter overflowing; the waiter's deadline covers it anyway.
      [[maybe_unused]] const auto written = ::write(lookup->event, &done, sizeof done);
      --lookups_in_progress;
    }).detach();
  } catch (const std::exception&) {
    --lookups_in_progress;
    return false;
  }
  return true;
}

// `host`'s addresses, looked up on a thread of its own and waited for until `deadline` at most.
asio::awaitable<ResolvedHost> resolve(const std::string& host, const std::string& port,
                                      const HostResolver& resolver, Clock::time_point deadline,
                                      std::chrono::milliseconds timeout) {
  ResolvedHost out;
  error_code not_an_address;
  const asio::ip::address address = asio::ip::make_address(host, not_an_address);
  if (!not_an_address) {
    out.endpoints.emplace_back(address, static_cast<unsigned short>(std::stoi(port)));
    co_return out;
  }
  const auto executor = co_await asio::this_coro::executor;
  auto lookup = std::make_shared<HostLookup>();
  const int reader = lookup->event >= 0 ? ::dup(lookup->event) : -1;
  if (reader < 0) {
    out.error = std::string("cannot make an event to wait on: ") + std::strerror(errno);
    co_return out;
  }
  asio::posix::stream_descriptor signalled(executor);
  if (error_code assign_ec; signalled.assign(reader, assign_ec)) {
    ::close(reader);
    out.error = "cannot wait on an event: " + assign_ec.message();
    co_return out;
  }
  if (!start_lookup(lookup, resolver ? resolver : HostResolver(resolve_with_system), host, port)) {
    out.error = std::to_string(kMaxHostLookups) + " lookups are still running; not starting another";
    co_return out;
  }
  asio::steady_timer timer(executor, deadline);
  const auto first = co_await (signalled.async_wait(asio::posix::descriptor_base::wait_read, kNoThrow) ||
                               timer.async_wait(kNoThrow));
  if (first.index() == 1) {
    out.error = "timed out after " + std::to_string(timeout.count()) + " ms";
    co_return out;
  }
  if (const auto [wait_ec] = std::get<0>(first); wait_ec) {
    out.error = "cannot wait for the lookup: " + wait_ec.message();
    co_return out;
  }
  std::lock_guard lock(lookup->mutex);
  co_return std::move(lookup->result);
}

// The request itself, on the strand https_get gives it. Deadlines are absolute so every step shares the
// total budget.
asio::awaitable<HttpsResponse> fetch(HttpsTarget url, ssl::context& tls, HttpsLimits limits,
                                     HostResolver resolver) {
  const auto executor = co_await asio::this_coro::executor;
  const auto deadline = Clock::now() + limits.total_timeout;
  const auto connect_deadline = std::min(deadline, Clock::now() + limits.connect_timeout);
  const std::string where = url.host + ":" + url.port;

  // Not Asio's async_resolve: it runs getaddrinfo on one internal thread that cancel() cannot stop, so one
  // slow lookup would hold this fetch past its deadlines and every later lookup behind it.
  const ResolvedHost resolved = co_await resolve(url.host, url.port, resolver, connect_deadline,
                                                 std::min(limits.connect_timeout, limits.total_timeout));
  if (!resolved.error.empty()) co_return failure("resolve " + url.host + ": " + resolved.error);
  const std::vector<tcp::endpoint>& endpoints = resolved.endpoints;

  ssl::stream<beast::tcp_stream> stream(executor, tls);
  if (std::string problem = expect_peer(stream.native_handle(), url.host); !problem.empty())
    co_return failure("tls: " + problem);
  error_code verify_ec;
  stream.set_verify_mode(ssl::verify_peer, verify_ec);
  if (verify_ec) co_return failure("tls: cannot require peer verification: " + verify_ec.message());

  auto& socket = beast::get_lowest_layer(stream);
  socket.expires_at(connect_deadline);
  auto [connect_ec, endpoint] = co_await socket.async_connect(endpoints, kNoThrow);
  if (connect_ec) co_return failure("connect " + where + ": " + describe(connect_ec));

  // From here on one deadline covers the handshake, the request and the whole response.
  socket.expires_at(deadline);
  auto [handshake_ec] = co_await stream.async_handshake(ssl::stream_base::client, kNoThrow);
  if (handshake_ec)
    co_return failure("tls handshake with " + where + ": " +
                      describe_handshake(handshake_ec, stream.native_handle()));

  http::request<http::empty_body> request{http::verb::get, url.target, 11};
  request.set(http::field::host, url.host_header);
  request.set(http::field::user_agent, "crampbot");
  request.set(http::field::connection, "close");
  auto [write_ec, written] = co_await http::async_write(stream, request, kNoThrow);
  if (write_ec) co_return failure("send request to " + where + ": " + describe(write_ec));

  beast::flat_buffer buffer;
  http::response_parser<http::string_body> parser;
  parser.body_limit(limits.max_body_bytes);
  parser.header_limit(static_cast<std::uint32_t>(std::min<std::size_t>(limits.max_header_bytes, UINT32_MAX)));
  auto [read_ec, read] = co_await http::async_read(stream, buffer, parser, kNoThrow);
  if (read_ec == http::error::body_limit)
    co_return failure("response from " + where + " is larger than " + std::to_string(limits.max_body_bytes) +
                      " bytes");
  if (read_ec == http::error::header_limit)
    co_return failure("response headers from " + where + " are larger than " +
                      std::to_string(limits.max_header_bytes) + " bytes");
  if (read_ec) co_return failure("read response from " + where + ": " + describe(read_ec));

  const auto& response = parser.get();
  if (response.result() != http::status::ok)
    co_return failure("HTTP status " + std::to_string(response.result_int()) + " from " + where);
  // The body is complete (length or chunking told us so); the socket closes with the stream. A TLS
  // close_notify would cost another round trip that many servers never answer.
  HttpsResponse out;
  out.body = parser.release().body();
  co_return out;
}

}  // namespace

ResolvedHost resolve_with_system(const std::string& host, const std::string& port) {
  ResolvedHost out;
  // getaddrinfo itself rather than Asio's synchronous resolve: the lookup thread may outlive everything else
  // (even static destructors at exit), so it uses nothing but the C library.
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_ADDRCONFIG;
  addrinfo* found = nullptr;
  const int status = ::getaddrinfo(host.c_str(), port.c_str(), &hints, &found);
  if (status != 0) {
    out.error =
        status == EAI_SYSTEM ? std::string(std::strerror(errno)) : std::string(::gai_strerror(status));
    return out;
  }
  const std::unique_ptr<addrinfo, void (*)(addrinfo*)> owned(found, ::freeaddrinfo);
  for (const addrinfo* entry = found; entry; entry = entry->ai_next) {
    tcp::endpoint endpoint;
    if (entry->ai_addrlen > endpoint.capacity()) continue;
    std::memcpy(endpoint.data(), entry->ai_addr, entry->ai_addrlen);
    endpoint.resize(entry->ai_addrlen);
    out.endpoints.push_back(endpoint);
  }
  return out;
}

std::size_t host_lookups_in_progress() {
  return lookups_in_progress.load();
}

asio::awaitable<HttpsResponse> https_get(std::string url, ssl::context& tls, HttpsLimits limits,
                                         HostResolver resolver) {
  try {
    HttpsTarget target = parse_https_url(url);
    if (!target.error.empty()) co_return failure("url: " + target.error);
    auto strand = asio::make_strand(co_await asio::this_coro::executor);
    co_return co_await asio::co_spawn(strand, fetch(std::move(target), tls, limits, std::move(resolver)),
                                      asio::use_awaitable);
  } catch (const std::exception& e) {
    // Allocation failures and the like: the caller gets a value, as for any other failure.
    co_return failure(std::string("https_get: ") + e.what());
  }
}

std::shared_ptr<ssl::context> make_client_tls_context() {
  auto tls = std::make_shared<ssl::context>(ssl::context::tls_client);
  if (SSL_CTX_set_min_proto_version(tls->native_handle(), TLS1_2_VERSION) != 1)
    throw std::runtime_error("cannot require TLS 1.2 or later");
  tls->set_default_verify_paths();
  tls->set_verify_mode(ssl::verify_peer);
  return tls;
}

}  // namespace crampbot::net
