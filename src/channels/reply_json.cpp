#include "channels/reply_json.h"

namespace crampbot {

std::string context_json(const DialogueContext& context) {
  std::string out;
  out.reserve(128);
  JsonWriter writer(out);
  // Keys in the order nlohmann's object (a sorted map) dumps them.
  writer.begin_object()
      .key("intent")
      .string(context.intent)
      .key("memory")
      .string_map(context.memory)
      .key("more")
      .boolean(context.more)
      .key("slots")
      .string_map(context.slots)
      .key("turn")
      .integer(context.turn)
      .key("variant")
      .integer(context.variant)
      .end_object();
  return out;
}

void write_reply(JsonWriter& writer, const Reply& reply, std::string_view context, std::string_view session) {
  writer.begin_object();
  if (!reply.candidates.empty()) {
    writer.key("candidates").begin_array();
    for (const auto& c : reply.candidates)
      writer.begin_object().key("intent").string(c.intent).key("slots").string_map(c.slots).end_object();
    writer.end_array();
  }
  writer.key("caveat")
      .string(reply.caveat)
      .key("confidence")
      .number(rounded(reply.confidence))
      .key("context")
      .raw(context)
      .key("end")
      .boolean(reply.end)
      .key("intent")
      .string(reply.intent)
      .key("locale")
      .string(reply.locale)
      .key("reprompt")
      .string(reply.reprompt);
  if (!session.empty()) writer.key("session").string(session);
  writer.key("slots").string_map(reply.slots).key("sources").begin_array();
  for (const auto& source : reply.sources)
    writer.begin_object().key("title").string(source.title).key("url").string(source.url).end_object();
  writer.end_array()
      .key("ssml")
      .string(reply.ssml)
      .key("suggestions")
      .string_array(reply.suggestions)
      .key("text")
      .string(reply.text)
      .key("title")
      .string(reply.title)
      .key("urgent")
      .boolean(reply.urgent)
      .end_object();
}

}  // namespace crampbot
