// Shared by the libFuzzer harnesses: the real catalog loaded once, and checks that stop the run with a
// message (libFuzzer then saves the input as a crash reproducer).
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

#include "channels/channel_outcome.h"
#include "channels/json_body.h"
#include "test_support.h"

namespace crampbot::fuzz {

// The engine of config/crampbot.json, loaded on first use and kept for the whole run.
using crampbot::test::real_engine;
// Every locale of config/crampbot.json, as the server holds them (channels pick one by the request's locale).
using crampbot::test::real_engines;

// Stops the run when an invariant does not hold; `what` says which.
inline void require(bool holds, const char* what) {
  if (!holds) {
    std::fprintf(stderr, "invariant broken: %s\n", what);
    std::abort();
  }
}

// Strictly one JSON value (nlohmann's accept() takes a NUL byte as the end of input), nested at most
// `max_depth` deep.
inline bool is_json(std::string_view text, std::size_t max_depth = 64) {
  return parse_json_body(text, max_depth).ok();
}

inline std::string_view as_text(const std::uint8_t* data, std::size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

// What every channel owes any body: a JSON reply, 200 for an answer or a 4xx refusal, never an exception.
inline void require_well_formed(const ChannelOutcome& outcome) {
  require(outcome.status == 200 || (outcome.status >= 400 && outcome.status < 500), "status is 200 or 4xx");
  require(is_json(outcome.body), "the body is JSON");
  require(outcome.status == 200 || outcome.intent.empty(), "a refusal answers no intent");
}

}  // namespace crampbot::fuzz
