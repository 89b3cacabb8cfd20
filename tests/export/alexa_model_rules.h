// What the Alexa console checks in an interaction model, written down from Alexa's published rules, so the
// tests can hold our export to them without a network or an Amazon account:
// - sample utterances: letters, spaces, apostrophes and hyphens inside words (periods only for spoken-letter
//   abbreviations, which we never write); numbers spelled out; a slot only as {name}, declared by the
//   intent, once per sample; a sample in one intent only; a phrase slot (AMAZON.SearchQuery) needs a
//   carrier phrase ("Sample intent utterances with phrase types cannot consist of only slots") and no other
//   slot beside it; a custom intent needs at least one sample;
// - names: intents, slots and slot types letters and underscores; custom types declared;
// - slot values and synonyms: at most 140 characters, one value per spoken form;
// - the model: at most 250 intents and 1.5 MB.
// Letters are those of the model's language: for a Spanish model, "é" and "ñ" are letters like "e" and "n".
// Sample length (200) and count per intent (150) are our own bounds.
#pragma once

#include <map>
#include <regex>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace crampbot::test {

// `text` with every byte of a multi-byte UTF-8 character read as the letter "a", so that the ASCII rules
// below take the letters of other alphabets as letters.
inline std::string letters_as_ascii(std::string text) {
  for (char& c : text)
    if (static_cast<unsigned char>(c) >= 0x80) c = 'a';
  return text;
}

inline std::vector<std::string> alexa_model_problems(const nlohmann::json& model) {
  std::vector<std::string> problems;
  const auto problem = [&problems](const std::string& what) { problems.push_back(what); };
  const nlohmann::json* language = nullptr;
  if (model.contains("interactionModel") && model["interactionModel"].contains("languageModel")) {
    language = &model["interactionModel"]["languageModel"];
  }
  if (!language || !language->is_object()) return {"no interactionModel.languageModel object"};
  const std::regex invocation_name("[a-z][a-z' .]*[a-z.]");
  const std::string invocation = language->value("invocationName", "");
  if (!std::regex_match(letters_as_ascii(invocation), invocation_name))
    problem("invocation name \"" + invocation + "\"");
  for (const std::string word : {"alexa", "amazon", "echo", "skill", "app"}) {
    if ((" " + invocation + " ").find(" " + word + " ") != std::string::npos) {
      problem("invocation name has \"" + word + "\"");
    }
  }

  const std::regex name_rule("[A-Za-z_]+");
  const std::regex builtin_rule("AMAZON\\.[A-Za-z]+");
  const std::regex word_rule("[a-z]+(['-][a-z]+)*");
  const std::regex slot_ref("\\{([A-Za-z_]+)\\}");
  const std::regex value_rule("[a-z]+(['-][a-z]+)*\\.?( [a-z]+(['-][a-z]+)*\\.?)*");

  std::map<std::string, std::set<std::string>> custom_types;  // name → spoken forms
  if (!language->contains("types") || !(*language)["types"].is_array()) problem("no types array");
  for (const auto& type : language->value("types", nlohmann::json::array())) {
    const std::string name = type.value("name", "");
    if (!std::regex_match(name, name_rule)) problem("type name \"" + name + "\"");
    auto& forms = custom_types[name];
    for (const auto& value : type.value("values", nlohmann::json::array())) {
      if (!value.contains("id") || !value["id"].is_string() || value["id"].get<std::string>().empty()) {
        problem("type " + name + ": a value without an id");
      }
      std::vector<std::string> spoken = {value["name"].value("value", "")};
      for (const auto& synonym : value["name"].value("synonyms", nlohmann::json::array()))
        spoken.push_back(synonym.get<std::string>());
      for (const auto& form : spoken) {
        if (form.size() > 140 || !std::regex_match(letters_as_ascii(form), value_rule)) {
          problem("type " + name + ": value \"" + form + "\"");
        }
        if (!forms.insert(form).second) problem("type " + name + ": \"" + form + "\" twice");
      }
    }
  }

  const auto& intents = language->value("intents", nlohmann::json::array());
  if (intents.empty()) problem("no intents");
  if (intents.size() > 250) problem("more than 250 intents");
  std::set<std::string> intent_names;
  std::set<std::string> used_types;
  std::map<std::string, std::string> sample_owner;  // sample → intent
  for (const auto& intent : intents) {
    const std::string name = intent.value("name", "");
    const bool builtin = std::regex_match(name, builtin_rule);
    if (!builtin && !std::regex_match(name, name_rule)) problem("intent name \"" + name + "\"");
    if (!intent_names.insert(name).second) problem("intent " + name + " twice");
    std::map<std::string, std::string> slots;  // name → type
    for (const auto& slot : intent.value("slots", nlohmann::json::array())) {
      const std::string slot_name = slot.value("name", "");
      const std::string type = slot.value("type", "");
      if (!std::regex_match(slot_name, name_rule)) problem(name + ": slot name \"" + slot_name + "\"");
      if (!slots.emplace(slot_name, type).second) problem(name + ": slot " + slot_name + " twice");
      if (!std::regex_match(type, builtin_rule) && !custom_types.count(type)) {
        problem(name + ": slot type \"" + type + "\" is not declared");
      }
      used_types.insert(type);
    }
    const auto& samples = intent.value("samples", nlohmann::json::array());
    if (!builtin && samples.empty()) problem(name + ": a custom intent with no sample");
    if (samples.size() > 150) problem(name + ": more than 150 samples");
    for (const auto& sample_json : samples) {
      const std::string sample = sample_json.get<std::string>();
      const std::string where = name + ": \"" + sample + "\": ";
      if (sample.empty() || sample.size() > 200) problem(where + "empty or longer than 200 characters");
      if (sample.find_first_of("0123456789") != std::string::npos) problem(where + "digits");
      if (sample.front() == ' ' || sample.back() == ' ' || sample.find("  ") != std::string::npos) {
        problem(where + "spacing");
      }
      std::set<std::string> used;
      std::size_t words = 0;
      bool phrase_slot = false;
      std::size_t start = 0;
      while (start <= sample.size()) {
        const std::size_t end = std::min(sample.find(' ', start), sample.size());
        const std::string token = sample.substr(start, end - start);
        start = end + 1;
        if (token.empty()) continue;
        std::smatch ref;
        if (std::regex_match(token, ref, slot_ref)) {
          const auto slot = slots.find(ref[1]);
          if (slot == slots.end()) {
            problem(where + "undeclared slot " + token);
          } else if (slot->second == "AMAZON.SearchQuery") {
            phrase_slot = true;
          }
          if (!used.insert(ref[1]).second) problem(where + "slot " + token + " twice");
        } else if (std::regex_match(letters_as_ascii(token), word_rule)) {
          ++words;
        } else {
          problem(where + "\"" + token + "\" is neither a word nor a slot");
        }
      }
      if (phrase_slot && words == 0) problem(where + "a phrase slot without a carrier phrase");
      if (phrase_slot && used.size() > 1) problem(where + "a phrase slot beside another slot");
      auto [owner, inserted] = sample_owner.emplace(sample, name);
      if (!inserted) problem(where + "also in " + owner->second);
    }
  }
  for (const auto& [type, forms] : custom_types) {
    if (!used_types.count(type)) problem("type " + type + " is used by no intent");
  }
  if (model.dump().size() > 1500 * 1000) problem("larger than 1.5 MB");
  return problems;
}

}  // namespace crampbot::test
