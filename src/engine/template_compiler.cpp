#include "engine/template_compiler.h"

#include <algorithm>
#include <functional>
#include <set>

#include <re2/re2.h>

namespace crampbot {

namespace {

// Any run of whole tokens. Patterns are matched byte by byte (Latin-1 mode; see pattern_options in
// intent_matcher.cpp) over the 3-byte token codes (vocabulary.h), so one token is a lead byte E0-ED and two
// continuation bytes. Spelling that out, rather than "." over UTF-8, keeps wildcards aligned on tokens and
// gives RE2 a far smaller automaton to build and to hold in its DFA caches.
constexpr std::string_view kAnyTokens = "(?:[\\xE0-\\xED][\\x80-\\xBF][\\x80-\\xBF])*";

using Node = TemplateCompiler::Node;

// Turns a parsed template into an RE2 pattern, recording capture groups and literal words.
class PatternEmitter {
 public:
  PatternEmitter(const TextNormaliser& normaliser,
                 std::unordered_map<std::string, std::vector<std::string>>& tokenised, Vocabulary& vocabulary,
                 const TemplateRules& rules, const std::map<std::string, std::string>& slots,
                 const std::function<const std::vector<ListPhrase>&(const std::string&)>& list_phrases,
                 CompiledTemplate& out)
      : normaliser_(normaliser),
        tokenised_(tokenised),
        vocabulary_(vocabulary),
        rules_(rules),
        slots_(slots),
        list_phrases_(list_phrases),
        out_(out) {}

  void emit(const Node& node, std::string& pattern) {
    if (pattern.size() > kMaxPatternBytes) fail("the compiled pattern is larger than the limit");
    switch (node.type) {
      case Node::Type::sequence:
        emit_sequence(node.children, pattern);
        break;
      case Node::Type::alternatives:
        pattern += "(?:";
        for (std::size_t i = 0; i < node.children.size(); ++i) {
          if (i > 0) pattern += '|';
          emit(node.children[i], pattern);
        }
        pattern += ')';
        break;
      case Node::Type::optional:
        pattern += "(?:";
        emit(node.children.front(), pattern);
        pattern += ")?";
        break;
      case Node::Type::words: {
        auto cached = tokenised_.find(node.text);
        if (cached == tokenised_.end())
          cached = tokenised_.emplace(node.text, normaliser_.tokenise(node.text)).first;
        const std::vector<std::string>& tokens = cached->second;
        // A run that normalises to nothing (a skip word such as "please") silently turns a required
        // alternative into an empty one; that is never what the author meant.
        if (tokens.empty())
          fail("\"" + node.text +
               "\" vanishes after normalisation (punctuation and skip words match nothing)");
        for (const auto& token : tokens) {
          Vocabulary::append_code(vocabulary_.add(token), pattern);
          out_.words.push_back(token);
          ++literal_tokens_;
        }
        break;
      }
      case Node::Type::slot: {
        auto slot = slots_.find(node.text);
        if (slot == slots_.end()) fail("slot {" + node.text + "} is not declared in this intent's \"slots\"");
        out_.groups.push_back({CaptureGroup::Kind::slot, slot->first, slot->second});
        pattern += "((?:";
        bool first = true;
        for (const auto& phrase : list_phrases_(slot->second)) {
          if (!first) pattern += '|';
          first = false;
          pattern += phrase.encoded;
          std::size_t start = 0;
          while (start < phrase.text.size()) {
            const std::size_t end = std::min(phrase.text.find(' ', start), phrase.text.size());
            out_.words.push_back(phrase.text.substr(start, end - start));
            start = end + 1;
          }
        }
        pattern += "))";
        ++literal_tokens_;
        break;
      }
      case Node::Type::rule:
        // The template's rules were checked before emitting (TemplateRules::check): each exists, none cycles.
        pattern += "(?:";
        emit(rules_.body(node.text), pattern);
        pattern += ')';
        break;
      case Node::Type::wildcard:
        out_.groups.push_back({CaptureGroup::Kind::wildcard, {}, {}});
        pattern += "(" + std::string(kAnyTokens) + "?)";
        break;
    }
  }

  // A wildcard followed by optional parts ("* [x] [y] rest") would always let the wildcard swallow x and y,
  // since an optional that fails where the wildcard stops is simply skipped. "[* x] [* y] * rest" accepts
  // the same utterances but tries each optional part wherever it occurs, so the words it covers count.
  void emit_sequence(const std::vector<Node>& children, std::string& pattern) {
    for (std::size_t i = 0; i < children.size(); ++i) {
      const Node& child = children[i];
      const bool wildcard_then_optional = child.type == Node::Type::wildcard && i + 1 < children.size() &&
                                          children[i + 1].type == Node::Type::optional;
      if (!wildcard_then_optional) {
        emit(child, pattern);
        continue;
      }
      while (i + 1 < children.size() && children[i + 1].type == Node::Type::optional) {
        pattern += "(?:";
        emit(child, pattern);
        emit(children[i + 1].children.front(), pattern);
        pattern += ")?";
        ++i;
      }
      emit(child, pattern);
    }
  }

