#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <re2/re2.h>

namespace crampbot {

// The screens `crampbot check` and the safety tests pass every reply text through, in one language:
// responses/_safety_screens.json. A dose is an amount (digits or number words, joined by the language's
// words: "four hundred", "half a") followed by a unit of medicine; a warned-against remedy (quinine and tonic
// water) may appear only in a sentence that warns against it, without encouragement or reassurance. The
// patterns are data (RE2 syntax, matched case-insensitively); the logic here knows no language.
class SafetyScreens {
 public:
  // Loads the screens. Throws CatalogError naming the file and key when a key is missing or unknown or a
  // pattern does not compile.
  static SafetyScreens load(const std::filesystem::path& file);

  // A description of the first problem in `text` ("gives a dose (\"400 mg\")"), or "" when there is none.
  std::string problem(std::string_view text) const;

  const std::filesystem::path& file() const { return file_; }

 private:
  // A remedy replies may name only to warn against it.
  struct WarnedAgainst {
    std::string what;  // how problems name it: "quinine or tonic water"
    std::shared_ptr<const RE2> mentions;
    std::shared_ptr<const RE2> warning;        // a sentence that says this warns
    std::shared_ptr<const RE2> encouragement;  // "try quinine", "tonic water can help"
    std::shared_ptr<const RE2> negated_by;     // matched against the text before an encouragement: "don't"
    std::shared_ptr<const RE2> reassurance;    // "quinine is not dangerous"
  };

  std::filesystem::path file_;
  std::shared_ptr<const RE2> dose_;
  std::vector<WarnedAgainst> warned_against_;
};

}  // namespace crampbot
