#include "server/http_server.h"

#include <algorithm>
#include <cerrno>
#include <system_error>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>

#include "server/response_wire.h"

namespace crampbot::server {

namespace asio = boost::asio;
namespace beast = boost::beast;
using tcp = asio::ip::tcp;

namespace {

constexpr auto use_nothrow = asio::as_tuple(asio::use_awaitable);
constexpr std::size_t kFirstReadBytes = 4096;
constexpr std::size_t kBufferSlack =
    16 * 1024;  // beyond header and body limits: chunk framing, pipelined bytes
constexpr std::size_t kMaxEmptyLines = 4;

// Read errors that mean the peer sent something that is not HTTP/1.1 we accept (answered 400), as opposed
// to the connection ending or timing out (closed without an answer).
bool is_malformed(const beast::error_code& ec) {
  if (ec.category() != beast::http::make_error_code(http::error::bad_target).category()) return false;
  return ec != http::error::end_of_stream && ec != http::error::partial_message &&
         ec != http::error::need_more && ec != http::error::body_limit && ec != http::error::header_limit &&
         ec != http::error::buffer_overflow;
}

// Drops up to kMaxEmptyLines CRLF (or bare LF) lines at the start of the buffer.
void skip_leading_empty_lines(beast::flat_buffer& buffer) {
  const auto* data = static_cast<const char*>(buffer.data().data());
  std::size_t skip = 0;
  std::size_t lines = 0;
  while (skip < buffer.size() && lines < kMaxEmptyLines) {
    if (data[skip] == '\n') {
      ++skip;
      ++lines;
    } else if (data[skip] == '\r' && skip + 1 < buffer.size() && data[skip + 1] == '\n') {
      skip += 2;
      ++lines;
    } else {
      break;
    }
  }
  buffer.consume(skip);
}

// What is wrong with a request's header that Beast accepts, or "": HTTP/1.1 without Host (RFC 9112 §3.2
// requires a 400), or a Transfer-Encoding whose last coding is not chunked (its length cannot be known).
std::string_view header_problem(const http::request<http::string_body>& header, bool chunked) {
  if (header.version() >= 11 && header.find(http::field::host) == header.end()) {
    return "an HTTP/1.1 request needs a Host header";
  }
  if (header.find(http::field::transfer_encoding) != header.end() && !chunked) {
    return "unsupported Transfer-Encoding: only chunked is accepted";
  }
  return {};
}

// Keeps the open-connection count right however a connection coroutine ends.
class ConnectionCount {
 public:
  explicit ConnectionCount(std::atomic<std::size_t>& count) : count_(count) {}
  ~ConnectionCount() { count_.fetch_sub(1, std::memory_order_relaxed); }
  ConnectionCount(const ConnectionCount&) = delete;
  ConnectionCount& operator=(const ConnectionCount&) = delete;

