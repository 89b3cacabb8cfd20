#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>

namespace crampbot::net {

// Bounds on one outbound request, so a slow or hostile server cannot hold a request handler for long.
struct HttpsLimits {
  std::chrono::milliseconds connect_timeout{2000};  // name resolution and TCP connect, together
  std::chrono::milliseconds total_timeout{5000};    // everything, from the call to the last body byte
  std::size_t max_body_bytes = 64 * 1024;           // a larger body is an error, not a truncation
  std::size_t max_header_bytes = 16 * 1024;
};

// The addresses a host name resolves to, or why there are none.
struct ResolvedHost {
  std::vector<boost::asio::ip::tcp::endpoint> endpoints;  // at least one when error is ""
  std::string error;                                      // "" when the name resolved
};

// Looks `host` up for `port`, blocking as getaddrinfo does. https_get runs it on a thread of its own and
// stops waiting for it at the connect deadline; it may be called on several threads at once and must not
// throw.
using HostResolver = std::function<ResolvedHost(const std::string& host, const std::string& port)>;

// The system's resolver (getaddrinfo): https_get's default.
ResolvedHost resolve_with_system(const std::string& host, const std::string& port);

// At most this many name lookups run at once in the process. A lookup that outlives its fetch's deadline
// (a stuck resolver) keeps its thread until it returns; when every one is taken, https_get fails at once
// rather than queue behind them.
inline constexpr std::size_t kMaxHostLookups = 8;

// How many name lookups have started and not returned yet (stuck ones included).
std::size_t host_lookups_in_progress();

// The body of a 200 response, or what went wrong.
struct HttpsResponse {
  std::string body;  // the whole body when ok()
  std::string
      error;  // "" on success; otherwise a sentence naming the step (url, resolve, connect, tls, http)
  bool ok() const { return error.empty(); }
};

// GETs `url` ("https://host[:port]/path[?query]") over TLS and returns the body of a 200 response. The peer's
// certificate is verified against `tls`'s trust store and must match the URL's host name (SNI is sent for
// names). Anything other than a 200 with a body within `limits` is an error value; never throws. `tls` must
// outlive the call and not be reconfigured during it. Safe to run on a multi-threaded executor: the work runs
// on a strand of its own.
// A host name is looked up by `resolver` (empty: resolve_with_system) on a thread of its own (at most
// kMaxHostLookups at once): name resolution counts against connect_timeout like the connect itself, and a
// lookup still running at the deadline is left to finish alone ("resolve HOST: timed out after N ms").
// An IP literal needs no lookup.
boost::asio::awaitable<HttpsResponse> https_get(std::string url, boost::asio::ssl::context& tls,
                                                HttpsLimits limits = {}, HostResolver resolver = {});

// A TLS client context for https_get: TLS 1.2 or later, peer verification against the system's trusted
// roots (Debian's ca-certificates). Throws std::runtime_error when the roots cannot be loaded (start-up
// only).
std::shared_ptr<boost::asio::ssl::context> make_client_tls_context();

}  // namespace crampbot::net
