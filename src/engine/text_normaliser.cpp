#include "engine/text_normaliser.h"

#include <algorithm>
#include <array>

#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>

namespace crampbot {

std::string_view NormalisedText::token(std::size_t i) const {
  const std::size_t begin = starts[i];
  const std::size_t end = (i + 1 < starts.size() ? starts[i + 1] : text.size()) - 1;
  return std::string_view(text).substr(begin, end - begin);
}

std::string_view NormalisedText::plain() const {
  return text.empty() ? std::string_view() : std::string_view(text).substr(0, text.size() - 1);
}

NormalisedText NormalisedText::from_tokens(const std::vector<std::string>& tokens) {
  NormalisedText out;
  for (const auto& token : tokens) {
    out.starts.push_back(static_cast<std::uint32_t>(out.text.size()));
    out.text += token;
    out.text += ' ';
  }
  return out;
}

std::vector<std::string> NormalisedText::tokens() const {
  std::vector<std::string> out;
  out.reserve(size());
  for (std::size_t i = 0; i < size(); ++i)
    out.emplace_back(token(i));
  return out;
}

namespace {

bool is_apostrophe(UChar32 c) {
  return c == '\'' || c == '`' || c == 0x2018 || c == 0x2019 || c == 0x02BC || c == 0x00B4 || c == 0xFF07;
}

std::string fold_non_ascii(std::string_view text) {
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* nfkc_cf = icu::Normalizer2::getNFKCCasefoldInstance(status);
  icu::UnicodeString source =
      icu::UnicodeString::fromUTF8(icu::StringPiece(text.data(), static_cast<int32_t>(text.size())));
  icu::UnicodeString folded;
  if (U_SUCCESS(status)) {
    folded = nfkc_cf->normalize(source, status);
  }
  if (U_FAILURE(status)) folded = source.foldCase();
  icu::UnicodeString cleaned;
  UChar32 previous = 0;
  for (int32_t i = 0; i < folded.length();) {
    UChar32 c = folded.char32At(i);
    i += U16_LENGTH(c);
    // Full case folding maps capital dotted İ (U+0130) to "i" plus a combining dot above (U+0307); on a
    // soft-dotted letter (i, j) that dot adds nothing, so drop it ("MAGNESİUM" → "magnesium"). Dotless ı
    // (U+0131, from Turkish keyboards) has no case fold of its own; in English words it stands for i.
    if (c == 0x0307 && u_hasBinaryProperty(previous, UCHAR_SOFT_DOTTED)) continue;
    if (c == 0x0131) c = 'i';
    previous = c;
    if (is_apostrophe(c)) {
      cleaned.append(static_cast<UChar>('\''));
    } else if (u_isalnum(c) || (U_GET_GC_MASK(c) & U_GC_M_MASK) != 0) {
      cleaned.append(c);
    } else {
      cleaned.append(static_cast<UChar>(' '));
    }
  }
  std::string out;
  cleaned.toUTF8String(out);
  return out;
}

bool is_digits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

const std::unordered_map<std::string_view, std::string_view>& number_words() {
  static const std::unordered_map<std::string_view, std::string_view> table = {
      {"zero", "0"},     {"one", "1"},      {"two", "2"},        {"three", "3"},     {"four", "4"},
      {"five", "5"},     {"six", "6"},      {"seven", "7"},      {"eight", "8"},     {"nine", "9"},
      {"ten", "10"},     {"eleven", "11"},  {"twelve", "12"},    {"thirteen", "13"}, {"fourteen", "14"},
      {"fifteen", "15"}, {"sixteen", "16"}, {"seventeen", "17"}, {"eighteen", "18"}, {"nineteen", "19"},
      {"twenty", "20"},  {"thirty", "30"},  {"forty", "40"},     {"fifty", "50"},    {"hundred", "100"}};
  return table;
}

}  // namespace

std::string fold_text(std::string_view text) {
  const bool ascii = std::all_of(text.begin(), text.end(), [](char c) { return (c & 0x80) == 0; });
  if (!ascii) return fold_non_ascii(text);
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') {
      c = static_cast<char>(c - 'A' + 'a');
    } else if (c == '`') {
      c = '\'';
    } else if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '\'')) {
      c = ' ';
    }
  }
  return out;
}

