#pragma once

#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <re2/re2.h>

#include "engine/catalog_error.h"
#include "engine/lexicon.h"
#include "engine/text_normaliser.h"
#include "engine/vocabulary.h"

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

// A sentence template compiled to an RE2 pattern over Vocabulary::encode()d text (one code point per
// token). Capturing groups are exactly the wildcards and slots, in order.
// The RE2 options a CompiledTemplate's pattern means what it says with: bytes (Latin-1), not UTF-8, since
// patterns spell token codes out byte by byte. Callers may add a memory budget.
re2::RE2::Options template_pattern_options();

struct CompiledTemplate {
  std::string source;
  std::string pattern;
  std::vector<CaptureGroup> groups;
  std::vector<std::string> words;  // every literal token it can match, for the spelling corrector
};

// A parsed template (or rule body): the syntax tree that TemplateCompiler turns into a pattern and
// TemplateExpander into sentences.
struct TemplateNode {
  enum class Type { sequence, alternatives, optional, words, slot, rule, wildcard };
  Type type = Type::sequence;
  std::string text;  // words, slot name or rule name
  std::vector<TemplateNode> children;
};

// Parses the template language. Throws TemplateError naming the column on a syntax error or nesting deeper
// than kMaxTemplateNesting. Names of slots and rules are not resolved here.
TemplateNode parse_template(std::string_view source);

// One phrase of a slot list: as normalised text, as encoded tokens, and the canonical value it means.
struct ListPhrase {
  std::string text;
  std::string encoded;
  std::string canonical;
};

// Compiles the template language: words, (a|b), [optional], {slot}, <rule>, * (any words).
// Rules are parsed once and shared; every word compiled is added to `vocabulary`.
class TemplateCompiler {
 public:
  // Throws TemplateError if a lexicon rule does not parse or a list phrase is empty or means two values.
  TemplateCompiler(const Lexicon& lexicon, const TextNormaliser& normaliser, Vocabulary& vocabulary);
  ~TemplateCompiler();
  TemplateCompiler(const TemplateCompiler&) = delete;
  TemplateCompiler& operator=(const TemplateCompiler&) = delete;

  // Compiles `source`. `slots` maps the slot names this template may use to lexicon list names. With `spot`,
  // the template may match anywhere in the utterance. Throws TemplateError on a syntax error, an unknown
  // slot or rule, a rule cycle, an empty template or a pattern over the size limit. Not thread-safe: it
  // grows the vocabulary and a cache of normalised words.
  CompiledTemplate compile(std::string_view source, const std::map<std::string, std::string>& slots,
                           bool spot) const;

  // Frees what compile() cached, once no more templates will be compiled.
  void clear_word_cache() { tokenised_.clear(); }

  // The phrases of a list, most tokens first, each mapped to its canonical value.
  const std::vector<ListPhrase>& list_phrases(const std::string& list) const;

  using Node = TemplateNode;

 private:
  const TextNormaliser& normaliser_;
  Vocabulary& vocabulary_;
  std::map<std::string, std::unique_ptr<Node>> rules_;
  std::map<std::string, std::vector<ListPhrase>> lists_;
  // Word runs as normalised tokens: rules are emitted again in every template that uses them, and
  // normalising their words again was a tenth of the catalog load.
  mutable std::unordered_map<std::string, std::vector<std::string>> tokenised_;
};

// Limits that keep hostile or runaway templates bounded.
inline constexpr std::size_t kMaxTemplateNesting = 32;
inline constexpr std::size_t kMaxPatternBytes = 64 * 1024;

}  // namespace crampbot
