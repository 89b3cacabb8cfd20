#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "engine/engine.h"
#include "engine/template_expander.h"

namespace crampbot::exporting {

// How many sample utterances a platform gets for one intent.
struct SampleLimits {
  std::size_t per_template = 5;  // template sentences taken from one template
  std::size_t per_intent = 80;   // samples kept for one intent, examples first
};

// One sample utterance of an intent.
struct Sample {
  ExpandedSentence sentence;
  // For a sample made from an example: slot → the list phrase the person used for its value ("b12"; "b 12"
  // gives "b12"), which platforms that annotate phrases keep. Empty for template sentences.
  std::map<std::string, std::string> example_values;
  bool from_example = false;
  std::string origin;  // the example's text, or the template's source
};

// Whether a platform can take a sentence (its character and length rules).
using SampleFilter = std::function<bool(const ExpandedSentence&)>;

// Sample utterances for each intent named in `intents` (each must have templates), keyed by intent name,
// every one something a person would say (sentence_likeness.h):
// 1. The intent's examples, in file order: each phrase of a slot value becomes the slot ("what foods have
//    b12" → "what foods have {nutrient}"). Left out: an example our matcher reads only after correcting a
//    misspelling (a typo is not speech), one it does not give this intent, and one whose slot value is not
//    named by a phrase of its list.
// 2. Then sentence-like template sentences, taken in turn from the intent's templates (the first of each,
//    then the second, ...), at most `per_template` from each: those whose seams are best backed first, then
//    the commoner choices. Each must be one our matcher gives this intent, and the slot its value, with
//    every slot filled by the first phrase of its list.
// A sentence the normaliser reads like one already taken is skipped, and at most `per_intent` are kept.
// Platforms refuse or get confused by one sentence in two intents, so a shared sentence stays only with the
// intent our matcher gives it (its slots filled), and with none when the matcher picks another.
// Deterministic. Throws ExportError for an unknown intent, TemplateError for a template that does not
// expand.
std::map<std::string, std::vector<Sample>> select_samples(const Engine& engine,
                                                          const std::vector<std::string>& intents,
                                                          const SampleLimits& limits,
                                                          const SampleFilter& accept);

// `sentence` with each slot filled by the first phrase of its list (`slots`: slot → list), as a probe for
// the matcher.
std::string fill_with_first_values(const ExpandedSentence& sentence, const Lexicon& lexicon,
                                   const std::map<std::string, std::string>& slots);

// `example` as a sentence of `intent`: the words that name each of its slot values (the longest run of
// words that normalises to a phrase of the value, the earliest first) become that slot, the rest stays as
// written. nullopt when a slot of the example is not one the intent declares, or no run names its value.
std::optional<Sample> sample_from_example(const Engine& engine, const IntentDefinition& intent,
                                          const IntentExample& example);

}  // namespace crampbot::exporting