std::string fold_plural(std::string_view word) {
  // Words that end in s but are not plurals (or whose singular would collide with another word).
  static const std::unordered_set<std::string_view> keep = {
      "this",    "his",     "has",    "was",       "does",     "is",       "its",     "yes",     "us",
      "always",  "less",    "plus",   "bus",       "gas",      "news",     "series",  "species", "diabetes",
      "perhaps", "whereas", "thus",   "sometimes", "lots",     "hers",     "ours",    "yours",   "theirs",
      "across",  "besides", "unless", "minus",     "various",  "previous", "nervous", "serious", "sinus",
      "tetanus", "status",  "versus", "famous",    "numerous", "whats",    "hows",    "whys",    "thanks",
      "glass",   "stress",  "press",  "pms",       "ms",       "ibs",      "ckd",     "dts",     "vs"};
  if (word.size() < 4 || word.back() != 's' || keep.count(word)) return std::string(word);
  const auto ends_with = [&](std::string_view suffix) {
    return word.size() > suffix.size() && word.substr(word.size() - suffix.size()) == suffix;
  };
  if (ends_with("ss") || ends_with("us") || ends_with("is") || ends_with("'s")) return std::string(word);
  if (ends_with("ies") && word.size() > 4) return std::string(word.substr(0, word.size() - 3)) + "y";
  if (ends_with("ches") || ends_with("shes") || ends_with("xes") || ends_with("sses") || ends_with("zes")) {
    return std::string(word.substr(0, word.size() - 2));
  }
  return std::string(word.substr(0, word.size() - 1));
}

TextNormaliser::TextNormaliser(const Lexicon& lexicon) {
  // Replacement keys and values are folded like input; values are tokenised without replacements (no
  // recursion) but with number words and plurals, like any other token.
  for (const auto& [from, to] : lexicon.replacements) {
    std::string key = fold_text(from);
    key.erase(std::remove(key.begin(), key.end(), ' '), key.end());
    std::vector<std::string> tokens;
    std::string folded = fold_text(to);
    std::size_t pos = 0;
    while (pos < folded.size()) {
      const std::size_t end = std::min(folded.find(' ', pos), folded.size());
      if (end > pos) tokens.push_back(folded.substr(pos, end - pos));
      pos = end + 1;
    }
    replacements_[key] = std::move(tokens);
  }
  for (const auto& phrase : lexicon.skip_words) {
    std::vector<std::string> tokens;
    for (const auto& t : tokenise(phrase))
      tokens.push_back(t);
    if (tokens.empty()) continue;
    skip_first_words_.insert(tokens.front());
    skip_phrases_.push_back(std::move(tokens));
  }
  std::stable_sort(skip_phrases_.begin(), skip_phrases_.end(),
                   [](const auto& a, const auto& b) { return a.size() > b.size(); });
}

void TextNormaliser::process_token(std::string_view raw, std::vector<std::string>& out) const {
  while (!raw.empty() && raw.front() == '\'')
    raw.remove_prefix(1);
  while (!raw.empty() && raw.back() == '\'')
    raw.remove_suffix(1);
  if (raw.empty()) return;
  std::string token(raw);
  auto replaced = replacements_.find(token);
  if (replaced == replacements_.end()) {
    if (token.size() > 2 && token.compare(token.size() - 2, 2, "'s") == 0) token.resize(token.size() - 2);
    token.erase(std::remove(token.begin(), token.end(), '\''), token.end());
    if (token.empty()) return;
    replaced = replacements_.find(token);
  }
  const auto emit = [&](std::string_view word) {
    const auto& numbers = number_words();
    if (auto n = numbers.find(word); n != numbers.end()) {
      out.emplace_back(n->second);
    } else {
      out.push_back(fold_plural(word));
    }
  };
  if (replaced != replacements_.end()) {
    for (const auto& word : replaced->second)
      emit(word);
  } else {
    emit(token);
  }
}

