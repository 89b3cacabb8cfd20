#pragma once

#include <string>
#include <string_view>

#include "engine/text_normaliser.h"

namespace crampbot::review {

// The most words a phrase kept for review may have. Longer messages are stories: they almost never recur
// word for word in enough conversations to be shown, and they carry the most personal detail, so they are
// not kept at all.
inline constexpr std::size_t kMaxPhraseWords = 24;

// `text` with every e-mail address, URL (with a scheme, starting "www.", or a host name under a common
// top-level domain) and phone number (seven or more digits with only spaces, dots, dashes, slashes or
// brackets between them, and an optional leading +) replaced by a space. Works on the raw text, where the
// punctuation that marks them is still there (normalising turns "@" and "." into spaces). Never throws.
std::string remove_identifiers(std::string_view text);

// `text` with every decimal digit (of any script) replaced by '#'; other bytes kept as they are.
std::string mask_digits(std::string_view text);

// The phrase a misunderstood utterance is kept as: identifiers removed from the raw text, then the engine's
// own normalisation (case, punctuation, number words as digits, plurals, skip words), then digits masked.
// "" when nothing is left or the phrase has more than kMaxPhraseWords words. Never throws.
std::string review_phrase(const TextNormaliser& normaliser, std::string_view raw_text);

}  // namespace crampbot::review
