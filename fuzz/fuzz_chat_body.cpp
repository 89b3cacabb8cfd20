// Any bytes as the body of POST /v1/chat.
#include <chrono>
#include <cstddef>
#include <cstdint>

#include "channels/chat_channel.h"
#include "fuzz_support.h"

using namespace crampbot;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const ChatChannel channel(ChatSettings{"fuzzing-secret-0123456789abcdef", std::chrono::hours(24)});
  const auto outcome =
      channel.handle(fuzz::real_engines(), fuzz::as_text(data, size), std::chrono::system_clock::now());
  fuzz::require_well_formed(outcome);
  return 0;
}
