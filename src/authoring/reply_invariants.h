#pragma once

#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "authoring/observed_turn.h"
#include "engine/response_catalog.h"

namespace crampbot::authoring {

// Every caveat a catalog can put under a reply, as shown and as spoken.
class CaveatSet {
 public:
  explicit CaveatSet(const ResponseCatalog& responses);

  // Whether `text` ends with a caveat after a blank line, as the engine writes it.
  bool shown_at_end(std::string_view text) const;
  // Whether spoken words (spoken_words of the SSML, or a platform's spoken text collapsed) end with a caveat.
  bool spoken_at_end(std::string_view words) const;

  const std::set<std::string>& shown() const { return shown_; }

 private:
  std::set<std::string> shown_;
  std::set<std::string> spoken_;
};

// What every answered turn must hold whatever a test file says: a caveat ends what is shown and what is
// spoken, SSML is one well-formed <speak> whose words stay within kMaxVoiceChars, and the platform's own
// limits hold. Returns one line per broken invariant; empty when all hold. A refused turn has none.
std::vector<std::string> broken_invariants(const ObservedTurn& turn, const CaveatSet& caveats);

}  // namespace crampbot::authoring
