// engine/ssml.h: escaping, the <speak> document and the well-formedness check used by check and tests.
#include <catch2/catch.hpp>

#include <string>

#include "engine/ssml.h"

using crampbot::build_ssml;
using crampbot::escape_xml;
using crampbot::is_well_formed_ssml;

TEST_CASE("escape_xml escapes the five XML special characters", "[ssml]") {
  CHECK(escape_xml("Tom & Jerry <b>\"hi\" 'there'</b>") ==
        "Tom &amp; Jerry &lt;b&gt;&quot;hi&quot; &apos;there&apos;&lt;/b&gt;");
  CHECK(escape_xml("") == "");
  CHECK(escape_xml("plain text, 100% fine") == "plain text, 100% fine");
  // At the edges and side by side.
  CHECK(escape_xml("&") == "&amp;");
  CHECK(escape_xml("<<a>>") == "&lt;&lt;a&gt;&gt;");
  CHECK(escape_xml("'x\"") == "&apos;x&quot;");
  CHECK(escape_xml("caf\xc3\xa9 & tea") == "caf\xc3\xa9 &amp; tea");
  CHECK(escape_xml("&amp;") == "&amp;amp;");  // text is text: an entity in the input is escaped again
  CHECK(escape_xml("caf\xC3\xA9 \xE2\x80\x99") == "caf\xC3\xA9 \xE2\x80\x99");  // UTF-8 untouched
}

TEST_CASE("build_ssml: speech, a pause, then the caveat, in one <speak>", "[ssml]") {
  const std::string ssml = build_ssml("Magnesium may help.", "Ask a doctor.");
  CHECK(ssml.rfind("<speak>", 0) == 0);
  CHECK(ssml.size() >= 8);
  CHECK(ssml.substr(ssml.size() - 8) == "</speak>");
  const auto speech = ssml.find("Magnesium may help.");
  const auto pause = ssml.find("<break");
  const auto caveat = ssml.find("Ask a doctor.");
  REQUIRE(speech != std::string::npos);
  REQUIRE(pause != std::string::npos);
  REQUIRE(caveat != std::string::npos);
  CHECK(speech < pause);
  CHECK(pause < caveat);
  CHECK(is_well_formed_ssml(ssml));
}

TEST_CASE("build_ssml escapes both parts", "[ssml]") {
  const std::string ssml = build_ssml("Salt & <water> \"now\"", "Don't <panic> & call");
  CHECK(ssml.find("<water>") == std::string::npos);
  CHECK(ssml.find("<panic>") == std::string::npos);
  CHECK(ssml.find("Salt &amp; &lt;water&gt; &quot;now&quot;") != std::string::npos);
  CHECK(ssml.find("Don&apos;t &lt;panic&gt; &amp; call") != std::string::npos);
  CHECK(is_well_formed_ssml(ssml));
}

TEST_CASE("build_ssml without a caveat has no pause", "[ssml]") {
  const std::string ssml = build_ssml("Hello.", "");
  CHECK(ssml == "<speak>Hello.</speak>");
  CHECK(is_well_formed_ssml(ssml));
}

TEST_CASE("build_ssml output is well-formed whatever the text", "[ssml]") {
  const std::string nasty = "<>&\"';/=!?#[]{}()*%$@^~`|\\ \n\t&amp;&#;&lt<speak></speak><!-- -->]]>";
  std::uint32_t state = 7;
  for (int i = 0; i < 500; ++i) {
    std::string speech, caveat;
    for (int j = 0; j < i % 50; ++j) {
      state = state * 1664525u + 1013904223u;
      speech += nasty[(state >> 8) % nasty.size()];
      caveat += nasty[(state >> 20) % nasty.size()];
    }
    CAPTURE(speech, caveat);
    CHECK(is_well_formed_ssml(build_ssml(speech, caveat)));
  }
}

TEST_CASE("is_well_formed_ssml accepts well-formed <speak> documents", "[ssml]") {
  CHECK(is_well_formed_ssml("<speak></speak>"));
  CHECK(is_well_formed_ssml("<speak>Hello</speak>"));
  CHECK(is_well_formed_ssml("<speak><p>One.</p><s>Two.</s></speak>"));
  CHECK(is_well_formed_ssml("<speak>a &amp; b &lt; c &gt; d &quot; &apos; &#39; &#x2019;</speak>"));
  CHECK(is_well_formed_ssml("<speak>Wait <break time=\"300ms\"/> then</speak>"));
  CHECK(is_well_formed_ssml("<speak><break time='1s'/></speak>"));
  CHECK(is_well_formed_ssml("<speak><prosody rate=\"slow\" pitch=\"low\">x</prosody></speak>"));
  CHECK(is_well_formed_ssml("<speak><say-as interpret-as=\"characters\">B12</say-as></speak>"));
  CHECK(is_well_formed_ssml("<speak>caf\xC3\xA9</speak>"));
  CHECK(is_well_formed_ssml("<speak>x</speak>\n"));
}

TEST_CASE("is_well_formed_ssml rejects broken XML", "[ssml]") {
  for (const char* broken : {
           "",
           "hello",
           "<speak>",
           "</speak>",
           "<speak>unclosed",
           "<speak>a</speak",
           "<speak>a < b</speak>",
           "<speak>a & b</speak>",
           "<speak>a &amp b</speak>",
           "<speak>&nbsp;</speak>",
           "<speak>&#;</speak>",
           "<speak>&#xZZ;</speak>",
           "<speak>&#X41;</speak>",  // only a lower-case x introduces a hex reference
           "<speak>a > b</speak>",
           "<speak><p>x</speak></p>",
           "<speak></p></speak>",
           "<speak><p>x</speak>",
           "<speak>a</speak><speak>b</speak>",
           "text<speak>a</speak>",
           "<speak>a</speak>trailing",
           "<p>x</p>",
           "<speak><></speak>",
           "<speak>< p>x</p></speak>",
           "<speak><break time=\"1s/></speak>",
           "<speak><break time=\"a<b\"/></speak>",
           "<speak><break time=\"a&b\"/></speak>",
           "<speak><break time=1s/></speak>",
           "<speak><break strength/></speak>",
       }) {
    CAPTURE(broken);
    CHECK_FALSE(is_well_formed_ssml(broken));
  }
}

// "one well-formed <speak> element": nothing but white space may stand outside it, and an entity
// reference is character data like any other.
TEST_CASE("is_well_formed_ssml rejects entity references outside the root element", "[ssml]") {
  CHECK_FALSE(is_well_formed_ssml("<speak>hi</speak>&amp;"));
  CHECK_FALSE(is_well_formed_ssml("&amp;<speak>hi</speak>"));
  CHECK_FALSE(is_well_formed_ssml("&lt;&gt;"));
}
