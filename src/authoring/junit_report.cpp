#include "authoring/junit_report.h"

#include <cstdio>
#include <map>

#include "engine/ssml.h"

namespace crampbot::authoring {

namespace {

// Text for XML 1.0: the five special characters escaped, and the control characters XML cannot carry
// (an utterance under test may hold them) shown as '?'.
std::string xml_text(const std::string& text) {
  std::string clean;
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    clean += byte < 0x20 && c != '\t' && c != '\n' && c != '\r' ? '?' : c;
  }
  return escape_xml(clean);
}

std::string seconds(double value) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.3f", value);
  return buffer;
}

struct Suite {
  std::vector<const ConversationResult*> cases;
  std::size_t failures = 0;
  std::size_t skipped = 0;
  double time = 0;
};

}  // namespace

std::string junit_xml(const std::vector<ConversationResult>& results) {
  std::map<std::string, Suite> suites;  // by file, in file order
  std::size_t failures = 0;
  std::size_t skipped = 0;
  double time = 0;
  for (const auto& result : results) {
    Suite& suite = suites[result.file];
    suite.cases.push_back(&result);
    suite.time += result.seconds;
    time += result.seconds;
    if (!result.ran()) {
      ++suite.skipped;
      ++skipped;
    } else if (!result.passed()) {
      ++suite.failures;
      ++failures;
    }
  }
  std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  out += "<testsuites name=\"crampbot test\" tests=\"" + std::to_string(results.size()) + "\" failures=\"" +
         std::to_string(failures) + "\" errors=\"0\" skipped=\"" + std::to_string(skipped) + "\" time=\"" +
         seconds(time) + "\">\n";
  for (const auto& [file, suite] : suites) {
    out += "  <testsuite name=\"" + xml_text(file) + "\" tests=\"" + std::to_string(suite.cases.size()) +
           "\" failures=\"" + std::to_string(suite.failures) + "\" errors=\"0\" skipped=\"" +
           std::to_string(suite.skipped) + "\" time=\"" + seconds(suite.time) + "\">\n";
    for (const ConversationResult* result : suite.cases) {
      out += "    <testcase name=\"" + xml_text(result->name) + "\" classname=\"" + xml_text(file) +
             "\" file=\"" + xml_text(file) + "\" line=\"" + std::to_string(result->line) + "\" time=\"" +
             seconds(result->seconds) + "\"";
      if (result->passed()) {
        out += "/>\n";
        continue;
      }
      out += ">\n";
      if (!result->ran()) {
        std::string why;
        for (const auto& channel : result->skipped)
          why += (why.empty() ? "" : ", ") + channel;
        out += "      <skipped message=\"not run: " + xml_text(why) + "\"/>\n";
      } else {
        const TurnFailure& first = result->failures.front();
        const std::string what = first.unmet.empty() ? "invariant: " + first.broken_invariants.front()
                                                     : first.unmet.front().key + " not as expected";
        out += "      <failure type=\"expectation\" message=\"turn " + std::to_string(first.turn) + " on " +
               xml_text(first.channel) + ": " + xml_text(what) + "\">" + xml_text(format_result(*result)) +
               "</failure>\n";
      }
      out += "    </testcase>\n";
    }
    out += "  </testsuite>\n";
  }
  out += "</testsuites>\n";
  return out;
}

}  // namespace crampbot::authoring
