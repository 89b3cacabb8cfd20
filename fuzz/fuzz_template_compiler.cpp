// Any text as a sentence template. The compiler either throws TemplateError (a clear message for the
// catalog's author) or returns a pattern that RE2 accepts with the options the matcher uses: a template
// must never turn into a broken regular expression, a crash or another exception.
#include <re2/re2.h>

#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <string>

#include "engine/lexicon.h"
#include "engine/template_compiler.h"
#include "engine/text_normaliser.h"
#include "engine/vocabulary.h"
#include "fuzz_support.h"

using namespace crampbot;

namespace {

Lexicon fuzz_lexicon() {
  Lexicon lexicon;
  lexicon.lists["nutrient"] = {{"magnesium", {"magnesium", "mag"}}, {"vitamin_b12", {"vitamin b12", "b12"}}};
  lexicon.lists["body"] = {{"leg", {"leg", "legs"}}, {"calf", {"calf", "calves"}}};
  lexicon.rules = {{"cramp", "(cramp|spasm|charley horse)"}, {"cramps", "[leg|calf] <cramp>"}};
  lexicon.skip_words = {"please", "um"};
  lexicon.replacements = {{"what's", "what is"}};
  return lexicon;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const Lexicon lexicon = fuzz_lexicon();
  static const TextNormaliser normaliser{lexicon};
  // A fresh vocabulary each time: the compiler grows it, and a run must not depend on earlier inputs.
  Vocabulary vocabulary;
  const TemplateCompiler compiler(lexicon, normaliser, vocabulary);
  const std::map<std::string, std::string> slots = {{"nutrient", "nutrient"}, {"part", "body"}};
  const std::string_view source = fuzz::as_text(data, size);

  try {
    (void)parse_template(source);
  } catch (const TemplateError&) {
  }
  for (const bool spot : {false, true}) {
    try {
      const CompiledTemplate compiled = compiler.compile(source, slots, spot);
      re2::RE2::Options options = template_pattern_options();
      options.set_max_mem(1 << 20);
      const re2::RE2 pattern(compiled.pattern, options);
      fuzz::require(pattern.ok() || pattern.error_code() == re2::RE2::ErrorPatternTooLarge,
                    "a compiled template is a valid RE2 pattern");
      if (pattern.ok())
        fuzz::require(static_cast<std::size_t>(pattern.NumberOfCapturingGroups()) == compiled.groups.size(),
                      "one capturing group per wildcard and slot");
    } catch (const TemplateError&) {
    }
  }
  return 0;
}
