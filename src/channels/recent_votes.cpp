#include "channels/recent_votes.h"

namespace crampbot {

RecentVotes::RecentVotes(std::size_t capacity) : capacity_(capacity == 0 ? 1 : capacity) {}

bool RecentVotes::first_vote(const std::string& key, std::chrono::system_clock::time_point expires,
                             std::chrono::system_clock::time_point now) {
  std::lock_guard lock(mutex_);
  while (!by_expiry_.empty() && by_expiry_.begin()->first <= now) {
    votes_.erase(by_expiry_.begin()->second);
    by_expiry_.erase(by_expiry_.begin());
  }
  if (votes_.count(key)) return false;
  if (votes_.size() >= capacity_) {
    votes_.erase(by_expiry_.begin()->second);
    by_expiry_.erase(by_expiry_.begin());
  }
  votes_.emplace(key, by_expiry_.emplace(expires, key));
  return true;
}

std::size_t RecentVotes::size() const {
  std::lock_guard lock(mutex_);
  return votes_.size();
}

}  // namespace crampbot
