#include "engine/safety_screens.h"

#include "engine/catalog_error.h"
#include "engine/json_file.h"

namespace crampbot {

namespace {

std::shared_ptr<const RE2> compile(const JsonFields& fields, std::string_view key,
                                   const std::string& pattern) {
  RE2::Options options;
  options.set_case_sensitive(false);
  options.set_log_errors(false);
  auto re = std::make_shared<const RE2>(pattern, options);
  if (!re->ok()) fields.fail(key, "pattern does not compile: " + re->error());
  return re;
}

std::shared_ptr<const RE2> required_pattern(const JsonFields& fields, std::string_view key) {
  const std::string pattern = fields.required_string(key);
  if (pattern.empty()) fields.fail(key, "must not be empty");
  return compile(fields, key, pattern);
}

}  // namespace

SafetyScreens SafetyScreens::load(const std::filesystem::path& file) {
  const nlohmann::json json = load_json_file(file);
  const JsonFields top(file, json, "");
  top.only_keys({"description", "dose", "warned_against"});
  SafetyScreens screens;
  screens.file_ = file;

  const JsonFields dose(file, top.required_object("dose"), "dose");
  dose.only_keys({"number", "joiner", "unit"});
  const std::string number = "(?:" + dose.required_string("number") + ")";
  const std::string joiner = dose.optional_string("joiner");
  const std::string unit = "(?:" + dose.required_string("unit") + ")";
  // An amount is numbers joined by spaces, hyphens or the language's joining words ("one and a half"),
  // then the unit, as whole words (letters of any script count as word characters).
  const std::string amount = number + "(?:[\\s-]+(?:" + (joiner.empty() ? "" : joiner + "|") + number + "))*";
  compile(dose, "number", number);
  compile(dose, "unit", unit);
  if (!joiner.empty()) compile(dose, "joiner", joiner);
  screens.dose_ =
      compile(dose, "number", "(?:^|[^\\pL\\pN_])(" + amount + "\\s*-?\\s*" + unit + ")(?:[^\\pL\\pN_]|$)");

  const nlohmann::json* warned = top.optional_array("warned_against");
  for (std::size_t i = 0; warned && i < warned->size(); ++i) {
    const JsonFields fields(file, (*warned)[i], "warned_against[" + std::to_string(i) + "]");
    fields.only_keys({"what", "mentions", "warning", "encouragement", "negated_by", "reassurance"});
    WarnedAgainst remedy;
    remedy.what = fields.required_string("what");
    remedy.mentions = required_pattern(fields, "mentions");
    remedy.warning = required_pattern(fields, "warning");
    remedy.encouragement = required_pattern(fields, "encouragement");
    remedy.negated_by = required_pattern(fields, "negated_by");
    remedy.reassurance = required_pattern(fields, "reassurance");
    screens.warned_against_.push_back(std::move(remedy));
  }
  return screens;
}

std::string SafetyScreens::problem(std::string_view text) const {
  std::string found;
  if (dose_ && RE2::PartialMatch(text, *dose_, &found)) return "gives a dose (\"" + found + "\")";

  for (const auto& remedy : warned_against_) {
    const auto is_encouraging = [&](std::string_view sentence) {
      re2::StringPiece input(sentence.data(), sentence.size());
      re2::StringPiece match;
      while (RE2::FindAndConsume(&input, *remedy.encouragement, &match)) {
        const std::string_view before =
            sentence.substr(0, static_cast<std::size_t>(match.data() - sentence.data()));
        if (!RE2::PartialMatch(before, *remedy.negated_by)) return true;
      }
      return false;
    };
    // Sentences end at . ! ? or a line break; "¿" and "¡" open them and need no handling.
    std::size_t start = 0;
    while (start < text.size()) {
      std::size_t end = text.find_first_of(".!?\n", start);
      if (end == std::string_view::npos) end = text.size();
      const std::string_view sentence = text.substr(start, end - start);
      if (RE2::PartialMatch(sentence, *remedy.mentions)) {
        if (is_encouraging(sentence))
          return "encourages " + remedy.what + " (\"" + std::string(sentence) + "\")";
        if (RE2::PartialMatch(sentence, *remedy.reassurance))
          return "reassures about " + remedy.what + " (\"" + std::string(sentence) + "\")";
        if (!RE2::PartialMatch(sentence, *remedy.warning))
          return "mentions " + remedy.what + " outside a warning (\"" + std::string(sentence) + "\")";
      }
      start = end + 1;
    }
  }
  return {};
}

}  // namespace crampbot
