#include "test_server.h"

#include "channels/alexa/trust_store.h"
#include "support/test_pki.h"
#include "test_support.h"

namespace crampbot::test {

app::AppConfig test_config() {
  app::AppConfig config = app::load_app_config(source_dir() / "config" / "crampbot.json", {});
  config.server.port = 0;
  config.server.threads = 2;
  config.log_level = server::LogLevel::off;
  config.chat.session_secret = kTestSessionSecret;
  config.alexa.verify = true;
  config.alexa.skill_ids = {kTestSkillId};
  config.engine.locales = {"en-US"};
  return config;
}

app::AppConfig every_locale_config() {
  app::AppConfig config = test_config();
  config.engine.locales.clear();
  return config;
}

std::shared_ptr<const EngineSet> shared_engines_for(const app::AppConfig& config) {
  static const EngineConfig english = test_config().engine;
  static const EngineConfig every_locale = every_locale_config().engine;
  if (config.engine == english) {
    static const std::shared_ptr<const EngineSet> engines = app::load_checked_engines(english);
    return engines;
  }
  if (config.engine == every_locale) {
    static const std::shared_ptr<const EngineSet> engines = app::load_checked_engines(every_locale);
    return engines;
  }
  return nullptr;
}

TestServer::TestServer(app::AppConfig config, std::map<std::string, std::string> served) {
  if (served.empty()) served[kTestCertificateUrl] = TestPki::shared().chain_pem();
  app::ServerAppOverrides overrides;
  overrides.alexa_trust = alexa::TrustStore::from_pem(TestPki::shared().root_pem());
  fetcher_ = std::make_shared<alexa::test::MapFetcher>(std::move(served));
  overrides.certificate_fetcher = fetcher_->fetcher();
  overrides.engines = shared_engines_for(config);
  app_ = std::make_unique<app::ServerApp>(std::move(config), std::move(overrides));
  port_ = app_->listen().port();
  app_->start();
}

int TestServer::fetches() const {
  return fetcher_->calls();
}

TestServer::~TestServer() {
  // A held fetch keeps its request in flight, and the server finishes those before it stops.
  fetcher_->release_held();
  app_->stop();
  app_->wait();
}

}  // namespace crampbot::test
