#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "engine/reply.h"

namespace crampbot {

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
  std::string utterance;  // the user's words as matched (normalised); logged only when log.utterances is on
  std::vector<std::pair<std::string, std::string>> headers;  // extra response headers
};

// An answer: status 200 with `body` (dumped UTF-8-safe), and the reply's intent and urgency for the records.
ChannelOutcome answered(const Reply& reply, const nlohmann::json& body);
// The same with a body already written as JSON text (by JsonWriter).
ChannelOutcome answered_with_text(const Reply& reply, std::string body);

// A refusal: `status` with the body {"error": code, "message": message}. `code` is a stable machine-readable
// word ("bad_json", "missing_field", "verification_failed"); `message` says what was wrong for a person.
ChannelOutcome error_outcome(int status, std::string_view code, std::string_view message);

}  // namespace crampbot
