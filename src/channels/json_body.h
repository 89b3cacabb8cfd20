#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace crampbot {

// The result of parsing an untrusted request body.
struct ParsedBody {
  nlohmann::json json;  // discarded when !ok
  std::string error;    // what was wrong, for the 400 message; "" when ok
  bool ok() const { return error.empty(); }
};

// Depth of the deepest array or object in `text` (brackets inside strings do not count); stops counting once
// past `limit`. Cheap enough to run on every body before any parser sees it.
std::size_t json_nesting_depth(std::string_view text, std::size_t limit);

// Parses `body` as one JSON value without throwing. Refuses nesting deeper than `max_depth` before parsing
// (so hostile input cannot exhaust the stack), invalid JSON (a NUL byte anywhere included) and invalid
// UTF-8, each with a message that says where.
ParsedBody parse_json_body(std::string_view body, std::size_t max_depth = 64);

// The UTF-8-safe dump used for every reply: invalid sequences are replaced rather than thrown on.
std::string dump_json(const nlohmann::json& json);

}  // namespace crampbot
