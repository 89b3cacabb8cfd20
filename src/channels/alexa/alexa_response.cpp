#include "channels/alexa/alexa_response.h"

#include <string>
#include <string_view>

#include "channels/alexa/text_shortening.h"
#include "channels/json_writer.h"
#include "channels/reply_json.h"
#include "engine/ssml.h"

namespace crampbot::alexa {

namespace {

constexpr std::string_view kSpeakOpen = "<speak>";
constexpr std::string_view kSpeakClose = "</speak>";
constexpr std::string_view kCaveatBreak = " <break time=\"300ms\"/> ";

// reply.ssml as build_ssml makes it: <speak>ANSWER <break time="300ms"/> CAVEAT</speak>, both escaped text.
struct SpokenParts {
  std::string answer;  // escaped
  std::string tail;    // everything after the answer: the break, the spoken caveat and </speak>
};

// Splits reply.ssml into the answer and the caveat that is spoken after it (which may be a shorter form than
// reply.caveat). When the SSML has another shape (tags inside), the display text stands in for the answer
// and reply.caveat for the spoken caveat.
SpokenParts spoken_parts(const Reply& reply) {
  const std::string_view ssml = reply.ssml;
  if (ssml.starts_with(kSpeakOpen) && ssml.ends_with(kSpeakClose) &&
      ssml.size() >= kSpeakOpen.size() + kSpeakClose.size()) {
    const std::string_view inner =
        ssml.substr(kSpeakOpen.size(), ssml.size() - kSpeakOpen.size() - kSpeakClose.size());
    const std::size_t split = inner.rfind(kCaveatBreak);
    const std::string_view answer = split == std::string_view::npos ? inner : inner.substr(0, split);
    const std::string_view caveat =
        split == std::string_view::npos ? "" : inner.substr(split + kCaveatBreak.size());
    if (answer.find('<') == std::string_view::npos && caveat.find('<') == std::string_view::npos)
      return {std::string(answer), std::string(split == std::string_view::npos ? "" : kCaveatBreak) +
                                       std::string(caveat) + std::string(kSpeakClose)};
  }
  std::string_view text = reply.text;
  const std::string text_suffix = "\n\n" + reply.caveat;
  if (text.ends_with(text_suffix)) text.remove_suffix(text_suffix.size());
  const std::string tail =
      reply.caveat.empty() ? std::string(kSpeakClose)
                           : std::string(kCaveatBreak) + escape_xml(reply.caveat) + std::string(kSpeakClose);
  return {escape_xml(text), tail};
}

// reply.ssml, or within `max_characters` with the answer cut and the spoken caveat kept.
std::string fitted_speech(const Reply& reply, std::size_t max_characters) {
  if (count_characters(reply.ssml) <= max_characters) return reply.ssml;
  const SpokenParts parts = spoken_parts(reply);
  const std::size_t frame = count_characters(kSpeakOpen) + count_characters(parts.tail);
  if (frame >= max_characters) {
    // Not even the caveat fits whole: the caveat, cut, is what there is room for.
    const std::size_t tags = count_characters(kSpeakOpen) + count_characters(kSpeakClose);
    const std::size_t room = max_characters > tags ? max_characters - tags : 0;
    return std::string(kSpeakOpen) + shorten_at_sentence(escape_xml(reply.caveat), room) +
           std::string(kSpeakClose);
  }
  return std::string(kSpeakOpen) + shorten_at_sentence(parts.answer, max_characters - frame) + parts.tail;
}

// The card's content (the shown text: the source note and the caveat included) cut so that title and content
// fit together.
std::string fitted_card_text(const Reply& reply, std::string_view title, std::size_t max_characters) {
  const std::size_t title_characters = count_characters(title);
  const std::size_t room = max_characters > title_characters ? max_characters - title_characters : 0;
  const std::string shown = shown_text(reply);
  if (count_characters(shown) <= room) return shown;
  std::string_view body = shown;
  const std::string suffix = reply.caveat.empty() ? std::string() : "\n\n" + reply.caveat;
  if (!suffix.empty() && body.ends_with(suffix)) body.remove_suffix(suffix.size());
  const std::size_t suffix_characters = count_characters(suffix);
  if (suffix_characters >= room) return shorten_at_sentence(reply.caveat, room);
  return shorten_at_sentence(body, room - suffix_characters) + suffix;
}

void write_ssml_speech(JsonWriter& writer, std::string_view ssml) {
  writer.begin_object().key("ssml").string(ssml).key("type").string("SSML").end_object();
}

// The response envelope with the given text budgets, keys in sorted order (as the DOM used to dump them).
std::string render_with(const Reply& reply, std::string_view context, std::size_t speech_characters,
                        std::size_t card_characters) {
  // A title is short by construction; one that is not still leaves the card within its limit.
  const std::string title = shorten_at_sentence(reply.title, card_characters / 4);
  std::string out;
  out.reserve(reply.text.size() + reply.ssml.size() + context.size() + 512);
  JsonWriter writer(out);
  writer.begin_object().key("response").begin_object();
  writer.key("card")
      .begin_object()
      .key("content")
      .string(fitted_card_text(reply, title, card_characters))
      .key("title")
      .string(title)
      .key("type")
      .string("Simple")
      .end_object();
  writer.key("outputSpeech");
  write_ssml_speech(writer, fitted_speech(reply, speech_characters));
  if (!reply.end && !reply.reprompt.empty()) {
    const std::size_t frame = count_characters(kSpeakOpen) + count_characters(kSpeakClose);
    const std::string reprompt = shorten_at_sentence(
        escape_xml(reply.reprompt), speech_characters > frame ? speech_characters - frame : 0);
    writer.key("reprompt").begin_object().key("outputSpeech");
    write_ssml_speech(writer, std::string(kSpeakOpen) + reprompt + std::string(kSpeakClose));
    writer.end_object();
  }
  writer.key("shouldEndSession").boolean(reply.end).end_object();
  writer.key("sessionAttributes").begin_object().key(kContextAttribute).raw(context).end_object();
  writer.key("version").string("1.0").end_object();
  return out;
}

}  // namespace

std::string render_reply(const Reply& reply, const AlexaResponseLimits& limits) {
  std::size_t speech = limits.speech_characters;
  std::size_t card = limits.card_characters;
  const std::string context = context_json(reply.context);
  std::string out = render_with(reply, context, speech, card);
  // Only a reply far beyond the per-field limits (multi-byte text, a huge reprompt) can reach the size limit;
  // halving the text budgets converges in a few rounds.
  for (int round = 0; round < 16 && out.size() > limits.response_bytes; ++round) {
    speech /= 2;
    card /= 2;
    out = render_with(reply, context, speech, card);
  }
  return out;
}

std::string empty_response() {
  return R"({"response":{},"version":"1.0"})";
}

}  // namespace crampbot::alexa
