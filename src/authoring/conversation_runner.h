#pragma once

#include <string>
#include <vector>

#include "authoring/conversation_spec.h"
#include "authoring/reply_invariants.h"
#include "authoring/turn_expectations.h"
#include "engine/engine_set.h"

namespace crampbot::authoring {

// The first turn of a conversation that failed on a channel (later turns depend on it and are not run).
struct TurnFailure {
  std::size_t line = 0;  // the turn's line in its file
  std::size_t turn = 0;  // 1-based
  std::string channel;
  std::string sent;  // what the turn sent, as the file wrote it: say: "..." or intent: name {slots}
  std::vector<UnmetExpectation> unmet;
  std::vector<std::string> broken_invariants;
};

// How one conversation went on the channels asked for.
struct ConversationResult {
  std::string name;
  std::string file;
  std::size_t line = 0;
  std::vector<std::string> channels;  // the channels it ran on
  std::vector<std::string> skipped;   // channels asked for that it did not run on, each with why
  std::vector<TurnFailure> failures;  // at most one per channel
  double seconds = 0;

  bool ran() const { return !channels.empty(); }
  bool passed() const { return ran() && failures.empty(); }
};

// Runs `conversation` on each of `channels` (names from known_channel_names()), a fresh conversation on
// each, its platforms sending `locale` (the conversation's own `locale:` comes first). A conversation is not
// run on a channel its own `channels:` leaves out, nor on a channel that cannot send its platform intents
// (chat, Rasa). `caveats` are the answering locale's. Never throws for anything the engine or channels
// answer.
ConversationResult run_conversation(const EngineSet& engines, const std::string& locale,
                                    const ConversationSpec& conversation,
                                    const std::vector<std::string>& channels, const CaveatSet& caveats);

// The report of one conversation: "ok", "FAIL" or "skip", its name, file and line, and for each failure the
// turn (file:line, channel, what was sent) with each unmet expectation as expected vs actual.
std::string format_result(const ConversationResult& result);

}  // namespace crampbot::authoring
