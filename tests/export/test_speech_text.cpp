// export/speech_text.h: text spelled the way voice platforms want sample utterances and slot values.
#include <catch2/catch.hpp>

#include "export/speech_text.h"

using crampbot::exporting::number_in_words;
using crampbot::exporting::spell_for_speech;

TEST_CASE("numbers in words", "[speech]") {
  CHECK(number_in_words("0") == "zero");
  CHECK(number_in_words("2") == "two");
  CHECK(number_in_words("12") == "twelve");
  CHECK(number_in_words("20") == "twenty");
  CHECK(number_in_words("24") == "twenty four");
  CHECK(number_in_words("99") == "ninety nine");
  CHECK(number_in_words("300") == "three hundred");
  CHECK(number_in_words("911") == "nine one one");
  CHECK(number_in_words("112") == "one one two");
  CHECK(number_in_words("07") == "zero seven");
}

TEST_CASE("text spelled for speech", "[speech]") {
  CHECK(spell_for_speech("b12") == "b twelve");
  CHECK(spell_for_speech("Vitamin D3") == "vitamin d three");
  CHECK(spell_for_speech("vitamin d 3") == "vitamin d three");
  CHECK(spell_for_speech("mk7") == "mk seven");
  CHECK(spell_for_speech("call 911") == "call nine one one");
  CHECK(spell_for_speech("number 1 vitamin") == "number one vitamin");
  CHECK(spell_for_speech("what's up?") == "what's up");
  CHECK(spell_for_speech("what\xE2\x80\x99s up") == "what's up");
  CHECK(spell_for_speech("'quoted' words") == "quoted words");
  CHECK(spell_for_speech("an x-ray - now") == "an x-ray now");
  CHECK(spell_for_speech("a.m., p.m.!") == "a m p m");
  CHECK(spell_for_speech("  spaced   out  ") == "spaced out");
  CHECK(spell_for_speech("?!") == "");
  // Spanish opening marks and guillemets break words; accented letters stay.
  CHECK(spell_for_speech("\xC2\xBFqu\xC3\xA9 vitamina?") == "qu\xC3\xA9 vitamina");  // ¿qué vitamina?
  CHECK(spell_for_speech("\xC2\xA1hola!\xC2\xAB"
                         "calambre\xC2\xBB") == "hola calambre");  // ¡hola!«calambre»
}
