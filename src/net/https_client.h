#pragma once

#include <chrono>
#include <cstddef>
#include <memory>
#include <string>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ssl/context.hpp>

namespace crampbot::net {

// Bounds on one outbound request, so a slow or hostile server cannot hold a request handler for long.
struct HttpsLimits {
  std::chrono::milliseconds connect_timeout{2000};  // name resolution and TCP connect
  std::chrono::milliseconds total_timeout{5000};    // everything, from the call to the last body byte
  std::size_t max_body_bytes = 64 * 1024;           // a larger body is an error, not a truncation
  std::size_t max_header_bytes = 16 * 1024;
};

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
boost::asio::awaitable<HttpsResponse> https_get(std::string url, boost::asio::ssl::context& tls,
                                                HttpsLimits limits = {});

// A TLS client context for https_get: TLS 1.2 or later, peer verification against the system's trusted
// roots (Debian's ca-certificates). Throws std::runtime_error when the roots cannot be loaded (start-up
// only).
std::shared_ptr<boost::asio::ssl::context> make_client_tls_context();

}  // namespace crampbot::net
