// A Spanish conversation through virtual-alexa: the model is `crampbot export alexa --locale es-US`, the
// requests carry locale es-US, and the real server must answer in Spanish with the US emergency number.
// Usage: node conversation_es.test.js <model.json> <http://127.0.0.1:PORT/alexa>
"use strict";
const assert = require("node:assert/strict");
const { runConversation, speech } = require("./virtual_alexa_session");

runConversation("conversation_es.test.js", "es-US", async (alexa, check) => {
  const launch = await alexa.launch();
  check("es-US: launch is welcomed in Spanish with the full disclaimer and 911", () => {
    assert.match(speech(launch), /^<speak>.*<\/speak>$/s);
    assert.match(speech(launch), /no sustituye el consejo/);
    assert.match(speech(launch), /nueve uno uno/);
    assert.equal(launch.response.shouldEndSession, false);
    assert.equal(launch.sessionAttributes.crampbot.intent, "welcome");
  });

  const foods = await alexa.utter("qué alimentos tienen magnesio");
  check("es-US: a nutrient question resolves to its intent and slot from the Spanish samples and values", () => {
    assert.equal(foods.sessionAttributes.crampbot.intent, "food_sources");
    assert.equal(foods.sessionAttributes.crampbot.slots.nutrient, "magnesium");
    assert.match(speech(foods), /magnesio/i);
    assert.match(foods.response.card.content, /médico/i);
  });

  const followUp = await alexa.utter("y el potasio");
  check("es-US: a follow-up keeps the question and takes the new nutrient", () => {
    assert.equal(followUp.sessionAttributes.crampbot.intent, "food_sources");
    assert.equal(followUp.sessionAttributes.crampbot.slots.nutrient, "potassium");
    assert.match(speech(followUp), /potasio/i);
  });

  const urgent = await alexa.utter("tengo la pantorrilla hinchada roja y caliente");
  check("es-US: a red flag is urgent, in Spanish, with 911 spoken", () => {
    assert.equal(urgent.sessionAttributes.crampbot.intent, "urgent_symptoms");
    assert.match(speech(urgent), /nueve uno uno/);
    assert.doesNotMatch(speech(urgent), /emergency|local emergency number/i);
  });

  const help = await alexa.intend("AMAZON.HelpIntent");
  check("es-US: AMAZON.HelpIntent is answered as help, in Spanish", () => {
    assert.equal(help.sessionAttributes.crampbot.intent, "help");
    assert.match(speech(help), /calambres/);
  });

  const stop = await alexa.intend("AMAZON.StopIntent");
  check("es-US: AMAZON.StopIntent ends the session", () => {
    assert.equal(stop.sessionAttributes.crampbot.intent, "goodbye");
    assert.equal(stop.response.shouldEndSession, true);
  });

});
