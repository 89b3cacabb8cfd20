// What both virtual-alexa conversations share: the command line (<model.json> <skill url>), a VirtualAlexa
// for one locale, a check() that counts and prints, and the exit code.
"use strict";
const { VirtualAlexa } = require("virtual-alexa");

function speech(reply) {
  return reply.response.outputSpeech.ssml;
}

// Runs `conversation(alexa, check)` against the server named on the command line, in `locale`; exits 1 on
// the first failed assertion, 2 on a bad command line.
function runConversation(script, locale, conversation) {
  const [modelFile, skillUrl] = process.argv.slice(2);
  if (!modelFile || !skillUrl) {
    console.error(`usage: node ${script} <model.json> <skill url>`);
    process.exit(2);
  }
  const alexa = VirtualAlexa.Builder()
    .skillURL(skillUrl)
    .interactionModelFile(modelFile)
    .applicationID("amzn1.ask.skill.virtual-alexa-e2e")
    .locale(locale)
    .create();
  const checks = [];
  const check = (what, fn) => {
    fn();
    checks.push(what);
    console.log("ok: " + what);
  };
  conversation(alexa, check)
    .then(() => console.log(`all ${checks.length} checks passed`))
    .catch((error) => {
      console.error("FAIL: " + (error && error.stack ? error.stack : error));
      process.exit(1);
    });
}

module.exports = { runConversation, speech };
