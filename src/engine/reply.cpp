#include "engine/reply.h"

#include <cmath>

namespace crampbot {

double rounded(double value) {
  return std::round(value * 1000.0) / 1000.0;
}

std::string shown_text(const Reply& reply) {
  if (reply.source_note.empty()) return reply.text;
  const std::string suffix = "\n\n" + reply.caveat;
  if (reply.caveat.empty() || !reply.text.ends_with(suffix)) return reply.text + "\n\n" + reply.source_note;
  return reply.text.substr(0, reply.text.size() - suffix.size()) + "\n\n" + reply.source_note + suffix;
}

nlohmann::json to_json(const Reply& reply) {
  nlohmann::json out = nlohmann::json::object();
  out["intent"] = reply.intent;
  out["slots"] = reply.slots;
  out["confidence"] = rounded(reply.confidence);
  out["text"] = reply.text;
  out["ssml"] = reply.ssml;
  out["caveat"] = reply.caveat;
  out["title"] = reply.title;
  out["reprompt"] = reply.reprompt;
  out["suggestions"] = reply.suggestions;
  out["sources"] = nlohmann::json::array();
  for (const auto& source : reply.sources)
    out["sources"].push_back({{"title", source.title}, {"url", source.url}});
  out["urgent"] = reply.urgent;
  out["end"] = reply.end;
  out["locale"] = reply.locale;
  out["context"] = to_json(reply.context);
  if (!reply.candidates.empty()) {
    nlohmann::json candidates = nlohmann::json::array();
    for (const auto& c : reply.candidates)
      candidates.push_back({{"intent", c.intent}, {"slots", c.slots}});
    out["candidates"] = candidates;
  }
  return out;
}

nlohmann::json to_json(const MatchResult& match) {
  nlohmann::json out = nlohmann::json::object();
  out["normalised"] = match.normalised;
  out["intent"] = match.intent;
  out["slots"] = match.slots;
  out["confidence"] = rounded(match.confidence);
  out["template"] = match.template_source;
  out["decision"] = std::string(decision_name(match.decision));
  out["reason"] = match.reason;
  nlohmann::json corrections = nlohmann::json::array();
  for (const auto& c : match.corrections)
    corrections.push_back({{"from", c.from}, {"to", c.to}});
  out["corrections"] = corrections;
  nlohmann::json candidates = nlohmann::json::array();
  for (const auto& c : match.candidates) {
    candidates.push_back({{"intent", c.intent},
                          {"score", rounded(c.score)},
                          {"distinctiveness", rounded(c.distinctiveness)},
                          {"template", c.template_source},
                          {"slots", c.slots}});
  }
  out["candidates"] = candidates;
  out["excluded"] = match.excluded;
  out["unexplained"] = match.uncovered;
  return out;
}

}  // namespace crampbot
