#pragma once

#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <list>
#include <memory>
#include <mutex>
#include <string_view>
#include <thread>
#include <vector>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>

#include "server/address_ranges.h"
#include "server/client_connection_counts.h"
#include "server/server_config.h"

namespace crampbot::server {

namespace http = boost::beast::http;
using HttpRequest = http::request<http::string_body>;
using HttpResponse = http::response<http::string_body>;

// Who sent a request.
struct Peer {
  boost::asio::ip::address address;
};

// What the server calls for each request: the seam between sockets and routes.
class RequestHandler {
 public:
  virtual ~RequestHandler() = default;

  // The response to one complete request. Must not throw (the server answers 500 if it does).
  virtual boost::asio::awaitable<HttpResponse> handle(HttpRequest& request, const Peer& peer) = 0;

  // The response to a request that could not be read or admitted: 400 (malformed), 413 (body over the
  // limit), 431 (headers over the limit), 503 (over the connection cap, or the client's share of it). Also
  // where it is counted and logged.
  virtual HttpResponse refuse(http::status status, std::string_view message) = 0;
};

// An asynchronous HTTP/1.1 server: one io_context and thread per worker, one acceptor handing connections to
// the workers in turn, one coroutine per connection (keep-alive, pipelining, timeouts, limits).
//
// Against clients that hold connections without finishing a request (as nginx and Envoy do):
// - a request's head must arrive within config.header_timeout (from the connection's start, or from the
//   first byte of a later request on a kept-alive connection), its body within config.read_timeout;
// - at config.max_connections, the connection that has waited longest for a complete request head (kept
//   alive and idle, or half-sent), and has no bytes waiting unread, is closed to make room; only when none is
//   waiting is a newcomer refused;
// - one client address may hold config.max_connections_per_client connections (trusted proxies exempt).
// Requests are read as RFC 9112 says: one valid Host (or the absolute form's authority), no
// Transfer-Encoding in HTTP/1.0, empty lines before a request line skipped.
class HttpServer {
 public:
  // `handler` must outlive the server. Throws std::invalid_argument when config.trusted_proxies holds an
  // entry that is not an address or range (start-up only).
  HttpServer(const ServerConfig& config, RequestHandler& handler);
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Binds and listens on config.address:config.port. Throws std::system_error naming the address when it
  // cannot (start-up only). Returns the bound endpoint (the real port when config.port is 0).
  boost::asio::ip::tcp::endpoint listen();

  // Starts the worker threads; returns at once. Call after listen().
  void start();

  // Graceful stop: stops accepting, closes idle connections, lets requests already being read or answered
  // finish (their connections then close), and forces the rest closed after config.shutdown_timeout.
  // Idempotent; callable from any thread.
  void stop();

  // Blocks until every worker thread has exited (after stop(), or never).
  void wait();

  // The io_context of the first worker: where signal handlers can live.
  boost::asio::io_context& main_context() { return workers_.front()->context; }

  std::size_t threads() const { return workers_.size(); }
  std::size_t open_connections() const { return open_connections_.load(std::memory_order_relaxed); }

 private:
  // A connection without a complete request head: reclaimable at the cap.
  struct Waiting {
    boost::beast::tcp_stream* stream = nullptr;
    std::chrono::steady_clock::time_point since;  // when it began to wait for this request
    bool started = false;                         // a byte of the request has come (a graceful stop waits)
    bool listed = false;
    std::list<Waiting*>::iterator place;
  };

  struct Worker {
    boost::asio::io_context context{1};
    boost::asio::executor_work_guard<boost::asio::io_context::executor_type> guard{context.get_executor()};
    std::list<Waiting*> waiting;                // connections waiting for a request head, longest first
    std::atomic<std::size_t> waiting_count{0};  // waiting.size(), readable from other threads
    // waiting.front()->since in steady-clock ticks (max when none), readable from other threads
    std::atomic<std::chrono::steady_clock::rep> longest_waiting_since{0};
    bool stopping = false;  // touched only on this worker's thread
    std::thread thread;
  };

  boost::asio::awaitable<void> accept_loop();
  void admit(Worker& worker, boost::asio::ip::tcp::socket socket, ClientConnectionCounts::Slot slot);
  void refuse_connection(Worker& worker, boost::asio::ip::tcp::socket socket, std::string message);
  // Closes the connection that has waited longest for a request head, on its worker's thread; false when no
  // connection anywhere is waiting.
  bool reclaim_waiting_connection();
  static void start_waiting(Worker& worker, Waiting& waiting);
  static void stop_waiting(Worker& worker, Waiting& waiting);
  static void publish_waiting(Worker& worker);
  boost::asio::awaitable<void> serve_connection(Worker& worker, boost::asio::ip::tcp::socket socket,
                                                ClientConnectionCounts::Slot slot);
  boost::asio::awaitable<bool> write_refusal(boost::beast::tcp_stream& stream, http::status status,
                                             std::string_view message);

  ServerConfig config_;
  RequestHandler& handler_;
  std::vector<std::unique_ptr<Worker>> workers_;
  boost::asio::ip::tcp::acceptor acceptor_;
  std::size_t next_worker_ = 0;
  std::atomic<std::size_t> open_connections_{0};
  AddressRanges trusted_proxies_;  // exempt from max_connections_per_client
  ClientConnectionCounts client_connections_;
  std::atomic<bool> stopping_{false};

  std::mutex exit_mutex_;
  std::condition_variable exit_signal_;
  std::size_t running_workers_ = 0;
  std::thread watchdog_;
};

}  // namespace crampbot::server
