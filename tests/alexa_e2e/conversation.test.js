// Drives a running crampbot server through virtual-alexa (Bespoken's Alexa simulator), which reads the
// interaction model that `crampbot export alexa` wrote, resolves utterances to intents and slots the way
// Alexa's NLU would, and posts real request envelopes to /alexa.
// Usage: node conversation.test.js <model.json> <http://127.0.0.1:PORT/alexa>
"use strict";
const assert = require("node:assert/strict");
const { runConversation, speech } = require("./virtual_alexa_session");

runConversation("conversation.test.js", "en-US", async (alexa, check) => {
  const launch = await alexa.launch();
  check("launch is welcomed with the full disclaimer", () => {
    assert.match(speech(launch), /^<speak>.*<\/speak>$/s);
    assert.match(speech(launch), /not a substitute for professional medical advice/);
    assert.equal(launch.response.shouldEndSession, false);
    assert.ok(launch.response.reprompt, "a reprompt keeps the session open");
    assert.equal(launch.sessionAttributes.crampbot.intent, "welcome");
  });

  const foods = await alexa.utter("what foods are high in magnesium");
  check("a nutrient question resolves to its intent and slot", () => {
    assert.equal(foods.sessionAttributes.crampbot.intent, "food_sources");
    assert.equal(foods.sessionAttributes.crampbot.slots.nutrient, "magnesium");
    assert.match(speech(foods), /magnesium/i);
    assert.equal(foods.response.card.type, "Simple");
    assert.match(foods.response.card.content, /doctor/i);
  });

  const followUp = await alexa.utter("what about potassium");
  check("a follow-up keeps the question and takes the new nutrient, through sessionAttributes", () => {
    assert.equal(followUp.sessionAttributes.crampbot.intent, "food_sources");
    assert.equal(followUp.sessionAttributes.crampbot.slots.nutrient, "potassium");
    assert.match(speech(followUp), /potassium/i);
  });

  const help = await alexa.utter("help");
  check("AMAZON.HelpIntent is answered as help", () => {
    assert.equal(help.sessionAttributes.crampbot.intent, "help");
  });

  const stop = await alexa.utter("stop");
  check("AMAZON.StopIntent ends the session", () => {
    assert.equal(stop.sessionAttributes.crampbot.intent, "goodbye");
    assert.equal(stop.response.shouldEndSession, true);
    assert.equal(stop.response.reprompt, undefined);
  });

});
