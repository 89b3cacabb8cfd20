#include "authoring/turn_expectations.h"

#include <algorithm>

namespace crampbot::authoring {

namespace {

std::string quoted(const std::string& text) {
  return "\"" + text + "\"";
}

std::string yes_no(bool value) {
  return value ? "true" : "false";
}

// Each of `wanted` must (or, when `present` is false, must not) appear in `text`, named `what` in the diff.
void check_contains(const std::string& key, const std::vector<std::string>& wanted, const std::string& text,
                    bool present, std::vector<UnmetExpectation>& unmet) {
  for (const auto& part : wanted) {
    if ((text.find(part) != std::string::npos) == present) continue;
    unmet.push_back({key, (present ? "contains " : "does not contain ") + quoted(part), quoted(text)});
  }
}

}  // namespace

std::string describe_list(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items)
    out += (out.empty() ? "" : ", ") + item;
  return "[" + out + "]";
}

std::vector<UnmetExpectation> unmet_expectations(const TurnExpectation& expect, const ObservedTurn& turn) {
  std::vector<UnmetExpectation> unmet;
  const bool refusal_expected = expect.refused.value_or(false);
  if (refusal_expected && !turn.can_refuse) return unmet;  // the platform answers whatever is said
  if (turn.refused != refusal_expected) {
    unmet.push_back({"refused", refusal_expected ? "refused" : "an answer",
                     turn.refused ? "refused (" + turn.refusal + ")" : "answered as " + turn.intent});
    return unmet;
  }
  if (turn.refused) return unmet;

  if (expect.intent && *expect.intent != turn.intent)
    unmet.push_back({"intent", *expect.intent, turn.intent});
  if (expect.slots && *expect.slots != turn.slots)
    unmet.push_back({"slots", describe_slots(*expect.slots), describe_slots(turn.slots)});
  if (expect.urgent && *expect.urgent != turn.urgent)
    unmet.push_back({"urgent", yes_no(*expect.urgent), yes_no(turn.urgent)});
  if (expect.end && turn.end && *expect.end != *turn.end)
    unmet.push_back({"end", yes_no(*expect.end), yes_no(*turn.end)});
  check_contains("text_contains", expect.text_contains, turn.shown, true, unmet);
  check_contains("text_excludes", expect.text_excludes, turn.shown, false, unmet);
  if (turn.spoken) {
    check_contains("speech_contains", expect.speech_contains, *turn.spoken, true, unmet);
    check_contains("speech_excludes", expect.speech_excludes, *turn.spoken, false, unmet);
  }
  if (expect.title && turn.title && *expect.title != *turn.title)
    unmet.push_back({"title", quoted(*expect.title), quoted(*turn.title)});
  if (turn.suggestions) {
    for (const auto& wanted : expect.suggestions_include) {
      if (std::find(turn.suggestions->begin(), turn.suggestions->end(), wanted) == turn.suggestions->end())
        unmet.push_back({"suggestions_include", quoted(wanted), describe_list(*turn.suggestions)});
    }
  }
  if (expect.candidates && *expect.candidates != turn.candidates)
    unmet.push_back({"candidates", describe_list(*expect.candidates), describe_list(turn.candidates)});
  for (const auto& wanted : expect.sources) {
    const bool found =
        std::find(turn.sources.begin(), turn.sources.end(), wanted) != turn.sources.end() ||
        std::find(turn.source_ids.begin(), turn.source_ids.end(), wanted) != turn.source_ids.end();
    if (!found) unmet.push_back({"source", quoted(wanted), describe_list(turn.sources)});
  }
  return unmet;
}

}  // namespace crampbot::authoring