void TextNormaliser::remove_skip_phrases(std::vector<std::string>& tokens) const {
  // Most texts start no skip phrase anywhere: then nothing is copied.
  const bool any = std::any_of(tokens.begin(), tokens.end(),
                               [this](const std::string& t) { return skip_first_words_.count(t) > 0; });
  if (!any) return;
  std::vector<std::string> kept;
  kept.reserve(tokens.size());
  for (std::size_t i = 0; i < tokens.size();) {
    std::size_t skip = 0;
    for (const auto& phrase : skip_phrases_) {
      if (phrase.size() <= tokens.size() - i &&
          std::equal(phrase.begin(), phrase.end(), tokens.begin() + i)) {
        skip = phrase.size();
        break;
      }
    }
    if (skip > 0) {
      i += skip;
    } else {
      kept.push_back(std::move(tokens[i++]));
    }
  }
  tokens = std::move(kept);
}

std::vector<std::string> TextNormaliser::tokenise(std::string_view text) const {
  const std::string folded = fold_text(text);
  std::vector<std::string> tokens;
  std::size_t pos = 0;
  while (pos < folded.size()) {
    std::size_t end = folded.find(' ', pos);
    if (end == std::string::npos) end = folded.size();
    if (end > pos) process_token(std::string_view(folded).substr(pos, end - pos), tokens);
    pos = end + 1;
  }
  // Speech to text spells letters out after "vitamin": "vitamin bee twelve", "vitamin dee", "vitamin kay 2".
  static const std::unordered_map<std::string_view, std::string_view> spoken_letters = {
      {"be", "b"},  {"bee", "b"}, {"dee", "d"}, {"de", "d"}, {"kay", "k"},
      {"key", "k"}, {"ay", "a"},  {"sea", "c"}, {"see", "c"}};
  for (std::size_t i = 1; i < tokens.size(); ++i) {
    if (tokens[i - 1] != "vitamin" && tokens[i - 1] != "vit") continue;
    if (auto letter = spoken_letters.find(tokens[i]); letter != spoken_letters.end())
      tokens[i] = letter->second;
  }
  // Spelt-out abbreviations ("p a d", "d v t") are one word: runs of three or more single letters, not
  // starting with "a" or "i", which are words of their own ("is it a b vitamin").
  {
    const auto is_letter = [](const std::string& t) { return t.size() == 1 && t[0] >= 'a' && t[0] <= 'z'; };
    std::vector<std::string> merged;
    merged.reserve(tokens.size());
    for (std::size_t i = 0; i < tokens.size();) {
      std::size_t end = i;
      while (end < tokens.size() && is_letter(tokens[end]))
        ++end;
      if (end - i >= 3 && tokens[i] != "a" && tokens[i] != "i") {
        std::string word;
        for (std::size_t k = i; k < end; ++k)
          word += tokens[k];
        merged.push_back(std::move(word));
        i = end;
      } else {
        merged.push_back(std::move(tokens[i++]));
      }
    }
    tokens = std::move(merged);
  }
  // "b 12", "vitamin b twelve", "k 2" → one token, so lists need only "b12", "k2".
  std::vector<std::string> joined;
  joined.reserve(tokens.size());
  for (std::size_t i = 0; i < tokens.size(); ++i) {
    const auto& t = tokens[i];
    if ((t == "b" || t == "d" || t == "k") && i + 1 < tokens.size() && is_digits(tokens[i + 1])) {
      joined.push_back(t + tokens[i + 1]);
      ++i;
    } else {
      joined.push_back(std::move(tokens[i]));
    }
  }
  remove_skip_phrases(joined);
  return joined;
}

NormalisedText TextNormaliser::normalise(std::string_view text) const {
  return NormalisedText::from_tokens(tokenise(text));
}

std::vector<std::string> split_words(std::string_view text) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start < text.size()) {
    const std::size_t end = std::min(text.find(' ', start), text.size());
    if (end > start) out.emplace_back(text.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

}  // namespace crampbot
