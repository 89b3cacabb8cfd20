// A catalog made at test time: tests/fixtures/tiny copied to a fresh folder, plus intents given by the test
// (each with a one-line reply), so a test can build exactly the overlap or problem it is about.
#pragma once

#include <unistd.h>
#include <atomic>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "test_support.h"

namespace crampbot::test {

// A folder under the system temp folder, removed with everything in it when this goes.
class TempDir {
 public:
  TempDir() {
    static std::atomic<int> counter{0};
    path_ = std::filesystem::temp_directory_path() /
            ("crampbot_export_test_" + std::to_string(::getpid()) + "_" + std::to_string(counter++));
    std::filesystem::remove_all(path_);
    std::filesystem::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

inline void write_json(const std::filesystem::path& file, const nlohmann::json& content) {
  std::ofstream(file) << content.dump(2);
}

// The tiny catalog (intents food and hello, list nutrient: magnesium, potassium) plus `extra` intents
// (each an intents/<name>.json object), loaded as an engine.
inline std::shared_ptr<const Engine> tiny_engine_with(const TempDir& dir,
                                                      const std::vector<nlohmann::json>& extra) {
  std::filesystem::copy(fixture("tiny"), dir.path(), std::filesystem::copy_options::recursive);
  for (const auto& intent : extra) {
    const std::string name = intent["intent"];
    write_json(dir.path() / "intents" / (name + ".json"), intent);
    write_json(dir.path() / "responses" / (name + ".json"),
               {{"intent", name}, {"replies", {{"default", {{{"title", name}, {"text", "A reply."}}}}}}});
  }
  return load_engine(dir.path() / "config.json");
}

}  // namespace crampbot::test
