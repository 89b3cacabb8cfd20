#pragma once

#include <string>
#include <string_view>

#include "channels/json_writer.h"
#include "engine/reply.h"

namespace crampbot {

// Replies written straight to JSON text on the request path: the same text as dump_json of the engine's
// to_json (keys in the same sorted order), without building a DOM first.

// The context as JSON text, as dump_json(to_json(context)) writes it.
std::string context_json(const DialogueContext& context);

// The reply object as dump_json(to_json(reply)) writes it, with `context` (the text of context_json) as its
// "context", and a "session" member when `session` is not empty.
void write_reply(JsonWriter& writer, const Reply& reply, std::string_view context,
                 std::string_view session = {});

}  // namespace crampbot
