// review/review_report.h: a phrase is shown only once enough distinct conversations sent it; files of several
// replicas combine; a bad file is an error naming the file and line.
#include <catch2/catch.hpp>

#include "review/review_report.h"
#include "review_test_support.h"

using namespace crampbot::review;
using namespace crampbot::review::test;

namespace {

std::vector<std::string> texts(const ReviewListing& listing) {
  std::vector<std::string> out;
  for (const auto& phrase : listing.phrases)
    out.push_back(phrase.text);
  return out;
}

}  // namespace

TEST_CASE("k-1 conversations never show a phrase, however often they sent it; k do", "[review][report]") {
  for (const std::size_t k : {2u, 5u, 10u}) {
    ReviewAggregate aggregate;
    for (std::size_t c = 0; c + 1 < k; ++c) {
      // Each conversation sends it many times, on the same day, with both outcomes.
      for (int times = 0; times < 20; ++times)
        aggregate.add(record("how many banana a day", "c" + std::to_string(c), "2026-12-01",
                             times % 2 ? "fallback" : "clarify"));
    }
    INFO("k = " << k);
    ReviewListing listing = aggregate.listing(k);
    CHECK(listing.phrases.empty());
    CHECK(listing.hidden_phrases == 1);
    CHECK(listing.hidden_records == 20 * (k - 1));
    CHECK(to_json(listing).dump().find("banana") == std::string::npos);
    CHECK(eval_lines(listing).find("banana") == std::string::npos);

    aggregate.add(record("how many banana a day", "another", "2026-12-01"));
    listing = aggregate.listing(k);
    REQUIRE(listing.phrases.size() == 1);
    CHECK(listing.phrases[0].conversations == k);
    CHECK(listing.phrases[0].count == 20 * (k - 1) + 1);
    CHECK(listing.hidden_phrases == 0);
  }
}

TEST_CASE("phrases are listed most conversations first, with their outcomes and locales",
          "[review][report]") {
  ReviewAggregate aggregate;
  for (int c = 0; c < 3; ++c)
    aggregate.add(record("rare", "r" + std::to_string(c)));
  for (int c = 0; c < 6; ++c)
    aggregate.add(record("common", "c" + std::to_string(c), "2026-12-01", c < 4 ? "fallback" : "clarify",
                         c < 5 ? "en-GB" : ""));
  for (int c = 0; c < 4; ++c) {
    aggregate.add(record("middling", "m" + std::to_string(c)));
    aggregate.add(record("middling", "m" + std::to_string(c)));
  }
  const ReviewListing listing = aggregate.listing(3);
  CHECK(texts(listing) == std::vector<std::string>{"common", "middling", "rare"});
  CHECK(listing.phrases[0].outcomes == std::map<std::string, std::size_t>{{"clarify", 2}, {"fallback", 4}});
  CHECK(listing.phrases[0].locales == std::map<std::string, std::size_t>{{"", 1}, {"en-GB", 5}});
  CHECK(listing.phrases[1].count == 8);
  CHECK(listing.records == 17);

  const nlohmann::json json = to_json(listing);
  CHECK(json["min_conversations"] == 3);
  CHECK(json["phrases"][0]["text"] == "common");
  CHECK(json["phrases"][0]["conversations"] == 6);
  CHECK(json["hidden"]["phrases"] == 0);
}

TEST_CASE("the same conversation hash on another day is another conversation", "[review][report]") {
  // The hashes change every day, so equal hashes on two days are a coincidence of two conversations.
  ReviewAggregate aggregate;
  aggregate.add(record("phrase", "same", "2026-12-01"));
  aggregate.add(record("phrase", "same", "2026-12-02"));
  CHECK(aggregate.listing(2).phrases.size() == 1);
}

TEST_CASE("two replicas' files combine, a conversation seen by both counted once", "[review][report]") {
  TemporaryFolder folder;
  std::string a, b;
  // Conversations 0-2 on replica A, 2-4 on replica B (2 on both, as chat turns go to any replica).
  for (int c = 0; c <= 2; ++c)
    a += to_line(record("how many banana a day", "h" + std::to_string(c)));
  for (int c = 2; c <= 4; ++c)
    b += to_line(record("how many banana a day", "h" + std::to_string(c)));
  write_all(folder / "a.jsonl", a);
  write_all(folder / "b.jsonl", b);

  std::vector<std::string> warnings;
  ReviewAggregate one;
  one.read_file(folder / "a.jsonl", warnings);
  CHECK(one.listing(5).phrases.empty());

  ReviewAggregate both;
  both.read_file(folder / "a.jsonl", warnings);
  both.read_file(folder / "b.jsonl", warnings);
  const ReviewListing listing = both.listing(5);
  REQUIRE(listing.phrases.size() == 1);
  CHECK(listing.phrases[0].conversations == 5);
  CHECK(listing.phrases[0].count == 6);
  CHECK(warnings.empty());
}

