#pragma once

// An in-process crampbot server for integration tests: the real ServerApp (engine, channels, routes, HTTP
// server) on 127.0.0.1 port 0 with two worker threads, talking real HTTP. Alexa verification is on, against
// the test PKI: the certificate URL below serves the test chain.

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>

#include "alexa/alexa_test_support.h"
#include "app/app_config.h"
#include "app/server_app.h"

namespace crampbot::test {

inline constexpr const char* kTestCertificateUrl = "https://s3.amazonaws.com/echo.api/echo-api-cert-12.pem";
inline constexpr const char* kTestSkillId = "amzn1.ask.skill.test-skill-0001";
inline constexpr const char* kTestSessionSecret = "integration-test-session-secret";

// The configuration the tests start from: config/crampbot.json with port 0, two threads, logging off, a fixed
// session secret, Alexa verification on with kTestSkillId allowed, and only en-US served (catalog.locales):
// starting every locale is most of a test's time under AddressSanitizer, and few tests are about locales.
app::AppConfig test_config();
// test_config() serving every locale of the catalog, as the shipped configuration does.
app::AppConfig every_locale_config();

// The engines a server on `config` starts with, for the shipped catalog (the engine configuration of
// test_config() or every_locale_config()): loaded and checked once per process and shared by every server
// the process starts, as loading is most of a start under the sanitizers. Null for any other catalog (the
// server then loads its own, as in production).
std::shared_ptr<const EngineSet> shared_engines_for(const app::AppConfig& config);

class TestServer {
 public:
  // Starts a server on `config` (with shared_engines_for(config) when there are any); `served` maps
  // certificate URLs to the PEM the fetcher returns (by default kTestCertificateUrl → the test PKI's good
  // chain), and the trust store holds the test PKI's root.
  explicit TestServer(app::AppConfig config = test_config(), std::map<std::string, std::string> served = {});
  ~TestServer();

  std::uint16_t port() const { return port_; }
  app::ServerApp& app() { return *app_; }

  // How many times the certificate fetcher was called.
  int fetches() const;
  // The certificate fetcher, to change what it serves or hold fetches; held fetches are released before the
  // server stops.
  alexa::test::MapFetcher& fetcher() { return *fetcher_; }

 private:
  std::shared_ptr<alexa::test::MapFetcher> fetcher_;
  std::unique_ptr<app::ServerApp> app_;
  std::uint16_t port_ = 0;
};

}  // namespace crampbot::test
