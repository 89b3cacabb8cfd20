#include "engine/template_language.h"

#include <algorithm>

namespace crampbot {

namespace {

using Node = TemplateNode;

bool is_syntax(char c) {
  return c == '(' || c == ')' || c == '[' || c == ']' || c == '{' || c == '}' || c == '<' || c == '>' ||
         c == '|' || c == '*';
}

// Recursive-descent parser for one template string; errors name the column.
class TemplateParser {
 public:
  explicit TemplateParser(std::string_view source) : source_(source) {}

  Node parse() {
    Node root = parse_alternatives(0);
    if (pos_ < source_.size()) fail("unexpected '" + std::string(1, source_[pos_]) + "'");
    return root;
  }

 private:
  [[noreturn]] void fail(const std::string& why) const {
    throw TemplateError("template \"" + std::string(source_) + "\": column " + std::to_string(pos_ + 1) +
                        ": " + why);
  }

  Node parse_alternatives(std::size_t depth) {
    if (depth > kMaxTemplateNesting) fail("nested too deeply");
    Node alternatives{Node::Type::alternatives, {}, {}};
    alternatives.children.push_back(parse_sequence(depth));
    while (pos_ < source_.size() && source_[pos_] == '|') {
      ++pos_;
      alternatives.children.push_back(parse_sequence(depth));
    }
    if (alternatives.children.size() == 1) return std::move(alternatives.children.front());
    return alternatives;
  }

  Node parse_sequence(std::size_t depth) {
    Node sequence{Node::Type::sequence, {}, {}};
    while (pos_ < source_.size()) {
      const char c = source_[pos_];
      if (c == '|' || c == ')' || c == ']') break;
      if (c == '(' || c == '[') {
        const char close = c == '(' ? ')' : ']';
        ++pos_;
        Node inner = parse_alternatives(depth + 1);
        if (pos_ >= source_.size() || source_[pos_] != close) fail(std::string("missing '") + close + "'");
        ++pos_;
        if (c == '[') {
          Node optional{Node::Type::optional, {}, {}};
          optional.children.push_back(std::move(inner));
          sequence.children.push_back(std::move(optional));
        } else {
          sequence.children.push_back(std::move(inner));
        }
      } else if (c == '{' || c == '<') {
        const char close = c == '{' ? '}' : '>';
        const std::size_t end = source_.find(close, pos_ + 1);
        if (end == std::string_view::npos) fail(std::string("missing '") + close + "'");
        std::string name(source_.substr(pos_ + 1, end - pos_ - 1));
        const bool valid = !name.empty() && std::all_of(name.begin(), name.end(), [](char ch) {
          return (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '_';
        });
        if (!valid) fail(std::string(c == '{' ? "slot" : "rule") + " names use a-z, 0-9 and _");
        sequence.children.push_back({c == '{' ? Node::Type::slot : Node::Type::rule, name, {}});
        pos_ = end + 1;
      } else if (c == '*') {
        sequence.children.push_back({Node::Type::wildcard, {}, {}});
        ++pos_;
      } else if (c == '}' || c == '>') {
        fail(std::string("unmatched '") + c + "'");
      } else {
        const std::size_t start = pos_;
        while (pos_ < source_.size() && !is_syntax(source_[pos_]))
          ++pos_;
        const std::string_view run = source_.substr(start, pos_ - start);
        // Spaces between syntax elements are not words; keeping them would hide which elements are adjacent.
        if (run.find_first_not_of(" \t") != std::string_view::npos) {
          sequence.children.push_back({Node::Type::words, std::string(run), {}});
        }
      }
    }
    return sequence;
  }

  std::string_view source_;
  std::size_t pos_ = 0;
};

// Every rule a tree names, in order.
void named_rules(const Node& node, std::vector<const std::string*>& out) {
  if (node.type == Node::Type::rule) out.push_back(&node.text);
  for (const auto& child : node.children)
    named_rules(child, out);
}

}  // namespace

TemplateNode parse_template(std::string_view source) {
  return TemplateParser(source).parse();
}

TemplateRules::TemplateRules(const std::map<std::string, std::string>& bodies) {
  for (const auto& [name, body] : bodies) {
    try {
      bodies_.emplace(name, parse_template(body));
    } catch (const TemplateError& e) {
      throw TemplateError("rule <" + name + ">: " + e.what());
    }
  }
  // Depth-first from each rule, with the chain that led there: a name met again on the chain is a cycle.
  // Each rule is finished once; the chains stay within kMaxTemplateNesting.
  std::map<std::string_view, bool> finished;
  std::vector<std::string_view> chain;
  const std::function<void(const std::string&)> visit = [&](const std::string& name) {
    if (finished.count(name)) return;
    if (std::find(chain.begin(), chain.end(), name) != chain.end())
      throw TemplateError("rule <" + name + "> refers to itself");
    if (chain.size() >= kMaxTemplateNesting)
      throw TemplateError("rule <" + name + ">: rules nested too deeply");
    chain.push_back(name);
    std::vector<const std::string*> named;
    named_rules(bodies_.at(name), named);
    for (const std::string* next : named) {
      if (!bodies_.count(*next)) throw TemplateError("rule <" + name + ">: unknown rule <" + *next + ">");
      visit(*next);
    }
    chain.pop_back();
    finished[bodies_.find(name)->first] = true;
  };
  for (const auto& [name, body] : bodies_)
    visit(name);
}

void TemplateRules::check(std::string_view source, const TemplateNode& root) const {
  std::vector<const std::string*> named;
  named_rules(root, named);
  for (const std::string* name : named) {
    if (!bodies_.count(*name))
      throw TemplateError("template \"" + std::string(source) + "\": unknown rule <" + *name + ">");
  }
}

const TemplateNode& TemplateRules::body(const std::string& name) const {
  return bodies_.find(name)->second;
}

}  // namespace crampbot
