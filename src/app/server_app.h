#pragma once

#include <atomic>
#include <memory>
#include <string>
#include <vector>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/signal_set.hpp>

#include "app/app_config.h"
#include "channels/alexa/alexa_channel.h"
#include "channels/chat_channel.h"
#include "channels/dialogflow_cx_channel.h"
#include "channels/dialogflow_es_channel.h"
#include "channels/feedback_channel.h"
#include "channels/rasa_channel.h"
#include "review/review_recorder.h"
#include "server/engine_slot.h"
#include "server/http_server.h"
#include "server/logger.h"
#include "server/metrics.h"
#include "server/router.h"

namespace crampbot::app {

// Parts a test replaces; production leaves them empty.
struct ServerAppOverrides {
  alexa::CertificateFetcher certificate_fetcher;         // default: HTTPS with the system's trusted roots
  std::shared_ptr<const alexa::TrustStore> alexa_trust;  // default: alexa.trust_store, else the system's
  // The engines to start with, already loaded from config.engine and checked (load_checked_engines): tests
  // share one set among the servers they start. Default: loaded at construction. A reload always loads.
  std::shared_ptr<const EngineSet> engines;
};

// The webhook server assembled from a configuration: engine, channels, routes, HTTP server, signals. The
// `serve` command and the integration tests build exactly this.
class ServerApp {
 public:
  // Loads the catalog (which must pass `crampbot check`, as on every reload) and builds every part. Throws
  // CatalogError (catalog) or std::runtime_error (trust store, TLS set-up, a review.file that cannot be
  // opened or is in use by another process): start-up only.
  explicit ServerApp(AppConfig config, ServerAppOverrides overrides = {});
  ~ServerApp();
  ServerApp(const ServerApp&) = delete;
  ServerApp& operator=(const ServerApp&) = delete;

  // Binds the listening socket; throws std::system_error naming the address. Returns the bound endpoint.
  boost::asio::ip::tcp::endpoint listen();

  // Logs the start and every warning worth saying (verification off, no session secret, …), loudly.
  void announce(const boost::asio::ip::tcp::endpoint& endpoint) const;

  // SIGINT and SIGTERM stop gracefully; SIGHUP reloads the catalog. Call before start().
  void handle_signals();

  // Gives the signals back (Asio then restores their default actions). After wait() only.
  void release_signals();

  // Starts serving on the worker threads; returns at once.
  void start();

  // Graceful stop (see HttpServer::stop); any thread.
  void stop();

  // Blocks until the server has stopped.
  void wait();

  server::Router& router() { return *router_; }
  server::EngineSlot& engines() { return *engines_; }
  const AppConfig& config() const { return config_; }

 private:
  AppConfig config_;
  std::vector<std::string> warnings_;
  server::Logger logger_;
  server::Metrics metrics_;
  std::unique_ptr<server::EngineSlot> engines_;
  std::unique_ptr<ChatChannel> chat_;
  std::unique_ptr<FeedbackChannel> feedback_;
  std::unique_ptr<review::ReviewRecorder> review_;  // null when review is off
  std::unique_ptr<RasaChannel> rasa_;
  std::unique_ptr<alexa::AlexaChannel> alexa_;
  DialogflowEsChannel dialogflow_es_;
  DialogflowCxChannel dialogflow_cx_;
  std::unique_ptr<server::Router> router_;
  std::unique_ptr<server::HttpServer> server_;
  std::unique_ptr<boost::asio::signal_set> stop_signals_;
  std::unique_ptr<boost::asio::signal_set> reload_signal_;
  std::atomic<bool> stopped_logged_{false};
};

// Loads every locale of the catalog and refuses them all unless each also passes `crampbot check` (the
// reload path: a live edit is the riskiest moment for a catalog). Throws CatalogError naming the locale and
// the first problem.
std::shared_ptr<const EngineSet> load_checked_engines(const EngineConfig& config);

}  // namespace crampbot::app
