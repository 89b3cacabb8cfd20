// Any bytes as an utterance: normalise → match → slots → reply on the real catalog. Every answer must be a
// well-formed reply (an intent, the caveat in its text and SSML); input the engine cannot use must come back
// as an InputError, never an exception or a crash.
#include <cstddef>
#include <cstdint>
#include <string>
#include <variant>

#include "engine/dialogue_context.h"
#include "fuzz_support.h"

using namespace crampbot;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const Engine& engine = fuzz::real_engine();
  const std::string_view text = fuzz::as_text(data, size);

  (void)engine.match(text);
  const auto answer = engine.respond(text, DialogueContext{});
  if (const auto* reply = std::get_if<Reply>(&answer)) {
    fuzz::require(!reply->intent.empty(), "a reply names its intent");
    fuzz::require(!reply->caveat.empty(), "a reply carries a caveat");
    fuzz::require(reply->text.find(reply->caveat) != std::string::npos, "the caveat is in the text");
    fuzz::require(reply->ssml.starts_with("<speak>") && reply->ssml.ends_with("</speak>"),
                  "SSML is one <speak>");
    // The next turn of the same conversation, with the context this one handed back.
    (void)engine.respond(text, reply->context);
  }
  return 0;
}
