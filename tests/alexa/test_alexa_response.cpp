// Rendering a reply as an Alexa response: the shape, and the limits (cut at a sentence, caveat kept,
// SSML well-formed).
#include <catch2/catch.hpp>

#include "channels/alexa/alexa_response.h"
#include "channels/alexa/text_shortening.h"
#include "channels/json_body.h"
#include "engine/ssml.h"

using namespace crampbot;
using namespace crampbot::alexa;

namespace {

const std::string kCaveat = "This is general information; if cramps keep coming back, talk to a doctor.";

// A reply built as the engine builds one: text = answer + caveat, ssml = build_ssml(answer, caveat).
Reply reply_saying(const std::string& answer, bool end = false) {
  Reply reply;
  reply.intent = "nutrient_role";
  reply.title = "Magnesium & cramps";
  reply.caveat = kCaveat;
  reply.text = answer + "\n\n" + kCaveat;
  reply.ssml = build_ssml(answer, kCaveat);
  reply.reprompt = end ? "" : "Anything else about <cramps> & vitamins?";
  reply.end = end;
  reply.context.turn = 1;
  reply.context.intent = "nutrient_role";
  return reply;
}

// `count` numbered sentences, each with characters SSML must escape.
std::string sentences(int count) {
  std::string out;
  for (int i = 0; i < count; ++i)
    out += (i ? " " : "") + std::string("Sentence ") + std::to_string(i) +
           " says salt & water <matter> \"a lot\".";
  return out;
}

bool ends_with(const std::string& text, const std::string& suffix) {
  return text.size() >= suffix.size() &&
         text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

}  // namespace

TEST_CASE("response: the shape of an answer that keeps the session open", "[alexa][response]") {
  const Reply reply = reply_saying("Magnesium helps muscles relax.");
  const std::string rendered = render_reply(reply);
  const auto out = nlohmann::json::parse(rendered);
  CHECK(out["version"] == "1.0");
  CHECK(out["sessionAttributes"]["crampbot"] == to_json(reply.context));
  const auto& response = out["response"];
  CHECK(response["outputSpeech"] == nlohmann::json{{"type", "SSML"}, {"ssml", reply.ssml}});
  CHECK(response["card"] ==
        nlohmann::json{{"type", "Simple"}, {"title", "Magnesium & cramps"}, {"content", reply.text}});
  CHECK(response["reprompt"]["outputSpeech"]["type"] == "SSML");
  const std::string reprompt = response["reprompt"]["outputSpeech"]["ssml"];
  CHECK(reprompt == "<speak>Anything else about &lt;cramps&gt; &amp; vitamins?</speak>");
  CHECK(is_well_formed_ssml(reprompt));
  CHECK(response["shouldEndSession"] == false);
}

TEST_CASE("response: an ending answer has no reprompt and says it ends", "[alexa][response]") {
  const std::string rendered = render_reply(reply_saying("Goodbye.", true));
  const auto out = nlohmann::json::parse(rendered);
  CHECK_FALSE(out["response"].contains("reprompt"));
  CHECK(out["response"]["shouldEndSession"] == true);
}

TEST_CASE("response: an open session without a reprompt text has none", "[alexa][response]") {
  Reply reply = reply_saying("Hello.");
  reply.reprompt.clear();
  const std::string rendered = render_reply(reply);
  const auto out = nlohmann::json::parse(rendered);
  CHECK_FALSE(out["response"].contains("reprompt"));
  CHECK(out["response"]["shouldEndSession"] == false);
}

TEST_CASE("response: within limits nothing is cut", "[alexa][response][limits]") {
  const Reply reply = reply_saying(sentences(40));
  const std::string rendered = render_reply(reply);
  const auto out = nlohmann::json::parse(rendered);
  CHECK(out["response"]["outputSpeech"]["ssml"] == reply.ssml);
  CHECK(out["response"]["card"]["content"] == reply.text);
}

TEST_CASE("response: over 8000 characters, speech and card are cut at a sentence, caveat kept",
          "[alexa][response][limits]") {
  const Reply reply = reply_saying(sentences(400));  // ~ 20,000 characters of escaped speech
  REQUIRE(count_characters(reply.ssml) > 8000);
  const std::string rendered = render_reply(reply);
  const auto out = nlohmann::json::parse(rendered);
  const std::string ssml = out["response"]["outputSpeech"]["ssml"];
  CHECK(count_characters(ssml) <= 8000);
  CHECK(count_characters(ssml) > 7000);  // cut near the limit, not far below
  CHECK(is_well_formed_ssml(ssml));
  CHECK(ends_with(ssml, escape_xml(kCaveat) + "</speak>"));
  CHECK(ssml.find("&quot;. <break") != std::string::npos);  // the answer ends at a whole sentence

  const std::string title = out["response"]["card"]["title"];
  const std::string content = out["response"]["card"]["content"];
  CHECK(count_characters(title) + count_characters(content) <= 8000);
  CHECK(ends_with(content, "\".\n\n" + kCaveat));
  CHECK(rendered.size() <= 120 * 1024);
}

TEST_CASE("response: the whole-response byte limit shortens further", "[alexa][response][limits]") {
  const Reply reply = reply_saying(sentences(400));
  AlexaResponseLimits limits;
  limits.response_bytes = 6000;
  const std::string rendered = render_reply(reply, limits);
  const auto out = nlohmann::json::parse(rendered);
  CHECK(rendered.size() <= 6000);
  const std::string ssml = out["response"]["outputSpeech"]["ssml"];
  CHECK(is_well_formed_ssml(ssml));
  CHECK(ends_with(ssml, escape_xml(kCaveat) + "</speak>"));
  CHECK(ends_with(out["response"]["card"]["content"].get<std::string>(), kCaveat));
}

TEST_CASE("response: a spoken caveat shorter than the written one is the one kept",
          "[alexa][response][limits]") {
  Reply reply = reply_saying(sentences(400));
  const std::string spoken = "Not medical advice & not a doctor.";
  reply.ssml = build_ssml(sentences(400), spoken);  // welcome, help and about speak a shorter disclaimer
  const std::string rendered = render_reply(reply);
  const auto out = nlohmann::json::parse(rendered);
  const std::string ssml = out["response"]["outputSpeech"]["ssml"];
  CHECK(count_characters(ssml) <= 8000);
  CHECK(is_well_formed_ssml(ssml));
  CHECK(ends_with(ssml, "<break time=\"300ms\"/> " + escape_xml(spoken) + "</speak>"));
  CHECK(ends_with(out["response"]["card"]["content"].get<std::string>(), "\n\n" + kCaveat));
}

TEST_CASE("response: SSML of another shape is rebuilt from the text when cut", "[alexa][response][limits]") {
  Reply reply = reply_saying(sentences(400));
  reply.ssml = "<speak><p>" + escape_xml(sentences(400)) + "</p></speak>";
  const std::string rendered = render_reply(reply);
  const auto out = nlohmann::json::parse(rendered);
  const std::string ssml = out["response"]["outputSpeech"]["ssml"];
  CHECK(count_characters(ssml) <= 8000);
  CHECK(is_well_formed_ssml(ssml));
  CHECK(ends_with(ssml, escape_xml(kCaveat) + "</speak>"));
}

TEST_CASE("response: multi-byte text is counted in characters", "[alexa][response][limits]") {
  std::string answer;
  for (int i = 0; i < 3000; ++i)
    answer += "Magnésium é. ";  // 13 characters, 15 bytes
  const Reply reply = reply_saying(answer);
  const std::string rendered = render_reply(reply);
  const auto out = nlohmann::json::parse(rendered);
  const std::string ssml = out["response"]["outputSpeech"]["ssml"];
  CHECK(count_characters(ssml) <= 8000);
  CHECK(ssml.size() > 8000);  // bytes may exceed the character limit
  CHECK(is_well_formed_ssml(ssml));
}

TEST_CASE("empty response", "[alexa][response]") {
  CHECK(empty_response() == R"({"response":{},"version":"1.0"})");
}

TEST_CASE("shorten: whole sentences first", "[alexa][shorten]") {
  CHECK(shorten_at_sentence("One. Two. Three.", 100) == "One. Two. Three.");
  CHECK(shorten_at_sentence("One. Two. Three.", 12) == "One. Two.");
  CHECK(shorten_at_sentence("One! Two? Three.", 9) == "One! Two?");
  CHECK(shorten_at_sentence("Dr.Who is here. Yes.", 14) ==
        "Dr.Who is…");  // a dot inside a word ends no sentence
}

TEST_CASE("shorten: then words, then characters, never inside an entity", "[alexa][shorten]") {
  CHECK(shorten_at_sentence("no sentence ends here at all", 12) == "no sentence…");
  CHECK(count_characters(shorten_at_sentence("no sentence ends here at all", 12)) <= 12);
  CHECK(shorten_at_sentence("abcdefghij", 4) == "abcd");
  CHECK(shorten_at_sentence("ab&amp;cdefgh", 5) == "ab");
  CHECK(shorten_at_sentence("éééééé", 3) == "ééé");
  CHECK(shorten_at_sentence("anything", 0) == "");
}
