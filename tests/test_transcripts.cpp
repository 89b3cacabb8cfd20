// Conversation transcripts on the real catalog: tests/transcripts/*.jsonl, one conversation per file.
//
// Each non-blank line that does not start with '#' is one turn:
//   {"say": "what foods have it", "intent": "food_sources", "slots": {"nutrient": "calcium"},
//    "urgent": true, "end": true, "text_contains": "...", "same_text_as": 2, "error": "empty"}
//   say            the utterance (required)
//   intent         the expected reply intent (required unless "error" is given)
//   slots          the expected slots; absent means none
//   urgent, end    expected flags; absent means false
//   text_contains  a string (or array of strings) the reply text must contain
//   same_text_as   the 0-based index of an earlier turn of this file whose reply text this one must equal
//   error          the utterance must be refused with this InputError code (empty, too_long, invalid_utf8,
//                  control_character); the context is then left as it was
// Every reply also keeps the caveat invariant. The context returned by each reply is handed to the next turn.
#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "engine/engine.h"
#include "engine/ssml.h"
#include "test_support.h"

using namespace crampbot;
using nlohmann::json;

namespace {

std::vector<std::filesystem::path> transcript_files() {
  std::vector<std::filesystem::path> files;
  for (const auto& entry :
       std::filesystem::directory_iterator(crampbot::test::source_dir() / "tests" / "transcripts")) {
    if (entry.path().extension() == ".jsonl") files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

std::string error_code(InputError error) {
  switch (error) {
    case InputError::none:
      return "none";
    case InputError::empty:
      return "empty";
    case InputError::too_long:
      return "too_long";
    case InputError::invalid_utf8:
      return "invalid_utf8";
    case InputError::control_character:
      return "control_character";
  }
  return "?";
}

void run_transcript(const Engine& engine, const std::filesystem::path& file) {
  std::ifstream in(file);
  REQUIRE(in);
  DialogueContext context;
  std::vector<std::string> texts;  // reply text of each turn, by turn index
  std::string line;
  std::size_t number = 0;
  while (std::getline(in, line)) {
    ++number;
    if (line.find_first_not_of(" \t\r") == std::string::npos || line[line.find_first_not_of(" \t")] == '#')
      continue;
    const std::string where = file.filename().string() + ":" + std::to_string(number);
    INFO(where);
    const json turn = json::parse(line, nullptr, false);
    REQUIRE_FALSE(turn.is_discarded());
    REQUIRE(turn.is_object());
    REQUIRE(turn.contains("say"));
    const std::string say = turn.at("say").get<std::string>();
    INFO("say: " << say);

    const auto outcome = engine.respond(say, context);
    if (turn.contains("error")) {
      REQUIRE(std::holds_alternative<InputError>(outcome));
      CHECK(error_code(std::get<InputError>(outcome)) == turn.at("error").get<std::string>());
      texts.emplace_back();
      continue;
    }
    REQUIRE(std::holds_alternative<Reply>(outcome));
    const Reply& reply = std::get<Reply>(outcome);
    INFO("got: " << reply.intent << " " << json(reply.slots).dump() << " (" << reply.match.reason << ")");
    INFO("text: " << reply.text);

    REQUIRE(turn.contains("intent"));
    REQUIRE(reply.intent == turn.at("intent").get<std::string>());  // later lines make no sense otherwise
    const SlotMap expected_slots = turn.contains("slots") ? turn.at("slots").get<SlotMap>() : SlotMap{};
    CHECK(json(reply.slots).dump() == json(expected_slots).dump());
    CHECK(reply.urgent == turn.value("urgent", false));
    CHECK(reply.end == turn.value("end", false));
    if (turn.contains("text_contains")) {
      const json& wanted = turn.at("text_contains");
      for (const auto& w : wanted.is_array() ? wanted : json::array({wanted})) {
        CHECK_THAT(reply.text, Catch::Contains(w.get<std::string>()));
      }
    }
    if (turn.contains("same_text_as")) {
      const auto index = turn.at("same_text_as").get<std::size_t>();
      REQUIRE(index < texts.size());
      CHECK(reply.text == texts[index]);
    }
    // The invariants of every reply.
    CHECK_FALSE(reply.caveat.empty());
    CHECK_THAT(reply.text, Catch::Contains(reply.caveat));
    CHECK(is_well_formed_ssml(reply.ssml));

    texts.push_back(reply.text);
    context = reply.context;
  }
  CHECK_FALSE(texts.empty());
}

}  // namespace

TEST_CASE("transcripts: there are conversations to run", "[transcripts]") {
  CHECK(transcript_files().size() >= 10);
}

TEST_CASE("transcripts: every conversation in tests/transcripts", "[transcripts][real]") {
  const Engine& engine = crampbot::test::real_engine();
  for (const auto& file : transcript_files()) {
    DYNAMIC_SECTION(file.filename().string()) {
      run_transcript(engine, file);
    }
  }
}
