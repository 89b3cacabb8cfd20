// POST /v1/feedback in the channel: a vote is counted with the intent sealed in the token of the answer, once
// per turn; forged, stale and unusable tokens are refused with a JSON error.
#include <catch2/catch.hpp>

#include "channels/chat_channel.h"
#include "channels/feedback_channel.h"
#include "channels/recent_votes.h"
#include "test_support.h"

using namespace crampbot;
using namespace std::chrono_literals;
using crampbot::test::real_engine;
using crampbot::test::real_english_engines;
using nlohmann::json;

namespace {

const auto kNow = std::chrono::system_clock::time_point(std::chrono::seconds(1'800'000'000));

ChatSettings settings(const char* secret = "feedback-test-secret-0123456789") {
  ChatSettings out;
  out.session_secret = secret;
  out.session_max_age = 1h;
  return out;
}

// The session token that came with the answer to `text` (after `previous`, when given).
std::string token_of(const std::string& text, const std::string& previous = "") {
  const ChatChannel chat(settings());
  json body = {{"text", text}};
  if (!previous.empty()) body["session"] = previous;
  const ChannelOutcome outcome = chat.handle(real_english_engines(), body.dump(), kNow);
  REQUIRE(outcome.status == 200);
  return json::parse(outcome.body)["session"];
}

std::string vote(const std::string& token, bool helpful) {
  return json({{"session", token}, {"helpful", helpful}}).dump();
}

std::string error_of(const FeedbackOutcome& outcome) {
  const json body = json::parse(outcome.outcome.body);
  return body.value("error", "");
}

}  // namespace

TEST_CASE("a vote counts for the intent sealed in its token, once per turn", "[feedback]") {
  FeedbackChannel channel(settings(), 100);
  const std::string first = token_of("what foods have magnesium");
  const FeedbackOutcome counted = channel.handle(real_english_engines(), vote(first, true), kNow + 1min);
  CHECK(counted.outcome.status == 200);
  CHECK(counted.counted);
  CHECK(counted.intent == "food_sources");
  CHECK(counted.helpful);
  CHECK(json::parse(counted.outcome.body)["status"] == "counted");

  // The same turn again, either way: refused.
  for (const bool helpful : {true, false}) {
    const FeedbackOutcome again = channel.handle(real_english_engines(), vote(first, helpful), kNow + 2min);
    CHECK(again.outcome.status == 409);
    CHECK_FALSE(again.counted);
    CHECK(error_of(again) == "already_voted");
  }
  // The next turn of the same conversation is another answer, with its own vote; the helper intents
  // answer under their public name.
  const std::string second = token_of("is tonic water good for cramps", first);
  const FeedbackOutcome next = channel.handle(real_english_engines(), vote(second, false), kNow + 3min);
  CHECK(next.counted);
  CHECK_FALSE(next.helpful);
  CHECK(next.intent == "supplements");
  // Another conversation asking the same is another vote.
  CHECK(channel.handle(real_english_engines(), vote(token_of("what foods have magnesium"), true), kNow)
            .counted);
}

TEST_CASE("forged, foreign, stale and unusable tokens are refused with a JSON error", "[feedback]") {
  FeedbackChannel channel(settings(), 100);
  const std::string token = token_of("what foods have magnesium");
  std::string changed = token;
  changed[5] = changed[5] == 'A' ? 'B' : 'A';
  FeedbackChannel other(settings("another-deployment-secret-000"), 100);
  CHECK(error_of(channel.handle(real_english_engines(), vote(changed, true), kNow)) == "bad_session");
  CHECK(error_of(other.handle(real_english_engines(), vote(token, true), kNow)) == "bad_session");
  CHECK(error_of(channel.handle(real_english_engines(), vote(token, true), kNow + 2h)) == "bad_session");
  CHECK(error_of(channel.handle(real_english_engines(), vote("not-a-token", true), kNow)) == "bad_session");
  for (const char* body : {"", "[]", R"({"helpful": true})", R"({"session": 1, "helpful": true})",
                           R"({"session": "x"})", R"({"session": "x", "helpful": "yes"})"}) {
    const FeedbackOutcome refused = channel.handle(real_english_engines(), body, kNow);
    INFO(body);
    CHECK(refused.outcome.status == 400);
    CHECK_FALSE(refused.counted);
    CHECK_FALSE(error_of(refused).empty());
  }
  // None of these used up the real vote.
  CHECK(channel.handle(real_english_engines(), vote(token, true), kNow).counted);
}

TEST_CASE("an urgent answer takes no vote", "[feedback]") {
  FeedbackChannel channel(settings(), 100);
  const FeedbackOutcome urgent =
      channel.handle(real_english_engines(), vote(token_of("my calf is swollen red and hot"), false), kNow);
  CHECK(urgent.outcome.status == 400);
  CHECK(error_of(urgent) == "urgent_reply");
  CHECK_FALSE(urgent.counted);
}

TEST_CASE("recent votes are forgotten when their token expires, and are bounded", "[feedback]") {
  RecentVotes votes(3);
  CHECK(votes.first_vote("a", kNow + 10min, kNow));
  CHECK_FALSE(votes.first_vote("a", kNow + 10min, kNow + 1min));
  CHECK(votes.first_vote("b", kNow + 20min, kNow));
  CHECK(votes.first_vote("c", kNow + 30min, kNow));
  CHECK(votes.size() == 3);
  // Full: the vote that expires soonest ("a") makes room.
  CHECK(votes.first_vote("d", kNow + 40min, kNow));
  CHECK(votes.size() == 3);
  CHECK(votes.first_vote("a", kNow + 50min, kNow));
  CHECK_FALSE(votes.first_vote("d", kNow + 40min, kNow));
  // Expired votes go first, so the token's own expiry frees its entry.
  CHECK(votes.first_vote("e", kNow + 90min, kNow + 45min));
  CHECK(votes.size() == 2);  // b, c and d expired; a and e remain
}