 private:
  std::atomic<std::size_t>& count_;
};

}  // namespace

HttpServer::HttpServer(const ServerConfig& config, RequestHandler& handler)
    : config_(config), handler_(handler), acceptor_([this, &config]() -> asio::io_context& {
        const unsigned threads =
            config.threads ? config.threads : std::max(1u, std::thread::hardware_concurrency());
        for (unsigned i = 0; i < threads; ++i)
          workers_.push_back(std::make_unique<Worker>());
        return workers_.front()->context;
      }()) {}

HttpServer::~HttpServer() {
  stop();
  wait();
}

tcp::endpoint HttpServer::listen() {
  beast::error_code ec;
  const auto address = asio::ip::make_address(config_.address, ec);
  if (ec) throw std::system_error(ec, "server.address \"" + config_.address + "\" is not an IP address");
  const tcp::endpoint endpoint(address, config_.port);
  const std::string where = config_.address + ":" + std::to_string(config_.port);
  if (acceptor_.open(endpoint.protocol(), ec); ec)
    throw std::system_error(ec, "cannot open a socket for " + where);
  if (acceptor_.set_option(asio::socket_base::reuse_address(true), ec); ec) {
    throw std::system_error(ec, "cannot set SO_REUSEADDR on " + where);
  }
  if (acceptor_.bind(endpoint, ec); ec) throw std::system_error(ec, "cannot bind " + where);
  if (acceptor_.listen(asio::socket_base::max_listen_connections, ec); ec) {
    throw std::system_error(ec, "cannot listen on " + where);
  }
  return acceptor_.local_endpoint();
}

void HttpServer::start() {
  asio::co_spawn(workers_.front()->context, accept_loop(), asio::detached);
  running_workers_ = workers_.size();
  for (auto& worker : workers_) {
    worker->thread = std::thread([this, w = worker.get()] {
      w->context.run();
      std::lock_guard lock(exit_mutex_);
      --running_workers_;
      exit_signal_.notify_all();
    });
  }
}

void HttpServer::stop() {
  if (stopping_.exchange(true)) return;
  asio::post(workers_.front()->context, [this] {
    beast::error_code ignored;
    acceptor_.close(ignored);
  });
  for (auto& worker : workers_) {
    asio::post(worker->context, [w = worker.get()] {
      w->stopping = true;
      // Idle connections have no request in flight: end them now. Busy ones close after their response.
      for (auto* stream : w->idle)
        stream->cancel();
      w->guard.reset();
    });
  }
  watchdog_ = std::thread([this] {
    std::unique_lock lock(exit_mutex_);
    if (!exit_signal_.wait_for(lock, config_.shutdown_timeout, [this] { return running_workers_ == 0; })) {
      for (auto& worker : workers_)
        worker->context.stop();
    }
  });
}

void HttpServer::wait() {
  for (auto& worker : workers_) {
    if (worker->thread.joinable()) worker->thread.join();
  }
  if (watchdog_.joinable()) watchdog_.join();
}

asio::awaitable<void> HttpServer::accept_loop() {
  for (;;) {
    Worker& worker = *workers_[next_worker_++ % workers_.size()];
    auto [ec, socket] = co_await acceptor_.async_accept(worker.context, use_nothrow);
    if (!acceptor_.is_open() || ec == asio::error::operation_aborted) co_return;
    if (ec) {
      // Out of file descriptors: an idle kept-alive connection gives its descriptor back, so idle clients
      // cannot lock the others out. Other errors (a connection reset before accept) just pass.
      if (ec == asio::error::no_descriptors || ec.value() == ENFILE) reclaim_idle_connection(worker);
      asio::steady_timer pause(acceptor_.get_executor(), std::chrono::milliseconds(10));
      co_await pause.async_wait(use_nothrow);
      continue;
    }
    open_connections_.fetch_add(1, std::memory_order_relaxed);
    asio::post(worker.context,
               [this, &worker, s = std::move(socket)]() mutable { admit(worker, std::move(s)); });
  }
}

bool HttpServer::reclaim_idle_connection(Worker& preferred) {
  // The preferred worker first, then the others: each closes its longest-idle connection on its own thread.
  const std::size_t first = static_cast<std::size_t>(
      std::find_if(workers_.begin(), workers_.end(), [&](const auto& w) { return w.get() == &preferred; }) -
      workers_.begin());
  for (std::size_t i = 0; i < workers_.size(); ++i) {
    Worker& worker = *workers_[(first + i) % workers_.size()];
    if (worker.idle_count.load(std::memory_order_relaxed) == 0) continue;
    asio::post(worker.context, [&worker] {
      if (!worker.idle.empty()) worker.idle.front()->cancel();
    });
    return true;
  }
  return false;
}

void HttpServer::admit(Worker& worker, tcp::socket socket) {
  // Like nginx, reclaim the longest-idle kept-alive connection rather than refuse a new client, so idle
  // clients cannot lock others out; only when no connection anywhere is idle is the newcomer refused.
  if (open_connections_.load(std::memory_order_relaxed) > config_.max_connections &&
      !reclaim_idle_connection(worker)) {
    asio::co_spawn(
        worker.context,
        [this, s = std::move(socket)]() mutable -> asio::awaitable<void> {
          ConnectionCount count(open_connections_);
          beast::tcp_stream stream(std::move(s));
          stream.expires_after(std::chrono::seconds(1));
          co_await write_refusal(stream, http::status::service_unavailable, "too many connections");
        },
        asio::detached);
    return;
  }
  asio::co_spawn(worker.context, serve_connection(worker, std::move(socket)), asio::detached);
}

asio::awaitable<bool> HttpServer::write_refusal(beast::tcp_stream& stream, http::status status,
                                                std::string_view message) {
  HttpResponse response = handler_.refuse(status, message);
  response.keep_alive(false);
  response.prepare_payload();
  const std::string wire = response_wire(response, true);
  auto [ec, bytes] = co_await asio::async_write(stream, asio::buffer(wire), use_nothrow);
  beast::error_code ignored;
  stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
  co_return !ec;
}

asio::awaitable<void> HttpServer::serve_connection(Worker& worker, tcp::socket socket) {
  ConnectionCount count(open_connections_);
  beast::error_code ec;
  Peer peer{socket.remote_endpoint(ec).address()};
  if (ec) co_return;
  beast::tcp_stream stream(std::move(socket));
  // Bounded, so chunk extensions or trailers (which Beast does not limit) cannot grow memory.
  beast::flat_buffer buffer(config_.max_header_bytes + config_.max_body_bytes + kBufferSlack);

  for (;;) {
    if (buffer.size() == 0) {
      // Between requests: wait for the first byte under the idle timeout, listed as idle so that a graceful
      // stop or the connection cap can end this connection without cutting a request.
      if (worker.stopping) break;
      const auto entry = worker.idle.insert(worker.idle.end(), &stream);
      worker.idle_count.store(worker.idle.size(), std::memory_order_relaxed);
      stream.expires_after(config_.idle_timeout);
      auto [read_ec, bytes] = co_await stream.async_read_some(buffer.prepare(kFirstReadBytes), use_nothrow);
      worker.idle.erase(entry);
      worker.idle_count.store(worker.idle.size(), std::memory_order_relaxed);
      if (read_ec) break;
      buffer.commit(bytes);
      // RFC 9112 §2.2: a server should ignore at least one empty line before a request.
      skip_leading_empty_lines(buffer);
      if (buffer.size() == 0) continue;
    }

    http::request_parser<http::string_body> parser;
    parser.header_limit(static_cast<std::uint32_t>(config_.max_header_bytes));
    parser.body_limit(config_.max_body_bytes);
    // One deadline for the whole request, so a client dribbling bytes cannot hold the connection.
    stream.expires_after(config_.read_timeout);
    auto [header_ec, header_bytes] = co_await http::async_read_header(stream, buffer, parser, use_nothrow);
    ec = header_ec;
    std::string_view refusal;
    if (!ec) refusal = header_problem(parser.get(), parser.chunked());
    if (!ec && refusal.empty() && parser.get()[http::field::expect] == "100-continue" && !parser.is_done()) {
      // curl and others wait for this before sending a larger body.
      static constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
      auto [continue_ec, continue_bytes] =
          co_await asio::async_write(stream, asio::buffer(kContinue.data(), kContinue.size()), use_nothrow);
      ec = continue_ec;
    }
    if (!ec && refusal.empty() && !parser.is_done()) {
      auto [body_ec, body_bytes] = co_await http::async_read(stream, buffer, parser, use_nothrow);
      ec = body_ec;
    }
    if (!refusal.empty()) {
      co_await write_refusal(stream, http::status::bad_request, refusal);
      break;
    }
    if (ec) {
      if (ec == http::error::body_limit || (ec == http::error::buffer_overflow && parser.is_header_done())) {
        co_await write_refusal(stream, http::status::payload_too_large, "the request body is over the limit");
      } else if (ec == http::error::header_limit || ec == http::error::buffer_overflow) {
        co_await write_refusal(stream, http::status::request_header_fields_too_large,
                               "the request headers are over the limit");
      } else if (is_malformed(ec)) {
        co_await write_refusal(stream, http::status::bad_request, "malformed HTTP request: " + ec.message());
      }
      break;  // timeouts, resets and half-sent requests end the connection without an answer
    }

    HttpRequest request = parser.release();
    HttpResponse response;
    try {
      response = co_await handler_.handle(request, peer);
    } catch (const std::exception&) {
      response = handler_.refuse(http::status::internal_server_error, "internal error");
    }
    const bool keep_alive = request.keep_alive() && !worker.stopping;
    response.version(request.version());
    response.keep_alive(keep_alive);
    response.prepare_payload();
    const unsigned status = response.result_int();
    if (status == 204 || status == 304 || status < 200) response.erase(http::field::content_length);
    stream.expires_after(config_.read_timeout);
    // HEAD gets the headers GET would send, Content-Length included, and no body.
    const std::string wire = response_wire(response, request.method() != http::verb::head);
    auto [write_ec, written] = co_await asio::async_write(stream, asio::buffer(wire), use_nothrow);
    if (write_ec || !keep_alive) break;
  }
  stream.socket().shutdown(tcp::socket::shutdown_send, ec);
  stream.close();
}

}  // namespace crampbot::server