  std::size_t literal_tokens() const { return literal_tokens_; }

  [[noreturn]] void fail(const std::string& why) const {
    throw TemplateError("template \"" + out_.source + "\": " + why);
  }

 private:
  const TextNormaliser& normaliser_;
  std::unordered_map<std::string, std::vector<std::string>>& tokenised_;
  Vocabulary& vocabulary_;
  const TemplateRules& rules_;
  const std::map<std::string, std::string>& slots_;
  const std::function<const std::vector<ListPhrase>&(const std::string&)>& list_phrases_;
  CompiledTemplate& out_;
  std::size_t literal_tokens_ = 0;
};

}  // namespace

re2::RE2::Options template_pattern_options() {
  re2::RE2::Options options;
  options.set_encoding(re2::RE2::Options::EncodingLatin1);
  options.set_log_errors(false);
  options.set_case_sensitive(true);
  return options;
}

TemplateCompiler::TemplateCompiler(const Lexicon& lexicon, const TextNormaliser& normaliser,
                                   Vocabulary& vocabulary)
    : normaliser_(normaliser), vocabulary_(vocabulary), rules_(lexicon.rules) {
  for (const auto& [list_name, values] : lexicon.lists) {
    std::vector<ListPhrase> phrases;
    std::map<std::string, std::string> seen;  // normalised phrase → canonical
    for (const auto& value : values) {
      for (const auto& phrase : value.phrases) {
        const auto tokens = normaliser.tokenise(phrase);
        if (tokens.empty()) {
          throw TemplateError("list \"" + list_name + "\" value \"" + value.canonical + "\": phrase \"" +
                              phrase + "\" is empty after normalisation");
        }
        ListPhrase out{std::string(NormalisedText::from_tokens(tokens).plain()), {}, value.canonical};
        if (auto [it, inserted] = seen.emplace(out.text, value.canonical); !inserted) {
          if (it->second != value.canonical) {
            throw TemplateError("list \"" + list_name + "\": phrase \"" + phrase + "\" means both \"" +
                                it->second + "\" and \"" + value.canonical + "\"");
          }
          continue;
        }
        for (const auto& token : tokens)
          Vocabulary::append_code(vocabulary.add(token), out.encoded);
        phrases.push_back(std::move(out));
      }
    }
    // Most tokens first, so that "vitamin b12" is preferred over "vitamin b" where both could match.
    std::stable_sort(phrases.begin(), phrases.end(), [](const ListPhrase& a, const ListPhrase& b) {
      return a.encoded.size() > b.encoded.size();
    });
    lists_[list_name] = std::move(phrases);
  }
}

TemplateCompiler::~TemplateCompiler() = default;

const std::vector<ListPhrase>& TemplateCompiler::list_phrases(const std::string& list) const {
  static const std::vector<ListPhrase> empty;
  auto it = lists_.find(list);
  return it == lists_.end() ? empty : it->second;
}

CompiledTemplate TemplateCompiler::compile(std::string_view source,
                                           const std::map<std::string, std::string>& slots, bool spot) const {
  CompiledTemplate out;
  out.source = std::string(source);
  for (const auto& [slot, list] : slots) {
    if (!lists_.count(list)) {
      throw TemplateError("slot {" + slot + "} uses list \"" + list +
                          "\", which the lexicon does not define");
    }
  }
  const Node root = parse_template(source);
  rules_.check(source, root);
  const std::function<const std::vector<ListPhrase>&(const std::string&)> phrases =
      [this](const std::string& list) -> const std::vector<ListPhrase>& { return list_phrases(list); };
  PatternEmitter emitter(normaliser_, tokenised_, vocabulary_, rules_, slots, phrases, out);
  std::string pattern;
  if (spot) {
    out.groups.push_back({CaptureGroup::Kind::wildcard, {}, {}});
    pattern += "(" + std::string(kAnyTokens) + "?)";
  }
  emitter.emit(root, pattern);
  if (spot) {
    out.groups.push_back({CaptureGroup::Kind::wildcard, {}, {}});
    pattern += "(" + std::string(kAnyTokens) + ")";
  }
  if (emitter.literal_tokens() == 0) {
    emitter.fail("a template needs at least one word or slot that survives normalisation");
  }
  if (pattern.size() > kMaxPatternBytes) emitter.fail("the compiled pattern is larger than the limit");
  out.pattern = std::move(pattern);
  return out;
}

}  // namespace crampbot
