#include "channels/alexa/request_timestamp.h"

namespace crampbot::alexa {

namespace {

// Reads exactly `count` digits at `pos`, advancing it; -1 if they are not all digits.
int read_digits(std::string_view text, std::size_t& pos, std::size_t count) {
  if (pos + count > text.size()) return -1;
  int value = 0;
  for (std::size_t i = 0; i < count; ++i) {
    const char c = text[pos + i];
    if (c < '0' || c > '9') return -1;
    value = value * 10 + (c - '0');
  }
  pos += count;
  return value;
}

bool expect(std::string_view text, std::size_t& pos, char a, char b = '\0') {
  if (pos >= text.size() || (text[pos] != a && (b == '\0' || text[pos] != b))) return false;
  ++pos;
  return true;
}

}  // namespace

std::optional<std::chrono::system_clock::time_point> parse_request_timestamp(std::string_view text) {
  namespace chrono = std::chrono;
  std::size_t pos = 0;
  const int year = read_digits(text, pos, 4);
  // system_clock counts nanoseconds in 64 bits (1677–2262): a year beyond would overflow the conversion.
  if (year < 1970 || year > 2199 || !expect(text, pos, '-')) return std::nullopt;
  const int month = read_digits(text, pos, 2);
  if (month < 0 || !expect(text, pos, '-')) return std::nullopt;
  const int day = read_digits(text, pos, 2);
  if (day < 0 || !expect(text, pos, 'T', 't')) return std::nullopt;
  const int hour = read_digits(text, pos, 2);
  if (hour < 0 || !expect(text, pos, ':')) return std::nullopt;
  const int minute = read_digits(text, pos, 2);
  if (minute < 0 || !expect(text, pos, ':')) return std::nullopt;
  const int second = read_digits(text, pos, 2);
  // A leap second (60) is allowed by RFC 3339; it is taken as the first second of the next minute.
  if (second < 0 || hour > 23 || minute > 59 || second > 60) return std::nullopt;

  chrono::microseconds fraction{0};
  if (pos < text.size() && text[pos] == '.') {
    ++pos;
    std::size_t digits = 0;
    long long micros = 0;
    while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
      if (digits < 6) micros = micros * 10 + (text[pos] - '0');
      ++digits;
      ++pos;
    }
    if (digits == 0) return std::nullopt;
    for (std::size_t d = digits; d < 6; ++d)
      micros *= 10;
    fraction = chrono::microseconds{micros};
  }

  chrono::minutes offset{0};
  if (expect(text, pos, 'Z', 'z')) {
    // UTC
  } else if (pos < text.size() && (text[pos] == '+' || text[pos] == '-')) {
    const bool negative = text[pos] == '-';
    ++pos;
    const int offset_hours = read_digits(text, pos, 2);
    if (offset_hours < 0) return std::nullopt;
    if (pos < text.size() && text[pos] == ':') ++pos;
    const int offset_minutes = read_digits(text, pos, 2);
    if (offset_minutes < 0 || offset_hours > 23 || offset_minutes > 59) return std::nullopt;
    offset = chrono::hours{offset_hours} + chrono::minutes{offset_minutes};
    if (negative) offset = -offset;
  } else {
    return std::nullopt;
  }
  if (pos != text.size()) return std::nullopt;

  const chrono::year_month_day date{chrono::year{year}, chrono::month{static_cast<unsigned>(month)},
                                    chrono::day{static_cast<unsigned>(day)}};
  if (!date.ok()) return std::nullopt;
  // Local time minus its offset is UTC: 12:00+01:00 is 11:00Z.
  const auto utc = chrono::sys_days{date} + chrono::hours{hour} + chrono::minutes{minute} +
                   chrono::seconds{second} + fraction - offset;
  return chrono::time_point_cast<chrono::system_clock::duration>(utc);
}

}  // namespace crampbot::alexa
