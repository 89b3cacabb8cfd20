#include "channels/channel_outcome.h"

#include <nlohmann/json.hpp>

namespace crampbot {

ChannelOutcome error_outcome(int status, std::string_view code, std::string_view message) {
  ChannelOutcome outcome;
  outcome.status = status;
  nlohmann::json body = {{"error", code}, {"message", message}};
  // Messages may quote untrusted input: replace invalid UTF-8 rather than throw.
  outcome.body = body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return outcome;
}

}  // namespace crampbot
