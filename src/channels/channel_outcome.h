#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "engine/reply.h"

namespace crampbot {

// What the server's review of misunderstood questions and its per-locale counts need to know about an
// answered turn, as the platform sent it. Health text: kept in memory for the request only, and scrubbed
// before anything stores it (src/review).
struct TurnFacts {
  std::string text;          // the user's own words ("" when the platform sent an intent, not text)
  std::string conversation;  // the platform's conversation id ("" when it sent none)
  std::string locale;        // a language tag as the platform sent it (see locale_tag), or ""
  double confidence = 0;     // the reply's match confidence
};

// What a channel hands back to the server for one request: an HTTP status and a JSON body, plus what the
// access log and the metrics record about it. Channels know their platform's JSON and nothing of sockets.
struct ChannelOutcome {
  int status = 200;
  std::string body;    // JSON, for errors too
  std::string intent;  // the intent answered; "" when the request was refused or needed no answer
  bool urgent = false;
  SlotMap slots;                        // the slots of the reply
  std::vector<std::string> candidates;  // the intents a clarifying question offered, best first
  std::vector<std::string> sources;     // the ids of the reply's sources
  std::string locale;     // the catalog locale that answered ("en-GB", "es"); "" when nothing was answered
  std::string utterance;  // the user's words as matched (normalised); logged only when log.utterances is on
  std::vector<std::pair<std::string, std::string>> headers;  // extra response headers
  TurnFacts turn;                                            // filled in by the channel for an answer
};

// An answer: status 200 with `body` (dumped UTF-8-safe), and the reply's intent, urgency and confidence for
// the records (the channel adds the rest of `turn`).
ChannelOutcome answered(const Reply& reply, const nlohmann::json& body);
// The same with a body already written as JSON text (by JsonWriter).
ChannelOutcome answered_with_text(const Reply& reply, std::string body);

// A refusal: `status` with the body {"error": code, "message": message}. `code` is a stable machine-readable
// word ("bad_json", "missing_field", "verification_failed"); `message` says what was wrong for a person.
ChannelOutcome error_outcome(int status, std::string_view code, std::string_view message);

// `sent` when it reads as a language tag ("en", "en-GB", "en_US", "es-419": letters, digits, '-' and '_',
// a letter first, at most 16 bytes), else "": the value becomes a metrics label and a stored field, so
// nothing else a client sends may pass.
std::string locale_tag(std::string_view sent);

}  // namespace crampbot
