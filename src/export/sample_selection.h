#pragma once

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "engine/engine.h"
#include "engine/template_expander.h"

namespace crampbot::exporting {

// How many sample sentences a platform gets from the templates.
struct SampleLimits {
  std::size_t per_template = 40;  // sentences expanded from one template
  std::size_t per_intent = 150;   // sentences kept for one intent
};

// Whether a platform can take a sentence (its character and length rules).
using SampleFilter = std::function<bool(const ExpandedSentence&)>;

// Sample sentences for each intent named in `intents` (each must have templates), keyed by intent name.
// Taken in turn from the intent's templates (the first sentence of each, then the second, ...), so the cap
// keeps every template represented; a sentence the normaliser reads like one already taken is skipped.
// Platforms refuse or get confused by one sentence in two intents, so a shared sentence stays only with
// the intent our matcher gives it (its slots filled with a value), and with none when the matcher picks
// another. Deterministic. Throws ExportError for an unknown intent, TemplateError for a template the
// expander refuses.
std::map<std::string, std::vector<ExpandedSentence>> select_samples(const Engine& engine,
                                                                    const std::vector<std::string>& intents,
                                                                    const SampleLimits& limits,
                                                                    const SampleFilter& accept);

// `sentence` with each slot filled by the first phrase of its list (`slots`: slot → list), as a probe for
// the matcher.
std::string fill_with_first_values(const ExpandedSentence& sentence, const Lexicon& lexicon,
                                   const std::map<std::string, std::string>& slots);

}  // namespace crampbot::exporting
