#include "review/review_store.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <stdexcept>
#include <variant>

namespace crampbot::review {

namespace {

constexpr mode_t kPrivate = 0600;

std::string describe_errno(int error) {
  return std::strerror(error);
}

[[noreturn]] void fail(const std::filesystem::path& file, const std::string& what) {
  throw std::runtime_error(file.string() + ": " + what);
}

// Writes all of `data` at the end of `fd` (O_APPEND), retrying after signals. False on any failure.
bool write_all(int fd, std::string_view data) {
  while (!data.empty()) {
    const ssize_t written = ::write(fd, data.data(), data.size());
    if (written < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    if (written == 0) return false;
    data.remove_prefix(static_cast<std::size_t>(written));
  }
  return true;
}

// The length of `fd`'s content up to and including its last '\n' (0 when it has none).
off_t end_of_last_line(int fd, off_t size) {
  char buffer[4096];
  off_t end = size;
  while (end > 0) {
    const off_t start = end > static_cast<off_t>(sizeof buffer) ? end - static_cast<off_t>(sizeof buffer) : 0;
    const ssize_t got = ::pread(fd, buffer, static_cast<std::size_t>(end - start), start);
    if (got <= 0) return -1;
    for (ssize_t i = got - 1; i >= 0; --i) {
      if (buffer[i] == '\n') return start + i + 1;
    }
    end = start;
  }
  return 0;
}

// Syncs the folder holding `file`, so that a rename into it survives a power loss.
void sync_folder(const std::filesystem::path& file) {
  const std::filesystem::path folder = file.has_parent_path() ? file.parent_path() : ".";
  const int fd = ::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return;
  ::fsync(fd);
  ::close(fd);
}

}  // namespace

ReviewStore::ReviewStore(std::filesystem::path file, std::size_t max_bytes)
    : file_(std::move(file)), max_bytes_(max_bytes) {
  const std::string lock_path = file_.string() + ".lock";
  lock_fd_ = ::open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, kPrivate);
  if (lock_fd_ < 0) fail(lock_path, "cannot open the lock file: " + describe_errno(errno));
  if (::flock(lock_fd_, LOCK_EX | LOCK_NB) != 0) {
    const int error = errno;
    ::close(lock_fd_);
    if (error == EWOULDBLOCK) {
      fail(file_,
           "is in use by another crampbot process; give each replica its own review.file (crampbot review "
           "combines them)");
    }
    fail(lock_path, "cannot lock: " + describe_errno(error));
  }
  fd_ = ::open(file_.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, kPrivate);
  if (fd_ < 0) {
    const int error = errno;
    ::close(lock_fd_);
    fail(file_, "cannot open for appending: " + describe_errno(error));
  }
  struct stat status {};
  const bool ok = ::fchmod(fd_, kPrivate) == 0 && ::fstat(fd_, &status) == 0;
  const int error = errno;
  int read_fd = ok ? ::open(file_.c_str(), O_RDONLY | O_CLOEXEC) : -1;
  // A record cut short by a power loss (the file does not end with '\n'): cut it off, so that the next
  // record starts on a line of its own and readers see only whole records.
  off_t keep = ok ? status.st_size : -1;
  if (read_fd >= 0 && status.st_size > 0) keep = end_of_last_line(read_fd, status.st_size);
  if (read_fd >= 0) ::close(read_fd);
  if (!ok || keep < 0 || (keep != status.st_size && (::ftruncate(fd_, keep) != 0 || ::fsync(fd_) != 0))) {
    ::close(fd_);
    ::close(lock_fd_);
    fail(file_, "cannot make private, read or repair: " + describe_errno(ok ? errno : error));
  }
  size_ = static_cast<std::size_t>(keep);
}

ReviewStore::~ReviewStore() {
  sync();
  ::close(fd_);
  ::close(lock_fd_);  // releases the lock
}

ReviewStore::Appended ReviewStore::append(const ReviewRecord& record) {
  const std::string line = to_line(record);
  std::lock_guard lock(mutex_);
  if (size_ + line.size() > max_bytes_) return Appended::full;
  if (!write_all(fd_, line)) {
    // Cut off whatever part of the line went in, so the file still holds whole lines only.
    if (::ftruncate(fd_, static_cast<off_t>(size_)) != 0) {
      // Nothing more to do here: the next open repairs a torn last line.
    }
    return Appended::failed;
  }
  size_ += line.size();
  dirty_ = true;
  return Appended::written;
}

bool ReviewStore::sync() {
  std::lock_guard lock(mutex_);
  if (!dirty_) return true;
  if (::fdatasync(fd_) != 0) return false;
  dirty_ = false;
  return true;
}

ReviewStore::Pruned ReviewStore::remove_before(std::string_view oldest_kept_day) {
  std::lock_guard lock(mutex_);
  Pruned result;
  std::ifstream in(file_, std::ios::binary);
  if (!in) return {false, 0, "cannot read " + file_.string()};
  std::string kept;
  std::string line;
  while (std::getline(in, line)) {
    const auto parsed = parse_record(line);
    const auto* record = std::get_if<ReviewRecord>(&parsed);
    if (record && record->day >= oldest_kept_day) {
      kept += line;
      kept += '\n';
    } else {
      ++result.removed;
    }
  }
  if (result.removed == 0) return result;

  const std::filesystem::path temporary = file_.string() + ".tmp";
  const int out = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, kPrivate);
  if (out < 0) return {false, 0, "cannot create " + temporary.string() + ": " + describe_errno(errno)};
  const bool written = ::fchmod(out, kPrivate) == 0 && write_all(out, kept) && ::fsync(out) == 0;
  const int error = errno;
  ::close(out);
  if (!written || std::rename(temporary.c_str(), file_.c_str()) != 0) {
    ::unlink(temporary.c_str());
    return {false, 0, "cannot rewrite " + file_.string() + ": " + describe_errno(written ? errno : error)};
  }
  sync_folder(file_);
  // Appends go on in the new file.
  const int reopened = ::open(file_.c_str(), O_WRONLY | O_APPEND | O_CLOEXEC);
  if (reopened < 0) {
    return {false, result.removed, "cannot reopen " + file_.string() + ": " + describe_errno(errno)};
  }
  ::close(fd_);
  fd_ = reopened;
  size_ = kept.size();
  dirty_ = false;
  return result;
}

std::size_t ReviewStore::size_bytes() const {
  std::lock_guard lock(mutex_);
  return size_;
}

}  // namespace crampbot::review
