#include "authoring/conversation_spec.h"

#include "engine/locale_tag.h"

#include <algorithm>
#include <functional>
#include <set>

#include <yaml-cpp/yaml.h>

namespace crampbot::authoring {

namespace {

namespace fs = std::filesystem;

// Reads nodes of one file, turning every problem into a ConversationFileError at the node's line.
class Reader {
 public:
  explicit Reader(fs::path file) : file_(std::move(file)) {}

  [[noreturn]] void fail(const YAML::Node& node, const std::string& problem) const {
    // yaml-cpp counts lines from 0; a node built by hand has line -1.
    const int line = node.Mark().line;
    throw ConversationFileError(file_, line < 0 ? 0 : static_cast<std::size_t>(line) + 1, problem);
  }

  std::size_t line_of(const YAML::Node& node) const {
    const int line = node.Mark().line;
    return line < 0 ? 0 : static_cast<std::size_t>(line) + 1;
  }

  std::string string(const YAML::Node& node, const std::string& key) const {
    if (!node.IsScalar()) fail(node, "'" + key + "' must be a string");
    return node.Scalar();
  }

  bool boolean(const YAML::Node& node, const std::string& key) const {
    if (node.IsScalar()) {
      const std::string& value = node.Scalar();
      if (value == "true") return true;
      if (value == "false") return false;
    }
    fail(node, "'" + key + "' must be true or false");
  }

  // A string, or a list of strings (one string is a list of one).
  std::vector<std::string> strings(const YAML::Node& node, const std::string& key) const {
    if (node.IsScalar()) return {node.Scalar()};
    if (!node.IsSequence()) fail(node, "'" + key + "' must be a string or a list of strings");
    std::vector<std::string> out;
    for (const auto& item : node) {
      if (!item.IsScalar()) fail(item, "each item of '" + key + "' must be a string");
      out.push_back(item.Scalar());
    }
    return out;
  }

  std::map<std::string, std::string> string_map(const YAML::Node& node, const std::string& key) const {
    if (node.IsNull()) return {};
    if (!node.IsMap()) fail(node, "'" + key + "' must be a mapping of names to values");
    std::map<std::string, std::string> out;
    for (const auto& item : node) {
      const std::string name = string(item.first, key + " name");
      if (!item.second.IsScalar()) fail(item.second, "'" + key + "." + name + "' must be a string");
      out[name] = item.second.Scalar();
    }
    return out;
  }

  // Calls `read(key, value)` for each member of mapping `node`; a key not in `known` is an error listing
  // them.
  void members(const YAML::Node& node, const std::string& what, const std::vector<std::string>& known,
               const std::function<void(const std::string&, const YAML::Node&)>& read) const {
    if (!node.IsMap()) fail(node, what + " must be a mapping");
    std::set<std::string> seen;
    for (const auto& item : node) {
      const std::string key = string(item.first, "key");
      if (!seen.insert(key).second) fail(item.first, "'" + key + "' appears twice in " + what);
      if (std::find(known.begin(), known.end(), key) == known.end()) {
        std::string list;
        for (const auto& k : known)
          list += (list.empty() ? "" : ", ") + k;
        fail(item.first, "unknown key '" + key + "' in " + what + " (known: " + list + ")");
      }
      read(key, item.second);
    }
  }

  TurnExpectation expectation(const YAML::Node& node) const {
    TurnExpectation expect;
    static const std::vector<std::string> known = {"intent",
                                                   "slots",
                                                   "urgent",
                                                   "end",
                                                   "refused",
                                                   "text_contains",
                                                   "text_excludes",
                                                   "speech_contains",
                                                   "speech_excludes",
                                                   "title",
                                                   "suggestions_include",
                                                   "candidates",
                                                   "source"};
    members(node, "expect", known, [&](const std::string& key, const YAML::Node& value) {
      if (key == "intent") expect.intent = string(value, key);
      if (key == "slots") expect.slots = string_map(value, key);
      if (key == "urgent") expect.urgent = boolean(value, key);
      if (key == "end") expect.end = boolean(value, key);
      if (key == "refused") expect.refused = boolean(value, key);
      if (key == "text_contains") expect.text_contains = strings(value, key);
      if (key == "text_excludes") expect.text_excludes = strings(value, key);
      if (key == "speech_contains") expect.speech_contains = strings(value, key);
      if (key == "speech_excludes") expect.speech_excludes = strings(value, key);
      if (key == "title") expect.title = string(value, key);
      if (key == "suggestions_include") expect.suggestions_include = strings(value, key);
      if (key == "candidates") expect.candidates = strings(value, key);
      if (key == "source") expect.sources = strings(value, key);
    });
    return expect;
  }

  TurnSpec turn(const YAML::Node& node) const {
    TurnSpec turn;
    turn.line = line_of(node);
    bool has_expect = false;
    members(node, "a turn", {"say", "intent", "slots", "expect"},
            [&](const std::string& key, const YAML::Node& value) {
              if (key == "say") turn.say = value.IsNull() ? std::string() : string(value, key);
              if (key == "intent") turn.intent = string(value, key);
              if (key == "slots") turn.slots = string_map(value, key);
              if (key == "expect") {
                turn.expect = expectation(value);
                has_expect = true;
              }
            });
    if (turn.say.has_value() == turn.intent.has_value())
      fail(node, "a turn needs exactly one of 'say' (the user's words) and 'intent' (a platform's intent)");
    if (!turn.slots.empty() && !turn.intent) fail(node, "'slots' goes with 'intent', not with 'say'");
    if (!has_expect) fail(node, "a turn needs 'expect'");
    return turn;
  }

