#pragma once

#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "engine/intent_catalog.h"
#include "engine/locale_overlay.h"
#include "engine/safety_screens.h"

namespace crampbot {

// One way of answering, as authored in responses/<intent>.json.
struct ResponseVariant {
  std::string title;
  std::string text;
  std::string voice;  // spoken form; defaults to text
  std::string more;   // what "tell me more" adds; may be empty
  std::string reprompt;
  std::string caveat;  // overrides the intent's caveat when set
  std::vector<std::string> suggestions;

  const std::string& speech() const { return voice.empty() ? text : voice; }
};

// How a clarifying question offers an intent: words that finish "Do you want to know …" and a question
// that, sent back, is answered by the intent. The "with_slot" forms name the slot value ("{nutrient}") and
// are used when the offer has one; an intent with only those is offered only with a slot value.
struct IntentChoiceText {
  std::string label;
  std::string ask;
  std::string label_with_slot;
  std::string ask_with_slot;
};

// Where a medical answer's facts come from (responses/_sources.json).
struct Source {
  std::string id;
  std::string title;
  std::string publisher;
  std::string url;  // https
};

// The replies of one intent: "default" plus one key per canonical slot value.
struct IntentResponses {
  std::string intent;
  std::filesystem::path file;
  std::string caveat;  // the intent's topic caveat; falls back to the catalog default
  // Whether the replies give health information; false only where the file says "medical": false
  // (greetings, help, the conversation's own moves), so a new intent needs sources until it says otherwise.
  bool medical = true;
  std::vector<std::string> sources;  // ids in _sources.json, as written (crampbot check proves they exist)
  std::string reviewed;              // when the facts were last checked against the sources: YYYY-MM-DD
  std::map<std::string, std::vector<ResponseVariant>> replies;
  IntentChoiceText choice;  // empty when the intent is never offered in a clarifying question
};

// What a clarifying question's replies put in place of this in their text, voice and reprompt.
inline constexpr std::string_view kChoicesPlaceholder = "{choices}";

inline constexpr const char* kDefaultReplyKey = "default";
// The most a spoken reply may say, in characters: its speech (the "voice", else the text; or the "more" part)
// together with the caveat spoken after it.
inline constexpr std::size_t kMaxVoiceChars = 600;

// Everything in responses/, validated against the intent catalog.
class ResponseCatalog {
 public:
  // Loads `dir`/_common.json, `dir`/_sources.json (optional) and `dir`/<intent>.json for every intent (and
  // for a helper intent answered as another one, when it has its own file). Throws CatalogError naming the
  // file and field when a file is missing or malformed, a caveat or text is empty, a slot value has no
  // replies, a key is unknown, a spoken reply with its caveat is too long, a source is malformed (no id,
  // title or https URL; an id twice), a "reviewed" is not a YYYY-MM-DD date, or a file answers an intent the
  // catalog does not have.
  // `overlay` (optional) rewords _common.json's phrases and respells words for one locale; every "{phrase}"
  // is filled in here, so what check screens is what people see. Unknown "{names}" are an error too.
  static ResponseCatalog load(const std::filesystem::path& dir, const IntentCatalog& intents,
                              const LocaleOverlay* overlay = nullptr);

  // The variants for an intent and the value of its slot (or default when there is none, or no entry).
  // The intent must exist (load guarantees every catalog intent does).
  const std::vector<ResponseVariant>& variants(const std::string& intent, const SlotMap& slots) const;
  const IntentResponses& of(const std::string& intent) const;

  // The caveat that goes with a variant: its own, else its intent's, else the default.
  const std::string& caveat_for(const IntentResponses& intent, const ResponseVariant& variant) const;

  // The caveat spoken after a variant: the full disclaimer's spoken form for intents that carry it.
  const std::string& spoken_caveat_for(const IntentDefinition& definition, const IntentResponses& intent,
                                       const ResponseVariant& variant) const;

  // The full disclaimer (welcome, help and about text) and its shorter spoken form (their voice replies;
  // _common.json "spoken_disclaimer", else the full one).
  const std::string& disclaimer() const { return disclaimer_; }
  const std::string& spoken_disclaimer() const {
    return spoken_disclaimer_.empty() ? disclaimer_ : spoken_disclaimer_;
  }
  const std::string& default_caveat() const { return default_caveat_; }
  // How replies name a slot value ("vitamin_d" → "vitamin D"): _common.json "value_names", else the value
  // with spaces for underscores.
  std::string value_name(const std::string& value) const;
  // The offer of one intent in a clarifying question: {label, ask} with the slot value filled in; both empty
  // when the intent is not offered that way (no choice, or only a with-slot form and no slot value).
  std::pair<std::string, std::string> choice_text(const std::string& intent, const SlotMap& slots) const;
  // Offers joined as _common.json "choice_joiners" says ("A or B", "A, B, or C").
  std::string join_choices(const std::vector<std::string>& labels) const;
  const std::map<std::string, IntentResponses>& all() const { return intents_; }

  // The quick reply offered first when a reply has a "more" part ("Tell me more"): _common.json
  // "more_suggestion"; "" offers none.
  const std::string& more_suggestion() const { return more_suggestion_; }
  // The dose and quinine screens of this language (_safety_screens.json), or nullptr when the folder has none
  // (crampbot check fails then).
  const SafetyScreens* screens() const { return screens_.get(); }

  // The source with this id in _sources.json, or nullptr.
  const Source* source(const std::string& id) const;
  const std::map<std::string, Source>& sources() const { return sources_; }
  // The line text-only platforms show under an answer: "Source: <title>", or "Sources: <a>; <b>" (the
  // labels from _sources.json); "" for none.
  std::string source_note(const std::vector<const Source*>& sources) const;

 private:
  // Fills in the phrases and respells every field a person reads or hears (see load).
  void localise(const IntentCatalog& intents, const Phrases& phrases,
                const std::map<std::string, std::string>& spelling, const std::filesystem::path& common_file);

  std::string disclaimer_;
  std::string spoken_disclaimer_;
  std::string default_caveat_;
  std::map<std::string, std::string> value_names_;
  std::string join_pair_ = " or ", join_between_ = ", ", join_last_ = ", or ";
  std::map<std::string, IntentResponses> intents_;
  std::map<std::string, Source> sources_;
  std::string source_label_ = "Source";
  std::string sources_label_ = "Sources";
  std::string more_suggestion_;
  std::shared_ptr<const SafetyScreens> screens_;
};

}  // namespace crampbot
