#include "engine/language_rules.h"

#include <algorithm>

#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>

#include "engine/json_file.h"

namespace crampbot {

namespace {

bool is_apostrophe(UChar32 c) {
  return c == '\'' || c == '`' || c == 0x2018 || c == 0x2019 || c == 0x02BC || c == 0x00B4 || c == 0xFF07;
}

bool is_mark(UChar32 c) {
  return (U_GET_GC_MASK(c) & U_GC_M_MASK) != 0;
}

std::string fold_non_ascii(std::string_view text, const LanguageRules& rules) {
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* nfkc_cf = icu::Normalizer2::getNFKCCasefoldInstance(status);
  const icu::Normalizer2* nfd = rules.fold_accents ? icu::Normalizer2::getNFDInstance(status) : nullptr;
  icu::UnicodeString source =
      icu::UnicodeString::fromUTF8(icu::StringPiece(text.data(), static_cast<int32_t>(text.size())));
  icu::UnicodeString folded;
  if (U_SUCCESS(status)) {
    folded = nfkc_cf->normalize(source, status);
  }
  if (U_FAILURE(status)) {
    folded = source.foldCase();
    nfd = nullptr;
  }
  icu::UnicodeString cleaned;
  UChar32 previous = 0;
  const auto append = [&](UChar32 c) {
    if (is_apostrophe(c)) {
      cleaned.append(static_cast<UChar>('\''));
    } else if (u_isalnum(c) || is_mark(c)) {
      cleaned.append(c);
    } else {
      cleaned.append(static_cast<UChar>(' '));
    }
  };
  for (int32_t i = 0; i < folded.length();) {
    UChar32 c = folded.char32At(i);
    i += U16_LENGTH(c);
    // Full case folding maps capital dotted İ (U+0130) to "i" plus a combining dot above (U+0307); on a
    // soft-dotted letter (i, j) that dot adds nothing, so drop it ("MAGNESİUM" → "magnesium"). Dotless ı
    // (U+0131, from Turkish keyboards) has no case fold of its own; in Latin-script words it stands for i.
    if (c == 0x0307 && u_hasBinaryProperty(previous, UCHAR_SOFT_DOTTED)) continue;
    if (c == 0x0131) c = 'i';
    previous = c;
    if (nfd == nullptr || rules.kept_letters.count(std::u32string(1, static_cast<char32_t>(c))) > 0) {
      append(c);
      continue;
    }
    if (is_mark(c)) continue;  // a mark that did not compose with the letter before it
    icu::UnicodeString decomposed;
    if (!nfd->getDecomposition(c, decomposed)) {
      append(c);
      continue;
    }
    for (int32_t k = 0; k < decomposed.length();) {
      const UChar32 part = decomposed.char32At(k);
      k += U16_LENGTH(part);
      if (!is_mark(part)) append(part);
    }
  }
  std::string out;
  cleaned.toUTF8String(out);
  return out;
}

// One folded word of a rule list; an empty result (only punctuation) is an error.
std::string folded_word(const LanguageRules& rules, const JsonFields& fields, std::string_view key,
                        const std::string& raw) {
  std::string word = rules.fold(raw);
  word.erase(std::remove(word.begin(), word.end(), ' '), word.end());
  if (word.empty()) fields.fail(key, "\"" + raw + "\" has no letters or digits");
  return word;
}

StringMap<std::string> word_map(const LanguageRules& rules, const JsonFields& fields, std::string_view key) {
  StringMap<std::string> out;
  const nlohmann::json* object = fields.optional_object(key);
  if (!object) return out;
  for (const auto& [from, to] : object->items()) {
    const std::string where = std::string(key) + "." + from;
    if (!to.is_string() || to.get<std::string>().empty()) fields.fail(where, "must be a non-empty string");
    out[folded_word(rules, fields, where, from)] = folded_word(rules, fields, where, to.get<std::string>());
  }
  return out;
}

StringSet word_set(const LanguageRules& rules, const JsonFields& fields, std::string_view key) {
  StringSet out;
  for (const auto& word : fields.strings(fields.optional_array(key), key))
    out.insert(folded_word(rules, fields, key, word));
  return out;
}

}  // namespace

LanguageRules LanguageRules::from_json(const nlohmann::json* language, const std::filesystem::path& file) {
  LanguageRules rules;
  if (language == nullptr) return rules;
  const JsonFields fields(file, *language, "language");
  fields.only_keys({"fold_accents", "kept_letters", "number_words", "spoken_numbers", "strip_endings",
                    "plurals", "letter_names", "letter_words", "number_letters"});
  rules.fold_accents = fields.optional_bool("fold_accents", false);
  for (const auto& letter : fields.strings(fields.optional_array("kept_letters"), "kept_letters")) {
    const icu::UnicodeString folded =
        icu::UnicodeString::fromUTF8(icu::StringPiece(letter.data(), static_cast<int32_t>(letter.size())))
            .foldCase();
    if (folded.countChar32() != 1) fields.fail("kept_letters", "\"" + letter + "\" is not one letter");
    rules.kept_letters.insert(std::u32string(1, static_cast<char32_t>(folded.char32At(0))));
  }
  rules.number_words = word_map(rules, fields, "number_words");
  for (const auto& [word, digits] : rules.number_words) {
    if (!std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; }))
      fields.fail("number_words." + word, "must be written in digits");
  }
  if (const nlohmann::json* spoken = fields.optional_object("spoken_numbers")) {
    for (const auto& [digits, word] : spoken->items()) {
      const std::string where = "spoken_numbers." + digits;
      const bool number =
          !digits.empty() && (digits == "0" || digits.front() != '0') &&
          std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; });
      if (!number) fields.fail(where, "the key must be a number in digits, without a leading zero");
      if (!word.is_string() || word.get<std::string>().empty())
        fields.fail(where, "must be a non-empty string");
      rules.spoken_numbers[digits] = word.get<std::string>();
    }
  }
  StringMap<std::string> read_as;  // the number words not overridden, shortest first
  for (const auto& [word, digits] : rules.number_words) {
    if (rules.spoken_numbers.count(digits)) continue;
    auto [it, inserted] = read_as.try_emplace(digits, word);
    if (!inserted &&
        (word.size() < it->second.size() || (word.size() == it->second.size() && word < it->second)))
      it->second = word;
  }
  rules.spoken_numbers.merge(read_as);
  for (const auto& ending : fields.strings(fields.optional_array("strip_endings"), "strip_endings"))
    rules.strip_endings.push_back(rules.fold(ending));
  if (const auto* plurals = fields.optional_object("plurals")) {
    const JsonFields plural(file, *plurals, "language.plurals");
    plural.only_keys({"min_length", "keep", "rules"});
    const double min_length = plural.optional_number("min_length", 0);
    if (!(min_length >= 0 && min_length <= 100)) plural.fail("min_length", "must be from 0 to 100");
    rules.plural_min_length = static_cast<std::size_t>(min_length);
    rules.plural_keep = word_set(rules, plural, "keep");
    if (const auto* list = plural.optional_array("rules")) {
      for (std::size_t i = 0; i < list->size(); ++i) {
        const JsonFields rule(file, (*list)[i], "language.plurals.rules[" + std::to_string(i) + "]");
        rule.only_keys({"suffix", "replacement", "min_length"});
        SuffixRule out;
        out.suffix = rules.fold(rule.required_string("suffix"));
        out.replacement = rules.fold(rule.optional_string("replacement"));
        if (out.suffix.empty() || out.suffix.find(' ') != std::string::npos)
          rule.fail("suffix", "must be one word ending");
        if (out.replacement.find(' ') != std::string::npos)
          rule.fail("replacement", "must be one word ending");
        const double length = rule.optional_number("min_length", 0);
        if (!(length >= 0 && length <= 100)) rule.fail("min_length", "must be from 0 to 100");
        out.min_length = static_cast<std::size_t>(length);
        rules.plural_rules.push_back(std::move(out));
      }
    }
  }
  if (const auto* names = fields.optional_object("letter_names")) {
    const JsonFields spoken(file, *names, "language.letter_names");
    spoken.only_keys({"after", "names"});
    rules.letter_name_after = word_set(rules, spoken, "after");
    rules.letter_names = word_map(rules, spoken, "names");
  }
  rules.letter_words = word_set(rules, fields, "letter_words");
  rules.number_letters = word_set(rules, fields, "number_letters");
  return rules;
}

std::string LanguageRules::fold(std::string_view text) const {
  const bool ascii = std::all_of(text.begin(), text.end(), [](char c) { return (c & 0x80) == 0; });
  if (!ascii) return fold_non_ascii(text, *this);
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') {
      c = static_cast<char>(c - 'A' + 'a');
    } else if (c == '`') {
      c = '\'';
    } else if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '\'')) {
      c = ' ';
    }
  }
  return out;
}

std::string LanguageRules::fold_plural(std::string_view word) const {
  if (word.size() < plural_min_length || plural_keep.count(word)) return std::string(word);
  for (const auto& rule : plural_rules) {
    if (word.size() <= rule.suffix.size() || word.size() < rule.min_length) continue;
    if (word.substr(word.size() - rule.suffix.size()) != rule.suffix) continue;
    return std::string(word.substr(0, word.size() - rule.suffix.size())) + rule.replacement;
  }
  return std::string(word);
}

}  // namespace crampbot
