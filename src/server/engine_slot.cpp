#include "server/engine_slot.h"

#include <exception>

namespace crampbot::server {

EngineSlot::EngineSlot(std::shared_ptr<const Engine> initial, Loader loader)
    : engine_(std::move(initial)), loader_(std::move(loader)) {}

EngineSlot::ReloadResult EngineSlot::reload() {
  std::lock_guard lock(reload_mutex_);
  try {
    std::shared_ptr<const Engine> fresh = loader_();
    if (!fresh) return {false, "the loader returned no engine"};
    engine_.store(std::move(fresh), std::memory_order_release);
    return {true, {}};
  } catch (const std::exception& e) {
    return {false, e.what()};
  }
}

}  // namespace crampbot::server
