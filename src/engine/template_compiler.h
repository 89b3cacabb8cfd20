#pragma once

#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "engine/catalog_error.h"
#include "engine/lexicon.h"
#include "engine/text_normaliser.h"

namespace crampbot {

// A template that cannot be compiled; the message says where in the template and why.
class TemplateError : public CatalogError {
 public:
  using CatalogError::CatalogError;
};

// What one capturing group of a compiled pattern holds.
struct CaptureGroup {
  enum class Kind { wildcard, slot };
  Kind kind = Kind::wildcard;
  std::string slot;  // slot name, for Kind::slot
  std::string list;  // list name, for Kind::slot
};

// A sentence template compiled to an RE2 pattern over NormalisedText::text (tokens each followed by one
// space). Capturing groups are exactly the wildcards and slots, in order.
struct CompiledTemplate {
  std::string source;
  std::string pattern;
  std::vector<CaptureGroup> groups;
  std::vector<std::string> words;  // every literal token it can match, for the spelling corrector
};

// Compiles the template language: words, (a|b), [optional], {slot}, <rule>, * (any words).
// Immutable after construction; rules are parsed once and shared.
class TemplateCompiler {
 public:
  // Throws TemplateError if a lexicon rule does not parse.
  TemplateCompiler(const Lexicon& lexicon, const TextNormaliser& normaliser);
  ~TemplateCompiler();
  TemplateCompiler(const TemplateCompiler&) = delete;
  TemplateCompiler& operator=(const TemplateCompiler&) = delete;

  // Compiles `source`. `slots` maps the slot names this template may use to lexicon list names. With `spot`,
  // the template may match anywhere in the utterance. Throws TemplateError on a syntax error, an unknown
  // slot or rule, a rule cycle, an empty template or a pattern over the size limit.
  CompiledTemplate compile(std::string_view source, const std::map<std::string, std::string>& slots,
                           bool spot) const;

  // Normalised phrases of a list, longest first, each mapped to its canonical value.
  const std::vector<std::pair<std::string, std::string>>& list_phrases(const std::string& list) const;

  struct Node;

 private:
  const Lexicon& lexicon_;
  const TextNormaliser& normaliser_;
  std::map<std::string, std::unique_ptr<Node>> rules_;
  std::map<std::string, std::vector<std::pair<std::string, std::string>>> lists_;
};

// Limits that keep hostile or runaway templates bounded.
inline constexpr std::size_t kMaxTemplateNesting = 32;
inline constexpr std::size_t kMaxPatternBytes = 64 * 1024;

}  // namespace crampbot
