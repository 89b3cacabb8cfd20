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
  std::chrono::milliseconds read_timeout{10'000};      // to read one whole request, once its first byte came
  std::chrono::milliseconds idle_timeout{60'000};      // a kept-alive connection waiting for its next request
  std::chrono::milliseconds shutdown_timeout{10'000};  // requests in flight get this long after SIGTERM
  std::vector<std::string> cors_origins;               // origins allowed to call the chat APIs; "*" for any
};

}  // namespace crampbot::server