  ConversationSpec conversation(const YAML::Node& node) const {
    ConversationSpec conversation;
    conversation.file = file_;
    conversation.line = line_of(node);
    bool has_turns = false;
    members(node, "a conversation", {"name", "channels", "locale", "turns"},
            [&](const std::string& key, const YAML::Node& value) {
              if (key == "name") conversation.name = string(value, key);
              if (key == "locale") {
                conversation.locale = string(value, key);
                conversation.locale_line = line_of(value);
                const auto tag = parse_locale(conversation.locale);
                if (!tag || tag->str() != conversation.locale)
                  fail(value, "'locale' must be written as \"en-GB\" or \"es\" are");
              }
              if (key == "channels") {
                conversation.channels = strings(value, key);
                for (const auto& channel : conversation.channels) {
                  const auto& names = known_channel_names();
                  if (std::find(names.begin(), names.end(), channel) == names.end())
                    fail(value, "unknown channel '" + channel + "' in 'channels'");
                }
              }
              if (key == "turns") {
                if (!value.IsSequence() || value.size() == 0)
                  fail(value, "'turns' must be a list of one or more turns");
                for (const auto& item : value)
                  conversation.turns.push_back(turn(item));
                has_turns = true;
              }
            });
    if (conversation.name.empty()) fail(node, "a conversation needs a 'name'");
    if (!has_turns) fail(node, "a conversation needs 'turns'");
    return conversation;
  }

 private:
  fs::path file_;
};

}  // namespace

ConversationFileError::ConversationFileError(const std::filesystem::path& file, std::size_t line,
                                             const std::string& problem)
    : std::runtime_error(file.string() + (line > 0 ? ":" + std::to_string(line) : std::string()) + ": " +
                         problem) {}

const std::vector<std::string>& known_channel_names() {
  static const std::vector<std::string> names = {"engine",     "chat",          "alexa",
                                                 "dialogflow", "dialogflow-cx", "rasa"};
  return names;
}

std::vector<ConversationSpec> load_conversation_file(const std::filesystem::path& file) {
  YAML::Node root;
  try {
    root = YAML::LoadFile(file.string());
  } catch (const YAML::BadFile&) {
    throw ConversationFileError(file, 0, "cannot be read");
  } catch (const YAML::Exception& e) {
    throw ConversationFileError(file, static_cast<std::size_t>(std::max(e.mark.line, 0)) + 1,
                                "not valid YAML: " + e.msg);
  }
  const Reader reader(file);
  if (root.IsNull()) throw ConversationFileError(file, 0, "is empty: it must be a list of conversations");
  if (!root.IsSequence() || root.size() == 0)
    reader.fail(root, "the file must be a list of conversations (\"- name: ...\")");
  std::vector<ConversationSpec> conversations;
  std::set<std::string> names;
  for (const auto& node : root) {
    conversations.push_back(reader.conversation(node));
    if (!names.insert(conversations.back().name).second)
      reader.fail(node, "a second conversation named '" + conversations.back().name + "'");
  }
  return conversations;
}

void check_intent_names(const ConversationSpec& conversation, const IntentCatalog& intents) {
  for (const auto& turn : conversation.turns) {
    const auto check = [&](const std::string& name, const std::string& key) {
      if (!intents.find(name))
        throw ConversationFileError(conversation.file, turn.line,
                                    "'" + key + "': no intent named '" + name + "'");
    };
    if (turn.intent && turn.intent->find('.') == std::string::npos && !turn.intent->ends_with("Intent"))
      check(*turn.intent, "intent");
    if (turn.expect.intent) check(*turn.expect.intent, "expect.intent");
    if (turn.expect.candidates) {
      for (const auto& candidate : *turn.expect.candidates)
        check(candidate, "expect.candidates");
    }
  }
}

std::vector<std::filesystem::path> find_conversation_files(const std::vector<std::filesystem::path>& paths) {
  std::vector<fs::path> files;
  for (const auto& path : paths) {
    std::error_code error;
    if (fs::is_directory(path, error)) {
      std::vector<fs::path> found;
      for (fs::recursive_directory_iterator it(path, error), end; !error && it != end; it.increment(error)) {
        const auto extension = it->path().extension();
        if (it->is_regular_file(error) && (extension == ".yaml" || extension == ".yml"))
          found.push_back(it->path());
      }
      if (error) throw ConversationFileError(path, 0, "cannot be listed: " + error.message());
      std::sort(found.begin(), found.end());
      files.insert(files.end(), found.begin(), found.end());
    } else if (fs::exists(path, error)) {
      files.push_back(path);
    } else {
      throw ConversationFileError(path, 0, "no such file or folder");
    }
  }
  return files;
}

}  // namespace crampbot::authoring
