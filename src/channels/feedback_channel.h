#pragma once

#include <chrono>
#include <cstddef>
#include <string>
#include <string_view>

#include "channels/channel_outcome.h"
#include "channels/chat_channel.h"
#include "channels/recent_votes.h"
#include "channels/session_token.h"
#include "engine/engine_set.h"

namespace crampbot {

// What a feedback request came to: the response, and the vote when it is to be counted.
struct FeedbackOutcome {
  ChannelOutcome outcome;
  bool counted = false;
  std::string intent;  // the intent of the rated answer (public name), when counted
  bool helpful = false;
};

// POST /v1/feedback: {"session": "<the token that came with the answer>", "helpful": true|false} → 200
// {"status": "counted"}. The vote is about the answer whose token it carries: the intent sealed in the token
// names it, and nothing else is kept (the caller counts it in crampbot_feedback_total).
//
// One vote per turn: a turn is the token's conversation id and turn number. The server keeps no shared
// state, so each replica remembers the votes it counted (RecentVotes, bounded, until the token expires) and
// refuses a second one with 409. Behind N replicas without sticky routing a client that sends the same vote
// to each can have it counted at most N times; the widget sends one. Anonymous feedback can be stuffed by
// starting new conversations anyway, so this guards against double clicks and retries, not against a
// determined client, and costs no shared store.
class FeedbackChannel {
 public:
  // The same secret and maximum age as the chat channel (tokens are the chat API's); `max_votes` bounds the
  // memory of votes counted.
  FeedbackChannel(const ChatSettings& settings, std::size_t max_votes);

  // Handles one vote. 400 with a JSON error for a body that is not {"session": string, "helpful": boolean},
  // a token this server did not issue (forged, altered, from another deployment) or that has expired, a
  // token of a turn without an answer, or an urgent answer (the widget offers no vote there); 409 for a
  // second vote on the same turn. Never throws.
  FeedbackOutcome handle(const EngineSet& engines, std::string_view body,
                         std::chrono::system_clock::time_point now);

 private:
  SessionTokenSealer sealer_;
  RecentVotes votes_;
};

}  // namespace crampbot
