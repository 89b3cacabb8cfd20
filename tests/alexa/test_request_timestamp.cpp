// ISO-8601 request timestamps and the strict base64 of Signature-256.
#include <catch2/catch.hpp>

#include "channels/alexa/request_timestamp.h"

using crampbot::alexa::parse_request_timestamp;
using namespace std::chrono;

namespace {

system_clock::time_point utc(int y, unsigned m, unsigned d, int hh, int mm, int ss) {
  return sys_days{year{y} / month{m} / day{d}} + hours{hh} + minutes{mm} + seconds{ss};
}

}  // namespace

TEST_CASE("timestamp: whole seconds with Z", "[alexa][timestamp]") {
  const auto t = parse_request_timestamp("2025-01-31T12:34:56Z");
  REQUIRE(t.has_value());
  CHECK(*t == utc(2025, 1, 31, 12, 34, 56));
}

TEST_CASE("timestamp: fractional seconds of any length", "[alexa][timestamp]") {
  CHECK(parse_request_timestamp("2025-01-31T12:34:56.5Z") ==
        utc(2025, 1, 31, 12, 34, 56) + milliseconds(500));
  CHECK(parse_request_timestamp("2025-01-31T12:34:56.123Z") ==
        utc(2025, 1, 31, 12, 34, 56) + milliseconds(123));
  CHECK(parse_request_timestamp("2025-01-31T12:34:56.123456789Z") ==
        utc(2025, 1, 31, 12, 34, 56) + microseconds(123456));
}

TEST_CASE("timestamp: offsets are applied", "[alexa][timestamp]") {
  const auto noon_utc = utc(2025, 6, 1, 12, 0, 0);
  CHECK(parse_request_timestamp("2025-06-01T13:00:00+01:00") == noon_utc);
  CHECK(parse_request_timestamp("2025-06-01T07:30:00-04:30") == noon_utc);
  CHECK(parse_request_timestamp("2025-06-01T13:00:00+0100") == noon_utc);
  CHECK(parse_request_timestamp("2025-06-01T12:00:00+00:00") == noon_utc);
  CHECK(parse_request_timestamp("2025-06-01t12:00:00z") == noon_utc);
  // An offset that crosses midnight and a leap day.
  CHECK(parse_request_timestamp("2024-03-01T01:00:00+02:00") == utc(2024, 2, 29, 23, 0, 0));
}

TEST_CASE("timestamp: the first and last moments of the years taken", "[alexa][timestamp]") {
  CHECK(parse_request_timestamp("1970-01-01T00:00:00Z") == utc(1970, 1, 1, 0, 0, 0));
  CHECK(parse_request_timestamp("2199-12-31T23:59:59Z") == utc(2199, 12, 31, 23, 59, 59));
  // The range applies to the year as written: an offset may carry the instant into 2200, still far from
  // the clock's limit in 2262.
  CHECK(parse_request_timestamp("2199-12-31T23:59:59-23:59") == utc(2200, 1, 1, 23, 58, 59));
}

TEST_CASE("timestamp: garbage and impossible dates are refused", "[alexa][timestamp]") {
  const char* refused[] = {
      "",
      "garbage",
      "2025-01-31",                // no time
      "2025-01-31T12:34:56",       // no zone
      "2025-01-31 12:34:56Z",      // space for T
      "2025-02-30T12:00:00Z",      // no such day
      "2025-13-01T12:00:00Z",      // no such month
      "2025-01-31T24:00:00Z",      // hour out of range
      "2025-01-31T12:60:00Z",      // minute out of range
      "2025-01-31T12:34:56.Z",     // a dot without digits
      "2025-01-31T12:34:56Zjunk",  // trailing text
      "2025-01-31T12:34:56+1:00",  // short offset
      "1738326896",                // epoch seconds are not ISO-8601
      "2025-1-31T12:34:56Z",       // short month
      // Years whose nanoseconds since 1970 overflow the clock's 64 bits (signed overflow, found by
      // fuzz_alexa_body under UBSan; fuzz/regressions/fuzz_alexa_body/), and the edges of the range kept.
      "1012-03-01T09:15:30Z",
      "2825-03-01T09:15:30Z",
      "1969-12-31T23:59:59Z",
      "2200-01-01T00:00:00Z",
      "9999-12-31T23:59:59Z",
  };
  for (const char* text : refused) {
    INFO(text);
    CHECK_FALSE(parse_request_timestamp(text).has_value());
  }
}
