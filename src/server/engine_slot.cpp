#include "server/engine_slot.h"

#include <exception>

namespace crampbot::server {

EngineSlot::EngineSlot(std::shared_ptr<const EngineSet> initial, Loader loader)
    : engine_(std::move(initial)), loader_(std::move(loader)) {}

std::shared_ptr<const EngineSet> EngineSlot::current() const {
  std::lock_guard lock(engine_mutex_);
  return engine_;
}

EngineSlot::ReloadResult EngineSlot::reload() {
  std::lock_guard lock(reload_mutex_);
  try {
    std::shared_ptr<const EngineSet> fresh = loader_();
    if (!fresh) return {false, "the loader returned no engines"};
    {
      std::lock_guard swap_lock(engine_mutex_);
      engine_.swap(fresh);
    }
    // `fresh` now holds the old engine: freed here (or by the last request using it), outside the lock.
    return {true, {}};
  } catch (const std::exception& e) {
    return {false, e.what()};
  }
}

}  // namespace crampbot::server
