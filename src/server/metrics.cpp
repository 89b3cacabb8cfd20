#include "server/metrics.h"

#include <cstdio>

namespace crampbot::server {

namespace {

// Label values come from our own route and intent names, but escape them as the format requires anyway.
std::string label(std::string_view value) {
  std::string out;
  for (const char c : value) {
    if (c == '\\' || c == '"') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out;
}

std::string number(double value) {
  char text[64];
  std::snprintf(text, sizeof text, "%.9g", value);
  return text;
}

}  // namespace

void Metrics::record_locale(std::string_view locale) {
  if (locale.empty()) return;
  std::lock_guard lock(mutex_);
  auto it = locale_replies_.find(locale);
  if (it == locale_replies_.end()) it = locale_replies_.emplace(std::string(locale), 0).first;
  ++it->second;
}

void Metrics::record_request(std::string_view channel, int status, std::string_view intent, bool urgent,
                             std::chrono::nanoseconds duration) {
  const double seconds = std::chrono::duration<double>(duration).count();
  std::lock_guard lock(mutex_);
  ++requests_[{std::string(channel.empty() ? "none" : channel), status}];
  if (!intent.empty()) {
    ++replies_[std::string(intent)];
    if (intent == "fallback") ++fallback_;
  }
  if (urgent) ++urgent_;
  for (std::size_t i = 0; i < kBuckets.size(); ++i) {
    if (seconds <= kBuckets[i]) {
      ++buckets_[i];
      break;
    }
  }
  ++latency_count_;
  latency_sum_ += seconds;
}

void Metrics::record_refusal(int status) {
  std::lock_guard lock(mutex_);
  ++requests_[{"none", status}];
}

void Metrics::record_rate_limited(std::string_view channel) {
  std::lock_guard lock(mutex_);
  ++rate_limited_[std::string(channel.empty() ? "none" : channel)];
}

void Metrics::record_reload(bool ok) {
  std::lock_guard lock(mutex_);
  ++(ok ? reloads_ok_ : reloads_failed_);
}

void Metrics::record_not_understood(std::string_view outcome, std::string_view channel,
                                    std::string_view locale) {
  std::lock_guard lock(mutex_);
  std::string label_locale(locale);
  if (!locales_.count(label_locale)) {
    if (locales_.size() < kMaxLocales) {
      locales_.insert(label_locale);
    } else {
      label_locale = "other";
    }
  }
  ++not_understood_[{std::string(outcome), std::string(channel.empty() ? "none" : channel), label_locale}];
}

void Metrics::record_feedback(std::string_view intent, bool helpful) {
  std::lock_guard lock(mutex_);
  ++feedback_[{std::string(intent), helpful}];
}

void Metrics::record_review(std::string_view result) {
  std::lock_guard lock(mutex_);
  ++review_[std::string(result)];
}

std::string Metrics::render(std::size_t open_connections) const {
  std::lock_guard lock(mutex_);
  std::string out;
  out += "# HELP crampbot_http_requests_total HTTP requests answered, by channel and status.\n";
  out += "# TYPE crampbot_http_requests_total counter\n";
  for (const auto& [key, count] : requests_) {
    out += "crampbot_http_requests_total{channel=\"" + label(key.first) + "\",status=\"" +
           std::to_string(key.second) + "\"} " + std::to_string(count) + "\n";
  }
  out += "# HELP crampbot_replies_total Replies given, by intent.\n";
  out += "# TYPE crampbot_replies_total counter\n";
  for (const auto& [intent, count] : replies_) {
    out += "crampbot_replies_total{intent=\"" + label(intent) + "\"} " + std::to_string(count) + "\n";
  }
  out += "# HELP crampbot_replies_by_locale_total Replies given, by the catalog locale that answered.\n";
  out += "# TYPE crampbot_replies_by_locale_total counter\n";
  for (const auto& [locale, count] : locale_replies_) {
    out +=
        "crampbot_replies_by_locale_total{locale=\"" + label(locale) + "\"} " + std::to_string(count) + "\n";
  }
  out += "# HELP crampbot_fallback_replies_total Replies that fell back (nothing matched well enough).\n";
  out += "# TYPE crampbot_fallback_replies_total counter\n";
  out += "crampbot_fallback_replies_total " + std::to_string(fallback_) + "\n";
  out +=
      "# HELP crampbot_not_understood_total Fallback replies and clarifying questions, by channel and the "
      "locale the platform sent.\n";
  out += "# TYPE crampbot_not_understood_total counter\n";
  for (const auto& [key, count] : not_understood_) {
    const auto& [outcome, channel, locale] = key;
    out += "crampbot_not_understood_total{outcome=\"" + label(outcome) + "\",channel=\"" + label(channel) +
           "\",locale=\"" + label(locale) + "\"} " + std::to_string(count) + "\n";
  }
  out +=
      "# HELP crampbot_feedback_total Answers rated in the chat widget, by intent and whether they helped.\n";
  out += "# TYPE crampbot_feedback_total counter\n";
  for (const auto& [key, count] : feedback_) {
    out += "crampbot_feedback_total{intent=\"" + label(key.first) + "\",helpful=\"" +
           (key.second ? "true" : "false") + "\"} " + std::to_string(count) + "\n";
  }
  out += "# HELP crampbot_review_records_total Misunderstood turns offered to the review store, by result.\n";
  out += "# TYPE crampbot_review_records_total counter\n";
  for (const auto& [result, count] : review_) {
    out += "crampbot_review_records_total{result=\"" + label(result) + "\"} " + std::to_string(count) + "\n";
  }
  out +=
      "# HELP crampbot_rate_limited_total Requests refused (429) by the per-client rate limit, by channel.\n";
  out += "# TYPE crampbot_rate_limited_total counter\n";
  for (const auto& [channel, count] : rate_limited_) {
    out += "crampbot_rate_limited_total{channel=\"" + label(channel) + "\"} " + std::to_string(count) + "\n";
  }
  out += "# HELP crampbot_urgent_replies_total Replies to red-flag symptoms.\n";
  out += "# TYPE crampbot_urgent_replies_total counter\n";
  out += "crampbot_urgent_replies_total " + std::to_string(urgent_) + "\n";
  out += "# HELP crampbot_request_duration_seconds Time from a complete request to its response.\n";
  out += "# TYPE crampbot_request_duration_seconds histogram\n";
  std::uint64_t cumulative = 0;
  for (std::size_t i = 0; i < kBuckets.size(); ++i) {
    cumulative += buckets_[i];
    out += "crampbot_request_duration_seconds_bucket{le=\"" + number(kBuckets[i]) + "\"} " +
           std::to_string(cumulative) + "\n";
  }
  out += "crampbot_request_duration_seconds_bucket{le=\"+Inf\"} " + std::to_string(latency_count_) + "\n";
  out += "crampbot_request_duration_seconds_sum " + number(latency_sum_) + "\n";
  out += "crampbot_request_duration_seconds_count " + std::to_string(latency_count_) + "\n";
  out += "# HELP crampbot_catalog_reloads_total Catalog reloads, by result.\n";
  out += "# TYPE crampbot_catalog_reloads_total counter\n";
  out += "crampbot_catalog_reloads_total{result=\"ok\"} " + std::to_string(reloads_ok_) + "\n";
  out += "crampbot_catalog_reloads_total{result=\"failed\"} " + std::to_string(reloads_failed_) + "\n";
  out += "# HELP crampbot_open_connections Connections open now.\n";
  out += "# TYPE crampbot_open_connections gauge\n";
  out += "crampbot_open_connections " + std::to_string(open_connections) + "\n";
  return out;
}

}  // namespace crampbot::server
