#pragma once

#include <chrono>
#include <optional>
#include <string_view>

namespace crampbot::alexa {

// Parses an ISO-8601 / RFC 3339 date-time as Alexa sends `request.timestamp`: "2025-01-31T12:34:56Z", with
// or without fractional seconds (any number of digits, kept to the microsecond), with 'Z' or a "+hh:mm",
// "-hh:mm" or "+hhmm" offset. 'T' and 'Z' may be lower case. nullopt for anything else, including dates that
// do not exist (February 30th), out-of-range fields and years outside 1970–2199 (a request is stamped now;
// the range also keeps the clock's nanoseconds since 1970 within 64 bits).
std::optional<std::chrono::system_clock::time_point> parse_request_timestamp(std::string_view text);

}  // namespace crampbot::alexa
