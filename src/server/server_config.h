#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace crampbot::server {

// Settings of the HTTP server (the "server" section of the configuration).
struct ServerConfig {
  std::string address = "127.0.0.1";
  std::uint16_t port = 8080;  // 0 picks a free port
  unsigned threads = 0;       // 0: one per core
  std::size_t max_body_bytes = 64 * 1024;
  std::size_t max_header_bytes = 8 * 1024;
  std::size_t max_connections = 4096;
  std::size_t max_connections_per_client = 256;  // open connections from one address; trusted proxies exempt
  std::chrono::milliseconds header_timeout{5'000};  // to read a request's head: from the connection's start,
                                                    // or from the first byte of a later request
  std::chrono::milliseconds read_timeout{10'000};   // to read a request's body once its head is read
  std::chrono::milliseconds idle_timeout{60'000};   // a kept-alive connection waiting for its next request
  std::chrono::milliseconds shutdown_timeout{10'000};  // requests in flight get this long after SIGTERM
  std::vector<std::string> cors_origins;               // origins allowed to call the chat APIs; "*" for any
  // Proxies whose X-Forwarded-For is believed, and whose own connections are not capped per client
  // (addresses or CIDR ranges).
  std::vector<std::string> trusted_proxies = {"127.0.0.0/8", "::1"};
  // The Host names answered (see HostAllowList); any other gets 421.
  std::vector<std::string> allowed_hosts = {"localhost", "127.0.0.1", "[::1]"};
  // Requests a second per client on the browser-facing routes (chat, Rasa, feedback); 0: no limit.
  double rate_limit_rps = 20;
  std::size_t rate_limit_burst = 40;  // requests at once before the rate applies
};

}  // namespace crampbot::server
