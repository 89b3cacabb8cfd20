// Any bytes as a chat session token. open() must refuse what it did not seal (the chance of forging an
// HMAC-SHA256 by fuzzing is nil), never throw; a context it does accept must read back into the engine.
#include <chrono>
#include <cstddef>
#include <cstdint>

#include "channels/session_token.h"
#include "fuzz_support.h"

using namespace crampbot;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const SessionTokenSealer sealer("fuzzing-secret-0123456789abcdef", std::chrono::hours(24));
  const auto now = std::chrono::system_clock::time_point(std::chrono::seconds(1'800'000'000));
  const std::string_view token = fuzz::as_text(data, size);

  fuzz::require(!sealer.open(token, now).has_value(), "a token nobody sealed is refused");

  // The same bytes as a context that was sealed: the round trip gives them back, and the engine reads any
  // JSON there into a context without throwing. (A context is shallow; the token adds a level, and opening
  // allows 64.)
  if (fuzz::is_json(token, 32)) {
    const auto opened = sealer.open(sealer.seal(token, now), now);
    fuzz::require(opened.has_value(), "a sealed token opens");
    fuzz::require(*opened == nlohmann::json::parse(token), "the context comes back as sealed");
    bool valid = false;
    (void)fuzz::real_engine().context_from_json(*opened, &valid);
  }
  return 0;
}
