#include "support/http_client.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>

#include <boost/asio/connect.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>

namespace crampbot::test {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;

namespace {

std::string lower(std::string_view text) {
  std::string out(text);
  for (auto& c : out)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

}  // namespace

std::string HttpReply::header(const std::string& name) const {
  const auto it = headers.find(name);
  return it == headers.end() ? std::string() : it->second;
}

HttpClient::HttpClient(std::uint16_t port, std::chrono::milliseconds timeout)
    : port_(port), timeout_(timeout) {}

HttpClient::~HttpClient() {
  if (socket_) {
    beast::error_code ignored;
    socket_->close(ignored);
  }
}

bool HttpClient::connect() {
  socket_.emplace(context_);
  beast::error_code ec;
  socket_->connect({asio::ip::make_address("127.0.0.1"), port_}, ec);
  if (ec) {
    socket_.reset();
    return false;
  }
  // Blocking reads with a deadline, so a test never hangs on a server that does not answer.
  const timeval tv{static_cast<time_t>(timeout_.count() / 1000),
                   static_cast<suseconds_t>((timeout_.count() % 1000) * 1000)};
  ::setsockopt(socket_->native_handle(), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  ::setsockopt(socket_->native_handle(), SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
  buffer_.clear();
  return true;
}

std::optional<HttpReply> HttpClient::request(std::string_view method, std::string_view target,
                                             std::string_view body,
                                             const std::map<std::string, std::string>& headers) {
  if (!socket_ && !connect()) return std::nullopt;
  http::request<http::string_body> request(http::string_to_verb(method), target, 11);
  request.set(http::field::host, "127.0.0.1");
  for (const auto& [name, value] : headers)
    request.set(name, value);
  request.body() = std::string(body);
  if (!body.empty() || method == "POST") request.prepare_payload();
  beast::error_code ec;
  http::write(*socket_, request, ec);
  if (ec) {
    // The server may have closed an idle kept-alive connection: try once on a fresh one.
    if (!connect()) return std::nullopt;
    http::write(*socket_, request, ec);
    if (ec) return std::nullopt;
  }
  beast::flat_buffer buffer;
  http::response_parser<http::string_body> parser;
  parser.body_limit(64 << 20);
  if (method == "HEAD") parser.skip(true);
  http::read(*socket_, buffer, parser, ec);
  if (ec) {
    socket_.reset();
    return std::nullopt;
  }
  const auto& response = parser.get();
  HttpReply reply;
  reply.status = static_cast<int>(response.result_int());
  for (const auto& field : response)
    reply.headers[lower(field.name_string())] = std::string(field.value());
  reply.body = response.body();
  reply.keep_alive = response.keep_alive();
  if (!reply.keep_alive) socket_.reset();
  return reply;
}

std::optional<HttpReply> HttpClient::post_json(std::string_view target, std::string_view body,
                                               std::map<std::string, std::string> headers) {
  headers.emplace("Content-Type", "application/json");
  return request("POST", target, body, headers);
}

RawConnection::RawConnection(std::uint16_t port, const char* source) {
  fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd_ < 0) return;
  if (source) {
    sockaddr_in local{};
    local.sin_family = AF_INET;
    if (::inet_pton(AF_INET, source, &local.sin_addr) != 1 ||
        ::bind(fd_, reinterpret_cast<sockaddr*>(&local), sizeof local) != 0) {
      return;
    }
  }
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  connected_ = ::connect(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0;
}

RawConnection::~RawConnection() {
  close();
}

void RawConnection::close() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
  connected_ = false;
}

bool RawConnection::send(std::string_view bytes) {
  while (!bytes.empty()) {
    const ssize_t written = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    if (written < 0 && errno == EINTR) continue;
    if (written <= 0) return false;
    bytes.remove_prefix(static_cast<std::size_t>(written));
  }
  return true;
}

std::size_t RawConnection::flood(std::string_view unit, std::size_t total, std::chrono::milliseconds stall) {
  std::size_t written = 0;
  std::size_t offset = 0;  // into `unit`
  while (written < total && !unit.empty()) {
    pollfd p{fd_, POLLOUT, 0};
    const int ready = ::poll(&p, 1, static_cast<int>(stall.count()));
    if (ready < 0 && errno == EINTR) continue;
    if (ready <= 0 || (p.revents & (POLLERR | POLLHUP))) break;
    const std::size_t size = std::min(unit.size() - offset, total - written);
    const ssize_t n = ::send(fd_, unit.data() + offset, size, MSG_NOSIGNAL | MSG_DONTWAIT);
    if (n < 0 && (errno == EINTR || errno == EAGAIN || errno == EWOULDBLOCK)) continue;
    if (n <= 0) break;
    written += static_cast<std::size_t>(n);
    offset = (offset + static_cast<std::size_t>(n)) % unit.size();
  }
  return written;
}

std::string RawConnection::read_until_closed(std::chrono::milliseconds timeout) {
  std::string out;
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return out;
    pollfd p{fd_, POLLIN, 0};
    const int ready = ::poll(&p, 1, static_cast<int>(left.count()));
    if (ready <= 0) return out;
    char chunk[4096];
    const ssize_t n = ::recv(fd_, chunk, sizeof chunk, 0);
    if (n <= 0) return out;
    out.append(chunk, static_cast<std::size_t>(n));
  }
}

std::string RawConnection::read_some(std::chrono::milliseconds timeout) {
  pollfd p{fd_, POLLIN, 0};
  if (::poll(&p, 1, static_cast<int>(timeout.count())) <= 0) return {};
  char chunk[65536];
  const ssize_t n = ::recv(fd_, chunk, sizeof chunk, 0);
  return n > 0 ? std::string(chunk, static_cast<std::size_t>(n)) : std::string();
}

bool RawConnection::closed_within(std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return false;
    pollfd p{fd_, POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(left.count())) <= 0) return false;
    char chunk[4096];
    const ssize_t n = ::recv(fd_, chunk, sizeof chunk, 0);
    if (n <= 0) return true;  // end of stream or reset
  }
}

bool RawConnection::gone_unread_within(std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    const auto left = std::max(
        std::chrono::milliseconds(0),
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now()));
    // Without POLLIN, data waiting to be read does not end the wait; the peer's FIN or reset does.
    pollfd p{fd_, POLLRDHUP, 0};
    const int ready = ::poll(&p, 1, static_cast<int>(left.count()));
    if (ready < 0 && errno == EINTR) continue;
    return ready > 0 && (p.revents & (POLLRDHUP | POLLHUP | POLLERR)) != 0;
  }
}

std::string chat_request_bytes(std::string_view body) {
  return "POST /v1/chat HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: " +
         std::to_string(body.size()) + "\r\n\r\n" + std::string(body);
}

int status_of(std::string_view raw_reply) {
  if (raw_reply.size() < 12 || raw_reply.substr(0, 5) != "HTTP/") return 0;
  const auto space = raw_reply.find(' ');
  if (space == std::string_view::npos || space + 4 > raw_reply.size()) return 0;
  int status = 0;
  for (std::size_t i = space + 1; i < space + 4; ++i) {
    if (!std::isdigit(static_cast<unsigned char>(raw_reply[i]))) return 0;
    status = status * 10 + (raw_reply[i] - '0');
  }
  return status;
}

}  // namespace crampbot::test
