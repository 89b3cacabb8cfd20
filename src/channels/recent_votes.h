#pragma once

#include <chrono>
#include <cstddef>
#include <map>
#include <mutex>
#include <string>
#include <unordered_map>

namespace crampbot {

// The feedback votes this process has counted, each remembered until the session token it came with
// expires (after which the token is refused anyway), so that a second vote on the same turn is refused.
// Bounded: at most `capacity` votes; when full, the one that expires soonest is forgotten first. Memory of
// one process only: replicas do not share it (see FeedbackChannel). Thread-safe.
class RecentVotes {
 public:
  explicit RecentVotes(std::size_t capacity);

  // True, remembering `key` until `expires`, when `key` has no vote remembered; false when it has one.
  // Votes expired at `now` are forgotten first.
  bool first_vote(const std::string& key, std::chrono::system_clock::time_point expires,
                  std::chrono::system_clock::time_point now);

  std::size_t size() const;

 private:
  using Expiries = std::multimap<std::chrono::system_clock::time_point, std::string>;

  std::size_t capacity_;
  mutable std::mutex mutex_;
  Expiries by_expiry_;
  std::unordered_map<std::string, Expiries::iterator> votes_;
};

}  // namespace crampbot
