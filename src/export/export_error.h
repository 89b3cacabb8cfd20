#pragma once

#include <stdexcept>

namespace crampbot::exporting {

// An interaction model that cannot be produced or written; the message names the intent, value or path.
class ExportError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace crampbot::exporting
