#pragma once

#include <cstddef>

#include <string>

#include "engine/reply.h"

namespace crampbot::alexa {

// Alexa's limits on a response.
struct AlexaResponseLimits {
  std::size_t speech_characters = 8000;     // each outputSpeech (answer and reprompt), tags included
  std::size_t card_characters = 8000;       // the card's title and content together
  std::size_t response_bytes = 120 * 1024;  // the whole JSON response
};

// The session attribute that carries our dialogue context between turns.
inline constexpr const char* kContextAttribute = "crampbot";

// The response envelope for a reply: SSML outputSpeech (reply.ssml), a Simple card (title, and the text with
// its caveat), a reprompt when the session stays open and the reply has one, shouldEndSession = reply.end,
// and sessionAttributes {"crampbot": the reply's context}. Over a limit, the spoken answer and the card text
// are cut at a sentence boundary before the caveat, which is always kept; the SSML stays well-formed.
// Returned as JSON text, written without a DOM (it is on every request's path).
std::string render_reply(const Reply& reply, const AlexaResponseLimits& limits = {});

// {"version":"1.0","response":{}}: the answer to SessionEndedRequest and to request types we do not handle.
std::string empty_response();

}  // namespace crampbot::alexa
