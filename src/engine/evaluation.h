#pragma once

#include <istream>
#include <map>
#include <string>
#include <vector>

#include "engine/engine.h"

namespace crampbot {

// What a labelled line is, for the real-world figures (optional "kind" of a line).
enum class TurnKind { unlabelled, in_domain, red_flag, off_topic };

// One labelled turn of an evaluation file.
struct LabelledTurn {
  std::string text;
  std::string intent;
  SlotMap slots;
  TurnKind kind = TurnKind::unlabelled;
  std::vector<std::string> accept;  // off-topic: other intents that are fine there (a greeting → welcome)
};

// A single utterance is a conversation of one turn; {"turns": [...]} is a conversation of several.
struct LabelledConversation {
  std::size_t line = 0;
  std::vector<LabelledTurn> turns;
};

// Reads a JSON-lines file of {"text","intent","slots","kind","accept"} and {"turns":[...]} objects ("kind":
// in_domain, red_flag or off_topic; other fields are ignored). Blank lines and lines
// starting with # are skipped. Throws CatalogError "<name>:<line>: <problem>" on a malformed line or an
// intent or slot value the catalog does not know.
std::vector<LabelledConversation> read_labelled(std::istream& in, const std::string& name,
                                                const IntentCatalog& catalog);

// Accuracy over a labelled set, turn by turn, with context carried through each conversation.
struct EvaluationReport {
  struct Error {
    std::string text;
    std::string expected;  // "intent {slots}"
    std::string got;
    std::string reason;
  };
  struct PerIntent {
    std::size_t expected = 0;      // turns labelled with this intent
    std::size_t correct = 0;       // of those, intent right
    std::size_t full_correct = 0;  // of those, intent and slots right
    std::size_t predicted = 0;     // turns answered with this intent
  };
  // The real-world figures, over the turns that carry a kind (as ../shared/tools/score_real.py counts them).
  struct Kinds {
    std::size_t in_domain = 0, in_domain_correct = 0, clarified = 0;
    std::size_t red_flags = 0, red_flags_caught = 0;
    std::size_t off_topic = 0, off_topic_accepted = 0, false_alarms = 0;
    double in_domain_accuracy() const {
      return in_domain ? double(in_domain_correct) / double(in_domain) : 0;
    }
    double red_flag_recall() const { return red_flags ? double(red_flags_caught) / double(red_flags) : 0; }
    double false_accept_rate() const {
      return off_topic ? double(off_topic_accepted) / double(off_topic) : 0;
    }
    double false_alarm_rate() const { return off_topic ? double(false_alarms) / double(off_topic) : 0; }
    double clarify_rate() const { return in_domain ? double(clarified) / double(in_domain) : 0; }
  };
  Kinds kinds;
  std::size_t turns = 0;
  std::size_t intent_correct = 0;
  std::size_t full_correct = 0;
  std::map<std::string, PerIntent> per_intent;
  std::map<std::pair<std::string, std::string>, std::size_t> confusion;  // (expected, got) → count
  std::vector<Error> errors;

  double intent_accuracy() const { return turns ? double(intent_correct) / double(turns) : 0; }
  double full_accuracy() const { return turns ? double(full_correct) / double(turns) : 0; }
};

// Replays every conversation from a fresh context. A clarifying question counts as its first candidate's
// intent and slots (right only if that one is).
EvaluationReport evaluate(const Engine& engine, const std::vector<LabelledConversation>& conversations);

}  // namespace crampbot
