#pragma once

#include <cstdio>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace crampbot {
class EngineSet;
}

namespace crampbot::cli {

struct TestOptions {
  std::vector<std::string> paths;     // test files and folders of them
  std::string channel = "engine";     // a name from known_channel_names(), or "all"
  std::optional<std::string> junit;   // where to write JUnit XML
  std::optional<std::string> locale;  // --locale: of conversations that name none (default: the configured)
};

// crampbot test: loads the catalog and runs the conversation tests. Exit 0 when every conversation passed,
// 1 when one failed or none ran, 2 for a malformed test file or an unknown channel, 3 for a catalog refused.
int run_test(const std::filesystem::path& config, const TestOptions& options);

// Runs the conversation tests of `options` on `engines` (each conversation in its own `locale:`, else the
// option's), printing one line per conversation, the diff of each failure and "N passed, N failed" to `out`
// (problems with the files to stderr). Returns the exit code as run_test does.
int run_conversation_tests(const EngineSet& engines, const TestOptions& options, std::FILE* out);

}  // namespace crampbot::cli
