#include "channels/sender_contexts.h"

namespace crampbot {

SenderContexts::SenderContexts(std::size_t capacity, std::chrono::seconds ttl)
    : capacity_(capacity == 0 ? 1 : capacity), ttl_(ttl) {}

std::optional<nlohmann::json> SenderContexts::find(std::string_view sender,
                                                   std::chrono::steady_clock::time_point now) {
  std::lock_guard lock(mutex_);
  const auto it = index_.find(std::string(sender));
  if (it == index_.end()) return std::nullopt;
  if (now - it->second->used > ttl_) {
    order_.erase(it->second);
    index_.erase(it);
    return std::nullopt;
  }
  return it->second->context;
}

void SenderContexts::store(std::string_view sender, nlohmann::json context,
                           std::chrono::steady_clock::time_point now) {
  std::lock_guard lock(mutex_);
  std::string key(sender);
  if (const auto it = index_.find(key); it != index_.end()) {
    it->second->context = std::move(context);
    it->second->used = now;
    order_.splice(order_.begin(), order_, it->second);
    return;
  }
  // Expired entries sit at the back (least recently used); drop them before counting room.
  while (!order_.empty() && (order_.size() >= capacity_ || now - order_.back().used > ttl_)) {
    index_.erase(order_.back().sender);
    order_.pop_back();
  }
  order_.push_front(Entry{key, std::move(context), now});
  index_.emplace(std::move(key), order_.begin());
}

std::size_t SenderContexts::size() const {
  std::lock_guard lock(mutex_);
  return order_.size();
}

}  // namespace crampbot
