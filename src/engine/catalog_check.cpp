#include "engine/catalog_check.h"

#include <map>

#include <re2/re2.h>

#include "engine/ssml.h"

namespace crampbot {

namespace {

std::string describe_slots(const SlotMap& slots) {
  if (slots.empty()) return "{}";
  std::string out = "{";
  for (const auto& [k, v] : slots)
    out += (out.size() > 1 ? ", " : "") + k + ": " + v;
  return out + "}";
}

std::string lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

void check_examples(const Engine& engine, const IntentDefinition& intent, CheckReport& report,
                    std::map<std::string, std::string>& owners) {
  const std::string file = intent.file.string();
  for (const auto& example : intent.examples) {
    ++report.examples;
    const std::string key(engine.normaliser().normalise(example.text).plain());
    if (auto [it, inserted] = owners.emplace(key, intent.name); !inserted && it->second != intent.name) {
      report.problems.push_back(file + ": example \"" + example.text + "\" is also an example of " +
                                it->second);
    }
    const auto outcome = engine.respond(example.text, DialogueContext{});
    const auto* reply = std::get_if<Reply>(&outcome);
    if (!reply) {
      report.problems.push_back(file + ": example \"" + example.text + "\" is not a valid utterance");
      continue;
    }
    if (reply->intent != example.intent || reply->slots != example.slots) {
      report.problems.push_back(file + ": example \"" + example.text + "\" expected " + example.intent + " " +
                                describe_slots(example.slots) + ", got " + reply->intent + " " +
                                describe_slots(reply->slots) + " (" + reply->match.reason + ")");
    }
  }
  for (const auto& negative : intent.negatives) {
    ++report.negatives;
    const auto outcome = engine.respond(negative, DialogueContext{});
    const auto* reply = std::get_if<Reply>(&outcome);
    if (reply && reply->intent == intent.name) {
      report.problems.push_back(file + ": negative \"" + negative + "\" matches " + intent.name +
                                " (template \"" + reply->match.template_source + "\")");
    }
  }
}

void check_reply(const Engine& engine, const std::string& where, const Reply& reply, CheckReport& report) {
  if (reply.caveat.empty() || reply.text.find(reply.caveat) == std::string::npos) {
    report.problems.push_back(where + ": reply text does not carry the caveat");
  }
  if (!is_well_formed_ssml(reply.ssml)) report.problems.push_back(where + ": SSML is not well-formed");
  if (reply.ssml.size() > 8000) report.problems.push_back(where + ": SSML is over 8,000 characters");
  if (reply.text.size() > 8000) report.problems.push_back(where + ": text is over 8,000 characters");
  if (const std::string problem = safety_problem(reply.text); !problem.empty()) {
    report.problems.push_back(where + ": " + problem);
  }
  for (const auto& suggestion : reply.suggestions) {
    ++report.suggestions;
    const auto outcome = engine.respond(suggestion, reply.context);
    const auto* next = std::get_if<Reply>(&outcome);
    if (!next || next->intent == kFallbackIntent) {
      report.problems.push_back(where + ": suggestion \"" + suggestion + "\" is not understood (" +
                                (next ? next->match.reason : "invalid utterance") + ")");
    }
  }
}

}  // namespace

std::string safety_problem(std::string_view text) {
  static const RE2 dose(
      R"((?i)\b(\d+(?:[.,]\d+)?\s*(?:mg|mcg|µg|ug|iu|g|ml|milligrams?|micrograms?|grams?|units?|tablets?|pills?|capsules?)\b))");
  std::string found;
  if (RE2::PartialMatch(text, dose, &found)) return "gives a dose (\"" + found + "\")";
  const std::string folded = lower(text);
  // Sentence by sentence: quinine and tonic water may appear only next to a warning word.
  std::size_t start = 0;
  while (start < folded.size()) {
    std::size_t end = folded.find_first_of(".!?", start);
    if (end == std::string::npos) end = folded.size();
    const std::string_view sentence = std::string_view(folded).substr(start, end - start);
    const bool mentions = sentence.find("quinine") != std::string_view::npos ||
                          sentence.find("tonic water") != std::string_view::npos;
    if (mentions) {
      const bool warns = sentence.find("not ") != std::string_view::npos ||
                         sentence.find("never") != std::string_view::npos ||
                         sentence.find("avoid") != std::string_view::npos ||
                         sentence.find("warn") != std::string_view::npos ||
                         sentence.find("no longer") != std::string_view::npos ||
                         sentence.find("urgent") != std::string_view::npos;
      if (!warns) return "mentions quinine or tonic water outside a warning";
    }
    start = end + 1;
  }
  return {};
}

CheckReport check_catalog(const Engine& engine) {
  CheckReport report;
  report.templates = engine.matcher().template_count();
  std::map<std::string, std::string> owners;
  for (const auto& intent : engine.intents().intents) {
    ++report.intents;
    if (intent.examples.empty() && intent.name != kFallbackIntent && intent.answer_as.empty()) {
      report.problems.push_back(intent.file.string() +
                                ": no examples: every intent needs examples that prove it matches");
    }
    check_examples(engine, intent, report, owners);
  }
  for (const auto& [intent, responses] : engine.responses().all()) {
    for (const auto& [key, variants] : responses.replies) {
      SlotMap slots;
      const auto* definition = engine.intents().find(intent);
      if (key != kDefaultReplyKey && !definition->slots.empty())
        slots[definition->slots.begin()->first] = key;
      for (std::size_t v = 0; v < variants.size(); ++v) {
        ++report.variants;
        const std::string where =
            responses.file.string() + ": replies." + key + "[" + std::to_string(v) + "]";
        // The reply as composed for a conversation whose turn selects this variant.
        DialogueContext context;
        context.turn = static_cast<int>(v);
        const Reply reply = engine.respond_to_intent(intent, slots, context);
        check_reply(engine, where, reply, report);
        if (!variants[v].more.empty()) {
          if (const std::string problem = safety_problem(variants[v].more); !problem.empty()) {
            report.problems.push_back(where + ".more: " + problem);
          }
        }
      }
    }
  }
  return report;
}

}  // namespace crampbot
