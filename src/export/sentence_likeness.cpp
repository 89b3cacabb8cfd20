#include "export/sentence_likeness.h"

#include <algorithm>

#include "engine/text_normaliser.h"
#include "export/speech_text.h"

namespace crampbot::exporting {

namespace {

std::string joined(std::initializer_list<std::string_view> words) {
  std::string out;
  for (const auto word : words) {
    if (!out.empty()) out += ' ';
    out += word;
  }
  return out;
}

}  // namespace

SentenceJudge::SentenceJudge(const IntentCatalog& catalog) : rules_(catalog.lexicon.language) {
  // Only the contractions: the other replacements are typed shorthand ("u", "pls") and misspellings, which
  // say nothing about how people speak.
  for (const auto& [from, to] : catalog.lexicon.replacements) {
    if (from.find('\'') == std::string::npos) continue;
    contractions_[spell_for_speech(from, rules_)] = split_words(spell_for_speech(to, rules_));
  }
  for (const auto& filler : catalog.lexicon.filler_words) {
    for (auto& word : expand_contractions(split_words(spell_for_speech(filler, rules_))))
      fillers_.insert(std::move(word));
  }
  for (const auto& [list, values] : catalog.lexicon.lists) {
    for (const auto& value : values) {
      for (const auto& phrase : value.phrases) {
        std::vector<std::string> words = expand_contractions(split_words(spell_for_speech(phrase, rules_)));
        for (auto& word : words)
          word = rules_.fold_plural(word);
        if (!words.empty()) slot_phrases_.emplace_back(std::move(words), "{" + list + "}");
      }
    }
  }
  std::stable_sort(slot_phrases_.begin(), slot_phrases_.end(),
                   [](const auto& a, const auto& b) { return a.first.size() > b.first.size(); });

  const auto learn = [this](std::string_view utterance) {
    std::vector<std::string> words = {std::string(kEdge)};
    for (auto& word : spoken_words(utterance))
      words.push_back(std::move(word));
    words.emplace_back(kEdge);
    for (std::size_t i = 0; i + 1 < words.size(); ++i) {
      ngrams_.insert(joined({words[i], words[i + 1]}));
      if (i + 2 < words.size()) ngrams_.insert(joined({words[i], words[i + 1], words[i + 2]}));
    }
  };
  for (const auto& intent : catalog.intents) {
    for (const auto& example : intent.examples)
      learn(example.text);
    for (const auto& negative : intent.negatives)
      learn(negative);
  }
}

std::vector<std::string> SentenceJudge::expand_contractions(const std::vector<std::string>& words) const {
  std::vector<std::string> out;
  for (const auto& word : words) {
    const auto contraction = contractions_.find(word);
    if (contraction == contractions_.end()) {
      out.push_back(word);
    } else {
      out.insert(out.end(), contraction->second.begin(), contraction->second.end());
    }
  }
  return out;
}

std::vector<std::string> SentenceJudge::spoken_words(std::string_view text) const {
  const std::vector<std::string> words = expand_contractions(split_words(spell_for_speech(text, rules_)));
  std::vector<std::string> folded;
  folded.reserve(words.size());
  for (const auto& word : words)
    folded.push_back(rules_.fold_plural(word));
  std::vector<std::string> out;
  for (std::size_t i = 0; i < words.size();) {
    const auto phrase = std::find_if(slot_phrases_.begin(), slot_phrases_.end(), [&](const auto& candidate) {
      const auto& phrase_words = candidate.first;
      return i + phrase_words.size() <= folded.size() &&
             std::equal(phrase_words.begin(), phrase_words.end(), folded.begin() + static_cast<long>(i));
    });
    if (phrase == slot_phrases_.end()) {
      out.push_back(words[i]);
      ++i;
    } else {
      out.push_back(phrase->second);
      i += phrase->first.size();
    }
  }
  return out;
}

std::vector<std::string> SentenceJudge::spoken_words(const ExpandedSentence::Part& part,
                                                     const std::map<std::string, std::string>& slots) const {
  if (!part.slot) return spoken_words(part.text);
  const auto list = slots.find(part.text);
  return {"{" + (list == slots.end() ? part.text : list->second) + "}"};
}

bool SentenceJudge::may_join(const ExpandedSentence::Part* last, const ExpandedSentence::Part* next,
                             const std::map<std::string, std::string>& slots) const {
  std::string left(kEdge);
  std::string right(kEdge);
  if (last) {
    const auto words = spoken_words(*last, slots);
    if (words.empty()) return true;  // nothing to judge here; judge() sees the whole sentence
    left = words.back();
  }
  if (next) {
    const auto words = spoken_words(*next, slots);
    if (words.empty()) return true;
    right = words.front();
  }
  return attested(left, right);
}

SentenceVerdict SentenceJudge::judge(const TemplateSentence& sentence,
                                     const std::map<std::string, std::string>& slots) const {
  SentenceVerdict verdict;
  // The words with an edge at each end; a seam k lies between words[k] and words[k + 1].
  std::vector<std::string> words = {std::string(kEdge)};
  std::vector<std::size_t> seams;
  if (sentence.open_start) seams.push_back(0);
  std::map<std::string, std::size_t> part_of;  // word that is not a filler → the part it first came from
  for (std::size_t i = 0; i < sentence.sentence.parts.size(); ++i) {
    const auto& part = sentence.sentence.parts[i];
    auto spoken = spoken_words(part, slots);
    if (spoken.empty()) continue;
    if (words.size() > 1) seams.push_back(words.size() - 1);
    for (auto& word : spoken) {
      if (!part.slot && !fillers_.count(word)) {
        const auto [first, fresh] = part_of.emplace(word, i);
        if (!fresh && first->second != i) {
          verdict.why = "\"" + word + "\" twice";
          return verdict;
        }
      }
      words.push_back(std::move(word));
    }
  }
  const std::size_t count = words.size() - 1;
  words.emplace_back(kEdge);
  if (sentence.open_end) seams.push_back(count);
  if (count == 0) {
    verdict.why = "no words";
    return verdict;
  }
  if (sentence.inside_longer && count < kMinWordsAlone) {
    verdict.why = "a fragment of " + std::to_string(count) + " word" + (count == 1 ? "" : "s") +
                  " of a longer utterance";
    return verdict;
  }
  for (const std::size_t k : seams) {
    ++verdict.seams;
    const std::string_view a = words[k];
    const std::string_view b = words[k + 1];
    if (!attested(a, b)) {
      verdict.why = k == 0 ? "no one starts with \"" + std::string(b) + "\""
                    : k + 1 == words.size() - 1
                        ? "no one ends with \"" + std::string(a) + "\""
                        : "\"" + std::string(a) + " " + std::string(b) + "\" is not a pair people use";
      return verdict;
    }
    const bool before = k == 0 || attested(words[k - 1], a, b);
    const bool after = k + 2 >= words.size() || attested(a, b, words[k + 2]);
    const bool edge = k == 0 || k + 2 >= words.size();
    if (!edge && !before && !after) {
      verdict.why = "\"" + std::string(a) + " " + std::string(b) + "\" is not used between \"" +
                    words[k - 1] + "\" and \"" + words[k + 2] + "\"";
      return verdict;
    }
    if (before && after) ++verdict.fully_backed;
  }
  verdict.sentence_like = true;
  return verdict;
}

bool SentenceJudge::attested(std::string_view first, std::string_view second) const {
  return ngrams_.count(joined({first, second})) > 0;
}

bool SentenceJudge::attested(std::string_view first, std::string_view second, std::string_view third) const {
  return ngrams_.count(joined({first, second, third})) > 0;
}

}  // namespace crampbot::exporting
