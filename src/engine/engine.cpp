#include "engine/engine.h"

#include <algorithm>

#include "engine/ssml.h"

namespace crampbot {

Engine::Engine(EngineConfig config, IntentCatalog intents)
    : config_(std::move(config)), intents_(std::move(intents)) {}

std::shared_ptr<const Engine> Engine::load(const EngineConfig& config) {
  std::shared_ptr<Engine> engine(new Engine(config, IntentCatalog::load(config.intents_dir)));
  engine->responses_ = ResponseCatalog::load(config.responses_dir, engine->intents_);
  engine->normaliser_ = std::make_unique<TextNormaliser>(engine->intents_.lexicon);
  engine->matcher_ = std::make_unique<IntentMatcher>(engine->intents_, *engine->normaliser_, config.matcher);
  // The chip is offered only when this catalog understands it as "tell more about the last answer".
  const std::string& chip = engine->responses_.more_suggestion();
  const IntentDefinition* more = chip.empty() ? nullptr : engine->match(chip).definition;
  engine->offers_more_ = more && more->context_action == ContextAction::more;
  engine->fallback_ = engine->intents_.find(kFallbackIntent);  // IntentCatalog::load always makes one
  engine->clarify_ = engine->intents_.find(kClarifyIntent);
  return engine;
}

MatchResult Engine::match(std::string_view text) const {
  return match_message(text, false);
}

namespace {

// The last sentence of a message of several that asks something: the last one ending in "?", else the last
// one. Empty for a message of one sentence. Sentences end at . ! ? ; or a line break followed by a space or
// the end, so "2.5" or "vit.d" do not split.
std::string_view last_question(std::string_view text) {
  std::vector<std::string_view> sentences;
  std::vector<bool> asks;
  std::size_t start = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    const bool ends = c == '\n' || ((c == '.' || c == '!' || c == '?' || c == ';') &&
                                    (i + 1 == text.size() || text[i + 1] == ' ' || text[i + 1] == '\n'));
    if (!ends) continue;
    if (text.find_first_not_of(" \t\r\n", start) < i) {
      sentences.push_back(text.substr(start, i - start));
      asks.push_back(c == '?');
    }
    start = i + 1;
  }
  if (text.find_first_not_of(" \t\r\n", start) != std::string_view::npos) {
    sentences.push_back(text.substr(start));
    asks.push_back(false);
  }
  if (sentences.size() < 2) return {};
  for (std::size_t i = sentences.size(); i-- > 0;) {
    if (asks[i]) return sentences[i];
  }
  return sentences.back();
}

}  // namespace

MatchResult Engine::match_message(std::string_view text, bool on_topic) const {
  const NormalisedText whole = normaliser_->normalise(text);
  MatchResult match = matcher_->match(whole, on_topic);
  // A story, then the question ("I've had cramps for weeks... I drink plenty of water. Could it be a
  // vitamin?"): the question decides what is asked, the whole story whether it is on our topic. Red flags
  // anywhere in the story have already won.
  if (is_urgent_decision(match.decision) || whole.size() < kStoryMinTokens) return match;
  const std::string_view question = last_question(text);
  if (question.empty()) return match;
  MatchResult asked =
      matcher_->match(normaliser_->normalise(question), on_topic || matcher_->mentions_topic(whole));
  if (is_urgent_decision(asked.decision)) return asked;
  // The story says whether the question is ours: "my mother has osteoporosis... can she take it with her
  // calcium tablets?" is not, though its question alone would be.
  matcher_->apply_scope(whole, on_topic, asked);
  if (asked.decision != MatchDecision::matched && asked.decision != MatchDecision::clarify) return match;
  // The story still speaks when the question only points back at it: "what should I do?" (a conversational
  // intent), the same intent, or a broader one than the story's ("could that be the cause?" after "my
  // circulation is poor").
  if (match.decision == MatchDecision::matched && asked.decision == MatchDecision::matched) {
    const IntentDefinition* story = match.definition;
    const IntentDefinition* ask = asked.definition;
    const bool narrower =
        std::find(story->refines.begin(), story->refines.end(), ask->name) != story->refines.end();
    if (ask->conversational || ask == story || narrower) return match;
  }
  if (asked.decision == MatchDecision::matched && asked.definition->conversational) return match;
  // "It" in the question is what the story named ("I read about vitamin K2. What does it do?").
  for (const auto& [slot, list] : asked.definition->slots) {
    if (asked.slots.count(slot)) continue;
    if (auto value = matcher_->find_list_value(list, whole)) asked.slots[slot] = *value;
  }
  asked.reason += " (the question at the end of the message)";
  asked.normalised = match.normalised;
  return asked;
}

std::optional<std::string> Engine::slot_value(const std::string& list, std::string_view text) const {
  if (!is_valid_utf8(text) || text.size() > config_.max_utterance_bytes) return std::nullopt;
  return matcher_->find_list_value(list, normaliser_->normalise(text));
}

DialogueContext Engine::context_from_json(const nlohmann::json& json, bool* valid) const {
  return crampbot::context_from_json(json, intents_, valid);
}

