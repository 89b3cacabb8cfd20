#include "engine/concept_rules.h"

#include <algorithm>
#include <fstream>
#include <limits>

#include "engine/catalog_error.h"
#include "engine/json_file.h"

namespace crampbot {

namespace {

constexpr std::size_t kNoConcept = std::numeric_limits<std::size_t>::max();

std::string join(const std::vector<std::string>& tokens) {
  std::string out;
  for (const auto& t : tokens) {
    if (!out.empty()) out += ' ';
    out += t;
  }
  return out;
}

// The text of tokens [first, end) of `text`, as the phrase table keys it (single spaces, no trailing one).
std::string_view span_text(const NormalisedText& text, std::size_t first, std::size_t end) {
  const std::string_view last = text.token(end - 1);
  const std::size_t from = text.starts[first];
  const std::size_t to = static_cast<std::size_t>(last.data() - text.text.data()) + last.size();
  return std::string_view(text.text).substr(from, to - from);
}

std::vector<std::string> read_phrase_file(const std::filesystem::path& path, const JsonFields& fields,
                                          const std::string& key) {
  std::ifstream in(path);
  if (!in) fields.fail(key, "cannot read \"" + path.string() + "\"");
  std::vector<std::string> out;
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty() || line[0] == '#') continue;
    out.push_back(line);
  }
  if (out.empty()) fields.fail(key, "\"" + path.string() + "\" has no phrases");
  return out;
}

// Whether a run of `phrase`'s tokens (at most `longest` of them) is one of `runs`, whose first tokens are
// `starts`.
bool names_any(const std::vector<std::string>& phrase, const StringSet& runs, const StringSet& starts,
               std::size_t longest) {
  for (std::size_t first = 0; first < phrase.size(); ++first) {
    if (!starts.count(phrase[first])) continue;
    std::string run;
    for (std::size_t end = first; end < phrase.size() && end - first < longest; ++end) {
      if (end > first) run += ' ';
      run += phrase[end];
      if (runs.count(run)) return true;
    }
  }
  return false;
}

}  // namespace

ConceptRules ConceptRules::load(const std::filesystem::path& file, const Lexicon& lexicon,
                                const TextNormaliser& normaliser) {
  const nlohmann::json json = load_json_file(file);
  const JsonFields top(file, json, "");
  top.only_keys({"description", "concepts", "rules", "negators", "clause_breaks", "negation_reach"});
  ConceptRules out;
  const double reach = top.optional_number("negation_reach", 3);
  if (!(reach >= 0 && reach <= 20)) top.fail("negation_reach", "must be from 0 to 20 words");
  out.negation_reach_ = static_cast<std::size_t>(reach);
  for (const auto& word : top.strings(top.optional_array("negators"), "negators")) {
    for (auto& token : normaliser.tokenise(word))
      out.negators_.insert(std::move(token));
  }
  for (const auto& word : top.strings(top.optional_array("clause_breaks"), "clause_breaks")) {
    for (auto& token : normaliser.tokenise(word))
      out.clause_breaks_.insert(std::move(token));
  }
  out.read_concepts(file, top, lexicon, normaliser);
  out.read_rules(file, top);
  return out;
}

