#include "channels/channel_outcome.h"

#include "channels/json_body.h"

namespace crampbot {

ChannelOutcome answered(const Reply& reply, const nlohmann::json& body) {
  return answered_with_text(reply, dump_json(body));
}

ChannelOutcome answered_with_text(const Reply& reply, std::string body) {
  ChannelOutcome outcome;
  outcome.body = std::move(body);
  outcome.intent = reply.intent;
  outcome.urgent = reply.urgent;
  outcome.slots = reply.slots;
  for (const auto& candidate : reply.candidates)
    outcome.candidates.push_back(candidate.intent);
  for (const auto& source : reply.sources)
    outcome.sources.push_back(source.id);
  outcome.utterance = reply.match.normalised;
  outcome.locale = reply.locale;
  outcome.turn.confidence = reply.confidence;
  return outcome;
}

ChannelOutcome error_outcome(int status, std::string_view code, std::string_view message) {
  ChannelOutcome outcome;
  outcome.status = status;
  // Messages may quote untrusted input: dump_json replaces invalid UTF-8 rather than throw.
  outcome.body = dump_json({{"error", code}, {"message", message}});
  return outcome;
}

std::string locale_tag(std::string_view sent) {
  constexpr std::size_t kMaxBytes = 16;
  if (sent.empty() || sent.size() > kMaxBytes) return {};
  const auto letter = [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); };
  if (!letter(sent.front())) return {};
  for (const char c : sent) {
    if (!letter(c) && !(c >= '0' && c <= '9') && c != '-' && c != '_') return {};
  }
  return std::string(sent);
}

}  // namespace crampbot
