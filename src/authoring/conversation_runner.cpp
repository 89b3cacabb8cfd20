#include "authoring/conversation_runner.h"

#include <algorithm>
#include <chrono>

#include "authoring/channel_driver.h"

namespace crampbot::authoring {

namespace {

std::string describe_sent(const TurnSpec& turn) {
  if (turn.say) return "say: \"" + *turn.say + "\"";
  return "intent: " + *turn.intent + (turn.slots.empty() ? "" : " " + describe_slots(turn.slots));
}

bool sends_platform_intents(const ConversationSpec& conversation) {
  return std::any_of(conversation.turns.begin(), conversation.turns.end(),
                     [](const TurnSpec& turn) { return turn.intent.has_value(); });
}

// Every line of `text` after the first indented by `indent`, so a reply's paragraphs stay in the diff's
// column.
std::string indent_lines(const std::string& text, const std::string& indent) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    out += text[i];
    // A blank line stays blank: no trailing spaces.
    if (text[i] == '\n' && i + 1 < text.size() && text[i + 1] != '\n') out += indent;
  }
  return out;
}

}  // namespace

ConversationResult run_conversation(const EngineSet& engines, const std::string& locale,
                                    const ConversationSpec& conversation,
                                    const std::vector<std::string>& channels, const CaveatSet& caveats) {
  const auto start = std::chrono::steady_clock::now();
  ConversationResult result;
  result.name = conversation.name;
  result.file = conversation.file.string();
  result.line = conversation.line;
  for (const auto& channel : channels) {
    const auto& own = conversation.channels;
    if (!own.empty() && std::find(own.begin(), own.end(), channel) == own.end()) {
      result.skipped.push_back(channel + " (not in its channels)");
      continue;
    }
    auto driver =
        make_channel_driver(channel, engines, conversation.locale.empty() ? locale : conversation.locale);
    if (!driver) {
      result.skipped.push_back(channel + " (unknown channel)");
      continue;
    }
    if (sends_platform_intents(conversation) && !driver->can_send_intents()) {
      result.skipped.push_back(channel + " (sends platform intents, which " + channel + " cannot)");
      continue;
    }
    result.channels.push_back(channel);
    for (std::size_t i = 0; i < conversation.turns.size(); ++i) {
      const TurnSpec& spec = conversation.turns[i];
      const ObservedTurn turn =
          spec.say ? driver->say(*spec.say) : *driver->send_intent(*spec.intent, spec.slots);
      TurnFailure failure{spec.line,
                          i + 1,
                          channel,
                          describe_sent(spec),
                          unmet_expectations(spec.expect, turn),
                          broken_invariants(turn, caveats)};
      if (!failure.unmet.empty() || !failure.broken_invariants.empty()) {
        result.failures.push_back(std::move(failure));
        break;
      }
    }
  }
  result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return result;
}

std::string format_result(const ConversationResult& result) {
  const std::string status = !result.ran() ? "skip" : result.passed() ? "ok  " : "FAIL";
  std::string out =
      status + "  " + result.name + "  (" + result.file + ":" + std::to_string(result.line) + ")";
  if (!result.ran()) {
    std::string why;
    for (const auto& skipped : result.skipped)
      why += (why.empty() ? "" : ", ") + skipped;
    out += "  not run: " + why;
  }
  out += "\n";
  // The same failure on several channels is shown once, naming them all.
  std::vector<std::pair<std::string, std::vector<std::string>>> groups;  // (diff, channels)
  for (const auto& failure : result.failures) {
    std::string diff = ": turn " + std::to_string(failure.turn) + " on [{channels}]: " + failure.sent + "\n";
    diff = "      " + result.file + ":" + std::to_string(failure.line) + diff;
    for (const auto& unmet : failure.unmet) {
      diff += "        " + unmet.key + "\n";
      diff += "          expected: " + indent_lines(unmet.expected, "                    ") + "\n";
      diff += "          actual:   " + indent_lines(unmet.actual, "                    ") + "\n";
    }
    for (const auto& broken : failure.broken_invariants)
      diff += "        invariant: " + broken + "\n";
    const auto same =
        std::find_if(groups.begin(), groups.end(), [&](const auto& g) { return g.first == diff; });
    if (same != groups.end()) {
      same->second.push_back(failure.channel);
    } else {
      groups.push_back({diff, {failure.channel}});
    }
  }
  for (const auto& [diff, channels] : groups) {
    std::string names;
    for (const auto& channel : channels)
      names += (names.empty() ? "" : ", ") + channel;
    const auto at = diff.find("{channels}");
    out += diff.substr(0, at) + names + diff.substr(at + std::string_view("{channels}").size());
  }
  return out;
}

}  // namespace crampbot::authoring
