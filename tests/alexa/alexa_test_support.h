// Shared helpers for the Alexa tests: the test PKI, its trust store and clock, running a coroutine to
// completion, a map-based certificate fetcher that counts its calls and can hold fetches, request envelopes,
// and timestamps.
#pragma once

#include <atomic>
#include <chrono>
#include <ctime>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include <boost/asio/any_completion_handler.hpp>
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/associated_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <nlohmann/json.hpp>

#include "channels/alexa/certificate_cache.h"
#include "channels/alexa/trust_store.h"
#include "support/run_sync.h"
#include "support/test_pki.h"

namespace crampbot::alexa::test {

inline constexpr const char* kCertificateUrl = "https://s3.amazonaws.com/echo.api/echo-api-cert-12.pem";
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

// Runs `io` until `done()` holds or `timeout` passes; returns done(). A held fetch is no work for the
// context, so it may run out of work (and stop) meanwhile: it is restarted.
template <class Done>
bool run_until(boost::asio::io_context& io, Done done,
               std::chrono::seconds timeout = std::chrono::seconds(20)) {
  const auto give_up = std::chrono::steady_clock::now() + timeout;
  while (!done() && std::chrono::steady_clock::now() < give_up) {
    if (io.stopped()) io.restart();
    io.run_one_for(std::chrono::milliseconds(10));
  }
  return done();
}

// Holds coroutines until it is opened (then lets every one through at once, and any later one at once).
// Thread-safe; each held coroutine resumes on its own executor. Open it before those executors go away.
class Gate {
 public:
  boost::asio::awaitable<void> wait() {
    co_await boost::asio::async_initiate<decltype(boost::asio::use_awaitable), void()>(
        [this](auto handler) {
          Waiter waiter{boost::asio::get_associated_executor(handler), std::move(handler)};
          std::unique_lock lock(mutex_);
          if (!open_) {
            waiters_.push_back(std::move(waiter));
            return;
          }
          lock.unlock();
          resume(std::move(waiter));
        },
        boost::asio::use_awaitable);
  }

  void open() {
    std::vector<Waiter> resumed;
    {
      std::lock_guard lock(mutex_);
      open_ = true;
      resumed.swap(waiters_);
    }
    for (auto& waiter : resumed)
      resume(std::move(waiter));
  }

  // How many coroutines are held now.
  std::size_t held() const {
    std::lock_guard lock(mutex_);
    return waiters_.size();
  }

 private:
  struct Waiter {
    boost::asio::any_io_executor executor;
    boost::asio::any_completion_handler<void()> handler;
  };
  static void resume(Waiter waiter) {
    boost::asio::post(waiter.executor,
                      [handler = std::move(waiter.handler)]() mutable { std::move(handler)(); });
  }

  mutable std::mutex mutex_;
  bool open_ = false;
  std::vector<Waiter> waiters_;
};

// A fetcher that serves fixed texts by URL ("404" for any other) and counts its calls. With
// hold_unserved(), a fetch of a URL it does not serve hangs (as a fetch from a slow or silent server would)
// until release_held(); it does not block a thread meanwhile.
class MapFetcher {
 public:
  explicit MapFetcher(std::map<std::string, std::string> served) : state_(std::make_shared<State>()) {
    state_->served = std::move(served);
  }

  CertificateFetcher fetcher() const {
    return [state = state_](std::string url) { return serve(state, std::move(url)); };
  }
  int calls() const { return state_->calls.load(); }
  // How many fetches named `url`.
  int calls(const std::string& url) const {
    std::lock_guard lock(state_->mutex);
    const auto it = state_->calls_by_url.find(url);
    return it == state_->calls_by_url.end() ? 0 : it->second;
  }
  // Changes what a URL serves from now on (fetchers already made see it too).
  void serve_at(const std::string& url, std::string text) {
    std::lock_guard lock(state_->mutex);
    state_->served[url] = std::move(text);
  }
  void stop_serving(const std::string& url) {
    std::lock_guard lock(state_->mutex);
    state_->served.erase(url);
  }
  // From now on, fetches of URLs not served wait for release_held() before they fail.
  void hold_unserved() { state_->hold_unserved = true; }
  // Lets every held fetch (and every later one) through.
  void release_held() { state_->gate.open(); }
  // How many fetches are held now.
  std::size_t held() const { return state_->gate.held(); }

 private:
  struct State {
    mutable std::mutex mutex;
    std::map<std::string, std::string> served;  // guarded by mutex
    std::map<std::string, int> calls_by_url;    // guarded by mutex
    std::atomic<int> calls{0};
    std::atomic<bool> hold_unserved{false};
    Gate gate;
  };

  static boost::asio::awaitable<FetchResult> serve(std::shared_ptr<State> state, std::string url) {
    ++state->calls;
    std::optional<std::string> text;
    {
      std::lock_guard lock(state->mutex);
      ++state->calls_by_url[url];
      if (const auto it = state->served.find(url); it != state->served.end()) text = it->second;
    }
    if (text) co_return FetchResult{std::move(*text), ""};
    if (state->hold_unserved) co_await state->gate.wait();
    co_return FetchResult{"", "HTTP status 404 for " + url};
  }

  std::shared_ptr<State> state_;
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
