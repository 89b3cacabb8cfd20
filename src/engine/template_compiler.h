#pragma once

#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <re2/re2.h>

#include "engine/lexicon.h"
#include "engine/template_language.h"
#include "engine/text_normaliser.h"
#include "engine/vocabulary.h"

namespace crampbot {

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

// One phrase of a slot list: as normalised text, as encoded tokens, and the canonical value it means.
struct ListPhrase {
  std::string text;
  std::string encoded;
  std::string canonical;
};

// Compiles the template language: words, (a|b), [optional], {slot}, <rule>, * (any words).
// The lexicon's rules are parsed and checked once (TemplateRules); every word compiled is added to
// `vocabulary`.
class TemplateCompiler {
 public:
  // Throws TemplateError if the lexicon's rules are broken (TemplateRules) or a list phrase is empty or means
  // two values.
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
  TemplateRules rules_;
  std::map<std::string, std::vector<ListPhrase>> lists_;
  // Word runs as normalised tokens: rules are emitted again in every template that uses them, and
  // normalising their words again was a tenth of the catalog load.
  mutable std::unordered_map<std::string, std::vector<std::string>> tokenised_;
};

// A compiled pattern larger than this is refused (a hostile or runaway template).
inline constexpr std::size_t kMaxPatternBytes = 64 * 1024;

}  // namespace crampbot