void ConceptRules::read_concepts(const std::filesystem::path& file, const JsonFields& top,
                                 const Lexicon& lexicon, const TextNormaliser& normaliser) {
  // Each concept's phrases as token lists; "except_concepts" filters run once every concept is read.
  std::vector<Phrases> phrases;
  std::vector<std::vector<std::string>> except_concepts;
  for (const auto& [name, spec] : top.required_object("concepts").items()) {
    auto [concept_, tokens, filters] = read_concept(file, top, name, spec, lexicon, normaliser);
    concepts_.push_back(std::move(concept_));
    phrases.push_back(std::move(tokens));
    except_concepts.push_back(std::move(filters));
  }
  for (std::size_t c = 0; c < concepts_.size(); ++c) {
    const std::string key = "concepts." + concepts_[c].name + ".except_concepts";
    for (const auto& other : except_concepts[c]) {
      const std::size_t id = concept_id(other);
      if (id == kNoConcept) top.fail(key, "unknown concept \"" + other + "\"");
      if (id == c) top.fail(key, "a concept cannot except itself");
      if (!except_concepts[id].empty()) {
        top.fail(key,
                 "\"" + other + "\" has except_concepts of its own: only a plain concept can be excepted");
      }
      drop_phrases_naming(phrases[id], phrases[c]);
    }
    if (phrases[c].empty() && !concepts_[c].given) {
      top.fail("concepts." + concepts_[c].name, "has no phrases left after except_concepts");
    }
  }
  for (std::size_t c = 0; c < phrases.size(); ++c) {
    for (const auto& tokens : phrases[c]) {
      auto& ids = phrases_[join(tokens)].concepts;
      if (std::find(ids.begin(), ids.end(), c) == ids.end()) ids.push_back(c);
      std::string start = tokens.front();
      for (std::size_t n = 1; n < tokens.size(); ++n) {
        phrases_[start].continues = true;
        start += ' ';
        start += tokens[n];
      }
    }
  }
}

ConceptRules::ReadConcept ConceptRules::read_concept(const std::filesystem::path& file, const JsonFields& top,
                                                     const std::string& name, const nlohmann::json& spec,
                                                     const Lexicon& lexicon,
                                                     const TextNormaliser& normaliser) {
  const std::string key = "concepts." + name;
  ReadConcept out{{name, false, false, false}, {}, {}};
  std::vector<std::string> raw;
  StringSet drop;
  if (spec.is_array()) {
    raw = top.strings(&spec, key);
  } else if (spec.is_object()) {
    const JsonFields fields(file, spec, key);
    fields.only_keys({"description", "phrases", "files", "lists", "negatable", "masks", "except",
                      "except_concepts", "given"});
    raw = fields.strings(fields.optional_array("phrases"), "phrases");
    for (const auto& name_of_file : fields.strings(fields.optional_array("files"), "files")) {
      auto more = read_phrase_file(file.parent_path() / name_of_file, fields, "files");
      raw.insert(raw.end(), more.begin(), more.end());
    }
    for (const auto& list : fields.strings(fields.optional_array("lists"), "lists")) {
      auto it = lexicon.lists.find(list);
      if (it == lexicon.lists.end()) fields.fail("lists", "\"" + list + "\" is not a lexicon list");
      for (const auto& value : it->second)
        raw.insert(raw.end(), value.phrases.begin(), value.phrases.end());
    }
    out.concept_.negatable = fields.optional_bool("negatable", false);
    out.concept_.masks = fields.optional_bool("masks", false);
    out.concept_.given = fields.optional_bool("given", false);
    if (out.concept_.given && !raw.empty()) fields.fail("given", "a given concept has no phrases");
    for (const auto& phrase : fields.strings(fields.optional_array("except"), "except"))
      drop.insert(join(normaliser.tokenise(phrase)));
    out.except_concepts = fields.strings(fields.optional_array("except_concepts"), "except_concepts");
  } else {
    top.fail(key, "must be an array of phrases or an object");
  }
  for (const auto& phrase : raw) {
    auto t = normaliser.tokenise(phrase);
    if (t.empty() || drop.count(join(t))) continue;  // a phrase of skip words only says nothing
    out.phrases.push_back(std::move(t));
  }
  if (out.phrases.empty() && !out.concept_.given) top.fail(key, "has no phrases");
  return out;
}

void ConceptRules::drop_phrases_naming(const Phrases& others, Phrases& phrases) {
  // A phrase that names one of the other concept's phrases is about that concept, not this one ("vitamin d
  // deficiency" is our topic however a vocabulary of conditions lists it). Each run of a phrase's tokens is
  // looked up among the other's, so a vocabulary of thousands costs milliseconds.
  StringSet inner;
  StringSet starts;
  std::size_t longest = 0;
  for (const auto& phrase : others) {
    inner.insert(join(phrase));
    starts.insert(phrase.front());
    longest = std::max(longest, phrase.size());
  }
  std::erase_if(phrases, [&](const std::vector<std::string>& phrase) {
    return names_any(phrase, inner, starts, longest);
  });
}

