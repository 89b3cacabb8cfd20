#pragma once

#include <cstddef>
#include <filesystem>
#include <mutex>
#include <string>
#include <string_view>

#include "review/review_record.h"

namespace crampbot::review {

// The review store: an append-only file of records, one JSON line each (review.file).
//
// - Private: created with mode 0600, and an existing file is set to 0600.
// - Durable against a crash of the process: append() writes each line with one write(2) before it returns,
//   so a record the server has answered for is in the kernel's hands, and a SIGKILL or a crash right after
//   cannot lose it. sync() (every second, and at a graceful stop) makes written records survive a power loss
//   too. A line cut short by a power loss is removed when the store is next opened.
// - One writer: an exclusive lock (flock on `file` + ".lock") for as long as the store is open, so a second
//   process configured with the same file refuses to start rather than interleave with this one. Replicas
//   each have their own file; `crampbot review` combines them.
// - Bounded: a record that would take the file past `max_bytes` is not written (append returns full) until
//   retention frees room.
// - Retention rewrites the file without old records into a temporary file, syncs it and renames it over the
//   store, so a reader sees either the old file or the new one, never a half-written one.
//
// Thread-safe: appends from many threads are serialised; each is one line.
class ReviewStore {
 public:
  // Opens (creating) and locks `file`. Throws std::runtime_error naming the file when it cannot be opened,
  // made private or locked (another process holds it): start-up only.
  ReviewStore(std::filesystem::path file, std::size_t max_bytes);
  ~ReviewStore();
  ReviewStore(const ReviewStore&) = delete;
  ReviewStore& operator=(const ReviewStore&) = delete;

  enum class Appended { written, full, failed };

  // Appends `record` as one line. `failed` when the write failed (disk full, I/O error); a partial line is
  // then cut off again, so the file stays readable. Never throws.
  Appended append(const ReviewRecord& record);

  // Flushes written records to the disk (fdatasync) when any were written since the last call. Returns
  // false when the flush failed. Never throws.
  bool sync();

  struct Pruned {
    bool ok = true;
    std::size_t removed = 0;  // records older than the day given, and lines that were not records
    std::string error;        // what failed, when !ok (the store is then unchanged)
  };

  // Removes every record of a day before `oldest_kept_day` ("YYYY-MM-DD"). Appends wait meanwhile. Never
  // throws.
  Pruned remove_before(std::string_view oldest_kept_day);

  // The file's size in bytes as this store has written it.
  std::size_t size_bytes() const;

  const std::filesystem::path& file() const { return file_; }

 private:
  std::filesystem::path file_;
  std::size_t max_bytes_;
  mutable std::mutex mutex_;
  int fd_ = -1;       // the store, O_APPEND
  int lock_fd_ = -1;  // file_ + ".lock", flock'd
  std::size_t size_ = 0;
  bool dirty_ = false;  // written since the last sync
};

}  // namespace crampbot::review
