#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <boost/asio/thread_pool.hpp>

#include "channels/alexa/alexa_channel.h"
#include "channels/chat_channel.h"
#include "channels/dialogflow_cx_channel.h"
#include "channels/dialogflow_es_channel.h"
#include "channels/rasa_channel.h"
#include "server/engine_slot.h"
#include "server/http_server.h"
#include "server/logger.h"
#include "server/metrics.h"

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
};

// The routes: maps each request to its channel, checks method, content type, CORS and authentication, and
// records every answer in the access log and the metrics.
//   GET  /healthz, /readyz, /metrics
//   POST /v1/chat, /webhooks/rest/webhook (both with CORS preflight), /alexa, /dialogflow, /dialogflow-cx
//   POST /admin/reload (loopback clients only)
class Router : public RequestHandler {
 public:
  explicit Router(RouterParts parts);
  ~Router() override;

  boost::asio::awaitable<HttpResponse> handle(HttpRequest& request, const Peer& peer) override;
  HttpResponse refuse(http::status status, std::string_view message) override;

  // Reloads the catalog off the request path (on the reload thread), records and logs the result. Safe to
  // call from a signal handler's completion on any thread; returns at once.
  void reload_in_background();

 private:
  struct Answer;
  boost::asio::awaitable<Answer> route(HttpRequest& request, const Peer& peer);
  boost::asio::awaitable<EngineSlot::ReloadResult> reload();
  EngineSlot::ReloadResult reload_and_record();
  bool cors_allowed(std::string_view origin) const;

  RouterParts parts_;
  boost::asio::thread_pool reload_thread_{1};
};

}  // namespace crampbot::server
