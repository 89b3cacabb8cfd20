#include "authoring/reply_invariants.h"

#include <algorithm>

#include "channels/alexa/text_shortening.h"
#include "engine/ssml.h"

namespace crampbot::authoring {

CaveatSet::CaveatSet(const ResponseCatalog& responses) {
  shown_ = {responses.disclaimer(), responses.default_caveat()};
  for (const auto& [intent, replies] : responses.all()) {
    if (!replies.caveat.empty()) shown_.insert(replies.caveat);
    for (const auto& [key, variants] : replies.replies) {
      for (const auto& variant : variants)
        if (!variant.caveat.empty()) shown_.insert(variant.caveat);
    }
  }
  shown_.erase(std::string());
  for (const auto& caveat : shown_)
    spoken_.insert(collapse_spaces(caveat));
  spoken_.insert(collapse_spaces(responses.spoken_disclaimer()));
}

bool CaveatSet::shown_at_end(std::string_view text) const {
  return std::any_of(shown_.begin(), shown_.end(),
                     [&](const std::string& caveat) { return text.ends_with("\n\n" + caveat); });
}

bool CaveatSet::spoken_at_end(std::string_view words) const {
  return std::any_of(spoken_.begin(), spoken_.end(),
                     [&](const std::string& caveat) { return words.ends_with(caveat); });
}

std::vector<std::string> broken_invariants(const ObservedTurn& turn, const CaveatSet& caveats) {
  if (turn.refused) return {};
  std::vector<std::string> broken = turn.platform_problems;
  if (!caveats.shown_at_end(turn.shown)) broken.push_back("what is shown does not end with a caveat");
  if (turn.ssml && !is_well_formed_ssml(*turn.ssml)) broken.push_back("the SSML is not well-formed");
  if (turn.spoken) {
    if (!caveats.spoken_at_end(*turn.spoken)) broken.push_back("what is spoken does not end with a caveat");
    const std::size_t characters = alexa::count_characters(*turn.spoken);
    if (turn.ssml && characters > kMaxVoiceChars) {
      broken.push_back("speaks " + std::to_string(characters) + " characters, over the voice limit of " +
                       std::to_string(kMaxVoiceChars));
    }
  }
  return broken;
}

}  // namespace crampbot::authoring
