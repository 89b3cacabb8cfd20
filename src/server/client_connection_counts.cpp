#include "server/client_connection_counts.h"

namespace crampbot::server {

bool ClientConnectionCounts::try_add(const std::string& key, std::size_t limit) {
  std::lock_guard lock(mutex_);
  std::size_t& count = counts_[key];
  if (count >= limit) {
    if (count == 0) counts_.erase(key);
    return false;
  }
  ++count;
  return true;
}

void ClientConnectionCounts::remove(const std::string& key) {
  std::lock_guard lock(mutex_);
  const auto it = counts_.find(key);
  if (it == counts_.end()) return;
  if (--it->second == 0) counts_.erase(it);
}

}  // namespace crampbot::server
