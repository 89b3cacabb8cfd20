#include "engine/catalog_check.h"

#include <map>

#include <re2/re2.h>

#include "engine/ssml.h"

namespace crampbot {

namespace {

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
    } else if (example.intent == public_name(intent) && engine.responses().all().count(intent.name) &&
               reply->context.intent != intent.name) {
      // A helper with replies of its own: its examples must get those replies, not the public intent's.
      report.problems.push_back(file + ": example \"" + example.text + "\" is answered with " +
                                reply->context.intent + "'s replies, not " + intent.name + "'s (" +
                                reply->match.reason + ")");
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

void check_safety(const SafetyScreens& screens, const std::string& where, std::string_view text,
                  CheckReport& report) {
  if (const std::string problem = screens.problem(text); !problem.empty())
    report.problems.push_back(where + ": " + problem);
}

void check_variant_safety(const SafetyScreens& screens, const std::string& where,
                          const ResponseVariant& variant, CheckReport& report) {
  check_safety(screens, where + ".title", variant.title, report);
  check_safety(screens, where + ".text", variant.text, report);
  check_safety(screens, where + ".voice", variant.voice, report);
  check_safety(screens, where + ".more", variant.more, report);
  check_safety(screens, where + ".reprompt", variant.reprompt, report);
  check_safety(screens, where + ".caveat", variant.caveat, report);
  for (std::size_t i = 0; i < variant.suggestions.size(); ++i)
    check_safety(screens, where + ".suggestions[" + std::to_string(i) + "]", variant.suggestions[i], report);
}

// An intent a clarifying question may offer: one that answers a question of its own.
bool can_be_offered(const IntentDefinition& intent) {
  return intent.context_action == ContextAction::none && !intent.conversational && !intent.overrides &&
         intent.name != kFallbackIntent && intent.name != kClarifyIntent &&
         public_name(intent) != kFallbackIntent;
}

// Every intent a clarifying question may offer has a choice text, and each of its questions (one per slot
// value for the "with_slot" form) is answered by that intent with that value.
void check_choices(const Engine& engine, CheckReport& report) {
  for (const auto& intent : engine.intents().intents) {
    if (!can_be_offered(intent) || !engine.responses().all().count(intent.name)) continue;
    const IntentResponses& responses = engine.responses().of(intent.name);
    if (responses.choice.label.empty() && responses.choice.label_with_slot.empty()) {
      report.problems.push_back(responses.file.string() +
                                ": choice: missing (a clarifying question may offer this intent)");
      continue;
    }
    std::vector<SlotMap> offers;
    if (!responses.choice.ask.empty()) offers.push_back({});
    if (!responses.choice.ask_with_slot.empty()) {
      const auto& [slot, list] = *intent.slots.begin();
      for (const auto& value : engine.intents().lexicon.lists.at(list))
        offers.push_back({{slot, value.canonical}});
    }
    for (const auto& slots : offers) {
      const std::string ask = engine.responses().choice_text(intent.name, slots).second;
      const auto outcome = engine.respond(ask, DialogueContext{});
      const auto* reply = std::get_if<Reply>(&outcome);
      if (!reply || reply->intent != public_name(intent) || reply->slots != slots ||
          (engine.responses().all().count(intent.name) && reply->context.intent != intent.name)) {
        report.problems.push_back(responses.file.string() + ": choice: \"" + ask + "\" is not answered by " +
                                  intent.name + " " + describe_slots(slots) + " (" +
                                  (reply ? reply->intent + ": " + reply->match.reason : "invalid") + ")");
      }
    }
  }
}

// The clarifying question, offering the first two intents that can be offered, as every channel renders it.
void check_clarify_replies(const Engine& engine, CheckReport& report) {
  std::vector<IntentChoice> choices;
  for (std::size_t i = 0; i < engine.intents().intents.size() && choices.size() < 2; ++i) {
    const IntentDefinition& intent = engine.intents().intents[i];
    if (can_be_offered(intent) && engine.responses().all().count(intent.name) &&
        !engine.responses().of(intent.name).choice.label.empty())
      choices.push_back({i, public_name(intent), {}});
  }
  const auto& variants = engine.responses().variants(kClarifyIntent, {});
  for (std::size_t v = 0; v < variants.size() && choices.size() == 2; ++v) {
    DialogueContext context;
    context.turn = static_cast<int>(v);
    const Reply reply = engine.clarify(choices, context);
    const std::string where =
        engine.responses().of(kClarifyIntent).file.string() + ": replies.default[" + std::to_string(v) + "]";
    check_reply(engine, where, reply, report);
    if (reply.text.find(kChoicesPlaceholder) != std::string::npos ||
        reply.ssml.find(kChoicesPlaceholder) != std::string::npos) {
      report.problems.push_back(where + ": " + std::string(kChoicesPlaceholder) + " left in the reply");
    }
  }
}

}  // namespace

namespace {

// A date written YYYY-MM-DD (as loading has checked it is).
std::chrono::sys_days parse_date(const std::string& text) {
  return std::chrono::sys_days{
      std::chrono::year_month_day{std::chrono::year(std::stoi(text.substr(0, 4))),
                                  std::chrono::month(static_cast<unsigned>(std::stoi(text.substr(5, 2)))),
                                  std::chrono::day(static_cast<unsigned>(std::stoi(text.substr(8, 2))))}};
}

// A medical answer says where its facts come from and when they were last checked against them.
void check_sources(const Engine& engine, const IntentResponses& responses, std::chrono::sys_days today,
                   CheckReport& report) {
  const std::string file = responses.file.string();
  for (std::size_t i = 0; i < responses.sources.size(); ++i) {
    if (!engine.responses().source(responses.sources[i])) {
      report.problems.push_back(file + ": sources[" + std::to_string(i) + "]: no source \"" +
                                responses.sources[i] + "\" in _sources.json");
    }
  }
  if (!responses.medical) return;
  if (responses.sources.empty()) {
    report.problems.push_back(file +
                              ": sources: a medical answer needs at least one source from _sources.json "
                              "(or \"medical\": false for a reply that gives no health information)");
  }
  if (responses.reviewed.empty()) {
    report.problems.push_back(file + ": reviewed: missing: when were the facts last checked (YYYY-MM-DD)?");
    return;
  }
  const auto age = (today - parse_date(responses.reviewed)).count();
  const auto limit = engine.config().max_review_age_days;
  if (age > limit) {
    report.warnings.push_back(file + ": reviewed " + responses.reviewed + " is " + std::to_string(age) +
                              " days ago, more than catalog.max_review_age_days (" + std::to_string(limit) +
                              "): check the replies against their sources again");
  } else if (age < 0) {
    report.warnings.push_back(file + ": reviewed " + responses.reviewed + " is in the future");
  }
}

}  // namespace

CheckReport check_catalog(const Engine& engine, CheckScope scope) {
  return check_catalog(engine, std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now()),
                       scope);
}

