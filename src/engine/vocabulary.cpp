#include "engine/vocabulary.h"

#include "engine/catalog_error.h"

namespace crampbot {

namespace {

constexpr std::uint32_t kFirstCodePoint = 0x1000;
constexpr std::uint32_t kUnknownCodePoint = 0x0800;  // also three bytes of UTF-8, never a word's code

}  // namespace

std::uint32_t Vocabulary::add(std::string_view word) {
  auto it = ids_.find(word);
  if (it != ids_.end()) return it->second;
  if (words_.size() >= kMaxWords) {
    throw CatalogError("intents: more than " + std::to_string(kMaxWords) +
                       " distinct words in the templates");
  }
  const auto id = static_cast<std::uint32_t>(words_.size());
  words_.emplace_back(word);
  ids_.emplace(std::string(word), id);
  return id;
}

std::uint32_t Vocabulary::find(std::string_view word) const {
  auto it = ids_.find(word);
  return it == ids_.end() ? kUnknown : it->second;
}

void Vocabulary::append_code(std::uint32_t id, std::string& out) {
  const std::uint32_t cp = id == kUnknown ? kUnknownCodePoint : kFirstCodePoint + id;
  out += static_cast<char>(0xE0 | (cp >> 12));
  out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
  out += static_cast<char>(0x80 | (cp & 0x3F));
}

std::uint32_t Vocabulary::decode(const char* bytes) {
  const auto b0 = static_cast<unsigned char>(bytes[0]);
  const auto b1 = static_cast<unsigned char>(bytes[1]);
  const auto b2 = static_cast<unsigned char>(bytes[2]);
  const std::uint32_t cp = ((b0 & 0x0Fu) << 12) | ((b1 & 0x3Fu) << 6) | (b2 & 0x3Fu);
  return cp < kFirstCodePoint ? kUnknown : cp - kFirstCodePoint;
}

std::string Vocabulary::encode(const NormalisedText& text) const {
  std::string out;
  out.reserve(text.size() * kCodeBytes);
  for (std::size_t i = 0; i < text.size(); ++i)
    append_code(find(text.token(i)), out);
  return out;
}

}  // namespace crampbot
