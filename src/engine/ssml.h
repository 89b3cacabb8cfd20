#pragma once

#include <string>
#include <string_view>

namespace crampbot {

// Escapes text for XML character data and attribute values: & < > " ' become entities.
std::string escape_xml(std::string_view text);
// Appends `text` escaped as escape_xml does to `out`.
void append_escaped_xml(std::string_view text, std::string& out);

// A <speak> document of the spoken answer, a short pause, then the caveat; both escaped.
std::string build_ssml(std::string_view speech, std::string_view caveat);

// Returns true when `ssml` is one well-formed <speak> element: tags balanced and properly nested, only
// the five predefined entities or numeric references, no stray '<' or '&'. Used by checks and tests.
bool is_well_formed_ssml(std::string_view ssml);

// The words of SSML as a listener hears them: tags dropped (each as a space), the five entities read back, a
// numeric reference as '?', white space collapsed to single spaces. Meant for well-formed SSML; on anything
// else it reads what it can.
std::string spoken_words(std::string_view ssml);

// `text` with every run of spaces, tabs and line breaks made one space, and none at either end.
std::string collapse_spaces(std::string_view text);

}  // namespace crampbot
