#pragma once

#include <cstddef>
#include <filesystem>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "engine/intent_catalog.h"

namespace crampbot::authoring {

// What one turn's `expect:` asks of the reply. An absent (nullopt or empty) expectation is not checked.
struct TurnExpectation {
  std::optional<std::string> intent;
  std::optional<SlotMap> slots;  // exactly these slots; {} means none
  std::optional<bool> urgent;
  std::optional<bool> end;
  std::optional<bool> refused;  // the utterance is refused as unusable (empty, too long, control characters)
  std::vector<std::string> text_contains;  // each must appear in what is shown
  std::vector<std::string> text_excludes;  // none may appear in what is shown
  std::vector<std::string> speech_contains;
  std::vector<std::string> speech_excludes;
  std::vector<std::string> suggestions_include;        // each must be one of the suggestions, exactly
  std::optional<std::string> title;                    // the card title, exactly
  std::optional<std::vector<std::string>> candidates;  // the intents a clarifying question offers, in order
  std::vector<std::string> sources;  // each must be a source of the reply, by id or by title
};

// One turn: the user's words (`say`), or an intent a platform's own NLU picked (`intent` with `slots` as the
// platform spells them), and what the reply must hold.
struct TurnSpec {
  std::size_t line = 0;  // 1-based line of the turn in its file
  std::optional<std::string> say;
  std::optional<std::string> intent;
  std::map<std::string, std::string> slots;
  TurnExpectation expect;
};

// One conversation: its turns run in order, each turn's context carried to the next.
struct ConversationSpec {
  std::string name;
  std::filesystem::path file;
  std::size_t line = 0;
  std::vector<std::string> channels;  // the channels it runs on; empty means every channel asked for
  std::string locale;  // the locale its platforms send ("es-MX"); "" for the run's (--locale, else default)
  std::size_t locale_line = 0;
  std::vector<TurnSpec> turns;
};

// A test file that cannot be used: unreadable, not YAML, an unknown key or a value of the wrong type.
// what() is "<file>:<line>: <problem>" (without the line when the problem is the whole file), the problem
// naming the key.
class ConversationFileError : public std::runtime_error {
 public:
  ConversationFileError(const std::filesystem::path& file, std::size_t line, const std::string& problem);
};

// The channel names a conversation's `channels:` and `crampbot test --channel` accept.
const std::vector<std::string>& known_channel_names();

// Reads a YAML file holding a list of conversations. Throws ConversationFileError for a malformed file.
std::vector<ConversationSpec> load_conversation_file(const std::filesystem::path& file);

// Checks that every intent a conversation names (a platform intent sent, an intent or candidate expected) is
// one `intents` has; an Alexa name ("AMAZON.StopIntent") may be sent as it is. Throws ConversationFileError
// at the turn's line for the first that is not, so a typo is not a failing test.
void check_intent_names(const ConversationSpec& conversation, const IntentCatalog& intents);

// The test files under `paths`: each file as given, and every *.yaml and *.yml file below each folder, in
// sorted order. Throws ConversationFileError for a path that does not exist.
std::vector<std::filesystem::path> find_conversation_files(const std::vector<std::filesystem::path>& paths);

}  // namespace crampbot::authoring
