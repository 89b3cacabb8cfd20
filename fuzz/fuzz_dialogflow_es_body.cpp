// Any bytes as the body of a Dialogflow ES fulfillment webhook call.
#include <cstddef>
#include <cstdint>

#include "channels/dialogflow_es_channel.h"
#include "fuzz_support.h"

using namespace crampbot;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const DialogflowEsChannel channel;
  fuzz::require_well_formed(channel.handle(fuzz::real_engines(), fuzz::as_text(data, size)));
  return 0;
}
