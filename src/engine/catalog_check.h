#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "engine/engine.h"

namespace crampbot {

// What `crampbot check` found. The catalog passes when `problems` is empty.
struct CheckReport {
  std::vector<std::string> problems;  // each names the file and what is wrong
  std::vector<std::string> warnings;  // what needs attention but does not fail (check --strict fails on them)
  std::size_t intents = 0;
  std::size_t templates = 0;
  std::size_t examples = 0;
  std::size_t negatives = 0;
  std::size_t variants = 0;
  std::size_t suggestions = 0;
};

// Validates a loaded catalog beyond what loading enforces: every example resolves to its intent with its
// slots (and no other intent claims it; a helper's example gets the helper's own replies), no negative
// resolves to its intent, every suggestion is understood after the reply that offers it, and every reply has
// a caveat and well-formed SSML within the platforms' limits. Every field a person reads or hears (title,
// text, voice, more, reprompt, caveats, suggestions, the common disclaimers) is screened by the language's
// SafetyScreens
// (_safety_screens.json; a folder without one is a problem).
// Every medical answer names its sources (ids _sources.json lists) and when it was reviewed; a review older
// than the configuration's max_review_age_days on `today` is a warning.
//
// `scope` replies: everything but the examples and negatives, which are the language's and so the same in
// each of its locales (a locale overlay changes replies only); its language's check covers them.
enum class CheckScope { everything, replies };
CheckReport check_catalog(const Engine& engine, std::chrono::sys_days today,
                          CheckScope scope = CheckScope::everything);
// The same on today's date (UTC).
CheckReport check_catalog(const Engine& engine, CheckScope scope = CheckScope::everything);

}  // namespace crampbot
