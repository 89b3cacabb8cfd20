// review/review_scrubber.h: what is kept of an utterance is the engine's normalised text with digits masked
// and no e-mail address, URL or phone number.
#include <catch2/catch.hpp>

#include "review/review_scrubber.h"
#include "test_support.h"

using namespace crampbot;
using namespace crampbot::review;

namespace {

std::string phrase(std::string_view text) {
  return review_phrase(test::real_engine().normaliser(), text);
}

}  // namespace

TEST_CASE("digits become #, in any script and after number words became digits", "[review][scrub]") {
  CHECK(mask_digits("i am 45 and take 400mg") == "i am ## and take ###mg");
  CHECK(mask_digits("b12 d3") == "b## d#");
  CHECK(mask_digits("٤٥ years") == "## years");  // Arabic-Indic digits
  CHECK(phrase("I'm forty five and take 400 mg") == "i am ## # and take ### mg");
  CHECK(phrase("Is vitamin B twelve OK?") == "is vitamin b## ok");
  CHECK(phrase("I was born on 12/05/1961").find_first_of("0123456789") == std::string::npos);
}

TEST_CASE("e-mail addresses are removed, whatever surrounds them", "[review][scrub]") {
  for (const char* text : {"email me at john.smith@example.com about cramps",
                           "email me at John.Smith+cramps@mail.example.co.uk, about cramps",
                           "email me at (j_smith@example.org) about cramps"}) {
    INFO(text);
    const std::string kept = phrase(text);
    CHECK(kept == "email me at about cramp");
    CHECK(kept.find("smith") == std::string::npos);
  }
}

TEST_CASE("URLs are removed: with a scheme, www., or a host under a common domain", "[review][scrub]") {
  for (const char* text :
       {"is https://www.nhs.uk/conditions/leg-cramps/?utm=1 right", "is http://example.com right",
        "is www.my-blog.net/post/7 right", "is mydoctor.co.uk/leg-cramps right",
        "is HTTPS://EXAMPLE.ORG right", "is example.com right"}) {
    INFO(text);
    CHECK(phrase(text) == "is right");
  }
  // A full stop between words is not a host name.
  CHECK(phrase("my legs cramp.any idea why") == "my leg cramp any idea why");
}

TEST_CASE("phone numbers are removed, in the usual ways of writing them", "[review][scrub]") {
  for (const char* text : {"call me on 07700 900123 about cramps", "call me on +44 7700 900123 about cramps",
                           "call me on (555) 123-4567 about cramps", "call me on 555.123.4567 about cramps",
                           "call me on +1-555-123-4567 about cramps", "call me on 0412345678 about cramps"}) {
    INFO(text);
    CHECK(phrase(text) == "call me on about cramp");
  }
  // Shorter numbers are not phone numbers: they stay, masked.
  CHECK(phrase("i take 400 mg 2 times a day") == "i take ### mg # time a day");
}

TEST_CASE("remove_identifiers leaves ordinary text alone and copes with anything", "[review][scrub]") {
  CHECK(remove_identifiers("what foods have magnesium?") == "what foods have magnesium?");
  CHECK(remove_identifiers("a@b") == "a@b");  // no domain: nothing to remove
  CHECK(remove_identifiers(std::string(100000, '1')).find('1') == std::string::npos);
  CHECK(remove_identifiers(std::string("\xff\xfe@x.com", 8)).find("x.com") == std::string::npos);
}

TEST_CASE("nothing is kept of an empty phrase or a long story", "[review][scrub]") {
  CHECK(phrase("").empty());
  CHECK(phrase("   ?!  ").empty());
  CHECK(phrase("john@example.com").empty());
  std::string story;
  for (std::size_t i = 0; i <= kMaxPhraseWords; ++i)
    story += "cramp ";
  CHECK(phrase(story).empty());
  story.resize(story.size() - 6);  // kMaxPhraseWords words
  CHECK_FALSE(phrase(story).empty());
}

TEST_CASE("identifiers in full-width or accented forms are removed too", "[review][scrub]") {
  // Full-width letters, "＠" and "．" fold to ASCII before the identifiers are looked for.
  CHECK(phrase("mail ｊｏｈｎ＠ｅｘａｍｐｌｅ．ｃｏｍ about cramps") == "mail about cramp");
  // A local part with accents is an e-mail address all the same.
  CHECK(phrase("write to josé.garcía@gmail.com now") == "write to now");
  CHECK(remove_identifiers("maría@correo.es").find("mar") == std::string::npos);
}
