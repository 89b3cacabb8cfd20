// review/review_store.h: a private, append-only file of whole lines that one process writes at a time, with
// retention and a size bound. (Killing a writing server with SIGKILL: tests/cli/review_crash.sh.)
#include <catch2/catch.hpp>

#include <sys/stat.h>

#include <set>
#include <thread>
#include <variant>
#include <vector>

#include "review/review_store.h"
#include "review_test_support.h"

using namespace crampbot::review;
using namespace crampbot::review::test;

namespace {

std::vector<ReviewRecord> records_in(const std::filesystem::path& file) {
  std::vector<ReviewRecord> out;
  std::istringstream in(read_all(file));
  std::string line;
  while (std::getline(in, line)) {
    const auto parsed = parse_record(line);
    REQUIRE(std::holds_alternative<ReviewRecord>(parsed));
    out.push_back(std::get<ReviewRecord>(parsed));
  }
  return out;
}

unsigned mode_of(const std::filesystem::path& file) {
  struct stat status {};
  REQUIRE(::stat(file.c_str(), &status) == 0);
  return status.st_mode & 0777;
}

}  // namespace

TEST_CASE("the store is created private, and an existing file is made private", "[review][store]") {
  TemporaryFolder folder;
  {
    ReviewStore store(folder / "review.jsonl", 1 << 20);
    CHECK(store.append(record("how many banana a day", "c1")) == ReviewStore::Appended::written);
  }
  CHECK(mode_of(folder / "review.jsonl") == 0600);
  CHECK(mode_of(folder / "review.jsonl.lock") == 0600);

  write_all(folder / "shared.jsonl", "");
  std::filesystem::permissions(folder / "shared.jsonl", std::filesystem::perms(0644));
  ReviewStore store(folder / "shared.jsonl", 1 << 20);
  CHECK(mode_of(folder / "shared.jsonl") == 0600);
}

TEST_CASE("records are appended as whole lines and read back as written", "[review][store]") {
  TemporaryFolder folder;
  const auto file = folder / "review.jsonl";
  const std::vector<ReviewRecord> written = {
      record("how many banana a day", "c1"),
      record("is it \"safe\"\nto run", "c2", "2026-12-02", "clarify", "")};
  {
    ReviewStore store(file, 1 << 20);
    for (const auto& r : written)
      CHECK(store.append(r) == ReviewStore::Appended::written);
    CHECK(store.sync());
    CHECK(store.size_bytes() == read_all(file).size());
  }
  CHECK(records_in(file) == written);
  // Reopened, it appends after what is there.
  ReviewStore store(file, 1 << 20);
  CHECK(store.append(record("third", "c3")) == ReviewStore::Appended::written);
  CHECK(records_in(file).size() == 3);
}

TEST_CASE("many threads appending at once lose nothing and never interleave", "[review][store]") {
  TemporaryFolder folder;
  const auto file = folder / "review.jsonl";
  constexpr int kThreads = 8;
  constexpr int kEach = 400;
  {
    ReviewStore store(file, 64 << 20);
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
      threads.emplace_back([&store, t] {
        for (int i = 0; i < kEach; ++i) {
          // Lines of different lengths, so interleaved writes could not go unnoticed.
          const std::string text = "thread " + std::string(static_cast<std::size_t>(t + 1), 'x') + " line";
          if (store.append(record(text, "t" + std::to_string(t) + "-" + std::to_string(i))) !=
              ReviewStore::Appended::written)
            FAIL_CHECK("an append failed");
        }
      });
    }
    for (auto& thread : threads)
      thread.join();
  }
  const auto records = records_in(file);
  CHECK(records.size() == kThreads * kEach);
  std::set<std::string> conversations;
  for (const auto& r : records)
    conversations.insert(r.conversation);
  CHECK(conversations.size() == kThreads * kEach);
}

