#include "cli/word_wrap.h"

#include <sys/ioctl.h>
#include <unistd.h>

#include <cstdlib>

namespace crampbot::cli {

namespace {

std::size_t code_points(std::string_view text) {
  std::size_t count = 0;
  for (const char c : text)
    count += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return count;
}

// Appends one line of the text (no line breaks in it), wrapped.
void wrap_line(std::string_view line, std::size_t width, std::string& out) {
  std::size_t column = 0;
  std::size_t i = 0;
  while (i < line.size()) {
    const std::size_t word_start = line.find_first_not_of(' ', i);
    if (word_start == std::string_view::npos) break;
    std::size_t word_end = line.find(' ', word_start);
    if (word_end == std::string_view::npos) word_end = line.size();
    const std::string_view word = line.substr(word_start, word_end - word_start);
    const std::size_t spaces = column == 0 ? 0 : word_start - i;
    const std::size_t word_width = code_points(word);
    if (column > 0 && column + spaces + word_width > width) {
      out += '\n';
      column = 0;
    } else if (column > 0) {
      out.append(line.substr(i, spaces));
      column += spaces;
    } else if (i == 0) {
      // Indentation at the start of a line is kept.
      out.append(line.substr(0, word_start));
      column += word_start;
    }
    out.append(word);
    column += word_width;
    i = word_end;
  }
}

}  // namespace

std::string wrap_words(std::string_view text, std::size_t width) {
  if (width == 0) return std::string(text);
  std::string out;
  out.reserve(text.size() + text.size() / width + 1);
  std::size_t start = 0;
  while (true) {
    const std::size_t end = text.find('\n', start);
    wrap_line(text.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start), width,
              out);
    if (end == std::string_view::npos) break;
    out += '\n';
    start = end + 1;
  }
  return out;
}

std::string wrap_items(std::string_view prefix, const std::vector<std::string>& items, std::size_t width) {
  std::string out(prefix);
  const std::size_t indent = code_points(prefix);
  std::size_t column = indent;
  for (const auto& item : items) {
    const std::size_t item_width = 2 + code_points(item);
    if (width > 0 && column > indent && column + item_width > width) {
      out += '\n' + std::string(indent, ' ');
      column = indent;
    }
    out += "  " + item;
    column += item_width;
  }
  return out;
}

std::size_t output_width() {
  winsize size{};
  if (isatty(STDOUT_FILENO) && ioctl(STDOUT_FILENO, TIOCGWINSZ, &size) == 0 && size.ws_col > 0)
    return size.ws_col;
  if (const char* columns = std::getenv("COLUMNS")) {
    char* end = nullptr;
    const long value = std::strtol(columns, &end, 10);
    if (end != columns && *end == '\0' && value > 0 && value < 10000) return static_cast<std::size_t>(value);
  }
  return 0;
}

}  // namespace crampbot::cli