TEST_CASE("a line that is not a record is an error naming the file and line", "[review][report]") {
  TemporaryFolder folder;
  const std::string good = to_line(record("how many banana a day", "c1"));
  const std::pair<std::string, std::string> cases[] = {
      {"not json\n", "not a JSON object"},
      {"[1]\n", "not a JSON object"},
      {R"({"day":"2026-12-01","conversation":"c","outcome":"fallback","locale":""})"
       "\n",
       "\"text\" is missing"},
      {R"({"day":"yesterday","conversation":"c","outcome":"fallback","locale":"","text":"t"})"
       "\n",
       "\"day\" must be a date"},
      {R"({"day":"2026-02-30","conversation":"c","outcome":"fallback","locale":"","text":"t"})"
       "\n",
       "\"day\" must be a date"},
      {R"({"day":"2026-12-01","conversation":7,"outcome":"fallback","locale":"","text":"t"})"
       "\n",
       "\"conversation\" must be a string"},
  };
  for (const auto& [bad, problem] : cases) {
    write_all(folder / "bad.jsonl", good + "\n" + bad + good);
    ReviewAggregate aggregate;
    std::vector<std::string> warnings;
    INFO(bad);
    CHECK_THROWS_AS(aggregate.read_file(folder / "bad.jsonl", warnings), ReviewFileError);
    CHECK_THROWS_WITH(
        aggregate.read_file(folder / "bad.jsonl", warnings),
        Catch::StartsWith((folder / "bad.jsonl").string() + ":3: ") && Catch::Contains(problem));
  }
  ReviewAggregate aggregate;
  std::vector<std::string> warnings;
  CHECK_THROWS_WITH(aggregate.read_file(folder / "missing.jsonl", warnings),
                    Catch::Contains("missing.jsonl: cannot open file"));
}

TEST_CASE("an unfinished last line is skipped with a warning, not an error", "[review][report]") {
  TemporaryFolder folder;
  write_all(folder / "live.jsonl", to_line(record("how many banana a day", "c1")) + R"({"day":"2026-1)");
  ReviewAggregate aggregate;
  std::vector<std::string> warnings;
  aggregate.read_file(folder / "live.jsonl", warnings);
  CHECK(aggregate.listing(1).records == 1);
  REQUIRE(warnings.size() == 1);
  CHECK_THAT(warnings[0], Catch::Contains("live.jsonl:2: an unfinished last line was skipped"));
}

TEST_CASE("records past the retention are left out of the listing", "[review][report]") {
  ReviewAggregate aggregate("2026-11-02");
  for (int c = 0; c < 5; ++c) {
    aggregate.add(record("old", "o" + std::to_string(c), "2026-11-01"));
    aggregate.add(record("new", "n" + std::to_string(c), "2026-11-02"));
  }
  const ReviewListing listing = aggregate.listing(5);
  CHECK(texts(listing) == std::vector<std::string>{"new"});
  CHECK(listing.expired == 5);
  CHECK(listing.records == 5);
}

TEST_CASE("the eval export has one line per shown phrase with an empty intent to fill in",
          "[review][report]") {
  ReviewAggregate aggregate;
  for (int c = 0; c < 5; ++c)
    aggregate.add(record("can i take # mg of magnesium with ibuprofen", "c" + std::to_string(c)));
  aggregate.add(record("hidden", "x"));
  const std::string lines = eval_lines(aggregate.listing(5));
  std::istringstream in(lines);
  std::string comment, line, extra;
  std::getline(in, comment);
  std::getline(in, line);
  CHECK(comment.starts_with("# "));
  CHECK_FALSE(std::getline(in, extra));
  const nlohmann::json json = nlohmann::json::parse(line);
  CHECK(json["text"] == "can i take # mg of magnesium with ibuprofen");
  CHECK(json["intent"] == "");
  CHECK(json["slots"] == nlohmann::json::object());
  CHECK(json["conversations"] == 5);
}
