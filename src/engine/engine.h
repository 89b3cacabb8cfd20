#pragma once

#include <memory>
#include <optional>
#include <string_view>
#include <variant>

#include "engine/dialogue_context.h"
#include "engine/engine_config.h"
#include "engine/intent_catalog.h"
#include "engine/intent_matcher.h"
#include "engine/reply.h"
#include "engine/response_catalog.h"
#include "engine/text_normaliser.h"
#include "engine/utf8.h"

namespace crampbot {

// A message this long (in tokens) with several sentences is read as a story with its question at the end.
inline constexpr std::size_t kStoryMinTokens = 12;

// The conversation engine: normalise → match → resolve against context → compose a reply with its caveat.
// Loaded once and immutable, so one instance serves many threads and a reload swaps a shared_ptr.
class Engine {
 public:
  // Loads and validates intents and responses. Throws CatalogError naming the file and field.
  static std::shared_ptr<const Engine> load(const EngineConfig& config);

  // Answers one utterance in a conversation. Returns the InputError when the utterance is empty, too long,
  // invalid UTF-8 or has control characters; otherwise a reply. Never throws for any input.
  std::variant<Reply, InputError> respond(std::string_view text, const DialogueContext& context) const;

  // Answers an intent already recognised elsewhere (a platform's own NLU), with slots in canonical form.
  // An intent this catalog does not know is answered as fallback; unknown slot values are dropped.
  Reply respond_to_intent(const std::string& intent, const SlotMap& slots,
                          const DialogueContext& context) const;

  // The canonical value of slot list `list` named in `text` (a platform's raw slot value, "b twelve" →
  // "vitamin_b12"), through the same normalisation and synonyms as matching. nullopt when none is named.
  std::optional<std::string> slot_value(const std::string& list, std::string_view text) const;

  // The clarifying question offering `choices` (two or three, best first): their labels in the text, voice
  // and reprompt, each one's question as a suggestion, and the choices as the reply's candidates. Needs a
  // catalog with the clarify intent and a choice text for every intent offered (crampbot check proves both).
  Reply clarify(const std::vector<IntentChoice>& choices, const DialogueContext& context) const;

  // Only the matching step, for the explain view and checks.
  MatchResult match(std::string_view text) const;

  // Reads a context from untrusted JSON (see context_from_json).
  DialogueContext context_from_json(const nlohmann::json& json, bool* valid = nullptr) const;

  const EngineConfig& config() const { return config_; }
  const IntentCatalog& intents() const { return intents_; }
  const ResponseCatalog& responses() const { return responses_; }
  const TextNormaliser& normaliser() const { return *normaliser_; }
  const IntentMatcher& matcher() const { return *matcher_; }

 private:
  Engine(EngineConfig config, IntentCatalog intents);
  Reply resolve(MatchResult match, const DialogueContext& context) const;
  // The clarifying question for a tie, or nullopt (and `match` turned into its one offer, or ambiguous) when
  // fewer than two offers can be put into words.
  std::optional<Reply> ask_which(MatchResult& match, const DialogueContext& context) const;
  // "Tell me more" or "say that again" (`definition`) about the previous turn's reply: that reply's more
  // part or the reply again, or nullopt when there is none to give (then the intent's own reply answers).
  std::optional<Reply> replay(const IntentDefinition& definition, const IntentDefinition* previous,
                              MatchResult& match, const DialogueContext& context) const;
  // Matches a whole message; a long one of several sentences is matched by its last question.
  MatchResult match_message(std::string_view text, bool on_topic) const;
  // The reply of `intent` (a handle into intents_) with its caveat. `choices` replaces kChoicesPlaceholder in
  // the text, voice and reprompt (a clarifying question).
  Reply compose(const IntentDefinition& intent, const SlotMap& slots, int variant, bool more,
                const DialogueContext& context, std::string_view choices = {}) const;

  EngineConfig config_;
  IntentCatalog intents_;
  ResponseCatalog responses_;
  std::unique_ptr<TextNormaliser> normaliser_;
  std::unique_ptr<IntentMatcher> matcher_;
  bool offers_more_ = false;  // whether the "more" chip (_common.json) reaches the "more" intent
  const IntentDefinition* fallback_ = nullptr;  // the catalog's fallback intent, resolved at load
  const IntentDefinition* clarify_ =
      nullptr;  // its clarify intent (null without one: then no ties are offered)
};

}  // namespace crampbot
