#pragma once

#include <string>
#include <vector>

#include "authoring/conversation_spec.h"
#include "authoring/observed_turn.h"

namespace crampbot::authoring {

// One expectation a turn did not meet: the key, what the file asked for and what the reply had, each as a
// person reads it.
struct UnmetExpectation {
  std::string key;
  std::string expected;
  std::string actual;
};

// The expectations of `expect` that `turn` does not meet, in the order of TurnExpectation's members. A key
// the channel has no place for (a title on Dialogflow, suggestions on Alexa, speech on Rasa, a refusal on a
// platform that answers every utterance) is not checked there. A refused turn that was not expected to be
// refused fails on `refused` alone.
std::vector<UnmetExpectation> unmet_expectations(const TurnExpectation& expect, const ObservedTurn& turn);

// A list as the diff shows it: [a, b] (slots are shown by describe_slots of the engine).
std::string describe_list(const std::vector<std::string>& items);

}  // namespace crampbot::authoring
