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

#include "server/client_address.h"
#include "server/request_target.h"
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
// Between accepts while over the connection cap: at most a thousand connections a second are reclaimed.
constexpr std::chrono::milliseconds kAcceptPauseAtCap{1};
// How far down the waiting list a reclaim looks for a connection with no unread bytes.
constexpr std::size_t kMaxReclaimLookahead = 16;

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

// What is wrong with a request's head that Beast accepts, or "" (each is a 400 and the connection closes):
// - HTTP/1.1 without Host, more than one Host, or a Host that is not a valid authority (RFC 9112 §3.2);
// - a target that is none of origin, absolute (http or https, with a valid authority) or asterisk form;
// - Transfer-Encoding in HTTP/1.0: the framing is faulty (RFC 9112 §6.1);
// - a Transfer-Encoding whose last coding is not chunked (the body's length cannot be known).
std::string_view header_problem(const http::request<http::string_body>& header, bool chunked) {
  const std::size_t hosts = header.count(http::field::host);
  if (header.version() >= 11 && hosts == 0) return "an HTTP/1.1 request needs a Host header";
  if (hosts > 1) return "a request may carry only one Host header";
  if (hosts == 1 && !parse_authority(header[http::field::host])) return "the Host header is not a valid host";
  if (!parse_request_target(header.target())) {
    return "the request target must be a path, or an http or https URL with a valid host";
  }
  const bool has_transfer_encoding = header.find(http::field::transfer_encoding) != header.end();
  if (has_transfer_encoding && header.version() < 11) {
    return "an HTTP/1.0 request must not use Transfer-Encoding";
  }
  if (has_transfer_encoding && !chunked) return "unsupported Transfer-Encoding: only chunked is accepted";
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
    : config_(config),
      handler_(handler),
      acceptor_([this, &config]() -> asio::io_context& {
        const unsigned threads =
            config.threads ? config.threads : std::max(1u, std::thread::hardware_concurrency());
        for (unsigned i = 0; i < threads; ++i)
          workers_.push_back(std::make_unique<Worker>());
        return workers_.front()->context;
      }()),
      trusted_proxies_(AddressRanges::parse(config.trusted_proxies)) {
  for (auto& worker : workers_)
    publish_waiting(*worker);
}

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
      // Connections that have not begun a request have none in flight: end them now. The others close after
      // their response.
      for (auto* waiting : w->waiting) {
        if (!waiting->started) waiting->stream->cancel();
      }
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
      // Out of file descriptors: a waiting connection gives its descriptor back, so clients that hold
      // connections cannot lock the others out. Other errors (a connection reset before accept) just pass.
      if (ec == asio::error::no_descriptors || ec.value() == ENFILE) reclaim_waiting_connection();
      asio::steady_timer pause(acceptor_.get_executor(), std::chrono::milliseconds(10));
      co_await pause.async_wait(use_nothrow);
      continue;
    }
    open_connections_.fetch_add(1, std::memory_order_relaxed);
    beast::error_code peer_ec;
    const tcp::endpoint peer = socket.remote_endpoint(peer_ec);
    ClientConnectionCounts::Slot slot;
    if (!peer_ec && !trusted_proxies_.contains(peer.address())) {
      std::string key = client_key(peer.address());
      if (!client_connections_.try_add(key, config_.max_connections_per_client)) {
        asio::post(worker.context, [this, &worker, s = std::move(socket)]() mutable {
          refuse_connection(worker, std::move(s), "too many connections from one address");
        });
        continue;
      }
      slot = ClientConnectionCounts::Slot(&client_connections_, std::move(key));
    }
    asio::post(worker.context, [this, &worker, s = std::move(socket), slot = std::move(slot)]() mutable {
      admit(worker, std::move(s), std::move(slot));
    });
    if (open_connections_.load(std::memory_order_relaxed) > config_.max_connections) {
      // At the cap every newcomer closes a waiting connection. Accepting as fast as a flood connects would
      // close connections faster than the workers read them, a newcomer's complete request included; paced,
      // the flood waits in the kernel's queue in turn with everyone else, and what is accepted gets read.
      asio::steady_timer pause(acceptor_.get_executor(), kAcceptPauseAtCap);
      co_await pause.async_wait(use_nothrow);
    }
  }
}

void HttpServer::publish_waiting(Worker& worker) {
  worker.waiting_count.store(worker.waiting.size(), std::memory_order_relaxed);
  worker.longest_waiting_since.store(
      worker.waiting.empty() ? std::chrono::steady_clock::time_point::max().time_since_epoch().count()
                             : worker.waiting.front()->since.time_since_epoch().count(),
      std::memory_order_relaxed);
}

void HttpServer::start_waiting(Worker& worker, Waiting& waiting) {
  if (waiting.listed) return;
  waiting.since = std::chrono::steady_clock::now();
  waiting.place = worker.waiting.insert(worker.waiting.end(), &waiting);
  waiting.listed = true;
  publish_waiting(worker);
}

void HttpServer::stop_waiting(Worker& worker, Waiting& waiting) {
  if (!waiting.listed) return;
  worker.waiting.erase(waiting.place);
  waiting.listed = false;
  publish_waiting(worker);
}