std::variant<Reply, InputError> Engine::respond(std::string_view text, const DialogueContext& context) const {
  const InputError error = check_utterance(text, config_.max_utterance_bytes);
  if (error != InputError::none) return error;
  // Once the conversation is about our topic, a short follow-up needs no topic word of its own.
  const IntentDefinition* previous = context.intent.empty() ? nullptr : intents_.find(context.intent);
  const bool on_topic = previous && !previous->conversational && previous->name != kFallbackIntent;
  return resolve(match_message(text, on_topic), context);
}

Reply Engine::respond_to_intent(const std::string& intent, const SlotMap& slots,
                                const DialogueContext& context) const {
  MatchResult match;
  match.answer_with(*fallback_);
  // A clarifying question is the matcher's own; no platform can ask for one.
  const IntentDefinition* definition = intent == kClarifyIntent ? nullptr : intents_.find(intent);
  if (definition) {
    match.answer_with(*definition);
    match.confidence = 1.0;
    match.decision = MatchDecision::given;
    match.reason = "given by the platform";
    for (const auto& [slot, value] : slots) {
      auto list = definition->slots.find(slot);
      if (list == definition->slots.end()) continue;
      for (const auto& v : intents_.lexicon.lists.at(list->second)) {
        if (v.canonical == value) match.slots[slot] = value;
      }
    }
  } else {
    match.decision = MatchDecision::given;
    match.reason = "the platform's intent is not in this catalog";
  }
  return resolve(std::move(match), context);
}

std::optional<Reply> Engine::ask_which(MatchResult& match, const DialogueContext& context) const {
  // Only what the catalog can put into words is offered ("how does it help" is no question without a
  // nutrient); a tie left with one offer is answered as that one, with none as ambiguous.
  std::erase_if(match.choices, [&](const IntentChoice& c) {
    return responses_.choice_text(intents_.intents[c.intent_index].name, c.slots).first.empty();
  });
  if (match.choices.size() >= 2) {
    Reply reply = clarify(match.choices, context);
    reply.confidence = match.confidence;
    reply.match = std::move(match);
    return reply;
  }
  if (match.choices.size() == 1) {
    match.answer_with(intents_.intents[match.choices[0].intent_index]);
    match.slots = match.choices[0].slots;
    match.decision = MatchDecision::matched;
    match.reason += " (the only one that can be offered)";
  } else {
    match.answer_with(*fallback_);
    match.decision = MatchDecision::ambiguous;
  }
  match.choices.clear();
  return std::nullopt;
}

Reply Engine::resolve(MatchResult match, const DialogueContext& context) const {
  if (match.decision == MatchDecision::clarify) {
    if (auto reply = ask_which(match, context)) return std::move(*reply);
  }
  const IntentDefinition* definition = match.definition;
  // A helper intent answered as another one: with its own replies it answers (under the other's name),
  // without them the other intent answers.
  if (!definition->answer_as.empty() && !responses_.all().count(definition->name)) {
    definition = intents_.find(definition->answer_as);
  }
  const IntentDefinition* previous = context.intent.empty() ? nullptr : intents_.find(context.intent);
  const IntentDefinition* target = definition;
  SlotMap slots = match.slots;

  switch (definition->context_action) {
    case ContextAction::follow_up: {
      // "and b12?": the previous question again, about the new value, if that question takes the slot. A
      // helper's question is its public intent's ("is quinine safe?" then "and magnesium?": supplements).
      const IntentDefinition* asked =
          previous && !previous->answer_as.empty() ? intents_.find(previous->answer_as) : previous;
      bool keeps_previous = asked && asked->context_action == ContextAction::none && !asked->overrides;
      for (const auto& [slot, value] : slots)
        keeps_previous = keeps_previous && asked->slots.count(slot);
      target = keeps_previous ? asked : intents_.find(definition->follow_up_default);
      break;
    }
    case ContextAction::more:
    case ContextAction::repeat:
      if (auto reply = replay(*definition, previous, match, context)) return std::move(*reply);
      break;
    case ContextAction::none:
      break;
  }

  // Carry slot values the utterance did not name ("what foods have it?") from earlier turns.
  for (const auto& [slot, list] : target->slots) {
    if (slots.count(slot)) continue;
    if (auto remembered = context.memory.find(slot); remembered != context.memory.end()) {
      slots[slot] = remembered->second;
    }
  }
  // Only slots the resolved intent takes.
  for (auto it = slots.begin(); it != slots.end();) {
    it = target->slots.count(it->first) ? std::next(it) : slots.erase(it);
  }
  const auto& variants = responses_.variants(target->name, slots);
  const int variant = context.turn % static_cast<int>(variants.size());
  Reply reply = compose(*target, slots, variant, false, context);
  reply.confidence = match.confidence;
  reply.match = std::move(match);
  return reply;
}

