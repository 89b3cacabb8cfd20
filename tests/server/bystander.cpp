#include "bystander.h"

#include <algorithm>
#include <fstream>

#include "support/http_client.h"

namespace crampbot::test {

namespace {

const std::string kQuestion = R"({"text":"what foods have magnesium"})";

// A "Name:   1234 kB" line of /proc/self/status, in KiB; -1 when absent.
long status_kib(const std::string& name) {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.starts_with(name + ":")) return std::stol(line.substr(name.size() + 1));
  }
  return -1;
}

}  // namespace

long resident_kib() {
  return status_kib("VmRSS");
}

long peak_resident_kib() {
  return status_kib("VmHWM");
}

bool reset_peak_resident() {
  std::ofstream clear_refs("/proc/self/clear_refs");
  clear_refs << "5";
  clear_refs.flush();
  return clear_refs.good();
}

std::string Bystander::Report::describe() const {
  std::string out = "bystander asked " + std::to_string(asked) + ", answered " + std::to_string(answered) +
                    "; resident memory " + std::to_string(baseline_kib) + " KiB, peak " +
                    std::to_string(peak_kib) + " KiB (+" + std::to_string(grown_kib()) + " KiB)";
  if (!first_failure.empty()) out += "; first failure: " + first_failure;
  return out;
}

Bystander::Bystander(std::uint16_t port, std::chrono::milliseconds pause) : port_(port), pause_(pause) {
  Report warm_up;
  ask_once(warm_up);
  if (!warm_up.first_failure.empty()) report_ = warm_up;  // a failure counts, even this early
  high_water_mark_ = reset_peak_resident();
  report_.baseline_kib = resident_kib();
  report_.peak_kib = report_.baseline_kib;
  thread_ = std::thread([this] {
    // report_ is this thread's alone until stop() joins it.
    while (!stopping_) {
      ask_once(report_);
      sample(report_);
      std::this_thread::sleep_for(pause_);
      sample(report_);
    }
  });
}

Bystander::~Bystander() {
  stop();
}

Bystander::Report Bystander::stop() {
  stopping_ = true;
  if (thread_.joinable()) thread_.join();
  sample(report_);
  return report_;
}

void Bystander::ask_once(Report& report) {
  ++report.asked;
  HttpClient client(port_, std::chrono::seconds(5));
  // Through the loopback "proxy" as a client of its own (see the header).
  const auto reply = client.post_json("/v1/chat", kQuestion, {{"X-Forwarded-For", kBystanderAddress}});
  if (reply && reply->status == 200 && reply->body.find("agnesium") != std::string::npos) {
    ++report.answered;
  } else if (report.first_failure.empty()) {
    report.first_failure =
        !reply ? "no reply" : "status " + std::to_string(reply->status) + ": " + reply->body.substr(0, 200);
  }
}

void Bystander::sample(Report& report) {
  report.peak_kib = std::max(report.peak_kib, resident_kib());
  if (high_water_mark_) report.peak_kib = std::max(report.peak_kib, peak_resident_kib());
}

}  // namespace crampbot::test
