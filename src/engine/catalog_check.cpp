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

void check_safety(const std::string& where, std::string_view text, CheckReport& report) {
  if (const std::string problem = safety_problem(text); !problem.empty())
    report.problems.push_back(where + ": " + problem);
}

void check_variant_safety(const std::string& where, const ResponseVariant& variant, CheckReport& report) {
  check_safety(where + ".title", variant.title, report);
  check_safety(where + ".text", variant.text, report);
  check_safety(where + ".voice", variant.voice, report);
  check_safety(where + ".more", variant.more, report);
  check_safety(where + ".reprompt", variant.reprompt, report);
  check_safety(where + ".caveat", variant.caveat, report);
  for (std::size_t i = 0; i < variant.suggestions.size(); ++i)
    check_safety(where + ".suggestions[" + std::to_string(i) + "]", variant.suggestions[i], report);
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

std::string safety_problem(std::string_view text) {
  // A dose is an amount, in digits or in words ("400 mg", "1,000IU", "four hundred milligrams", "half a
  // tablet"), followed by a unit of medicine. "Eat 2 bananas" and "30 seconds, 3 times" are not doses.
  static const std::string number =
      R"((?:\d+(?:[.,]\d+)*|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|)"
      R"(fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|)"
      R"(hundred|thousand|million|half|quarter))";
  static const std::string unit =
      R"((?:mg|mgs|milligrams?|milligrammes?|mcg|µg|μg|ug|micrograms?|iu|i\.u\.|international units?|units?|g|)"
      R"(grams?|grammes?|ml|millilit(?:re|er)s?|mmol|meq|teaspoons?|tsp|tablespoons?|tbsp|drops?|sprays?|)"
      R"(tablets?|pills?|capsules?|caps|softgels?|gumm(?:y|ies)|doses?|sachets?|scoops?))";
  static const RE2 dose("(?i)\\b(" + number + "(?:[\\s-]+(?:and|a|an|" + number + "))*\\s*-?\\s*" + unit +
                        ")(?:\\W|$)");
  std::string found;
  if (RE2::PartialMatch(text, dose, &found)) return "gives a dose (\"" + found + "\")";

  // Quinine and tonic water (which contains it) may appear only in a sentence that warns against them: one
  // with a warning ("not recommended", "don't use", "avoid", "serious side effects", "urgent"), and with no
  // encouragement ("try quinine", "tonic water can help") or reassurance ("quinine is not dangerous"). A bare
  // "not" is no warning: "quinine is not just for malaria" is not one.
  static const RE2 mentions(R"((?i)\b(?:quinine|tonic water|tonic)\b)");
  static const RE2 warning(
      R"((?i)\b(?:not recommended|isn['’]t recommended|no longer (?:recommended|used|advised|prescribed)|)"
      R"(not advised|(?:don['’]t|do not|never|shouldn['’]t|should not) (?:use|take|try|drink|start|rely on)|avoid|)"
      R"(warn(?:s|ed|ing)?|dangerous|harmful|unsafe|not safe|serious|side effects?|urgent|emergency|)"
      R"((?:is not|isn['’]t|are not|aren['’]t) (?:an? )?(?:safe |good |cramp |recommended )?)"
      R"((?:remedy|treatment|cure|option|fix))\b)");
  static const RE2 encouragement(
      R"((?i)\b((?:try|drink|take|have|use|sip|buy)(?: some| a| a glass of| a little)? )"
      R"((?:quinine|tonic water|tonic)\b|(?:quinine|tonic water|tonic) (?:can|may|might|will|could|does|do|should) )"
      R"((?:help|ease|relieve|stop|prevent|reduce|cure|work|fix)|(?:quinine|tonic water|tonic) )"
      R"((?:helps|works|eases|relieves|stops|prevents|reduces|cures|is (?:good|great|effective|helpful)))\b)");
  // What makes "take quinine" no encouragement: a negation, or a condition ("if you take quinine and
  // bruise").
  static const RE2 negation(
      R"((?i)\b(?:don['’]t|do not|never|not to|avoid|shouldn['’]t|should not|no need to|stop|if|when|while|)"
      R"(whether|anyone who|people who|those who|before)\W+(?:\w+\W+)?$)");
  static const RE2 reassurance(
      R"((?i)\b(?:(?:not|isn['’]t|is not|aren['’]t|are not|never|hardly) (?:dangerous|harmful|risky|a risk|serious|unsafe)|)"
      R"(no (?:real )?risks?|(?:perfectly|completely|quite|totally) safe|(?:is|are) safe|safe to (?:use|take|drink))\b)");
  const auto is_encouraging = [&](std::string_view sentence) {
    re2::StringPiece input(sentence.data(), sentence.size());
    re2::StringPiece match;
    while (RE2::FindAndConsume(&input, encouragement, &match)) {
      const std::string_view before =
          sentence.substr(0, static_cast<std::size_t>(match.data() - sentence.data()));
      if (!RE2::PartialMatch(before, negation)) return true;
    }
    return false;
  };
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find_first_of(".!?\n", start);
    if (end == std::string_view::npos) end = text.size();
    const std::string_view sentence = text.substr(start, end - start);
    if (RE2::PartialMatch(sentence, mentions)) {
      if (is_encouraging(sentence))
        return "encourages quinine or tonic water (\"" + std::string(sentence) + "\")";
      if (RE2::PartialMatch(sentence, reassurance))
        return "reassures about quinine or tonic water (\"" + std::string(sentence) + "\")";
      if (!RE2::PartialMatch(sentence, warning))
        return "mentions quinine or tonic water outside a warning (\"" + std::string(sentence) + "\")";
    }
    start = end + 1;
  }
  return {};
}

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

CheckReport check_catalog(const Engine& engine) {
  return check_catalog(engine, std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now()));
}

CheckReport check_catalog(const Engine& engine, std::chrono::sys_days today) {
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
    check_examples(engine, intent, report, owners);
  }
  // Safety: every field anybody reads or hears, not only the display text.
  const std::string common = (engine.config().responses_dir / "_common.json").string();
  check_safety(common + ": disclaimer", engine.responses().disclaimer(), report);
  check_safety(common + ": spoken_disclaimer", engine.responses().spoken_disclaimer(), report);
  check_safety(common + ": caveat", engine.responses().default_caveat(), report);
  const std::string sources_file = (engine.config().responses_dir / "_sources.json").string();
  for (const auto& [id, source] : engine.responses().sources())
    check_safety(sources_file + ": " + id + ".title", source.title, report);
  for (const auto& [intent, responses] : engine.responses().all()) {
    check_sources(engine, responses, today, report);
    check_safety(responses.file.string() + ": caveat", responses.caveat, report);
    for (const auto& [key, variants] : responses.replies) {
      SlotMap slots;
      const auto* definition = engine.intents().find(intent);
      if (key != kDefaultReplyKey && !definition->slots.empty())
        slots[definition->slots.begin()->first] = key;
      for (std::size_t v = 0; v < variants.size(); ++v) {
        ++report.variants;
        if (intent == kClarifyIntent) {  // composed with its offers below
          check_variant_safety(responses.file.string() + ": replies." + key + "[" + std::to_string(v) + "]",
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
        check_variant_safety(where, variants[v], report);
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
