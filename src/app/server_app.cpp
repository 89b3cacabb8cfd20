#include "app/server_app.h"

#include <cstdio>

#include <boost/asio/post.hpp>

#include "channels/alexa/https_certificate_fetcher.h"
#include "engine/catalog_check.h"
#include "engine/catalog_error.h"
#include "net/https_client.h"

namespace crampbot::app {

std::shared_ptr<const EngineSet> load_checked_engines(const EngineConfig& config) {
  std::shared_ptr<const EngineSet> engines = EngineSet::load(config);
  for (const auto& [locale, engine] : engines->engines()) {
    // A locale overlay changes replies only: its language's engine (always in the set) checks the examples.
    const bool overlay = locale != engine->language();
    const CheckReport report = check_catalog(*engine, overlay ? CheckScope::replies : CheckScope::everything);
    if (!report.problems.empty()) {
      throw CatalogError(locale + ": " + report.problems.front() + " (" +
                         std::to_string(report.problems.size()) + " problems; run crampbot check)");
    }
  }
  return engines;
}

ServerApp::ServerApp(AppConfig config, ServerAppOverrides overrides)
    : config_(std::move(config)), warnings_(config_.warnings), logger_(config_.log_level) {
  // The same checks at start as on every reload, so a catalog that serves today is not refused by SIGHUP.
  engines_ = std::make_unique<server::EngineSlot>(
      overrides.engines ? std::move(overrides.engines) : load_checked_engines(config_.engine),
      [engine_config = config_.engine] { return load_checked_engines(engine_config); });

  if (config_.chat.session_secret.empty()) {
    config_.chat.session_secret = random_session_secret();
    warnings_.push_back(
        "chat.session_secret is not set: chat sessions are valid in this process only; give every replica "
        "the "
        "same CRAMPBOT_CHAT_SESSION_SECRET");
  }
  chat_ = std::make_unique<ChatChannel>(config_.chat);
  feedback_ = std::make_unique<FeedbackChannel>(config_.chat, config_.feedback_max_votes);
  if (config_.review.enabled) {
    try {
      // The conversation hashes are salted from the session secret, which every replica shares, so their
      // review files combine; without a configured secret they combine only with this process's own.
      review_ = std::make_unique<review::ReviewRecorder>(config_.review, config_.chat.session_secret);
    } catch (const std::exception& e) {
      throw CatalogError(config_.file.string() + ": review.file: " + e.what());
    }
  }
  rasa_ = std::make_unique<RasaChannel>(config_.rasa);

  std::shared_ptr<const alexa::TrustStore> trust = overrides.alexa_trust;
  alexa::CertificateFetcher fetcher = overrides.certificate_fetcher;
  if (config_.alexa.verify) {
    if (!trust) {
      trust = config_.alexa_trust_store.empty() ? alexa::TrustStore::system_default()
                                                : alexa::TrustStore::from_pem_file(config_.alexa_trust_store);
    }
    if (!fetcher) {
      fetcher = alexa::https_certificate_fetcher(net::make_client_tls_context());
    }
  } else {
    warnings_.push_back(
        "ALEXA REQUEST VERIFICATION IS OFF (alexa.verify=false): anyone can post requests as Alexa; use this "
        "for local testing only");
  }
  if (config_.alexa.skill_ids.empty()) {
    warnings_.push_back("alexa.skill_ids is empty: requests from any Alexa skill id are accepted");
  }
  alexa_ = std::make_unique<alexa::AlexaChannel>(config_.alexa, std::move(fetcher), std::move(trust));

  router_ = std::make_unique<server::Router>(server::RouterParts{
      *engines_, *chat_, *rasa_, *alexa_, dialogflow_es_, dialogflow_cx_, metrics_, logger_,
      config_.server.cors_origins, config_.dialogflow_auth, config_.log_utterances,
      [this] { return server_ ? server_->open_connections() : 0; },
      config_.web_root.empty() ? server::StaticFiles() : server::StaticFiles::load(config_.web_root),
      feedback_.get(), review_.get(), server::HostAllowList::parse(config_.server.allowed_hosts),
      server::AddressRanges::parse(config_.server.trusted_proxies), config_.server.rate_limit_rps,
      config_.server.rate_limit_burst});
  server_ = std::make_unique<server::HttpServer>(config_.server, *router_);
}

ServerApp::~ServerApp() {
  stop();
  wait();
  // A reload still running answers to a worker's io_context: let it finish before the server goes.
  router_->finish_reloads();
}

boost::asio::ip::tcp::endpoint ServerApp::listen() {
  return server_->listen();
}

void ServerApp::announce(const boost::asio::ip::tcp::endpoint& endpoint) const {
  for (const auto& warning : warnings_) {
    std::fprintf(stderr, "crampbot: WARNING: %s\n", warning.c_str());
    logger_.log(server::LogLevel::warn, "warning", {{"message", warning}});
  }
  logger_.log(server::LogLevel::info, "started",
              {{"address", endpoint.address().to_string()},
               {"port", endpoint.port()},
               {"threads", server_->threads()},
               {"intents", engines_->current()->default_engine().intents().intents.size()},
               {"locales", engines_->current()->engines().size()},
               {"alexa_verify", config_.alexa.verify},
               {"review", config_.review.enabled}});
}

void ServerApp::handle_signals() {
  stop_signals_ = std::make_unique<boost::asio::signal_set>(server_->main_context(), SIGINT, SIGTERM);
  reload_signal_ = std::make_unique<boost::asio::signal_set>(server_->main_context(), SIGHUP);
  stop_signals_->async_wait([this](const boost::system::error_code& ec, int signal) {
    if (ec) return;
    logger_.log(server::LogLevel::info, "stopping", {{"signal", signal}});
    stop();
  });
  struct Rearm {
    ServerApp* app;
    void operator()(const boost::system::error_code& ec, int) const {
      if (ec) return;
      app->router_->reload_in_background();
      app->reload_signal_->async_wait(*this);
    }
  };
  reload_signal_->async_wait(Rearm{this});
}

void ServerApp::release_signals() {
  stop_signals_.reset();
  reload_signal_.reset();
}

void ServerApp::start() {
  server_->start();
}

void ServerApp::stop() {
  // The signal waits keep the first worker busy: drop them so it can finish.
  if (stop_signals_ || reload_signal_) {
    boost::asio::post(server_->main_context(), [this] {
      boost::system::error_code ignored;
      if (stop_signals_) stop_signals_->cancel(ignored);
      if (reload_signal_) reload_signal_->cancel(ignored);
    });
  }
  server_->stop();
}

void ServerApp::wait() {
  server_->wait();
  if (!stopped_logged_.exchange(true)) logger_.log(server::LogLevel::info, "stopped");
}

}  // namespace crampbot::app
