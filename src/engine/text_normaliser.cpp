#include "engine/text_normaliser.h"

#include <algorithm>
#include <array>

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

bool is_digits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

}  // namespace

std::string fold_text(std::string_view text) {
  static const LanguageRules no_rules;
  return no_rules.fold(text);
}

TextNormaliser::TextNormaliser(const Lexicon& lexicon) : rules_(lexicon.language) {
  // Replacement keys and values are folded like input; values are tokenised without replacements (no
  // recursion) but with number words and plurals, like any other token.
  for (const auto& [from, to] : lexicon.replacements) {
    std::string key = rules_.fold(from);
    key.erase(std::remove(key.begin(), key.end(), ' '), key.end());
    std::vector<std::string> tokens;
    std::string folded = rules_.fold(to);
    std::size_t pos = 0;
    while (pos < folded.size()) {
      const std::size_t end = std::min(folded.find(' ', pos), folded.size());
      if (end > pos) tokens.push_back(folded.substr(pos, end - pos));
      pos = end + 1;
    }
    replacements_[key] = std::move(tokens);
  }
  for (const auto& phrase : lexicon.skip_words) {
    // Without skipping: a phrase that contains a shorter one ("tengo una pregunta", "una pregunta") keeps
    // all its words, whatever the order of the list.
    std::vector<std::string> tokens = words_of(phrase);
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
    for (const auto& ending : rules_.strip_endings) {
      if (token.size() > ending.size() &&
          token.compare(token.size() - ending.size(), ending.size(), ending) == 0) {
        token.resize(token.size() - ending.size());
        break;
      }
    }
    token.erase(std::remove(token.begin(), token.end(), '\''), token.end());
    if (token.empty()) return;
    replaced = replacements_.find(token);
  }
  const auto emit = [&](std::string_view word) {
    if (auto n = rules_.number_words.find(word); n != rules_.number_words.end()) {
      out.push_back(n->second);
    } else {
      out.push_back(rules_.fold_plural(word));
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
  std::vector<std::string> tokens = words_of(text);
  remove_skip_phrases(tokens);
  return tokens;
}

std::vector<std::string> TextNormaliser::words_of(std::string_view text) const {
  const std::string folded = rules_.fold(text);
  std::vector<std::string> tokens;
  std::size_t pos = 0;
  while (pos < folded.size()) {
    std::size_t end = folded.find(' ', pos);
    if (end == std::string::npos) end = folded.size();
    if (end > pos) process_token(std::string_view(folded).substr(pos, end - pos), tokens);
    pos = end + 1;
  }
  // Speech to text spells letters out after "vitamin": "vitamin bee twelve", "vitamin dee", "vitamin kay 2".
  for (std::size_t i = 1; i < tokens.size(); ++i) {
    if (!rules_.letter_name_after.count(tokens[i - 1])) continue;
    if (auto letter = rules_.letter_names.find(tokens[i]); letter != rules_.letter_names.end())
      tokens[i] = letter->second;
  }
  // Spelt-out abbreviations ("p a d", "d v t") are one word: runs of three or more single letters, not
  // starting with a letter that is a word of its own ("is it a b vitamin").
  {
    const auto is_letter = [](const std::string& t) { return t.size() == 1 && t[0] >= 'a' && t[0] <= 'z'; };
    std::vector<std::string> merged;
    merged.reserve(tokens.size());
    for (std::size_t i = 0; i < tokens.size();) {
      std::size_t end = i;
      while (end < tokens.size() && is_letter(tokens[end]))
        ++end;
      if (end - i >= 3 && !rules_.letter_words.count(tokens[i])) {
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
    if (rules_.number_letters.count(t) && i + 1 < tokens.size() && is_digits(tokens[i + 1])) {
      joined.push_back(t + tokens[i + 1]);
      ++i;
    } else {
      joined.push_back(std::move(tokens[i]));
    }
  }
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
