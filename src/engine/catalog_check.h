#pragma once

#include <string>
#include <vector>

#include "engine/engine.h"

namespace crampbot {

// What `crampbot check` found. The catalog passes when `problems` is empty.
struct CheckReport {
  std::vector<std::string> problems;  // each names the file and what is wrong
  std::size_t intents = 0;
  std::size_t templates = 0;
  std::size_t examples = 0;
  std::size_t negatives = 0;
  std::size_t variants = 0;
  std::size_t suggestions = 0;
};

// Validates a loaded catalog beyond what loading enforces: every example resolves to its intent with its
// slots (and no other intent claims it), no negative resolves to its intent, every suggestion is understood
// after the reply that offers it, and every reply has a caveat, well-formed SSML within the platforms'
// limits, no dose and no quinine or tonic water except as a warning.
CheckReport check_catalog(const Engine& engine);

// Returns a description of the first safety problem in a reply text ("gives a dose: ...", "mentions quinine
// outside a warning"), or "" when there is none.
std::string safety_problem(std::string_view text);

}  // namespace crampbot
