#pragma once

// A small blocking HTTP/1.1 client over real sockets for the integration tests, plus raw-socket helpers for
// sending what no well-behaved client would.

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

namespace crampbot::test {

struct HttpReply {
  int status = 0;
  std::map<std::string, std::string> headers;  // names in lower case
  std::string body;
  bool keep_alive = false;

  // The header's value, or "" when absent; `name` in lower case.
  std::string header(const std::string& name) const;
};

// One connection to 127.0.0.1:port, reused across requests while the server keeps it alive.
class HttpClient {
 public:
  explicit HttpClient(std::uint16_t port, std::chrono::milliseconds timeout = std::chrono::seconds(10));
  ~HttpClient();

  // Sends one request and reads the reply; reconnects first when the previous reply closed the connection.
  // Returns nullopt when the connection fails or is closed without a reply.
  std::optional<HttpReply> request(std::string_view method, std::string_view target,
                                   std::string_view body = {},
                                   const std::map<std::string, std::string>& headers = {});

  // POST with Content-Type: application/json.
  std::optional<HttpReply> post_json(std::string_view target, std::string_view body,
                                     std::map<std::string, std::string> headers = {});

  std::optional<HttpReply> get(std::string_view target) { return request("GET", target); }

 private:
  bool connect();

  std::uint16_t port_;
  std::chrono::milliseconds timeout_;
  boost::asio::io_context context_;
  std::optional<boost::asio::ip::tcp::socket> socket_;
  std::string buffer_;
};

// A raw connection: writes bytes as given and reads whatever comes back.
class RawConnection {
 public:
  // Connects to 127.0.0.1:port; from `source` ("127.0.0.2": any loopback address works on Linux) when given,
  // so that a test can be several clients.
  explicit RawConnection(std::uint16_t port, const char* source = nullptr);
  ~RawConnection();

  bool connected() const { return connected_; }

  // Writes all of `bytes`; false when the connection is gone.
  bool send(std::string_view bytes);

  // Writes `unit` over and over, up to `total` bytes, until the peer stops taking them: the connection is
  // gone, or not one byte could be written for `stall` (the peer stopped reading). Returns the bytes written.
  std::size_t flood(std::string_view unit, std::size_t total, std::chrono::milliseconds stall);

  // Reads until the peer closes the connection or `timeout` passes; returns what arrived.
  std::string read_until_closed(std::chrono::milliseconds timeout);

  // Reads until `bytes` bytes arrived, the peer closes, or `timeout` passes.
  std::string read_some(std::chrono::milliseconds timeout);

  // True when the peer has closed the connection (a read returns end of stream) within `timeout`.
  bool closed_within(std::chrono::milliseconds timeout);

  // True when the peer closes or resets the connection within `timeout`, seen without reading a byte (for a
  // client that must never read what it was sent).
  bool gone_unread_within(std::chrono::milliseconds timeout);

  void close();

 private:
  int fd_ = -1;
  bool connected_ = false;
};

// The bytes of `POST /v1/chat` with `body` as JSON, for a RawConnection.
std::string chat_request_bytes(std::string_view body);

// Parses the status line of a raw reply ("HTTP/1.1 413 Payload Too Large" → 413); 0 when there is none.
int status_of(std::string_view raw_reply);

}  // namespace crampbot::test
