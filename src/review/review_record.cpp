#include "review/review_record.h"

#include <cstdio>

#include <nlohmann/json.hpp>

namespace crampbot::review {

namespace {

std::chrono::year_month_day parse_day(std::string_view text) {
  const auto number = [&](std::size_t from, std::size_t length) {
    int value = 0;
    for (std::size_t i = from; i < from + length; ++i)
      value = value * 10 + (text[i] - '0');
    return value;
  };
  return std::chrono::year_month_day(std::chrono::year(number(0, 4)),
                                     std::chrono::month(static_cast<unsigned>(number(5, 2))),
                                     std::chrono::day(static_cast<unsigned>(number(8, 2))));
}

std::string format_day(std::chrono::year_month_day day) {
  char text[16];
  std::snprintf(text, sizeof text, "%04d-%02u-%02u", static_cast<int>(day.year()),
                static_cast<unsigned>(day.month()), static_cast<unsigned>(day.day()));
  return text;
}

}  // namespace

std::string to_line(const ReviewRecord& record) {
  const nlohmann::json json = {{"day", record.day},
                               {"conversation", record.conversation},
                               {"outcome", record.outcome},
                               {"locale", record.locale},
                               {"text", record.text}};
  return json.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

std::variant<ReviewRecord, std::string> parse_record(std::string_view line) {
  const nlohmann::json json = nlohmann::json::parse(line, nullptr, false);
  if (json.is_discarded()) return std::string("not a JSON object");
  if (!json.is_object()) return std::string("not a JSON object");
  ReviewRecord record;
  const std::pair<const char*, std::string*> fields[] = {{"day", &record.day},
                                                         {"conversation", &record.conversation},
                                                         {"outcome", &record.outcome},
                                                         {"locale", &record.locale},
                                                         {"text", &record.text}};
  for (const auto& [key, target] : fields) {
    const auto it = json.find(key);
    if (it == json.end()) return "\"" + std::string(key) + "\" is missing";
    if (!it->is_string()) return "\"" + std::string(key) + "\" must be a string";
    *target = it->get<std::string>();
  }
  if (!is_day(record.day)) return "\"day\" must be a date as YYYY-MM-DD";
  if (record.conversation.empty()) return std::string("\"conversation\" must not be empty");
  if (record.outcome.empty()) return std::string("\"outcome\" must not be empty");
  if (record.text.empty()) return std::string("\"text\" must not be empty");
  return record;
}

std::string utc_day(std::chrono::system_clock::time_point time) {
  return format_day(std::chrono::year_month_day(std::chrono::floor<std::chrono::days>(time)));
}

std::string days_before(std::string_view day, int days) {
  const std::chrono::sys_days from(parse_day(day));
  return format_day(std::chrono::year_month_day(from - std::chrono::days(days)));
}

bool is_day(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (i == 4 || i == 7) continue;
    if (text[i] < '0' || text[i] > '9') return false;
  }
  return parse_day(text).ok();
}

}  // namespace crampbot::review
