#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <string_view>
#include <tuple>

namespace crampbot::server {

// Counters for GET /metrics, in the Prometheus text exposition format (version 0.0.4). Thread-safe; one
// short lock per request.
class Metrics {
 public:
  // Records one answered request: the channel that served it ("chat", "alexa", … or "" for none), its
  // status, the intent replied with ("" when none) and whether it was urgent, and how long it took.
  void record_request(std::string_view channel, int status, std::string_view intent, bool urgent,
                      std::chrono::nanoseconds duration);

  // Records a request refused before it could be routed (400, 413, 431, 503): counted by status, not timed.
  void record_refusal(int status);

  // Records a reply given by the catalog locale `locale` ("en-GB", "es": one of the catalog's folders, so the
  // labels stay as few as the catalog's locales).
  void record_locale(std::string_view locale);

  // Records a request refused by the per-client rate limit, by the channel it was for.
  void record_rate_limited(std::string_view channel);

  // Records one catalog reload attempt.
  void record_reload(bool ok);

  // Records a reply that did not understand: `outcome` "fallback" or "clarify", by channel and by the
  // locale the platform sent ("" when none). At most kMaxLocales distinct locales are labelled; the rest
  // count as "other", so clients cannot grow the exposition without bound.
  void record_not_understood(std::string_view outcome, std::string_view channel, std::string_view locale);

  // Records one feedback vote on a reply of `intent`.
  void record_feedback(std::string_view intent, bool helpful);

  // Records what became of a turn offered to the review store ("written", "full", "failed", …).
  void record_review(std::string_view result);

  static constexpr std::size_t kMaxLocales = 32;

  // The exposition text; `open_connections` is sampled by the caller.
  std::string render(std::size_t open_connections) const;

  // Upper bounds of the latency histogram, in seconds.
  static constexpr std::array<double, 12> kBuckets = {0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005,
                                                      0.01,   0.025,   0.05,   0.1,   0.5,    1.0};

 private:
  mutable std::mutex mutex_;
  std::map<std::pair<std::string, int>, std::uint64_t> requests_;     // (channel, status) → count
  std::map<std::string, std::uint64_t> replies_;                      // intent → count
  std::map<std::string, std::uint64_t, std::less<>> locale_replies_;  // answering locale → count
  std::uint64_t fallback_ = 0;
  std::uint64_t urgent_ = 0;
  std::array<std::uint64_t, kBuckets.size()> buckets_{};  // not cumulative; summed when rendered
  std::uint64_t latency_count_ = 0;
  double latency_sum_ = 0;
  std::uint64_t reloads_ok_ = 0;
  std::uint64_t reloads_failed_ = 0;
  // (outcome, channel, locale) → count
  std::map<std::tuple<std::string, std::string, std::string>, std::uint64_t> not_understood_;
  std::set<std::string> locales_;                                   // the locales labelled so far
  std::map<std::pair<std::string, bool>, std::uint64_t> feedback_;  // (intent, helpful) → count
  std::map<std::string, std::uint64_t> review_;                     // result → count
  std::map<std::string, std::uint64_t> rate_limited_;               // channel → count
};

}  // namespace crampbot::server