void ConceptRules::read_rules(const std::filesystem::path& file, const JsonFields& top) {
  const nlohmann::json* rules = top.optional_array("rules");
  if (!rules || rules->empty()) top.fail("rules", "at least one rule is required");
  for (std::size_t i = 0; i < rules->size(); ++i) {
    const std::string key = "rules[" + std::to_string(i) + "]";
    if (!(*rules)[i].is_object()) top.fail(key, "must be an object");
    const JsonFields fields(file, (*rules)[i], key);
    fields.only_keys({"name", "description", "all", "none", "window"});
    Rule rule;
    rule.name = fields.required_string("name");
    const double window = fields.optional_number("window", 0);
    if (!(window >= 0 && window <= 1000)) fields.fail("window", "must be from 0 (anywhere) to 1000 tokens");
    rule.window = static_cast<std::size_t>(window);
    for (const auto& [list, target] : {std::pair{"all", &rule.all}, std::pair{"none", &rule.none}}) {
      for (const auto& name : fields.strings(fields.optional_array(list), list)) {
        const std::size_t id = concept_id(name);
        if (id == kNoConcept) fields.fail(list, "unknown concept \"" + name + "\"");
        target->push_back(id);
      }
    }
    if (rule.all.empty() && rule.none.empty()) fields.fail("all", "a rule needs \"all\" or \"none\"");
    rules_.push_back(std::move(rule));
  }
}

std::size_t ConceptRules::concept_id(std::string_view name) const {
  for (std::size_t i = 0; i < concepts_.size(); ++i) {
    if (concepts_[i].name == name) return i;
  }
  return kNoConcept;
}

bool ConceptRules::mentions(const NormalisedText& text, std::string_view name) const {
  const std::size_t id = concept_id(name);
  if (id == kNoConcept) return false;
  const auto hits = spot(text);
  return std::any_of(hits.begin(), hits.end(),
                     [&](const ConceptHit& hit) { return hit.concept_id == id && !hit.negated; });
}

