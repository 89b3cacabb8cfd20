#pragma once

#include <istream>
#include <map>
#include <string>
#include <vector>

#include "engine/engine.h"

namespace crampbot {

// One labelled turn of an evaluation file.
struct LabelledTurn {
  std::string text;
  std::string intent;
  SlotMap slots;
};

// A single utterance is a conversation of one turn; {"turns": [...]} is a conversation of several.
struct LabelledConversation {
  std::size_t line = 0;
  std::vector<LabelledTurn> turns;
};

// Reads a JSON-lines file of {"text","intent","slots"} and {"turns":[...]} objects. Blank lines and lines
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
  std::size_t turns = 0;
  std::size_t intent_correct = 0;
  std::size_t full_correct = 0;
  std::map<std::string, PerIntent> per_intent;
  std::map<std::pair<std::string, std::string>, std::size_t> confusion;  // (expected, got) → count
  std::vector<Error> errors;

  double intent_accuracy() const { return turns ? double(intent_correct) / double(turns) : 0; }
  double full_accuracy() const { return turns ? double(full_correct) / double(turns) : 0; }
};

EvaluationReport evaluate(const Engine& engine, const std::vector<LabelledConversation>& conversations);

}  // namespace crampbot