TEST_CASE("a second store on the same file is refused while the first is open", "[review][store]") {
  TemporaryFolder folder;
  const auto file = folder / "review.jsonl";
  {
    ReviewStore first(file, 1 << 20);
    CHECK_THROWS_WITH(ReviewStore(file, 1 << 20), Catch::Contains("in use by another crampbot process") &&
                                                      Catch::Contains(file.string()));
    CHECK(first.append(record("still mine", "c1")) == ReviewStore::Appended::written);
  }
  // Closed: the lock is released.
  ReviewStore again(file, 1 << 20);
  CHECK(records_in(file).size() == 1);
}

TEST_CASE("a line cut short by a power loss is removed when the store is opened", "[review][store]") {
  TemporaryFolder folder;
  const auto file = folder / "review.jsonl";
  const std::string whole = to_line(record("how many banana a day", "c1"));
  write_all(file, whole + R"({"day":"2026-12-01","conver)");
  {
    ReviewStore store(file, 1 << 20);
    CHECK(store.size_bytes() == whole.size());
    CHECK(store.append(record("after the crash", "c2")) == ReviewStore::Appended::written);
  }
  const auto records = records_in(file);
  REQUIRE(records.size() == 2);
  CHECK(records[1].text == "after the crash");

  // A file of one unfinished line is emptied.
  write_all(file, R"({"day":"2026)");
  ReviewStore store(file, 1 << 20);
  CHECK(store.size_bytes() == 0);
  CHECK(read_all(file).empty());
}

TEST_CASE("the store stops at its size bound and takes records again once retention frees room",
          "[review][store]") {
  TemporaryFolder folder;
  const auto file = folder / "review.jsonl";
  const std::size_t line = to_line(record("how many banana a day", "c1")).size();
  ReviewStore store(file, 3 * line);
  CHECK(store.append(record("how many banana a day", "c1", "2026-11-01")) == ReviewStore::Appended::written);
  CHECK(store.append(record("how many banana a day", "c1", "2026-12-01")) == ReviewStore::Appended::written);
  CHECK(store.append(record("how many banana a day", "c1", "2026-12-01")) == ReviewStore::Appended::written);
  CHECK(store.append(record("how many banana a day", "c1", "2026-12-01")) == ReviewStore::Appended::full);
  CHECK(read_all(file).size() == 3 * line);
  CHECK(store.remove_before("2026-11-02").removed == 1);
  CHECK(store.append(record("how many banana a day", "c1", "2026-12-01")) == ReviewStore::Appended::written);
  CHECK(records_in(file).size() == 3);
}

TEST_CASE("retention removes older days, keeps the file private and appends go on in it", "[review][store]") {
  TemporaryFolder folder;
  const auto file = folder / "review.jsonl";
  ReviewStore store(file, 1 << 20);
  for (const char* day : {"2026-10-31", "2026-11-01", "2026-11-02", "2026-12-01"})
    CHECK(store.append(record("phrase of " + std::string(day), "c", day)) == ReviewStore::Appended::written);
  const ReviewStore::Pruned pruned = store.remove_before("2026-11-02");
  CHECK(pruned.ok);
  CHECK(pruned.removed == 2);
  CHECK(mode_of(file) == 0600);
  CHECK_FALSE(std::filesystem::exists(folder / "review.jsonl.tmp"));
  CHECK(store.append(record("after retention", "c", "2026-12-02")) == ReviewStore::Appended::written);
  std::vector<std::string> days;
  for (const auto& r : records_in(file))
    days.push_back(r.day);
  CHECK(days == std::vector<std::string>{"2026-11-02", "2026-12-01", "2026-12-02"});
  CHECK(store.size_bytes() == read_all(file).size());
  // Nothing to remove: the file is left as it is.
  CHECK(store.remove_before("2026-11-02").removed == 0);
}

TEST_CASE("a store that cannot be opened says which file", "[review][store]") {
  TemporaryFolder folder;
  CHECK_THROWS_WITH(ReviewStore(folder / "missing-folder" / "review.jsonl", 1 << 20),
                    Catch::Contains("missing-folder"));
}
