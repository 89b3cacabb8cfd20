#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <string>

#include "engine/engine.h"

namespace crampbot::server {

// The engine in service, swapped atomically on reload: a request takes a snapshot at its start and keeps it
// to the end, so every reply comes from one complete catalog, never a mix.
class EngineSlot {
 public:
  using Loader = std::function<std::shared_ptr<const Engine>()>;  // throws CatalogError on a bad catalog

  EngineSlot(std::shared_ptr<const Engine> initial, Loader loader);

  std::shared_ptr<const Engine> current() const { return engine_.load(std::memory_order_acquire); }

  struct ReloadResult {
    bool ok = false;
    std::string message;  // what was wrong with a refused catalog ("" when ok)
  };

  // Builds and validates a new engine with the loader, then swaps it in; a catalog that fails to load is
  // refused and the old engine keeps serving. Reloads are serialised. Blocks while loading: call it off the
  // request path. Never throws.
  ReloadResult reload();

 private:
  std::atomic<std::shared_ptr<const Engine>> engine_;
  Loader loader_;
  std::mutex reload_mutex_;
};

}  // namespace crampbot::server
