// A well-behaved client and a memory gauge beside an attack on the in-process test server.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <string>
#include <thread>

namespace crampbot::test {

// This process's resident memory in KiB (the in-process server's included), from /proc/self/status; -1 when
// it cannot be read.
long resident_kib();

// The most resident memory this process has had since it started or since the last reset_peak_resident(),
// in KiB (VmHWM); -1 when it cannot be read.
long peak_resident_kib();

// Starts the peak over from the present (writes 5 to /proc/self/clear_refs); false when the kernel refuses.
bool reset_peak_resident();

// The address the bystander's questions come from: it connects over loopback (a trusted proxy by default)
// naming this address in X-Forwarded-For, so the attack's requests from 127.0.0.1 do not spend its share
// of the per-client rate limit, and the server's defaults need not be turned off for it.
inline constexpr const char* kBystanderAddress = "192.0.2.10";

// From construction until stop(), asks the server one chat question at a time, each on a new connection,
// pausing `pause` between them (about 15 a second: within the default rate limit of 20), and checks each
// answer (200, about magnesium), while the kernel's high-water mark of resident memory
// records the peak (sampled between questions too, where the mark cannot be reset). A test runs its attack
// meanwhile and then asserts that every question was answered and memory stayed bounded.
class Bystander {
 public:
  struct Report {
    int asked = 0;
    int answered = 0;           // 200 with the expected answer
    std::string first_failure;  // what went wrong first; "" when nothing did
    long baseline_kib = 0;      // resident memory when it started
    long peak_kib = 0;          // the most seen until stop()

    long grown_kib() const { return peak_kib - baseline_kib; }
    // "bystander asked 12, answered 12; resident memory 51200 KiB, peak 52000 KiB (+800 KiB)", then the
    // first failure if any.
    std::string describe() const;
  };

  // Starts asking at once; the first question is answered before the constructor returns (or has failed),
  // so that what comes after is measured against a server that has warmed up.
  explicit Bystander(std::uint16_t port, std::chrono::milliseconds pause = std::chrono::milliseconds(60));
  ~Bystander();
  Bystander(const Bystander&) = delete;
  Bystander& operator=(const Bystander&) = delete;

  // Stops after the question in flight and returns what was seen; the warm-up question counts only when it
  // failed.
  Report stop();

 private:
  void ask_once(Report& report);
  void sample(Report& report);

  std::uint16_t port_;
  std::chrono::milliseconds pause_;
  bool high_water_mark_ = false;  // whether VmHWM was reset at the baseline, so it tells this run's peak
  std::atomic<bool> stopping_{false};
  Report report_;
  std::thread thread_;
};

}  // namespace crampbot::test
