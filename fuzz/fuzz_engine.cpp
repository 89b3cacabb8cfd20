// Any bytes as an utterance: normalise → match → slots → reply on the real catalog, then the same words as
// the next turn. Every answer must be a well-formed reply (an intent, the caveat in its text, well-formed
// SSML); input the engine cannot use must come back as an InputError, never an exception or a crash.
#include <cstddef>
#include <cstdint>
#include <string>
#include <variant>

#include "engine/dialogue_context.h"
#include "engine/ssml.h"
#include "fuzz_support.h"

using namespace crampbot;

namespace {

void require_sound_reply(const Reply& reply) {
  fuzz::require(!reply.intent.empty(), "a reply names its intent");
  fuzz::require(!reply.caveat.empty(), "a reply carries a caveat");
  fuzz::require(reply.text.find(reply.caveat) != std::string::npos, "the caveat is in the text");
  fuzz::require(is_well_formed_ssml(reply.ssml), "SSML is one well-formed <speak> element");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const Engine& engine = fuzz::real_engine();
  const std::string_view text = fuzz::as_text(data, size);

  (void)engine.match(text);
  const auto answer = engine.respond(text, DialogueContext{});
  if (const auto* reply = std::get_if<Reply>(&answer)) {
    require_sound_reply(*reply);
    // The next turn of the same conversation, with the context this one handed back.
    const auto next = engine.respond(text, reply->context);
    fuzz::require(std::holds_alternative<Reply>(next), "usable words stay usable in the next turn");
    require_sound_reply(std::get<Reply>(next));
  }
  return 0;
}
