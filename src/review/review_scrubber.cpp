#include "review/review_scrubber.h"

#include <cstdint>

#include <re2/re2.h>
#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/utf8.h>

namespace crampbot::review {

namespace {

// One pattern for the three kinds of identifier, so the text is scanned once. Case-insensitive; RE2 runs in
// time linear in the text, so hostile input cannot make it slow.
//   e-mail: local@domain.tld
//   URL:    scheme://…, www.…, or host.tld[/path] for common top-level domains
//   phone:  an optional +, then seven or more digits with separators between them
const RE2& identifier_pattern() {
  static const RE2 pattern(
      R"((?i)()"
      R"([^\s@<>"]+@[a-z0-9\-]+(?:\.[a-z0-9\-]+)*\.[a-z]{2,})"
      R"(|(?:[a-z][a-z0-9+.\-]*://|www\.)[^\s<>"]+)"
      R"(|\b(?:[a-z0-9](?:[a-z0-9\-]*[a-z0-9])?\.)+)"
      R"((?:com|org|net|edu|gov|info|biz|io|co|uk|us|au|nz|ca|ie|in|de|fr|es|it|nl|eu|me|ly|app|health))"
      R"(\b(?:/[^\s<>"]*)?)"
      R"(|\+?\(?\d(?:[\s().\-/]{0,3}\d){6,})"
      R"())");
  return pattern;
}

}  // namespace

std::string remove_identifiers(std::string_view text) {
  const RE2& pattern = identifier_pattern();
  if (!pattern.ok()) return std::string(text);  // cannot happen: the pattern is fixed and tested
  std::string out(text);
  // GlobalReplace replaces every non-overlapping match left to right.
  RE2::GlobalReplace(&out, pattern, " ");
  return out;
}

std::string mask_digits(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  const auto* bytes = reinterpret_cast<const std::uint8_t*>(text.data());
  const auto length = static_cast<std::int32_t>(text.size());
  for (std::int32_t i = 0; i < length;) {
    const std::int32_t start = i;
    UChar32 c = 0;
    U8_NEXT(bytes, i, length, c);
    // Any script's decimal digits (NFKC already made full-width ones ASCII; Arabic-Indic stay as they are).
    if (c >= 0 && u_isdigit(c)) {
      out += '#';
    } else {
      out.append(text.substr(static_cast<std::size_t>(start), static_cast<std::size_t>(i - start)));
    }
  }
  return out;
}

// `text` in NFKC, so full-width or compatibility forms of "@", "." and digits
// ("ｊｏｈｎ＠ｅｘａｍｐｌｅ．ｃｏｍ") are the ASCII ones the identifier pattern looks for; the text as it
// was when ICU cannot normalise it.
std::string compatibility_folded(std::string_view text) {
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* nfkc = icu::Normalizer2::getNFKCInstance(status);
  if (U_FAILURE(status) || !nfkc) return std::string(text);
  const icu::UnicodeString folded = nfkc->normalize(
      icu::UnicodeString::fromUTF8(icu::StringPiece(text.data(), static_cast<int32_t>(text.size()))), status);
  if (U_FAILURE(status)) return std::string(text);
  std::string out;
  folded.toUTF8String(out);
  return out;
}

std::string review_phrase(const TextNormaliser& normaliser, std::string_view raw_text) {
  const NormalisedText normalised = normaliser.normalise(remove_identifiers(compatibility_folded(raw_text)));
  if (normalised.empty() || normalised.size() > kMaxPhraseWords) return {};
  return mask_digits(normalised.plain());
}

}  // namespace crampbot::review
