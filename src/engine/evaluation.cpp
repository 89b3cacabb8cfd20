#include "engine/evaluation.h"

#include <algorithm>

#include "engine/catalog_error.h"

namespace crampbot {

namespace {

std::string describe(const std::string& intent, const SlotMap& slots) {
  std::string out = intent;
  for (const auto& [k, v] : slots)
    out += " " + k + "=" + v;
  return out;
}

LabelledTurn read_turn(const nlohmann::json& json, const std::string& where, const IntentCatalog& catalog) {
  if (!json.is_object()) throw CatalogError(where + ": expected an object");
  LabelledTurn turn;
  auto text = json.find("text");
  auto intent = json.find("intent");
  if (text == json.end() || !text->is_string()) throw CatalogError(where + ": \"text\" must be a string");
  if (intent == json.end() || !intent->is_string())
    throw CatalogError(where + ": \"intent\" must be a string");
  turn.text = text->get<std::string>();
  turn.intent = intent->get<std::string>();
  const IntentDefinition* definition = catalog.find(turn.intent);
  if (!definition) throw CatalogError(where + ": unknown intent \"" + turn.intent + "\"");
  if (auto slots = json.find("slots"); slots != json.end() && !slots->is_null()) {
    if (!slots->is_object()) throw CatalogError(where + ": \"slots\" must be an object");
    for (const auto& [slot, value] : slots->items()) {
      if (!value.is_string()) throw CatalogError(where + ": slots." + slot + " must be a string");
      turn.slots[slot] = value.get<std::string>();
    }
  }
  if (auto kind = json.find("kind"); kind != json.end()) {
    const std::string name = kind->is_string() ? kind->get<std::string>() : "";
    if (name == "in_domain") {
      turn.kind = TurnKind::in_domain;
    } else if (name == "red_flag") {
      turn.kind = TurnKind::red_flag;
    } else if (name == "off_topic") {
      turn.kind = TurnKind::off_topic;
    } else {
      throw CatalogError(where + ": \"kind\" must be in_domain, red_flag or off_topic");
    }
  }
  if (auto accept = json.find("accept"); accept != json.end()) {
    if (!accept->is_array()) throw CatalogError(where + ": \"accept\" must be an array of intent names");
    for (const auto& name : *accept) {
      if (!name.is_string() || !catalog.find(name.get<std::string>()))
        throw CatalogError(where + ": \"accept\" names an intent the catalog does not have");
      turn.accept.push_back(name.get<std::string>());
    }
  }
  return turn;
}

void count_kind(const LabelledTurn& turn, const Reply* reply, const std::string& got_intent, bool full_ok,
                EvaluationReport::Kinds& kinds) {
  switch (turn.kind) {
    case TurnKind::in_domain:
      ++kinds.in_domain;
      kinds.in_domain_correct += full_ok;
      kinds.clarified += reply && reply->intent == kClarifyIntent;
      break;
    case TurnKind::red_flag:
      ++kinds.red_flags;
      kinds.red_flags_caught += reply && got_intent == turn.intent && reply->urgent;
      break;
    case TurnKind::off_topic: {
      ++kinds.off_topic;
      const auto& fine = turn.accept.empty() ? std::vector<std::string>{kFallbackIntent} : turn.accept;
      const std::string answered = reply ? reply->intent : got_intent;  // a clarifying question is an answer
      kinds.off_topic_accepted += std::find(fine.begin(), fine.end(), answered) == fine.end();
      kinds.false_alarms += reply && reply->urgent;
      break;
    }
    case TurnKind::unlabelled:
      break;
  }
}

}  // namespace

std::vector<LabelledConversation> read_labelled(std::istream& in, const std::string& name,
                                                const IntentCatalog& catalog) {
  std::vector<LabelledConversation> out;
  std::string line;
  std::size_t number = 0;
  while (std::getline(in, line)) {
    ++number;
    if (line.find_first_not_of(" \t\r") == std::string::npos || line[line.find_first_not_of(" \t")] == '#') {
      continue;
    }
    const std::string where = name + ":" + std::to_string(number);
    nlohmann::json json = nlohmann::json::parse(line, nullptr, false);
    if (json.is_discarded()) throw CatalogError(where + ": not valid JSON");
    LabelledConversation conversation;
    conversation.line = number;
    if (json.is_object() && json.contains("turns")) {
      const auto& turns = json["turns"];
      if (!turns.is_array() || turns.empty())
        throw CatalogError(where + ": \"turns\" must be a non-empty array");
      for (std::size_t i = 0; i < turns.size(); ++i) {
        conversation.turns.push_back(
            read_turn(turns[i], where + ": turns[" + std::to_string(i) + "]", catalog));
      }
    } else {
      conversation.turns.push_back(read_turn(json, where, catalog));
    }
    out.push_back(std::move(conversation));
  }
  return out;
}

EvaluationReport evaluate(const Engine& engine, const std::vector<LabelledConversation>& conversations) {
  EvaluationReport report;
  for (const auto& conversation : conversations) {
    DialogueContext context;
    for (const auto& turn : conversation.turns) {
      ++report.turns;
      auto& expected = report.per_intent[turn.intent];
      ++expected.expected;
      const auto outcome = engine.respond(turn.text, context);
      std::string got_intent = "(invalid input)";
      SlotMap got_slots;
      std::string reason;
      const Reply* reply = std::get_if<Reply>(&outcome);
      if (reply) {
        got_intent = reply->intent;
        got_slots = reply->slots;
        if (reply->intent == kClarifyIntent && !reply->candidates.empty()) {
          got_intent = reply->candidates.front().intent;
          got_slots = reply->candidates.front().slots;
        }
        reason = reply->match.reason;
        context = reply->context;
      } else {
        reason = std::string(describe(std::get<InputError>(outcome)));
      }
      ++report.per_intent[got_intent].predicted;
      const bool intent_ok = got_intent == turn.intent;
      const bool full_ok = intent_ok && got_slots == turn.slots;
      count_kind(turn, reply, got_intent, full_ok, report.kinds);
      report.intent_correct += intent_ok;
      report.full_correct += full_ok;
      expected.correct += intent_ok;
      expected.full_correct += full_ok;
      if (!intent_ok) ++report.confusion[{turn.intent, got_intent}];
      if (!full_ok) {
        report.errors.push_back(
            {turn.text, describe(turn.intent, turn.slots), describe(got_intent, got_slots), reason});
      }
    }
  }
  return report;
}

}  // namespace crampbot
