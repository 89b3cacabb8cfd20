// review/review_recorder.h: which turns are kept, what is kept of them, and the conversation hashes.
#include <catch2/catch.hpp>

#include <variant>

#include "review/review_recorder.h"
#include "review_test_support.h"
#include "test_support.h"

using namespace crampbot;
using namespace crampbot::review;
using namespace crampbot::review::test;
using namespace std::chrono_literals;

namespace {

const auto kNow = std::chrono::sys_days(std::chrono::year(2026) / 12 / 1) + 10h;
constexpr const char* kKey = "review-test-key-0123456789";

ReviewSettings settings_for(const std::filesystem::path& file) {
  ReviewSettings settings;
  settings.enabled = true;
  settings.file = file;
  return settings;
}

std::vector<ReviewRecord> records_in(const std::filesystem::path& file) {
  std::vector<ReviewRecord> out;
  std::istringstream in(read_all(file));
  std::string line;
  while (std::getline(in, line))
    out.push_back(std::get<ReviewRecord>(parse_record(line)));
  return out;
}

}  // namespace

TEST_CASE("fallback, clarify and low-confidence answers are kept; confident ones are not",
          "[review][recorder]") {
  TemporaryFolder folder;
  ReviewRecorder recorder(settings_for(folder / "review.jsonl"), kKey, kNow);
  CHECK(recorder.wants("fallback", 0));
  CHECK(recorder.wants("clarify", 0.9));
  CHECK(recorder.wants("food_sources", 0.49));
  CHECK_FALSE(recorder.wants("food_sources", 0.5));
  CHECK_FALSE(recorder.wants("", 0));

  const auto& normaliser = crampbot::test::real_engine().normaliser();
  using Outcome = ReviewRecorder::Outcome;
  CHECK(recorder.record(normaliser, {"What foods have magnesium?", "food_sources", 1.0, "s1", "en-GB"},
                        kNow) == Outcome::not_wanted);
  CHECK(recorder.record(normaliser,
                        {"How many bananas a day? Call 07700 900123", "fallback", 0, "s1", "en-GB"},
                        kNow) == Outcome::written);
  CHECK(recorder.record(normaliser, {"", "fallback", 0, "s1", "en-GB"}, kNow) == Outcome::no_text);
  CHECK(recorder.record(normaliser, {"how many bananas", "fallback", 0, "", ""}, kNow) ==
        Outcome::no_conversation);

  const auto records = records_in(folder / "review.jsonl");
  REQUIRE(records.size() == 1);
  CHECK(records[0].text == "how many banana a day call");
  CHECK(records[0].outcome == "fallback");
  CHECK(records[0].locale == "en-GB");
  CHECK(records[0].day == "2026-12-01");
  // The conversation id is not there, only its hash; the raw words are not there either.
  CHECK(records[0].conversation.size() == 16);
  const std::string line = read_all(folder / "review.jsonl");
  CHECK(line.find("s1") == std::string::npos);
  CHECK(line.find("07700") == std::string::npos);
  CHECK(line.find("How") == std::string::npos);
}

TEST_CASE("conversation hashes: alike across replicas with one key, unrelated across days and keys",
          "[review][recorder]") {
  const ConversationHasher a(kKey), b(kKey), other("another-key-0123456789abcdef");
  CHECK(a.hash("2026-12-01", "session-1") == b.hash("2026-12-01", "session-1"));
  CHECK(a.hash("2026-12-01", "session-1") != a.hash("2026-12-01", "session-2"));
  CHECK(a.hash("2026-12-01", "session-1") != a.hash("2026-12-02", "session-1"));
  CHECK(a.hash("2026-12-01", "session-1") != other.hash("2026-12-01", "session-1"));
  CHECK(a.hash("2026-12-01", "session-1").find_first_not_of("0123456789abcdef") == std::string::npos);
}

TEST_CASE("records older than retention_days are deleted at start and when the day changes",
          "[review][recorder]") {
  TemporaryFolder folder;
  const auto file = folder / "review.jsonl";
  write_all(file, to_line(record("too old", "h", "2026-11-01")) +
                      to_line(record("oldest kept", "h", "2026-11-02")) +
                      to_line(record("recent", "h", "2026-11-30")));
  ReviewSettings settings = settings_for(file);
  settings.retention_days = 30;  // on 2026-12-01: 2026-11-02 to 2026-12-01
  ReviewRecorder recorder(settings, kKey, kNow);
  auto records = records_in(file);
  REQUIRE(records.size() == 2);
  CHECK(records[0].text == "oldest kept");

  // Later the same day: nothing more to do. The next day: 2026-11-02 goes.
  CHECK(recorder.maintain(kNow + 1h).removed == 0);
  const ReviewStore::Pruned next_day = recorder.maintain(kNow + 24h);
  CHECK(next_day.ok);
  CHECK(next_day.removed == 1);
  records = records_in(file);
  REQUIRE(records.size() == 1);
  CHECK(records[0].text == "recent");

  // The listing leaves out what the file still holds past retention (another replica's old file, say).
  CHECK(recorder.listing_json(kNow + 40 * 24h)["expired"] == 1);
}

TEST_CASE("the recorder's listing applies its k", "[review][recorder]") {
  TemporaryFolder folder;
  ReviewSettings settings = settings_for(folder / "review.jsonl");
  settings.min_conversations = 3;
  ReviewRecorder recorder(settings, kKey, kNow);
  const auto& normaliser = crampbot::test::real_engine().normaliser();
  for (int c = 0; c < 2; ++c)
    recorder.record(normaliser, {"how many bananas a day", "fallback", 0, "conv-" + std::to_string(c), ""},
                    kNow);
  CHECK(recorder.listing_json(kNow)["phrases"].empty());
  recorder.record(normaliser, {"how many bananas a day", "fallback", 0, "conv-2", ""}, kNow);
  const nlohmann::json listing = recorder.listing_json(kNow);
  REQUIRE(listing["phrases"].size() == 1);
  CHECK(listing["phrases"][0]["conversations"] == 3);
}
