#pragma once

#include <stdexcept>
#include <string>

namespace crampbot {

// Thrown only while loading configuration, intents and responses at start (or on reload, off the request
// path). The message names the file and the key or field that is wrong.
class CatalogError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace crampbot