std::optional<Reply> Engine::replay(const IntentDefinition& definition, const IntentDefinition* previous,
                                    MatchResult& match, const DialogueContext& context) const {
  const bool more = definition.context_action == ContextAction::more;
  // More about the last answer, once. Or the last reply again, whatever it was: an answer, or what "more"
  // or "repeat" said of their own ("More about what?"). Without one, the intent's own reply. A clarifying
  // question is composed with its offers, which the context does not keep: "say that again" after one gets
  // the repeat intent's own reply.
  const bool has_previous = previous && previous->name != kClarifyIntent &&
                            responses_.all().count(previous->name) &&
                            (more ? previous->context_action == ContextAction::none
                                  : previous->context_action != ContextAction::follow_up);
  if (!has_previous || (more && context.more)) return std::nullopt;
  const auto& variants = responses_.variants(context.intent, context.slots);
  const int variant = context.variant % static_cast<int>(variants.size());
  if (more && variants[variant].more.empty()) return std::nullopt;
  Reply reply = compose(*previous, context.slots, variant, more ? true : context.more, context);
  reply.intent = definition.name;
  reply.slots = {};
  reply.confidence = match.confidence;
  reply.match = std::move(match);
  return reply;
}

Reply Engine::clarify(const std::vector<IntentChoice>& choices, const DialogueContext& context) const {
  std::vector<std::string> labels;
  std::vector<std::string> asks;
  SlotMap shared = choices.empty() ? SlotMap{} : choices.front().slots;  // a value every offer names is kept
  for (const auto& choice : choices) {
    auto [label, ask] = responses_.choice_text(intents_.intents[choice.intent_index].name, choice.slots);
    labels.push_back(std::move(label));
    asks.push_back(std::move(ask));
    std::erase_if(shared, [&](const auto& entry) {
      auto it = choice.slots.find(entry.first);
      return it == choice.slots.end() || it->second != entry.second;
    });
  }
  const auto& variants = responses_.variants(kClarifyIntent, {});
  const int variant = context.turn % static_cast<int>(variants.size());
  Reply reply = compose(*clarify_, {}, variant, false, context, responses_.join_choices(labels));
  reply.suggestions = std::move(asks);
  for (const auto& choice : choices)
    reply.candidates.push_back({choice.intent, choice.slots});
  for (const auto& [slot, value] : shared)
    reply.context.memory[slot] = value;
  return reply;
}

Reply Engine::compose(const IntentDefinition& definition, const SlotMap& slots, int variant_index, bool more,
                      const DialogueContext& context, std::string_view choices) const {
  const std::string& intent = definition.name;
  const IntentResponses& responses = responses_.of(intent);
  const auto& variants = responses_.variants(intent, slots);
  const ResponseVariant& variant = variants[static_cast<std::size_t>(variant_index) % variants.size()];
  // The caveat is added here, never left to the catalog: every reply carries one. Opening, help and about
  // replies carry the full disclaimer instead of the short topic caveat, and speak its shorter form.
  const std::string& caveat =
      definition.full_disclaimer ? responses_.disclaimer() : responses_.caveat_for(responses, variant);
  const std::string& spoken_caveat = responses_.spoken_caveat_for(definition, responses, variant);
  std::string body = more && !variant.more.empty() ? variant.more : variant.text;
  std::string speech = more && !variant.more.empty() ? variant.more : variant.speech();
  std::string reprompt = variant.reprompt;
  if (!choices.empty()) {
    for (std::string* text : {&body, &speech, &reprompt}) {
      for (std::size_t at = text->find(kChoicesPlaceholder); at != std::string::npos;
           at = text->find(kChoicesPlaceholder, at + choices.size()))
        text->replace(at, kChoicesPlaceholder.size(), choices);
    }
  }

  Reply reply;
  reply.intent = public_name(definition);
  reply.slots = slots;
  reply.text = body + "\n\n" + caveat;
  reply.ssml = build_ssml(speech, spoken_caveat);
  reply.caveat = caveat;
  reply.title = variant.title;
  reply.suggestions = variant.suggestions;
  std::vector<const Source*> sources;
  for (const auto& id : responses.sources) {
    // An unknown id is a `crampbot check` problem, which the server refuses to start or reload with.
    if (const Source* source = responses_.source(id)) {
      sources.push_back(source);
      reply.sources.push_back({source->id, source->title, source->url});
    }
  }
  reply.source_note = responses_.source_note(sources);
  // Without a chip the "more" part is found only by those who think to ask; an urgent reply keeps its
  // chips to the catalog's (none).
  if (offers_more_ && !more && !variant.more.empty() && !definition.urgent &&
      std::find(reply.suggestions.begin(), reply.suggestions.end(), responses_.more_suggestion()) ==
          reply.suggestions.end()) {
    reply.suggestions.insert(reply.suggestions.begin(), responses_.more_suggestion());
  }
  reply.urgent = definition.urgent;
  reply.end = definition.ends_conversation;
  reply.reprompt = reply.end ? std::string() : reprompt;

  reply.context.turn = std::min(context.turn + 1, 1'000'000);
  reply.context.intent = intent;
  reply.context.slots = slots;
  reply.context.variant = variant_index;
  reply.context.more = more;
  reply.context.memory = context.memory;
  for (const auto& [slot, value] : slots)
    reply.context.memory[slot] = value;
  return reply;
}

}  // namespace crampbot
