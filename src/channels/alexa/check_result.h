#pragma once

#include <string>
#include <utility>

namespace crampbot::alexa {

// The outcome of one verification step: passed, or failed with a reason a person can read.
struct CheckResult {
  std::string failure;  // "" when the check passed

  bool passed() const { return failure.empty(); }
  static CheckResult pass() { return {}; }
  static CheckResult fail(std::string reason) { return {std::move(reason)}; }
};

}  // namespace crampbot::alexa
