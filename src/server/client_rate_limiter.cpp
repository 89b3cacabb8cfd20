#include "server/client_rate_limiter.h"

#include <algorithm>
#include <cmath>

#include "server/client_address.h"

namespace crampbot::server {

ClientRateLimiter::ClientRateLimiter(double rate, double burst, std::size_t max_clients)
    : rate_(std::max(rate, 0.0)),
      burst_(std::max(burst, 1.0)),
      max_clients_(std::max<std::size_t>(max_clients, 1)) {}

ClientRateLimiter::Decision ClientRateLimiter::admit(const boost::asio::ip::address& client,
                                                     std::chrono::steady_clock::time_point now) {
  if (!enabled()) return {};
  const std::string key = client_key(client);
  std::lock_guard lock(mutex_);
  auto it = buckets_.find(key);
  if (it == buckets_.end()) {
    if (buckets_.size() >= max_clients_) {
      buckets_.erase(recency_.front());
      recency_.pop_front();
    }
    recency_.push_back(key);
    it = buckets_.emplace(key, Bucket{burst_, now, std::prev(recency_.end())}).first;
  } else {
    recency_.splice(recency_.end(), recency_, it->second.recency);
  }
  Bucket& bucket = it->second;
  if (now > bucket.updated) {
    const double elapsed = std::chrono::duration<double>(now - bucket.updated).count();
    bucket.tokens = std::min(burst_, bucket.tokens + elapsed * rate_);
    bucket.updated = now;
  }
  if (bucket.tokens >= 1.0) {
    bucket.tokens -= 1.0;
    return {};
  }
  const double wait = (1.0 - bucket.tokens) / rate_;
  return {false, std::chrono::seconds(std::max<long long>(1, static_cast<long long>(std::ceil(wait))))};
}

std::size_t ClientRateLimiter::clients() const {
  std::lock_guard lock(mutex_);
  return buckets_.size();
}

}  // namespace crampbot::server
