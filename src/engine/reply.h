#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "engine/dialogue_context.h"
#include "engine/intent_matcher.h"

namespace crampbot {

// The answer to one turn: the one schema that the CLI, the chat API and every channel start from.
struct Reply {
  std::string intent;
  SlotMap slots;
  double confidence = 0;
  std::string text;    // display text, caveat included
  std::string ssml;    // <speak>…</speak>, caveat included
  std::string caveat;  // the caveat (or, for welcome/help/about, the full disclaimer) on its own
  std::string title;   // short card title
  std::string reprompt;
  std::vector<std::string> suggestions;
  // For a clarifying question (intent "clarify"): what it offers, best first; each suggestion asks for one.
  struct Candidate {
    std::string intent;
    SlotMap slots;
  };
  std::vector<Candidate> candidates;
  // Where the answer's facts come from (responses/_sources.json), and the line that names them on platforms
  // that show text only ("Source: <title>"); both empty for a reply that gives no health information.
  struct SourceLink {
    std::string id;
    std::string title;
    std::string url;
  };
  std::vector<SourceLink> sources;
  std::string source_note;
  bool urgent = false;
  bool end = false;
  std::string locale;       // the catalog locale that answered ("en-GB", "es"; see EngineSet::for_locale)
  DialogueContext context;  // hand back with the next turn
  MatchResult match;        // how the utterance was matched (explain view); not part of the JSON reply
};

// What a platform that shows text only (an Alexa card, Dialogflow, Rasa) shows: the text with the source note
// as its own paragraph before the caveat, so the caveat still ends it; the text itself without a note.
std::string shown_text(const Reply& reply);

// A score as the JSON shows it: three decimals are plenty and keep the JSON stable across platforms.
double rounded(double value);

// The reply object: {"intent","slots","confidence","text","ssml","caveat","title","reprompt","suggestions",
// "sources" [{"title","url"}],"urgent","end","context"}, and "candidates" [{"intent","slots"}] on a
// clarifying question.
nlohmann::json to_json(const Reply& reply);

// The explain view of a match: normalised text, corrections, winner, reason and every candidate's score.
nlohmann::json to_json(const MatchResult& match);

}  // namespace crampbot
