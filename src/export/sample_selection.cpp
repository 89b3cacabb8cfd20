#include "export/sample_selection.h"

#include <set>

#include "export/export_error.h"

namespace crampbot::exporting {

namespace {

struct Candidate {
  ExpandedSentence sentence;
  std::string key;  // what the normaliser makes of it, slots marked
};

// Slots become marker words, so "{nutrient}" is neither dropped as punctuation nor read as "nutrient".
std::string normalised_key(const Engine& engine, const ExpandedSentence& sentence) {
  std::map<std::string, std::string> markers;
  for (const auto& slot : sentence.slots())
    markers[slot] = "zzslot" + slot + "zz";
  return std::string(engine.normaliser().normalise(sentence.fill(markers)).plain());
}

std::vector<Candidate> candidates_for(const Engine& engine, const TemplateExpander& expander,
                                      const IntentDefinition& intent, const SampleLimits& limits,
                                      const SampleFilter& accept) {
  std::vector<std::vector<ExpandedSentence>> per_template;
  for (const auto& source : intent.templates)
    per_template.push_back(expander.expand(source, intent.slots, limits.per_template));
  std::vector<Candidate> out;
  std::set<std::string> seen;
  for (std::size_t round = 0; round < limits.per_template; ++round) {
    for (const auto& sentences : per_template) {
      if (round >= sentences.size() || !accept(sentences[round])) continue;
      std::string key = normalised_key(engine, sentences[round]);
      if (seen.insert(key).second) out.push_back({sentences[round], std::move(key)});
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

std::map<std::string, std::vector<ExpandedSentence>> select_samples(const Engine& engine,
                                                                    const std::vector<std::string>& intents,
                                                                    const SampleLimits& limits,
                                                                    const SampleFilter& accept) {
  const IntentCatalog& catalog = engine.intents();
  const TemplateExpander expander(catalog.lexicon);
  std::map<std::string, std::vector<Candidate>> candidates;
  std::map<std::string, std::set<std::string>> claimants;  // key → intents whose sentences read that way
  for (const auto& name : intents) {
    const IntentDefinition* intent = catalog.find(name);
    if (!intent) throw ExportError("intent \"" + name + "\" is not in the catalog");
    auto& mine = candidates[name] = candidates_for(engine, expander, *intent, limits, accept);
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
          engine.match(fill_with_first_values(candidate.sentence, catalog.lexicon, intent.slots)).intent;
      if (names.count(matched)) chosen = matched;
      break;
    }
  }
  std::map<std::string, std::vector<ExpandedSentence>> out;
  for (const auto& name : intents) {
    auto& kept = out[name];
    for (auto& candidate : candidates[name]) {
      if (kept.size() >= limits.per_intent) break;
      const auto shared = owner.find(candidate.key);
      if (shared == owner.end() || shared->second == name) kept.push_back(std::move(candidate.sentence));
    }
  }
  return out;
}

}  // namespace crampbot::exporting
