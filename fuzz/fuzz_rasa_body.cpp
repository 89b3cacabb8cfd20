// Any bytes as the body of POST /webhooks/rest/webhook (Rasa's REST channel). The sender table is kept
// across inputs, as the server keeps it across requests.
#include <chrono>
#include <cstddef>
#include <cstdint>

#include "channels/rasa_channel.h"
#include "fuzz_support.h"

using namespace crampbot;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static RasaChannel channel(RasaSettings{64, std::chrono::minutes(30)});
  const auto outcome =
      channel.handle(fuzz::real_engines(), fuzz::as_text(data, size), std::chrono::steady_clock::now());
  fuzz::require_well_formed(outcome);
  return 0;
}
