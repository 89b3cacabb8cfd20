#pragma once

#include <cstddef>
#include <mutex>
#include <string>
#include <unordered_map>

namespace crampbot::server {

// Open connections per client key (client_key()), for server.max_connections_per_client. Thread-safe: the
// acceptor adds, any worker removes.
class ClientConnectionCounts {
 public:
  // One counted connection; removes itself from the count when destroyed. Empty when default-made.
  class Slot {
   public:
    Slot() = default;
    Slot(ClientConnectionCounts* counts, std::string key) : counts_(counts), key_(std::move(key)) {}
    Slot(Slot&& other) noexcept : counts_(other.counts_), key_(std::move(other.key_)) {
      other.counts_ = nullptr;
    }
    Slot& operator=(Slot&& other) noexcept {
      if (this != &other) {
        if (counts_) counts_->remove(key_);
        counts_ = other.counts_;
        key_ = std::move(other.key_);
        other.counts_ = nullptr;
      }
      return *this;
    }
    Slot(const Slot&) = delete;
    ~Slot() {
      if (counts_) counts_->remove(key_);
    }

   private:
    ClientConnectionCounts* counts_ = nullptr;
    std::string key_;
  };

  // Counts one more connection of `key` when it has fewer than `limit`; false (nothing counted) otherwise.
  bool try_add(const std::string& key, std::size_t limit);

 private:
  void remove(const std::string& key);

  std::mutex mutex_;
  std::unordered_map<std::string, std::size_t> counts_;  // guarded by mutex_; no zero entries
};

}  // namespace crampbot::server
