// The peer: what a developer would write with Amazon's official SDK (ask-sdk-core + ask-sdk-express-adapter
// on Express) to answer the bench's four questions. The replies are crampbot's own, read from responses/ at
// start (first variant, with its caveat), with the same parts as ours: SSML speech, a Simple card, a reprompt
// and session attributes. Request verification is off, as in crampbot's bench configuration.
// Usage: node skill.js PORT
"use strict";
const fs = require("node:fs");
const path = require("node:path");
const express = require("express");
const Alexa = require("ask-sdk-core");
const { ExpressAdapter } = require("ask-sdk-express-adapter");

const port = Number(process.argv[2] || 8082);
const responsesDir = path.join(__dirname, "..", "..", "..", "catalog", "en", "responses");
const common = JSON.parse(fs.readFileSync(path.join(responsesDir, "_common.json"), "utf8"));

function escapeSsml(text) {
  return text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&apos;" })[c]);
}

// One intent's reply for a slot value ("default" without one), as crampbot composes it.
function reply(intent, key) {
  const file = JSON.parse(fs.readFileSync(path.join(responsesDir, intent + ".json"), "utf8"));
  if (!file.replies[key]) return null;
  const variant = file.replies[key][0];
  const caveat = variant.caveat || file.caveat || common.caveat;
  return {
    speech: escapeSsml(variant.voice || variant.text) + ' <break time="300ms"/> ' + escapeSsml(caveat),
    title: variant.title,
    card: variant.text + "\n\n" + caveat,
    reprompt: escapeSsml(variant.reprompt),
  };
}

const kNutrients = ["magnesium", "potassium", "calcium", "vitamin_d", "vitamin_b6", "vitamin_b12", "b_vitamins", "vitamin_k2"];

function answering(alexaIntent, intent, takesNutrient) {
  const replies = { default: reply(intent, "default") };
  if (takesNutrient) for (const n of kNutrients) replies[n] = reply(intent, n) || replies.default;
  return {
    canHandle(input) {
      return (
        Alexa.getRequestType(input.requestEnvelope) === "IntentRequest" &&
        Alexa.getIntentName(input.requestEnvelope) === alexaIntent
      );
    },
    handle(input) {
      let nutrient;
      if (takesNutrient) {
        const slot = Alexa.getSlot(input.requestEnvelope, "nutrient");
        const resolved = slot && slot.resolutions && slot.resolutions.resolutionsPerAuthority;
        const match = resolved && resolved.find((a) => a.status.code === "ER_SUCCESS_MATCH");
        nutrient = match ? match.values[0].value.id : undefined;
      }
      const chosen = (nutrient && replies[nutrient]) || replies.default;
      input.attributesManager.setSessionAttributes({ crampbot: { intent, slots: nutrient ? { nutrient } : {} } });
      return input.responseBuilder
        .speak(chosen.speech)
        .reprompt(chosen.reprompt)
        .withSimpleCard(chosen.title, chosen.card)
        .withShouldEndSession(false)
        .getResponse();
    },
  };
}

const skill = Alexa.SkillBuilders.custom()
  .addRequestHandlers(
    answering("BestVitaminIntent", "best_vitamin", false),
    answering("FoodSourcesIntent", "food_sources", true),
    answering("QuickReliefIntent", "quick_relief", false),
    answering("SeeDoctorIntent", "see_doctor", false),
  )
  .create();

const app = express();
app.post("/alexa", new ExpressAdapter(skill, false, false).getRequestHandlers());
app.listen(port, "127.0.0.1", () => console.log(`peer listening on http://127.0.0.1:${port}`));