CheckReport check_catalog(const Engine& engine, std::chrono::sys_days today, CheckScope scope) {
  CheckReport report;
  report.templates = engine.matcher().template_count();
  std::map<std::string, std::string> owners;
  for (const auto& intent : engine.intents().intents) {
    ++report.intents;
    if (intent.examples.empty() && intent.name != kFallbackIntent && intent.name != kClarifyIntent &&
        intent.answer_as.empty()) {
      report.problems.push_back(intent.file.string() +
                                ": no examples: every intent needs examples that prove it matches");
    }
    if (scope == CheckScope::everything) check_examples(engine, intent, report, owners);
  }
  // Safety: every field anybody reads or hears, not only the display text.
  static const SafetyScreens no_screens;
  const SafetyScreens* found_screens = engine.responses().screens();
  if (!found_screens) {
    report.problems.push_back((engine.config().responses_dir / "_safety_screens.json").string() +
                              ": missing: every language needs its dose and quinine screens");
  }
  const SafetyScreens& screens = found_screens ? *found_screens : no_screens;
  const std::string common = (engine.config().responses_dir / "_common.json").string();
  check_safety(screens, common + ": disclaimer", engine.responses().disclaimer(), report);
  check_safety(screens, common + ": spoken_disclaimer", engine.responses().spoken_disclaimer(), report);
  check_safety(screens, common + ": caveat", engine.responses().default_caveat(), report);
  const std::string sources_file = (engine.config().responses_dir / "_sources.json").string();
  for (const auto& [id, source] : engine.responses().sources())
    check_safety(screens, sources_file + ": " + id + ".title", source.title, report);
  for (const auto& [intent, responses] : engine.responses().all()) {
    check_sources(engine, responses, today, report);
    check_safety(screens, responses.file.string() + ": caveat", responses.caveat, report);
    for (const auto& [key, variants] : responses.replies) {
      SlotMap slots;
      const auto* definition = engine.intents().find(intent);
      if (key != kDefaultReplyKey && !definition->slots.empty())
        slots[definition->slots.begin()->first] = key;
      for (std::size_t v = 0; v < variants.size(); ++v) {
        ++report.variants;
        if (intent == kClarifyIntent) {  // composed with its offers below
          check_variant_safety(screens,
                               responses.file.string() + ": replies." + key + "[" + std::to_string(v) + "]",
                               variants[v], report);
          continue;
        }
        const std::string where =
            responses.file.string() + ": replies." + key + "[" + std::to_string(v) + "]";
        // The reply as composed for a conversation whose turn selects this variant.
        DialogueContext context;
        context.turn = static_cast<int>(v);
        const Reply reply = engine.respond_to_intent(intent, slots, context);
        check_reply(engine, where, reply, report);
        check_variant_safety(screens, where, variants[v], report);
      }
    }
  }
  if (engine.intents().find(kClarifyIntent)) {
    check_choices(engine, report);
    check_clarify_replies(engine, report);
  }
  return report;
}

}  // namespace crampbot
