#include "channels/alexa/alexa_response.h"

#include <string>
#include <string_view>

#include "channels/alexa/text_shortening.h"
#include "channels/json_body.h"
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

// The card's content (reply.text, caveat included) cut so that title and content fit together.
std::string fitted_card_text(const Reply& reply, std::string_view title, std::size_t max_characters) {
  const std::size_t title_characters = count_characters(title);
  const std::size_t room = max_characters > title_characters ? max_characters - title_characters : 0;
  if (count_characters(reply.text) <= room) return reply.text;
  std::string_view body = reply.text;
  const std::string suffix = reply.caveat.empty() ? std::string() : "\n\n" + reply.caveat;
  if (!suffix.empty() && body.ends_with(suffix)) body.remove_suffix(suffix.size());
  const std::size_t suffix_characters = count_characters(suffix);
  if (suffix_characters >= room) return shorten_at_sentence(reply.caveat, room);
  return shorten_at_sentence(body, room - suffix_characters) + suffix;
}

nlohmann::json ssml_speech(std::string ssml) {
  return {{"type", "SSML"}, {"ssml", std::move(ssml)}};
}

nlohmann::json render_with(const Reply& reply, std::size_t speech_characters, std::size_t card_characters) {
  nlohmann::json response = nlohmann::json::object();
  response["outputSpeech"] = ssml_speech(fitted_speech(reply, speech_characters));
  // A title is short by construction; one that is not still leaves the card within its limit.
  const std::string title = shorten_at_sentence(reply.title, card_characters / 4);
  response["card"] = {
      {"type", "Simple"}, {"title", title}, {"content", fitted_card_text(reply, title, card_characters)}};
  if (!reply.end && !reply.reprompt.empty()) {
    const std::size_t frame = count_characters(kSpeakOpen) + count_characters(kSpeakClose);
    const std::string reprompt = shorten_at_sentence(
        escape_xml(reply.reprompt), speech_characters > frame ? speech_characters - frame : 0);
    response["reprompt"] = {
        {"outputSpeech", ssml_speech(std::string(kSpeakOpen) + reprompt + std::string(kSpeakClose))}};
  }
  response["shouldEndSession"] = reply.end;

  nlohmann::json out = nlohmann::json::object();
  out["version"] = "1.0";
  out["sessionAttributes"] = {{kContextAttribute, to_json(reply.context)}};
  out["response"] = std::move(response);
  return out;
}

}  // namespace

nlohmann::json render_reply(const Reply& reply, const AlexaResponseLimits& limits) {
  std::size_t speech = limits.speech_characters;
  std::size_t card = limits.card_characters;
  nlohmann::json out = render_with(reply, speech, card);
  // Only a reply far beyond the per-field limits (multi-byte text, a huge reprompt) can reach the size limit;
  // halving the text budgets converges in a few rounds.
  for (int round = 0; round < 16 && dump_json(out).size() > limits.response_bytes; ++round) {
    speech /= 2;
    card /= 2;
    out = render_with(reply, speech, card);
  }
  return out;
}

nlohmann::json empty_response() {
  return {{"version", "1.0"}, {"response", nlohmann::json::object()}};
}

}  // namespace crampbot::alexa
