#include "engine/template_expander.h"

#include <algorithm>
#include <limits>
#include <set>

namespace crampbot {

namespace {

using Node = TemplateNode;
using Rules = TemplateRules;

std::string collapse_spaces(std::string_view text) {
  std::string out;
  for (const char c : text) {
    const bool space = c == ' ' || c == '\t' || c == '\n' || c == '\r';
    if (space) {
      if (!out.empty() && out.back() != ' ') out += ' ';
    } else {
      out += c;
    }
  }
  if (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

std::uint64_t saturating_add(std::uint64_t a, std::uint64_t b) {
  return a > std::numeric_limits<std::uint64_t>::max() - b ? std::numeric_limits<std::uint64_t>::max()
                                                           : a + b;
}

std::uint64_t saturating_multiply(std::uint64_t a, std::uint64_t b) {
  if (a != 0 && b > std::numeric_limits<std::uint64_t>::max() / a)
    return std::numeric_limits<std::uint64_t>::max();
  return a * b;
}

// Walks one parsed template with its rules, keeping how often each choice was taken across the sentences
// built so far. Rules are shared nodes, so a rule used twice counts its choices once.
class CoverageWalk {
 public:
  CoverageWalk(const Rules& rules, const std::map<std::string, std::string>& slots, std::string_view source)
      : rules_(rules), slots_(slots), source_(source) {}

  // Checks rules and slots once, so the walks below can trust the tree; returns whether any word or slot
  // can appear at all.
  bool validate(const Node& node) {
    switch (node.type) {
      case Node::Type::words:
        return !collapse_spaces(node.text).empty();
      case Node::Type::slot:
        if (!slots_.count(node.text))
          fail("slot {" + node.text + "} is not declared in this intent's \"slots\"");
        return true;
      case Node::Type::wildcard:
        return false;
      case Node::Type::rule: {
        return validate(enter(node));
      }
      default: {
        bool yields = false;
        for (const auto& child : node.children)
          yields = validate(child) || yields;
        return yields;
      }
    }
  }

  // Choices under `node` not taken in any sentence yet.
  std::size_t uncovered(const Node& node) {
    switch (node.type) {
      case Node::Type::sequence: {
        std::size_t n = 0;
        for (const auto& child : node.children)
          n += uncovered(child);
        return n;
      }
      case Node::Type::alternatives: {
        const auto& uses = uses_of(node);
        std::size_t n = 0;
        for (std::size_t i = 0; i < node.children.size(); ++i)
          n += (uses[i] == 0 ? 1 : 0) + uncovered(node.children[i]);
        return n;
      }
      case Node::Type::optional: {
        const auto& uses = uses_of(node);
        return (uses[0] == 0 ? 1 : 0) + (uses[1] == 0 ? 1 : 0) + uncovered(node.children.front());
      }
      case Node::Type::rule:
        return uncovered(enter(node));
      default:
        return 0;
    }
  }

  // Builds one sentence, taking at each choice the option that covers the most untaken choices.
  void build(const Node& node, ExpandedSentence& out) {
    switch (node.type) {
      case Node::Type::sequence:
        for (const auto& child : node.children)
          build(child, out);
        break;
      case Node::Type::alternatives: {
        std::vector<std::size_t> gains;
        for (const auto& child : node.children)
          gains.push_back(uncovered(child));
        const std::size_t chosen = choose(node, gains);
        build(node.children[chosen], out);
        break;
      }
      case Node::Type::optional: {
        const std::size_t chosen = choose(node, {0, uncovered(node.children.front())});
        if (chosen == 1) build(node.children.front(), out);
        break;
      }
      case Node::Type::words:
        if (std::string words = collapse_spaces(node.text); !words.empty())
          out.parts.push_back({words, false});
        break;
      case Node::Type::slot:
        out.parts.push_back({node.text, true});
        break;
      case Node::Type::rule:
        build(enter(node), out);
        break;
      case Node::Type::wildcard:
        break;
    }
  }

 private:
  [[noreturn]] void fail(const std::string& why) const {
    throw TemplateError("template \"" + std::string(source_) + "\": " + why);
  }

  // The body of a rule (the template's rules were checked first: TemplateRules::check).
  const Node& enter(const Node& node) const { return rules_.body(node.text); }

  std::vector<std::size_t>& uses_of(const Node& node) {
    auto& uses = uses_[&node];
    if (uses.empty()) uses.assign(node.type == Node::Type::optional ? 2 : node.children.size(), 0);
    return uses;
  }

  // `subtree_gains[i]`: untaken choices under option i. Its own first use counts one more. Ties go to the
  // least-used option, then the first, so the result depends only on the template.
  std::size_t choose(const Node& node, const std::vector<std::size_t>& subtree_gains) {
    auto& uses = uses_of(node);
    std::size_t best = 0;
    std::size_t best_gain = 0;
    for (std::size_t i = 0; i < uses.size(); ++i) {
      const std::size_t gain = subtree_gains[i] + (uses[i] == 0 ? 1 : 0);
      if (i == 0 || gain > best_gain || (gain == best_gain && uses[i] < uses[best])) {
        best = i;
        best_gain = gain;
      }
    }
    ++uses[best];
    return best;
  }

  const Rules& rules_;
  const std::map<std::string, std::string>& slots_;
  std::string_view source_;
  std::map<const Node*, std::vector<std::size_t>> uses_;
};

// Whether every reading of `node` starts with a wildcard ("* now", "(* now|* fast)").
bool begins_with_wildcard(const Node& node) {
  switch (node.type) {
    case Node::Type::wildcard:
      return true;
    case Node::Type::sequence:
      return !node.children.empty() && begins_with_wildcard(node.children.front());
    case Node::Type::alternatives:
      return std::all_of(node.children.begin(), node.children.end(),
                         [](const Node& child) { return begins_with_wildcard(child); });
    default:
      return false;
  }
}

// Depth-first walk over the readings of one template as a whole utterance (TemplateExpander::sentences()).
// What is still to read is a linked list of nodes on the call stack, so choosing an alternative costs
// nothing and the sentence is built and unbuilt in place.
class SentenceWalk {
 public:
  SentenceWalk(const Rules& rules, bool spot, const SentenceLimits& limits, const JoinFilter& join)
      : rules_(rules), spot_(spot), limits_(limits), join_(join), leading_wildcard_(spot), loose_(spot) {}

  std::vector<TemplateSentence> run(const Node& root) {
    const Pending start{&root, false, false, nullptr};
    walk(&start);
    return std::move(out_);
  }

 private:
  struct Pending {
    const Node* node;
    bool in_rule;    // inside a rule body: alternatives give their first only
    bool in_choice;  // inside an alternative, an optional part or a rule: its words were chosen
    const Pending* next;
  };

  void walk(const Pending* pending) {
    if (stopped_) return;
    if (++steps_ > limits_.max_steps) {
      stopped_ = true;
      return;
    }
    if (!pending) {
      finish();
      return;
    }
    const Node& node = *pending->node;
    switch (node.type) {
      case Node::Type::sequence: {
        if (node.children.empty()) return walk(pending->next);
        std::vector<Pending> chain(node.children.size());
        for (std::size_t i = chain.size(); i-- > 0;) {
          chain[i] = {&node.children[i], pending->in_rule, pending->in_choice,
                      i + 1 < chain.size() ? &chain[i + 1] : pending->next};
        }
        return walk(&chain.front());
      }
      case Node::Type::alternatives: {
        const std::size_t count = pending->in_rule ? 1 : node.children.size();
        for (std::size_t i = 0; i < count; ++i) {
          const Pending choice{&node.children[i], pending->in_rule, true, pending->next};
          rarity_ += pending->in_rule ? 0 : i;
          walk(&choice);
          rarity_ -= pending->in_rule ? 0 : i;
        }
        return;
      }
      case Node::Type::optional: {
        const Node& inner = node.children.front();
        const Pending present{&inner, pending->in_rule, true, pending->next};
        walk(&present);
        // The template's own optional parts only: a rule's are its inner variants, not room a wildcard
        // stands in for.
        const bool needed_at_edge = !pending->in_rule && !begins_with_wildcard(inner);
        // Before the first word, after a wildcard that dropped out: only the present side reads alone.
        if (sentence_.parts.empty() && leading_wildcard_ && needed_at_edge) return;
        const bool skipped = skipped_;
        const bool loose = loose_;
        skipped_ = skipped_ || needed_at_edge;
        loose_ = true;
        walk(pending->next);
        skipped_ = skipped;
        loose_ = loose;
        return;
      }
      case Node::Type::words: {
        std::string words = collapse_spaces(node.text);
        if (words.empty()) return walk(pending->next);
        return emit({std::move(words), false}, *pending);
      }
      case Node::Type::slot:
        return emit({node.text, true}, *pending);
      case Node::Type::rule: {
        // sentences() has checked the template's rules first: the rule exists and does not refer to itself.
        const Pending body{&rules_.body(node.text), true, true, pending->next};
        return walk(&body);
      }
      case Node::Type::wildcard: {
        // An optional part of the template's own, left out since the last word, would leave this wildcard
        // to end the sentence in its place: only its present side reads alone. (Were words to follow, the
        // wildcard would sit between words anyway.)
        if (!sentence_.parts.empty() && skipped_) return;
        const bool loose = loose_;
        const bool leading = leading_wildcard_;
        const bool open = open_wildcard_;
        loose_ = true;
        (sentence_.parts.empty() ? leading_wildcard_ : open_wildcard_) = true;
        walk(pending->next);
        loose_ = loose;
        leading_wildcard_ = leading;
        open_wildcard_ = open;
        return;
      }
    }
  }

  // Appends `part`, read at `at`, and walks on.
  void emit(ExpandedSentence::Part part, const Pending& at) {
    if (open_wildcard_) return;  // the wildcard would sit between two words
    const bool first = sentence_.parts.empty();
    const ExpandedSentence::Part* last = first ? nullptr : &sentence_.parts.back();
    const bool open = loose_ || at.in_choice;  // for the first part: is the start open?
    if (join_ && (!first || open) && !join_(last, &part)) return;
    sentence_.parts.push_back(std::move(part));
    const bool skipped = skipped_;
    const bool loose = loose_;
    const bool open_start = open_start_;
    const bool last_chosen = last_chosen_;
    if (first) open_start_ = open;
    skipped_ = false;
    loose_ = false;
    last_chosen_ = at.in_choice;
    walk(at.next);
    skipped_ = skipped;
    loose_ = loose;
    open_start_ = open_start;
    last_chosen_ = last_chosen;
    sentence_.parts.pop_back();
  }

  void finish() {
    if (sentence_.parts.empty()) return;
    if (spot_ && skipped_) return;  // the end of a spot template is an edge wildcard too
    const bool open_end = spot_ || loose_ || last_chosen_;
    if (join_ && open_end && !join_(&sentence_.parts.back(), nullptr)) return;
    if (!seen_.insert(sentence_.text()).second) return;
    out_.push_back({sentence_, rarity_, spot_ || leading_wildcard_ || open_wildcard_, open_start_, open_end});
    if (out_.size() >= limits_.max_sentences) stopped_ = true;
  }

  const Rules& rules_;
  const bool spot_;
  const SentenceLimits& limits_;
  const JoinFilter& join_;
  ExpandedSentence sentence_;
  std::size_t rarity_ = 0;
  bool leading_wildcard_;       // a wildcard dropped out before the first word
  bool open_wildcard_ = false;  // a wildcard dropped out after the last word so far
  bool skipped_ = false;        // an optional part of the template's own left out since the last word
  bool loose_;                  // anything (a wildcard, an optional part) left out since the last word
  bool open_start_ = false;     // the first part was chosen, or came after something left out
  bool last_chosen_ = false;    // the last part so far was chosen
  std::size_t steps_ = 0;
  bool stopped_ = false;
  std::set<std::string> seen_;
  std::vector<TemplateSentence> out_;
};

std::uint64_t product_of(const Node& node, const Rules& rules) {
  switch (node.type) {
    case Node::Type::sequence: {
      std::uint64_t n = 1;
      for (const auto& child : node.children)
        n = saturating_multiply(n, product_of(child, rules));
      return n;
    }
    case Node::Type::alternatives: {
      std::uint64_t n = 0;
      for (const auto& child : node.children)
        n = saturating_add(n, product_of(child, rules));
      return n;
    }
    case Node::Type::optional:
      return saturating_add(1, product_of(node.children.front(), rules));
    case Node::Type::rule:
      // product_size() has checked the template's rules first.
      return product_of(rules.body(node.text), rules);
    default:
      return 1;
  }
}

}  // namespace

std::string ExpandedSentence::text() const {
  std::string out;
  for (const auto& part : parts) {
    if (!out.empty()) out += ' ';
    out += part.slot ? "{" + part.text + "}" : part.text;
  }
  return out;
}

std::string ExpandedSentence::fill(const std::map<std::string, std::string>& values) const {
  std::string out;
  for (const auto& part : parts) {
    if (!out.empty()) out += ' ';
    out += part.slot ? values.at(part.text) : part.text;
  }
  return out;
}

std::vector<std::string> ExpandedSentence::slots() const {
  std::vector<std::string> out;
  for (const auto& part : parts) {
    if (part.slot) out.push_back(part.text);
  }
  return out;
}

TemplateExpander::TemplateExpander(const Lexicon& lexicon) : rules_(lexicon.rules) {}

TemplateExpander::~TemplateExpander() = default;

std::vector<ExpandedSentence> TemplateExpander::expand(std::string_view source,
                                                       const std::map<std::string, std::string>& slots,
                                                       std::size_t max_sentences) const {
  const TemplateNode root = parse_template(source);
  rules_.check(source, root);
  CoverageWalk walk(rules_, slots, source);
  if (!walk.validate(root)) {
    throw TemplateError("template \"" + std::string(source) + "\": it yields no words");
  }
  std::vector<ExpandedSentence> out;
  std::set<std::string> seen;
  // Every sentence takes at least one untaken choice while any is left, so this ends.
  while (out.size() < max_sentences) {
    const bool untaken = walk.uncovered(root) > 0;
    ExpandedSentence sentence;
    walk.build(root, sentence);
    if (!sentence.parts.empty() && seen.insert(sentence.text()).second) out.push_back(std::move(sentence));
    if (!untaken) break;
  }
  return out;
}

std::vector<TemplateSentence> TemplateExpander::sentences(std::string_view source,
                                                          const std::map<std::string, std::string>& slots,
                                                          bool spot, const SentenceLimits& limits,
                                                          const JoinFilter& join) const {
  const TemplateNode root = parse_template(source);
  rules_.check(source, root);
  if (!CoverageWalk(rules_, slots, source).validate(root)) {
    throw TemplateError("template \"" + std::string(source) + "\": it yields no words");
  }
  return SentenceWalk(rules_, spot, limits, join).run(root);
}

std::uint64_t TemplateExpander::product_size(std::string_view source) const {
  const TemplateNode root = parse_template(source);
  rules_.check(source, root);
  return product_of(root, rules_);
}

}  // namespace crampbot
