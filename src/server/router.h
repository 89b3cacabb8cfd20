#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include <boost/asio/thread_pool.hpp>

#include "channels/alexa/alexa_channel.h"
#include "channels/chat_channel.h"
#include "channels/dialogflow_cx_channel.h"
#include "channels/dialogflow_es_channel.h"
#include "channels/feedback_channel.h"
#include "channels/rasa_channel.h"
#include "review/review_recorder.h"
#include "server/address_ranges.h"
#include "server/client_rate_limiter.h"
#include "server/engine_slot.h"
#include "server/host_allow_list.h"
#include "server/http_server.h"
#include "server/logger.h"
#include "server/metrics.h"
#include "server/static_files.h"

namespace crampbot::server {

// Optional HTTP basic authentication of the Dialogflow webhooks ("" user: none).
struct BasicAuth {
  std::string user;
  std::string password;
};

// Everything the routes need, assembled by the `serve` command.
struct RouterParts {
  EngineSlot& engines;
  ChatChannel& chat;
  RasaChannel& rasa;
  alexa::AlexaChannel& alexa;
  DialogflowEsChannel& dialogflow_es;
  DialogflowCxChannel& dialogflow_cx;
  Metrics& metrics;
  const Logger& logger;
  std::vector<std::string> cors_origins;
  BasicAuth dialogflow_auth;
  bool log_utterances = false;
  std::function<std::size_t()> open_connections;  // for /metrics
  StaticFiles web;                                // the widget and its demo page; empty: not served
  FeedbackChannel* feedback = nullptr;            // POST /v1/feedback; null: not served
  review::ReviewRecorder* review = nullptr;       // the review of misunderstood questions; null: off
  HostAllowList allowed_hosts;                    // Host names answered; others get 421
  AddressRanges trusted_proxies;                  // peers whose X-Forwarded-For names the client
  double rate_limit_rps = 0;                      // per client on chat, Rasa and feedback; 0: none
  std::size_t rate_limit_burst = 1;
};

// The routes: maps each request to its channel, checks the Host (421 unless allowed), method, content type,
// CORS, authentication and the per-client rate limit of the browser-facing routes (429 with Retry-After),
// and records every answer in the access log and the metrics. The client is the TCP peer, or the address its
// trusted proxies name in X-Forwarded-For.
//   GET  /healthz, /readyz, /metrics
//   GET  /, /widget.js, /widget.css (the web widget, when configured)
//   POST /v1/chat, /v1/feedback, /webhooks/rest/webhook (with CORS preflight), /alexa, /dialogflow,
//        /dialogflow-cx
//   POST /admin/reload, GET /admin/review (loopback clients only)
// Answers that did not understand (fallback, clarify) are counted by channel and locale, and offered to the
// review recorder when there is one.
class Router : public RequestHandler {
 public:
  explicit Router(RouterParts parts);
  ~Router() override;

  boost::asio::awaitable<HttpResponse> handle(HttpRequest& request, const Peer& peer) override;
  HttpResponse refuse(http::status status, std::string_view message) override;

  // Reloads the catalog off the request path (on the reload thread), records and logs the result. Safe to
  // call from a signal handler's completion on any thread; returns at once. Requests that arrive while a
  // reload is waiting or running are served by one reload that starts after them, so a burst of them
  // costs one or two reloads, not one each.
  void reload_in_background();

  // Waits for the reload in progress, if any, and stops the reload thread. Call after the server's workers
  // have stopped and before they are destroyed (a reload's answer goes back to a worker).
  void finish_reloads();

 private:
  struct Answer;
  boost::asio::awaitable<Answer> route(HttpRequest& request, const Peer& peer);
  boost::asio::awaitable<EngineSlot::ReloadResult> reload();
  // Counts a fallback or clarifying answer by channel and locale, and offers the turn to the review.
  void record_understanding(const EngineSet& engines, std::string_view channel,
                            const ChannelOutcome& outcome);
  // GET /admin/review: this replica's review listing as JSON, read on the admin thread.
  boost::asio::awaitable<HttpResponse> review_listing();
  EngineSlot::ReloadResult reload_and_record();
  std::uint64_t request_reload();
  EngineSlot::ReloadResult run_reload(std::uint64_t ticket);
  bool cors_allowed(std::string_view origin) const;

  RouterParts parts_;
  ClientRateLimiter rate_limiter_;
  // Admin work off the request path: reloads, and reading the review store for /admin/review.
  boost::asio::thread_pool admin_thread_{1};
  std::mutex reload_mutex_;
  std::uint64_t reloads_requested_ = 0;  // tickets handed out
  std::uint64_t reloads_covered_ = 0;    // every ticket up to this one was served by a finished reload
  EngineSlot::ReloadResult last_reload_;
};

}  // namespace crampbot::server
