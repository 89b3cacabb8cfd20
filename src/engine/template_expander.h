#pragma once

#include <cstdint>
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

// Turns templates into sample sentences for platforms that learn from examples (Alexa, Dialogflow), so the
// templates stay the single source of truth. Immutable after construction.
class TemplateExpander {
 public:
  // Parses the lexicon's rules. Throws TemplateError naming the rule if one does not parse.
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

  // How many sentences the full product of `source`'s choices would give, saturating at UINT64_MAX (each
  // slot counts once). Throws TemplateError like expand().
  std::uint64_t product_size(std::string_view source) const;

 private:
  std::map<std::string, std::unique_ptr<TemplateNode>> rules_;
};

}  // namespace crampbot
