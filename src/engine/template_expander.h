#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "engine/lexicon.h"
#include "engine/template_compiler.h"

namespace crampbot {

// One concrete sentence made from a template: words as written, and placeholders for slots.
struct ExpandedSentence {
  struct Part {
    std::string text;   // words (as written in the template), or the slot name
    bool slot = false;  // true: a placeholder for the slot named `text`

    bool operator==(const Part&) const = default;
  };
  std::vector<Part> parts;

  // The sentence with each slot as a placeholder: "what foods have {nutrient}".
  std::string text() const;
  // The sentence with each slot replaced by `values`.at(slot name).
  std::string fill(const std::map<std::string, std::string>& values) const;
  // The slot names it uses, in order of appearance (a name may repeat).
  std::vector<std::string> slots() const;

  bool operator==(const ExpandedSentence&) const = default;
};

// One reading of a template as a whole utterance on its own (TemplateExpander::sentences()).
struct TemplateSentence {
  ExpandedSentence sentence;
  // How far it strays from the choices written first: the sum, over the template's own alternatives, of the
  // position of the one taken (0 for the first). Authors write the plain, common choice first.
  std::size_t rarity = 0;
  // A wildcard dropped out at its start or end, or the template is `spot`: the template describes part of a
  // longer utterance, and this sentence is that part alone.
  bool inside_longer = false;
  // Its first part was chosen (an alternative, an optional part, a rule) or came after something left out
  // (a wildcard, an optional part), so its start is a seam like any other; likewise its end. Where the
  // template itself starts or ends with its own fixed words, that start or end is the author's.
  bool open_start = false;
  bool open_end = false;

  bool operator==(const TemplateSentence&) const = default;
};

// Where TemplateExpander::sentences() stops; it stops at whichever comes first, the same way on every call.
struct SentenceLimits {
  std::size_t max_sentences = 2000;
  std::size_t max_steps = 500000;  // template nodes visited
};

// Whether part `next` may follow part `last` in a sentence being built: asked where two parts meet, and with
// nullptr for `last` when `next` would start the sentence, or nullptr for `next` when the sentence would end
// after `last`, if that start or end is open (TemplateSentence::open_start, open_end).
using JoinFilter =
    std::function<bool(const ExpandedSentence::Part* last, const ExpandedSentence::Part* next)>;

// Turns templates into sample sentences for platforms that learn from examples (Alexa, Dialogflow), so the
// templates stay the single source of truth. Immutable after construction.
class TemplateExpander {
 public:
  // Parses and checks the lexicon's rules (TemplateRules). Throws TemplateError naming the rule.
  explicit TemplateExpander(const Lexicon& lexicon);
  ~TemplateExpander();
  TemplateExpander(const TemplateExpander&) = delete;
  TemplateExpander& operator=(const TemplateExpander&) = delete;

  // At most `max_sentences` distinct sentences for `source`, the same on every call. Each sentence takes, at
  // every alternative and optional part, the choice that covers the most not-yet-used choices, so every
  // alternative (and both the presence and absence of every optional part) appears in some sentence as
  // soon as `max_sentences` allows; it stops once all are covered. Wildcards drop out, rules expand inline,
  // a slot declared in `slots` (slot → list) becomes a placeholder. Throws TemplateError on a syntax error,
  // an unknown rule, a rule cycle, an undeclared slot or a template that yields no words.
  std::vector<ExpandedSentence> expand(std::string_view source,
                                       const std::map<std::string, std::string>& slots,
                                       std::size_t max_sentences) const;

  // The readings of `source` as a whole utterance, in the order written (each alternative in turn, an
  // optional part present before absent), distinct, up to `limits`. Unlike expand(), it reads the template
  // as a sentence rather than covering it:
  // - a wildcard drops out, but never from between two words: a reading that would need it there is left
  //   out, since the words the template leaves unsaid are missing from it ("* what * food *");
  // - an optional part of the template's own between a dropped edge wildcard and the words is taken
  //   present: the template leaves it out only because the wildcard may stand in for it, so "* [how] do i
  //   ..." alone needs its "how". One that itself starts with a wildcard ("[* now]") is exempt;
  // - a rule gives the first alternative of each of its choices, with its optional parts both ways: rules are
  //   shared matching vocabularies that list the plain word first, then synonyms, slang, misspellings and
  //   other word classes ("food|eat|diet"), which read badly in most places;
  // - `join` is asked at every seam as the sentence grows (see JoinFilter), so a refused pair prunes every
  //   sentence that would contain it.
  // With `spot` (the template matches anywhere) it reads as if between two wildcards, both ends open. Throws
  // TemplateError like expand().
  std::vector<TemplateSentence> sentences(std::string_view source,
                                          const std::map<std::string, std::string>& slots, bool spot,
                                          const SentenceLimits& limits, const JoinFilter& join) const;

  // How many sentences the full product of `source`'s choices would give, saturating at UINT64_MAX (each
  // slot counts once). Throws TemplateError like expand().
  std::uint64_t product_size(std::string_view source) const;

 private:
  TemplateRules rules_;
};

}  // namespace crampbot
