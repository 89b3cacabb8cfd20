// Shared helpers for the Alexa tests: the test PKI, its trust store and clock, running a coroutine to
// completion, a map-based certificate fetcher that counts its calls, request envelopes, and timestamps.
#pragma once

#include <atomic>
#include <chrono>
#include <ctime>
#include <map>
#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "channels/alexa/certificate_cache.h"
#include "channels/alexa/trust_store.h"
#include "support/run_sync.h"
#include "support/test_pki.h"

namespace crampbot::alexa::test {

inline constexpr const char* kCertificateUrl = "https://s3.amazonaws.com/echo.api/echo-api-cert.pem";
inline constexpr const char* kSkillId = "amzn1.ask.skill.00000000-0000-0000-0000-000000000001";

// The process's test PKI.
inline const crampbot::test::TestPki& pki() {
  return crampbot::test::TestPki::shared();
}

// A trust store holding only the test PKI's root.
inline std::shared_ptr<const TrustStore> test_trust() {
  static const auto trust = TrustStore::from_pem(pki().root_pem());
  return trust;
}

// The test clock: the PKI's `now` to the whole second, so envelopes carry it exactly.
inline std::chrono::system_clock::time_point now() {
  return std::chrono::time_point_cast<std::chrono::seconds>(pki().now());
}

inline bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

using crampbot::test::run_sync;

// A fetcher that serves fixed texts by URL ("404" for any other) and counts its calls.
class MapFetcher {
 public:
  explicit MapFetcher(std::map<std::string, std::string> served)
      : served_(std::make_shared<std::map<std::string, std::string>>(std::move(served))),
        calls_(std::make_shared<std::atomic<int>>(0)) {}

  CertificateFetcher fetcher() const {
    return
        [served = served_, calls = calls_](std::string url) { return serve(served, calls, std::move(url)); };
  }
  int calls() const { return calls_->load(); }
  // Changes what a URL serves from now on (fetchers already made see it too).
  void serve_at(const std::string& url, std::string text) { (*served_)[url] = std::move(text); }
  void stop_serving(const std::string& url) { served_->erase(url); }

 private:
  static boost::asio::awaitable<FetchResult> serve(std::shared_ptr<std::map<std::string, std::string>> served,
                                                   std::shared_ptr<std::atomic<int>> calls, std::string url) {
    ++*calls;
    const auto it = served->find(url);
    if (it == served->end()) co_return FetchResult{"", "HTTP status 404 for " + url};
    co_return FetchResult{it->second, ""};
  }

  std::shared_ptr<std::map<std::string, std::string>> served_;
  std::shared_ptr<std::atomic<int>> calls_;
};

// "2025-01-31T12:34:56Z", whole seconds (the fraction is dropped).
inline std::string iso8601(std::chrono::system_clock::time_point time) {
  const std::time_t t = std::chrono::system_clock::to_time_t(time);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return text;
}

// `time` rounded down to a whole second, so envelopes carry it exactly.
inline std::chrono::system_clock::time_point whole_second(std::chrono::system_clock::time_point time) {
  return std::chrono::time_point_cast<std::chrono::seconds>(time);
}

// A minimal in-session envelope for `request`, with `request.timestamp` set to `timestamp`.
inline nlohmann::json envelope(nlohmann::json request, std::chrono::system_clock::time_point timestamp,
                               const std::string& skill_id = kSkillId) {
  request["requestId"] = "amzn1.echo-api.request.test";
  request["timestamp"] = iso8601(timestamp);
  request["locale"] = "en-US";
  return {{"version", "1.0"},
          {"session",
           {{"new", true},
            {"sessionId", "amzn1.echo-api.session.test"},
            {"application", {{"applicationId", skill_id}}},
            {"user", {{"userId", "amzn1.ask.account.test"}}}}},
          {"context",
           {{"System",
             {{"application", {{"applicationId", skill_id}}},
              {"user", {{"userId", "amzn1.ask.account.test"}}},
              {"device",
               {{"deviceId", "amzn1.ask.device.test"}, {"supportedInterfaces", nlohmann::json::object()}}},
              {"apiEndpoint", "https://api.amazonalexa.com"}}}}},
          {"request", std::move(request)}};
}

inline nlohmann::json launch_request() {
  return {{"type", "LaunchRequest"}};
}

// An IntentRequest for Alexa intent `name` with `slots` ({NAME: {"name":NAME,"value":…,…}}).
inline nlohmann::json intent_request(const std::string& name,
                                     nlohmann::json slots = nlohmann::json::object()) {
  return {{"type", "IntentRequest"},
          {"dialogState", "COMPLETED"},
          {"intent", {{"name", name}, {"confirmationStatus", "NONE"}, {"slots", std::move(slots)}}}};
}

// A slot with a spoken value and, when `id` is not empty, a successful entity resolution to `id`.
inline nlohmann::json slot(const std::string& name, const std::string& value, const std::string& id = "",
                           const std::string& status = "ER_SUCCESS_MATCH") {
  nlohmann::json out = {{"name", name}, {"value", value}, {"confirmationStatus", "NONE"}};
  nlohmann::json authority = {{"authority", "amzn1.er-authority.echo-sdk.test.NUTRIENT"},
                              {"status", {{"code", status}}}};
  if (!id.empty()) authority["values"] = {{{"value", {{"name", value}, {"id", id}}}}};
  out["resolutions"] = {{"resolutionsPerAuthority", {authority}}};
  return out;
}

}  // namespace crampbot::alexa::test
