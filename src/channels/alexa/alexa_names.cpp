#include "channels/alexa/alexa_names.h"

#include <array>
#include <utility>

namespace crampbot::alexa {

namespace {

constexpr std::array<std::pair<std::string_view, std::string_view>, 7> kBuiltins = {{
    {"AMAZON.HelpIntent", "help"},
    {"AMAZON.StopIntent", "goodbye"},
    {"AMAZON.CancelIntent", "goodbye"},
    {"AMAZON.FallbackIntent", "fallback"},
    {"AMAZON.RepeatIntent", "repeat"},
    {"AMAZON.MoreIntent", "more"},
    {"AMAZON.NavigateHomeIntent", "welcome"},
}};

constexpr std::string_view kSuffix = "Intent";

bool is_lower(char c) {
  return c >= 'a' && c <= 'z';
}
bool is_upper(char c) {
  return c >= 'A' && c <= 'Z';
}
bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

}  // namespace

std::string alexa_intent_name(std::string_view intent) {
  std::string out;
  bool upper_next = true;
  for (const char c : intent) {
    if (c == '_') {
      upper_next = true;
      continue;
    }
    out += upper_next && is_lower(c) ? static_cast<char>(c - 'a' + 'A') : c;
    upper_next = false;
  }
  return out + std::string(kSuffix);
}

std::optional<std::string> intent_from_alexa_name(std::string_view alexa_name) {
  for (const auto& [builtin, ours] : kBuiltins) {
    if (alexa_name == builtin) return std::string(ours);
  }
  if (alexa_name.size() <= kSuffix.size() || !alexa_name.ends_with(kSuffix)) return std::nullopt;
  const std::string_view stem = alexa_name.substr(0, alexa_name.size() - kSuffix.size());
  if (!is_upper(stem.front())) return std::nullopt;
  std::string out;
  for (const char c : stem) {
    if (is_upper(c)) {
      if (!out.empty()) out += '_';
      out += static_cast<char>(c - 'A' + 'a');
    } else if (is_lower(c) || is_digit(c)) {
      out += c;
    } else {
      return std::nullopt;
    }
  }
  return out;
}

std::string alexa_request_name(std::string_view intent) {
  // The first built-in standing for an intent is the one a user's words reach (Stop before Cancel).
  for (const auto& [builtin, ours] : kBuiltins) {
    if (intent == ours && intent != "welcome") return std::string(builtin);
  }
  return alexa_intent_name(intent);
}

bool covered_by_builtin(std::string_view intent) {
  for (const auto& [builtin, ours] : kBuiltins) {
    if (intent == ours && intent != "welcome") return true;
  }
  return false;
}

}  // namespace crampbot::alexa
