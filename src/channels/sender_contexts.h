#pragma once

#include <chrono>
#include <cstddef>
#include <list>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include <nlohmann/json.hpp>

namespace crampbot {

// Conversation contexts keyed by a client's sender id, for channels whose clients do not carry the context
// themselves (Rasa REST widgets). Bounded: beyond `capacity` the least recently used sender is forgotten, and
// a context unused for `ttl` expires, so a flood of new sender ids cannot grow memory. Thread-safe.
class SenderContexts {
 public:
  SenderContexts(std::size_t capacity, std::chrono::seconds ttl);

  // The context stored for `sender`, or nullopt when there is none or it expired before `now`.
  std::optional<nlohmann::json> find(std::string_view sender, std::chrono::steady_clock::time_point now);

  // Stores `context` for `sender` as of `now`, evicting the least recently used sender when full.
  void store(std::string_view sender, nlohmann::json context, std::chrono::steady_clock::time_point now);

  std::size_t size() const;

 private:
  struct Entry {
    std::string sender;
    nlohmann::json context;
    std::chrono::steady_clock::time_point used;
  };
  using Order = std::list<Entry>;  // most recently used first

  std::size_t capacity_;
  std::chrono::seconds ttl_;
  mutable std::mutex mutex_;
  Order order_;
  std::unordered_map<std::string, Order::iterator> index_;
};

}  // namespace crampbot
