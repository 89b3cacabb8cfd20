#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace crampbot::cli {

// `text` with its lines wrapped at word boundaries so that none is wider than `width` characters (UTF-8 code
// points): the text's own line breaks are kept, a space where a line is broken is dropped, and a word wider
// than `width` (a URL) gets a line of its own rather than being cut. A width of 0 leaves the text as it is.
std::string wrap_words(std::string_view text, std::size_t width);

// `prefix` then each item after two spaces, on lines no wider than `width` where it can: an item is never
// broken, and a continuation line is indented as wide as `prefix`. A width of 0 puts them all on one line.
std::string wrap_items(std::string_view prefix, const std::vector<std::string>& items, std::size_t width);

// The width to wrap the REPL's replies to: the terminal's when standard output is one, else $COLUMNS when it
// holds a number, else 0 (no wrapping: a script reading the output gets the text as it is).
std::size_t output_width();

}  // namespace crampbot::cli
