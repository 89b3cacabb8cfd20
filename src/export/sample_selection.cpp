#include "export/sample_selection.h"

#include <algorithm>
#include <set>

#include "export/export_error.h"
#include "export/sentence_likeness.h"

namespace crampbot::exporting {

namespace {

// The longest run of words an example's slot value can span ("vitamin b complex" is three, "b 12" two).
constexpr std::size_t kMaxValueWords = 8;

// Enough to find every sentence-like reading of the catalog's templates; a template with more would be
// read only partly, the same way on every export.
constexpr SentenceLimits kSentenceLimits{2000, 500000};

struct Candidate {
  Sample sample;
  std::string key;  // what the normaliser makes of it, slots marked
};

// Slots become marker words, so "{nutrient}" is neither dropped as punctuation nor read as "nutrient".
std::string normalised_key(const Engine& engine, const ExpandedSentence& sentence) {
  std::map<std::string, std::string> markers;
  for (const auto& slot : sentence.slots())
    markers[slot] = "zzslot" + slot + "zz";
  return std::string(engine.normaliser().normalise(sentence.fill(markers)).plain());
}

bool is_word_byte(char c) {
  const auto u = static_cast<unsigned char>(c);
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '\'' || u >= 0x80;
}

// Byte ranges [first, second) of the words of `text`.
std::vector<std::pair<std::size_t, std::size_t>> word_spans(std::string_view text) {
  std::vector<std::pair<std::size_t, std::size_t>> out;
  for (std::size_t i = 0; i < text.size();) {
    if (!is_word_byte(text[i])) {
      ++i;
      continue;
    }
    const std::size_t start = i;
    while (i < text.size() && is_word_byte(text[i]))
      ++i;
    out.emplace_back(start, i);
  }
  return out;
}

// A stretch of an example kept as written, unless it holds no word at all ("?" after a slot).
void add_text_part(std::string_view text, ExpandedSentence& sentence) {
  if (word_spans(text).empty()) return;
  std::string trimmed(text);
  trimmed.erase(0, trimmed.find_first_not_of(' '));
  trimmed.erase(trimmed.find_last_not_of(' ') + 1);
  sentence.parts.push_back({std::move(trimmed), false});
}

// The template sentences of `intent` worth offering, best first, for each template in order.
std::vector<std::vector<Sample>> template_samples(const Engine& engine, const TemplateExpander& expander,
                                                  const SentenceJudge& judge, const IntentDefinition& intent,
                                                  const SampleLimits& limits, const SampleFilter& accept) {
  const Lexicon& lexicon = engine.intents().lexicon;
  const JoinFilter join = [&](const ExpandedSentence::Part* last, const ExpandedSentence::Part* next) {
    return judge.may_join(last, next, intent.slots);
  };
  std::vector<std::vector<Sample>> out;
  for (const auto& source : intent.templates) {
    struct Ranked {
      TemplateSentence sentence;
      SentenceVerdict verdict;
      std::size_t order;
    };
    std::vector<Ranked> ranked;
    for (auto& sentence : expander.sentences(source, intent.slots, intent.spot, kSentenceLimits, join)) {
      SentenceVerdict verdict = judge.judge(sentence, intent.slots);
      if (verdict.sentence_like) ranked.push_back({std::move(sentence), std::move(verdict), ranked.size()});
    }
    // The commoner choices first, then the best backed (the share of seams with triples on both sides).
    std::stable_sort(ranked.begin(), ranked.end(), [](const Ranked& a, const Ranked& b) {
      if (a.sentence.rarity != b.sentence.rarity) return a.sentence.rarity < b.sentence.rarity;
      return a.verdict.backing() > b.verdict.backing();
    });
    auto& taken = out.emplace_back();
    for (auto& candidate : ranked) {
      if (taken.size() >= limits.per_template) break;
      const ExpandedSentence& sentence = candidate.sentence.sentence;
      if (!accept(sentence)) continue;
      const MatchResult match = engine.match(fill_with_first_values(sentence, lexicon, intent.slots));
      bool agrees = match.intent == intent.name;
      for (const auto& slot : sentence.slots()) {
        const auto& first = lexicon.lists.at(intent.slots.at(slot)).front().canonical;
        const auto found = match.slots.find(slot);
        agrees = agrees && found != match.slots.end() && found->second == first;
      }
      if (agrees) taken.push_back({sentence, {}, false, source});
    }
  }
  return out;
}

std::vector<Candidate> candidates_for(const Engine& engine, const TemplateExpander& expander,
                                      const SentenceJudge& judge, const IntentDefinition& intent,
                                      const SampleLimits& limits, const SampleFilter& accept) {
  std::vector<Candidate> out;
  std::set<std::string> seen;
  const auto offer = [&](Sample sample) {
    if (!accept(sample.sentence)) return;
    std::string key = normalised_key(engine, sample.sentence);
    if (seen.insert(key).second) out.push_back({std::move(sample), std::move(key)});
  };
  for (const auto& example : intent.examples) {
    const MatchResult match = engine.match(example.text);
    if (!match.corrections.empty() || match.intent != intent.name) continue;
    if (auto sample = sample_from_example(engine, intent, example)) offer(std::move(*sample));
  }
  const auto per_template = template_samples(engine, expander, judge, intent, limits, accept);
  for (std::size_t round = 0; round < limits.per_template; ++round) {
    for (const auto& samples : per_template) {
      if (round < samples.size()) offer(samples[round]);
    }
  }
  return out;
}

}  // namespace

std::string fill_with_first_values(const ExpandedSentence& sentence, const Lexicon& lexicon,
                                   const std::map<std::string, std::string>& slots) {
  std::map<std::string, std::string> values;
  for (const auto& slot : sentence.slots()) {
    const auto& list = lexicon.lists.at(slots.at(slot));
    values[slot] = list.empty() || list.front().phrases.empty() ? slot : list.front().phrases.front();
  }
  return sentence.fill(values);
}

std::optional<Sample> sample_from_example(const Engine& engine, const IntentDefinition& intent,
                                          const IntentExample& example) {
  const std::string& text = example.text;
  const auto words = word_spans(text);
  const auto normalised = [&engine](std::string_view piece) {
    return std::string(engine.normaliser().normalise(piece).plain());
  };
  struct Found {
    std::size_t first, last;  // word indices, inclusive
    std::string slot, phrase;
  };
  std::vector<Found> found;
  for (const auto& [slot, value] : example.slots) {
    const auto list = intent.slots.find(slot);
    if (list == intent.slots.end()) return std::nullopt;
    std::map<std::string, std::string> phrases;  // normalised → as written in the list
    for (const auto& candidate : engine.intents().lexicon.lists.at(list->second)) {
      if (candidate.canonical != value) continue;
      for (const auto& phrase : candidate.phrases)
        phrases.emplace(normalised(phrase), phrase);
    }
    const auto word = [&](std::size_t i) {
      return std::string_view(text).substr(words[i].first, words[i].second - words[i].first);
    };
    std::optional<Found> best;
    for (std::size_t first = 0; first < words.size() && !best; ++first) {
      // A run that starts or ends with a skip word ("just b12") normalises like the phrase; keep it out.
      if (normalised(word(first)).empty()) continue;
      for (std::size_t last = first; last < words.size() && last < first + kMaxValueWords; ++last) {
        if (normalised(word(last)).empty()) continue;
        const std::size_t start = words[first].first;
        const auto phrase =
            phrases.find(normalised(std::string_view(text).substr(start, words[last].second - start)));
        if (phrase != phrases.end())
          best = Found{first, last, slot, phrase->second};  // the longest from here
      }
    }
    if (!best) return std::nullopt;
    found.push_back(std::move(*best));
  }
  std::sort(found.begin(), found.end(), [](const Found& a, const Found& b) { return a.first < b.first; });
  Sample sample;
  sample.from_example = true;
  sample.origin = text;
  std::size_t cursor = 0;
  for (const auto& slot : found) {
    if (words[slot.first].first < cursor) return std::nullopt;  // two values in the same words
    add_text_part(std::string_view(text).substr(cursor, words[slot.first].first - cursor), sample.sentence);
    sample.sentence.parts.push_back({slot.slot, true});
    sample.example_values[slot.slot] = slot.phrase;
    cursor = words[slot.last].second;
  }
  add_text_part(std::string_view(text).substr(cursor), sample.sentence);
  if (sample.sentence.parts.empty()) return std::nullopt;
  return sample;
}

std::map<std::string, std::vector<Sample>> select_samples(const Engine& engine,
                                                          const std::vector<std::string>& intents,
                                                          const SampleLimits& limits,
                                                          const SampleFilter& accept) {
  const IntentCatalog& catalog = engine.intents();
  const TemplateExpander expander(catalog.lexicon);
  const SentenceJudge judge(catalog);
  std::map<std::string, std::vector<Candidate>> candidates;
  std::map<std::string, std::set<std::string>> claimants;  // key → intents whose sentences read that way
  for (const auto& name : intents) {
    const IntentDefinition* intent = catalog.find(name);
    if (!intent) throw ExportError("intent \"" + name + "\" is not in the catalog");
    auto& mine = candidates[name] = candidates_for(engine, expander, judge, *intent, limits, accept);
    for (const auto& candidate : mine)
      claimants[candidate.key].insert(name);
  }
  std::map<std::string, std::string> owner;  // shared key → the one intent that keeps it ("" for none)
  for (const auto& [key, names] : claimants) {
    if (names.size() < 2) continue;
    std::string& chosen = owner[key];
    for (const auto& candidate : candidates[*names.begin()]) {
      if (candidate.key != key) continue;
      const IntentDefinition& intent = *catalog.find(*names.begin());
      const std::string matched =
          engine.match(fill_with_first_values(candidate.sample.sentence, catalog.lexicon, intent.slots))
              .intent;
      if (names.count(matched)) chosen = matched;
      break;
    }
  }
  std::map<std::string, std::vector<Sample>> out;
  for (const auto& name : intents) {
    auto& kept = out[name];
    for (auto& candidate : candidates[name]) {
      if (kept.size() >= limits.per_intent) break;
      const auto shared = owner.find(candidate.key);
      if (shared == owner.end() || shared->second == name) kept.push_back(std::move(candidate.sample));
    }
  }
  return out;
}

}  // namespace crampbot::exporting