std::vector<std::string> ConceptRules::words() const {
  std::vector<std::string> out;
  for (const auto& [phrase, entry] : phrases_) {
    if (entry.concepts.empty()) continue;
    for (auto& word : split_words(phrase))
      out.push_back(std::move(word));
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

std::vector<ConceptHit> ConceptRules::spot(const NormalisedText& text) const {
  std::vector<ConceptHit> hits;
  for (std::size_t first = 0; first < text.size(); ++first) {
    for (std::size_t end = first + 1; end <= text.size(); ++end) {
      auto it = phrases_.find(span_text(text, first, end));
      if (it == phrases_.end()) break;
      for (const std::size_t id : it->second.concepts)
        hits.push_back({id, first, end, false});
      if (!it->second.continues) break;
    }
  }
  // A masking phrase ("red meat") hides the shorter phrases inside it ("red"), a masking concept's too ("a
  // cramped flat" hides the topic word "cramped").
  std::vector<ConceptHit> masks;
  for (const auto& hit : hits) {
    if (concepts_[hit.concept_id].masks) masks.push_back(hit);
  }
  std::erase_if(hits, [&](const ConceptHit& hit) {
    return std::any_of(masks.begin(), masks.end(), [&](const ConceptHit& m) {
      return m.first <= hit.first && hit.end <= m.end && hit.end - hit.first < m.end - m.first;
    });
  });
  for (auto& hit : hits) {
    if (!concepts_[hit.concept_id].negatable) continue;
    for (std::size_t back = 1; back <= negation_reach_ && back <= hit.first; ++back) {
      const std::string_view word = text.token(hit.first - back);
      if (clause_breaks_.count(word)) break;
      if (negators_.count(word)) {
        hit.negated = true;
        break;
      }
    }
  }
  return hits;
}

bool ConceptRules::holds(const Rule& rule, const std::vector<ConceptHit>& hits,
                         const std::vector<char>& given, std::vector<const ConceptHit*>& chosen) const {
  chosen.clear();
  if (!choose(rule, hits, given, chosen)) return false;
  // A "none" phrase that overlaps a chosen one is the same words read two ways ("ice cold" is a sign, not
  // the remedy "ice"): it does not rule the rule out.
  for (const std::size_t id : rule.none) {
    if (given[id]) return false;
    for (const auto& hit : hits) {
      if (hit.concept_id != id || hit.negated) continue;
      const bool overlaps = std::any_of(chosen.begin(), chosen.end(), [&](const ConceptHit* c) {
        return c->first < hit.end && hit.first < c->end;
      });
      if (!overlaps) return false;
    }
  }
  return true;
}

bool ConceptRules::choose(const Rule& rule, const std::vector<ConceptHit>& hits,
                          const std::vector<char>& given, std::vector<const ConceptHit*>& chosen) const {
  // The positioned hits of each "all" concept; a given concept needs none and sets no position.
  std::vector<std::vector<const ConceptHit*>> options;
  for (const std::size_t id : rule.all) {
    if (given[id]) continue;
    auto& list = options.emplace_back();
    for (const auto& hit : hits) {
      if (hit.concept_id == id && !hit.negated) list.push_back(&hit);
    }
    if (list.empty()) return false;
  }
  if (options.empty()) return true;
  // Anchored on each hit of the first concept in turn: every other concept needs a hit that spans at most
  // `window` tokens together with the anchor. Linear in the hits per anchor, so a long hostile utterance
  // that repeats a phrase costs no more than its length squared.
  for (const ConceptHit* anchor : options[0]) {
    chosen.assign(1, anchor);
    for (std::size_t k = 1; k < options.size(); ++k) {
      for (const ConceptHit* hit : options[k]) {
        // A concept named twice ("all": ["sign", "sign"]) needs two phrases apart.
        const bool taken = std::any_of(chosen.begin(), chosen.end(), [&](const ConceptHit* c) {
          return c->concept_id == hit->concept_id && c->first < hit->end && hit->first < c->end;
        });
        const std::size_t low = std::min(anchor->first, hit->first);
        const std::size_t high = std::max(anchor->end, hit->end);
        if (!taken && (rule.window == 0 || high - low <= rule.window)) {
          chosen.push_back(hit);
          break;
        }
      }
      if (chosen.size() != k + 1) break;
    }
    if (chosen.size() == options.size()) return true;
  }
  chosen.clear();
  return false;
}

RuleVerdict ConceptRules::first_rule(const NormalisedText& text, std::span<const std::string> given) const {
  RuleVerdict verdict;
  const std::vector<ConceptHit> hits = spot(text);
  std::vector<char> given_ids(concepts_.size(), 0);
  for (const auto& name : given) {
    if (const std::size_t id = concept_id(name); id != kNoConcept) given_ids[id] = 1;
  }
  // Most rules need a concept the text does not name: they are ruled out before any positions are compared.
  std::vector<char> named(concepts_.size(), 0);
  for (const auto& hit : hits) {
    if (!hit.negated) named[hit.concept_id] = 1;
  }
  std::vector<const ConceptHit*> chosen;
  for (const auto& rule : rules_) {
    const bool possible = std::all_of(rule.all.begin(), rule.all.end(),
                                      [&](std::size_t id) { return named[id] || given_ids[id]; });
    if (!possible || !holds(rule, hits, given_ids, chosen)) continue;
    verdict.holds = true;
    verdict.rule = rule.name;
    for (const ConceptHit* hit : chosen) {
      verdict.evidence.push_back(concepts_[hit->concept_id].name + ": " +
                                 std::string(span_text(text, hit->first, hit->end)));
    }
    return verdict;
  }
  return verdict;
}

}  // namespace crampbot
