#pragma once

#include <functional>
#include <memory>
#include <mutex>
#include <string>

#include "engine/engine_set.h"

namespace crampbot::server {

// The engines in service (every locale), swapped together on reload: a request takes a snapshot at its start
// and keeps it to the end, so every reply comes from one complete catalog, never a mix of old and new or of
// locales.
class EngineSlot {
 public:
  using Loader = std::function<std::shared_ptr<const EngineSet>()>;  // throws CatalogError on a bad catalog

  EngineSlot(std::shared_ptr<const EngineSet> initial, Loader loader);

  // The engine in service now; the caller's copy keeps it alive across a reload.
  std::shared_ptr<const EngineSet> current() const;

  struct ReloadResult {
    bool ok = false;
    std::string message;  // what was wrong with a refused catalog ("" when ok)
  };

  // Builds and validates a new engine with the loader, then swaps it in; a catalog that fails to load is
  // refused and the old engine keeps serving. Reloads are serialised. Blocks while loading: call it off the
  // request path. Never throws.
  ReloadResult reload();

 private:
  // Not std::atomic<std::shared_ptr>: libstdc++ 12's load() releases its lock bit with relaxed order, so
  // its read of the pointer is not ordered before a reload's write (a data race ThreadSanitizer reports).
  // An uncontended mutex costs the same few nanoseconds a request.
  mutable std::mutex engine_mutex_;
  std::shared_ptr<const EngineSet> engine_;
  Loader loader_;
  std::mutex reload_mutex_;
};

}  // namespace crampbot::server
