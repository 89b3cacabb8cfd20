// What "sentence-like" means for an exported sample utterance, and the evidence it rests on.
//
// Alexa and Dialogflow learn our intents from sample utterances, and tools such as virtual-alexa match
// speech against them, so every sample should read as something a person would say. The templates are
// written for matching (wildcards, every synonym, singular forms), so most of their mechanical expansions
// are fragments. A sample is therefore either
//  - one of the catalog's examples (people wrote it; see sample_selection.h), or
//  - a template sentence (TemplateExpander::sentences()) that is sentence-like, which means all of:
//    1. it reads its template as a whole utterance: no wildcard between two of its words, the template's
//       own optional parts present next to a dropped edge wildcard, each rule at its first alternative;
//    2. it has at least kMinWordsAlone words when its template describes part of a longer utterance (an
//       edge wildcard, or a spot template): anything shorter is a keyword, not a sentence;
//    3. every seam joins words that people say side by side. A seam is a place where two separately chosen
//       parts of the template meet, and the sentence's start or end unless the template itself starts or
//       ends there with its own fixed words (TemplateSentence::open_start); words inside one literal run,
//       and such a start or end, are the author's and are not judged. "Side by side" means the pair occurs in
//       one of the catalog's human-written utterances (the examples and negatives of every intent), read the
//       way a platform hears them: spelled for speech, contractions expanded ("what's" is "what is"), a
//       phrase of a slot list as that slot. This is what rules out "boost my that levels", "where do i get
//       more it", "it food", "them diet", "is there any {nutrient} in" and sentences no one starts or ends
//       that way;
//    4. every seam inside it (not its start or end) is also backed by an attested triple: the pair with the
//       word before it or with the word after it occurs in such an utterance. Pairs are common enough to
//       join wrongly ("how are you | able to do"); a triple ties the seam to its context;
//    5. no word but a filler word (the lexicon's "filler_words": "a", "my", "it", ...) comes from two
//       different parts: two independent choices that name the same thing ("a leg cramp in my leg") make a
//       redundant sentence. A word the author repeated inside one literal run is the author's.
// The evidence grows with the catalog: writing more examples the way people talk makes more template
// sentences sentence-like. Among the sentence-like sentences of one template, sample_selection prefers the
// commoner choices (TemplateSentence::rarity), then those whose seams are backed by triples on both sides,
// and keeps only those our matcher gives the intent (consistency, not grammar).
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <unordered_set>
#include <utility>
#include <vector>

#include "engine/intent_catalog.h"
#include "engine/template_expander.h"

namespace crampbot::exporting {

// Rule 2: the fewest words a template sentence needs when its template describes part of an utterance.
inline constexpr std::size_t kMinWordsAlone = 3;

// The judgement on one template sentence.
struct SentenceVerdict {
  bool sentence_like = false;
  std::string why;               // when not: which rule failed, naming the words
  std::size_t seams = 0;         // seams judged
  std::size_t fully_backed = 0;  // seams backed by an attested triple on each side that has a word

  // The share of seams fully backed (1 with none to judge), for ranking.
  double backing() const {
    return seams == 0 ? 1.0 : static_cast<double>(fully_backed) / static_cast<double>(seams);
  }
};

// The word pairs and triples of the catalog's human-written utterances, and the judge of rules 2 to 5.
// Immutable after construction.
class SentenceJudge {
 public:
  explicit SentenceJudge(const IntentCatalog& catalog);

  // The words a platform hears for `text`: spelled for speech, contractions expanded, each phrase of a slot
  // list (the longest first, plurals folded) as "{list}".
  std::vector<std::string> spoken_words(std::string_view text) const;
  // The same for one part of a sentence; a slot part is "{list}" for its list in `slots` (slot → list).
  std::vector<std::string> spoken_words(const ExpandedSentence::Part& part,
                                        const std::map<std::string, std::string>& slots) const;

  // Rule 3 at one seam, as a JoinFilter asks it (nullptr: the sentence's start or end).
  bool may_join(const ExpandedSentence::Part* last, const ExpandedSentence::Part* next,
                const std::map<std::string, std::string>& slots) const;

  // Rules 2 to 5 on a finished sentence (rule 1 is how TemplateExpander::sentences() reads templates).
  SentenceVerdict judge(const TemplateSentence& sentence,
                        const std::map<std::string, std::string>& slots) const;

  // Whether the words occur side by side in a human-written utterance; kEdge stands for its start or end.
  bool attested(std::string_view first, std::string_view second) const;
  bool attested(std::string_view first, std::string_view second, std::string_view third) const;
  static constexpr std::string_view kEdge = "^";

 private:
  LanguageRules rules_;  // the catalog language's (a copy: the judge may outlive the catalog)
  std::vector<std::string> expand_contractions(const std::vector<std::string>& words) const;

  std::unordered_set<std::string> fillers_;                                     // spelled for speech
  std::map<std::string, std::vector<std::string>> contractions_;                // "what's" → "what", "is"
  std::vector<std::pair<std::vector<std::string>, std::string>> slot_phrases_;  // longest first
  std::unordered_set<std::string> ngrams_;  // pairs and triples, words joined by single spaces
};

}  // namespace crampbot::exporting
