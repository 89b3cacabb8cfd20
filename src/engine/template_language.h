#pragma once

#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "engine/catalog_error.h"

namespace crampbot {

// A template or rule that breaks the template language; the message says where and why.
class TemplateError : public CatalogError {
 public:
  using CatalogError::CatalogError;
};

// Nesting deeper than this, of brackets in one template or of rules within rules, is refused (a hostile or
// runaway catalog).
inline constexpr std::size_t kMaxTemplateNesting = 32;

// A parsed template (or rule body): the syntax tree that TemplateCompiler turns into a pattern and
// TemplateExpander into sentences.
struct TemplateNode {
  enum class Type { sequence, alternatives, optional, words, slot, rule, wildcard };
  Type type = Type::sequence;
  std::string text;  // words, slot name or rule name
  std::vector<TemplateNode> children;
};

// Parses the template language: words, (a|b), [optional], {slot}, <rule>, * (any words). Throws
// TemplateError naming the column on a syntax error or nesting deeper than kMaxTemplateNesting. Names of
// slots and rules are not resolved here.
TemplateNode parse_template(std::string_view source);

// The lexicon's rules (<cramp>, <body>), parsed and checked once for everything that reads templates (the
// compiler and the export's sentence sampler), so a walk over a checked template can trust every rule.
class TemplateRules {
 public:
  // Parses every rule body and checks the rules together: each parses, each rule a body names exists, no
  // rule reaches itself, and no chain of rules nests deeper than kMaxTemplateNesting. Throws TemplateError
  // naming the rule.
  explicit TemplateRules(const std::map<std::string, std::string>& bodies);

  // Checks that every rule the template `root` (parsed from `source`) names exists; the rules' own
  // references were checked at construction. Throws TemplateError naming the template.
  void check(std::string_view source, const TemplateNode& root) const;

  // The parsed body of a rule that exists (as check() has proved for the template being walked).
  const TemplateNode& body(const std::string& name) const;

 private:
  std::map<std::string, TemplateNode, std::less<>> bodies_;
};

}  // namespace crampbot