bool HttpServer::reclaim_waiting_connection() {
  // The worker whose longest-waiting connection has waited longest; it closes that one on its own thread.
  // What it finds there by then may be another (the list moves on), but it is still the longest waiting.
  Worker* chosen = nullptr;
  std::chrono::steady_clock::rep oldest =
      std::chrono::steady_clock::time_point::max().time_since_epoch().count();
  for (auto& worker : workers_) {
    if (worker->waiting_count.load(std::memory_order_relaxed) == 0) continue;
    const auto since = worker->longest_waiting_since.load(std::memory_order_relaxed);
    if (!chosen || since < oldest) {
      chosen = worker.get();
      oldest = since;
    }
  }
  if (!chosen) return false;
  asio::post(chosen->context, [chosen] {
    if (chosen->waiting.empty()) return;
    // A connection whose bytes wait unread on our side is not slow: this worker is. Under a flood that
    // cycles connections faster than a busy worker reads, the longest waiting would otherwise often be a
    // newcomer whose whole request has arrived. Half-sent heads have had what they sent read already.
    Waiting* victim = chosen->waiting.front();
    std::size_t looked = 0;
    for (Waiting* candidate : chosen->waiting) {
      if (++looked > kMaxReclaimLookahead) break;
      beast::error_code ec;
      const std::size_t unread = candidate->stream->socket().available(ec);
      if (ec || unread == 0) {
        victim = candidate;
        break;
      }
    }
    stop_waiting(*chosen, *victim);  // so that the next reclaim takes the next one
    victim->stream->cancel();
  });
  return true;
}

void HttpServer::refuse_connection(Worker& worker, tcp::socket socket, std::string message) {
  asio::co_spawn(
      worker.context,
      [this, s = std::move(socket), message = std::move(message)]() mutable -> asio::awaitable<void> {
        ConnectionCount count(open_connections_);
        beast::tcp_stream stream(std::move(s));
        stream.expires_after(std::chrono::seconds(1));
        co_await write_refusal(stream, http::status::service_unavailable, message);
      },
      asio::detached);
}

void HttpServer::admit(Worker& worker, tcp::socket socket, ClientConnectionCounts::Slot slot) {
  // Like nginx, reclaim a connection that holds a place without a request to serve rather than refuse a new
  // client, so clients that hold connections cannot lock others out; only when no connection anywhere is
  // waiting for a request is the newcomer refused.
  if (open_connections_.load(std::memory_order_relaxed) > config_.max_connections &&
      !reclaim_waiting_connection()) {
    refuse_connection(worker, std::move(socket), "too many connections");
    return;
  }
  asio::co_spawn(worker.context, serve_connection(worker, std::move(socket), std::move(slot)),
                 asio::detached);
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

asio::awaitable<void> HttpServer::serve_connection(Worker& worker, tcp::socket socket,
                                                   ClientConnectionCounts::Slot slot) {
  ConnectionCount count(open_connections_);
  const ClientConnectionCounts::Slot counted = std::move(slot);
  beast::error_code ec;
  Peer peer{socket.remote_endpoint(ec).address()};
  if (ec) co_return;
  beast::tcp_stream stream(std::move(socket));
  // Bounded, so chunk extensions or trailers (which Beast does not limit) cannot grow memory.
  beast::flat_buffer buffer(config_.max_header_bytes + config_.max_body_bytes + kBufferSlack);
  Waiting waiting;
  waiting.stream = &stream;
  // Whatever ends the connection, it must not stay listed (the list holds a pointer into this frame).
  struct Unlist {
    Worker& worker;
    Waiting& waiting;
    ~Unlist() { stop_waiting(worker, waiting); }
  } unlist{worker, waiting};
  bool first_request = true;

  for (;;) {
    // RFC 9112 §2.2: a server should ignore at least one empty line before a request (also between
    // pipelined requests, where a client may end a body with an extra CRLF).
    skip_leading_empty_lines(buffer);
    // Until its head is complete, the connection may be reclaimed at the cap.
    start_waiting(worker, waiting);
    if (buffer.size() == 0) {
      // Waiting for the request's first byte: the first request under the head's deadline, a later one
      // under the idle timeout, both counted from when the wait began (empty lines do not extend it). Not
      // started, so that a graceful stop can end it without cutting a request.
      if (worker.stopping) break;
      waiting.started = false;
      stream.expires_at(waiting.since + (first_request ? config_.header_timeout : config_.idle_timeout));
      auto [read_ec, bytes] = co_await stream.async_read_some(buffer.prepare(kFirstReadBytes), use_nothrow);
      if (read_ec || !waiting.listed) break;  // also when reclaimed after the read completed
      buffer.commit(bytes);
      continue;
    }
    waiting.started = true;

    http::request_parser<http::string_body> parser;
    parser.header_limit(static_cast<std::uint32_t>(config_.max_header_bytes));
    parser.body_limit(config_.max_body_bytes);
    // The head has one deadline from when the request began (the connection's start, for the first), so a
    // client dribbling bytes cannot hold the connection; the body has its own.
    if (!first_request) stream.expires_after(config_.header_timeout);
    first_request = false;
    auto [header_ec, header_bytes] = co_await http::async_read_header(stream, buffer, parser, use_nothrow);
    const bool reclaimed = !waiting.listed;
    stop_waiting(worker, waiting);
    if (reclaimed && !header_ec) break;
    ec = header_ec;
    std::string_view refusal;
    if (!ec) refusal = header_problem(parser.get(), parser.chunked());
    stream.expires_after(config_.read_timeout);
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
