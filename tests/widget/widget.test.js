// The chat widget in a real browser. Starts `crampbot serve` on a free port, drives Debian's Chromium with
// Playwright through a conversation on the demo page, then checks embedding from another origin (allowed and
// not allowed), a phone-sized screen, and what happens when the server goes away and comes back.
// Screenshots are written to <output dir> to be looked at.
// Usage: node widget.test.js <crampbot binary> <config file> <output dir>
"use strict";
const assert = require("node:assert/strict");
const { spawn } = require("node:child_process");
const fs = require("node:fs");
const http = require("node:http");
const path = require("node:path");
const { chromium } = require("playwright-core");

const [binary, configFile, outputDir] = process.argv.slice(2);
if (!binary || !configFile || !outputDir) {
  console.error("usage: node widget.test.js <crampbot binary> <config file> <output dir>");
  process.exit(2);
}
fs.mkdirSync(outputDir, { recursive: true });

const kTimeout = 10000;
// Starting the server loads the whole catalog: several times slower under AddressSanitizer on a busy machine.
const kStartTimeout = 30000;
const results = [];
async function step(what, fn) {
  await fn();
  results.push(what);
  console.log("ok: " + what);
}

// Starts the server; resolves with its process and port once it prints its address.
function startServer(env, port) {
  return new Promise((resolve, reject) => {
    const args = ["--config", configFile, "serve", "--port", String(port), "--threads", "1"];
    const child = spawn(binary, args, { env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
    let stderr = "";
    let stdout = "";
    child.stderr.on("data", (chunk) => (stderr += chunk));
    child.stdout.on("data", (chunk) => {
      stdout += chunk;
      const match = /crampbot listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(stdout);
      if (match) resolve({ child, port: Number(match[1]) });
    });
    child.on("exit", (code) => reject(new Error(`the server exited ${code} before listening: ${stderr}`)));
    setTimeout(() => reject(new Error("the server did not start: " + stderr)), kStartTimeout);
  });
}

// Starts the server again on `port`, which the previous one has just left (retried while the port is busy).
async function restartServer(env, port) {
  for (let attempt = 0; ; ++attempt) {
    try {
      return await startServer(env, port);
    } catch (error) {
      if (attempt >= 20) throw error;
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}

function activeClass(page) {
  return page.evaluate(() => {
    const active = document.querySelector("#crampbot-widget").shadowRoot.activeElement;
    return active ? active.className : "(none)";
  });
}

function stopServer(server) {
  return new Promise((resolve) => {
    if (server.child.exitCode !== null) return resolve(server.child.exitCode);
    server.child.once("exit", (code) => resolve(code));
    server.child.kill("SIGTERM");
  });
}

function escapeHtml(text) {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

// A site of someone else's: serves one page that embeds the widget from the crampbot server, whose origin
// `widgetOrigin()` gives once the server is up. `/` is an English page with its own title for the widget;
// with a query, `lang` is the page's <html lang> (left out when empty) and `locale` the tag's data-locale
// (left out when absent), with no data-title.
function startHostSite(widgetOrigin) {
  const server = http.createServer((request, response) => {
    if (request.url === "/favicon.ico") {
      response.writeHead(204);
      return response.end();
    }
    const origin = widgetOrigin();
    const query = new URL(request.url, "http://host").searchParams;
    let lang = ' lang="en"';
    let attributes = ' data-title="Ask about cramps"';
    if (query.size > 0) {
      lang = query.get("lang") ? ` lang="${escapeHtml(query.get("lang"))}"` : "";
      attributes = query.has("locale") ? ` data-locale="${escapeHtml(query.get("locale"))}"` : "";
    }
    response.writeHead(200, { "Content-Type": "text/html; charset=utf-8" });
    response.end(`<!doctype html><html${lang}><head><meta charset="utf-8"><title>A pharmacy</title></head>
<body><h1>A pharmacy's page</h1><p>Our own content.</p>
<script src="${origin}/widget.js" data-endpoint="${origin}/v1/chat"${attributes} defer></script>
</body></html>`);
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(server)));
}

// The widget lives in an open shadow root; Playwright's CSS locators pierce it.
function widget(page) {
  return {
    launcher: page.locator(".cb-launcher"),
    panel: page.locator(".cb-panel"),
    input: page.locator(".cb-input"),
    botMessages: page.locator(".cb-msg.cb-bot:not(.cb-typing):not(.cb-problem)"),
    lastBot: page.locator(".cb-msg.cb-bot:not(.cb-typing):not(.cb-problem)").last(),
    chips: page.locator(".cb-chips .cb-chip"),
    typing: page.locator(".cb-typing"),
    problem: page.locator(".cb-problem"),
  };
}

// The body of GET `url`, from Node (not the page).
function getText(url) {
  return new Promise((resolve, reject) => {
    http.get(url, (response) => {
      let body = "";
      response.on("data", (chunk) => (body += chunk));
      response.on("end", () => resolve(body));
    }).on("error", reject);
  });
}

async function feedbackMetrics(origin) {
  return (await getText(origin + "/metrics")).split("\n").filter((line) => line.startsWith("crampbot_feedback_total{"));
}

// The widget's own words, and the language it says they are in.
function widgetWords(page) {
  return page.evaluate(() => {
    const host = document.querySelector("#crampbot-widget");
    const find = (selector) => host.shadowRoot.querySelector(selector);
    return {
      lang: [host.lang, find(".cb-root").lang],
      launcher: find(".cb-launcher").getAttribute("aria-label"),
      title: find(".cb-title").textContent,
      close: find(".cb-close").getAttribute("aria-label"),
      log: find(".cb-log").getAttribute("aria-label"),
      chips: find(".cb-chips").getAttribute("aria-label"),
      label: find(".cb-form label").textContent,
      placeholder: find(".cb-input").placeholder,
      send: find(".cb-send").textContent,
      footer: find(".cb-footer").textContent,
    };
  });
}

const kSpanishWords = {
  launcher: "Chat: Ayuda con los calambres",
  title: "Ayuda con los calambres",
  close: "Cerrar el chat",
  log: "Conversación",
  chips: "Preguntas sugeridas",
  label: "Su pregunta",
  placeholder: "Pregunte sobre los calambres en las piernas…",
  send: "Enviar",
  footer: "Información general, no consejo médico. En una emergencia, llame al número de emergencias de su zona.",
};
const kEnglishWords = {
  launcher: "Chat: Leg cramp helper",
  title: "Leg cramp helper",
  close: "Close chat",
  log: "Conversation",
  chips: "Suggested questions",
  label: "Your question",
  placeholder: "Ask about leg cramps…",
  send: "Send",
  footer: "General information, not medical advice. In an emergency, call your local emergency number.",
};

async function askAndWait(page, ui, text) {
  const before = await ui.botMessages.count();
  await ui.input.fill(text);
  await ui.input.press("Enter");
  await ui.botMessages.nth(before).waitFor({ timeout: kTimeout });
  return ui.botMessages.nth(before);
}

async function main() {
  let origin = "";
  const hostSite = await startHostSite(() => origin);
  const hostPort = hostSite.address().port;
  // The host site by name is allowed; the same site by IP address is another origin, and is not.
  const env = {
    CRAMPBOT_SERVER_CORS_ORIGINS: `http://localhost:${hostPort}`,
    CRAMPBOT_CHAT_SESSION_SECRET: "widget-browser-test-session-secret",
    CRAMPBOT_LOG_LEVEL: "warn",
  };
  let server = await startServer(env, 0);
  origin = `http://127.0.0.1:${server.port}`;

  const browser = await chromium.launch({
    executablePath: "/usr/bin/chromium",
    headless: true,
    // As root, Chromium needs --no-sandbox; the rest keeps it from calling Google on a closed network.
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
  try {
    const context = await browser.newContext({ viewport: { width: 1100, height: 800 } });
    const page = await context.newPage();
    const pageErrors = [];
    page.on("pageerror", (error) => pageErrors.push(String(error)));
    page.on("console", (message) => {
      if (message.type() === "error") pageErrors.push(message.text());
    });
    const requested = [];
    page.on("request", (request) => requested.push(request.url()));
    const ui = widget(page);

    await step("the demo page loads with a launcher, and the panel opens with focus in the input", async () => {
      await page.goto(origin + "/");
      await ui.launcher.waitFor({ state: "visible", timeout: kTimeout });
      assert.equal(await ui.launcher.getAttribute("aria-expanded"), "false");
      assert.equal(await ui.panel.isVisible(), false);
      await ui.launcher.click();
      await ui.panel.waitFor({ state: "visible" });
      assert.equal(await ui.launcher.getAttribute("aria-expanded"), "true");
      assert.equal(await page.evaluate(() => document.querySelector("#crampbot-widget").shadowRoot.activeElement.className), "cb-input");
      // The greeting arrives on its own, with the full disclaimer.
      await ui.botMessages.first().waitFor({ timeout: kTimeout });
      assert.match(await ui.botMessages.first().locator(".cb-caveat").innerText(), /medical advice/i);
      assert.equal(await page.locator(".cb-log").getAttribute("aria-live"), "polite");
      assert.equal(await page.locator(".cb-log").getAttribute("role"), "log");
    });

    await step("a question gets its answer and the caveat, after a typing indicator", async () => {
      // Hold the reply back a little so the indicator can be seen.
      await page.route("**/v1/chat", async (route) => {
        const response = await route.fetch();
        await new Promise((r) => setTimeout(r, 400));
        await route.fulfill({ response });
      });
      const before = await ui.botMessages.count();
      await ui.input.fill("what vitamin stops leg cramps");
      await ui.input.press("Enter");
      await ui.typing.waitFor({ state: "visible", timeout: kTimeout });
      assert.match(await ui.typing.innerText(), /typing/i);
      const answer = ui.botMessages.nth(before);
      await answer.waitFor({ timeout: kTimeout });
      await page.unroute("**/v1/chat");
      assert.equal(await ui.typing.count(), 0, "the typing indicator goes away");
      assert.match(await page.locator(".cb-msg.cb-user").last().innerText(), /what vitamin stops leg cramps/);
      assert.match(await answer.locator(".cb-text").first().innerText(), /vitamin/i);
      assert.match(await answer.locator(".cb-text").first().innerText(), /magnesium/i);
      const caveat = answer.locator(".cb-caveat");
      assert.ok(await caveat.isVisible(), "the caveat is shown");
      assert.match(await caveat.innerText(), /doctor/i);
      // Clear but not shouting: smaller than the answer, not bold, not red.
      const [caveatSize, textSize, caveatWeight] = await caveat.evaluate((node) => {
        const text = node.parentElement.querySelector(".cb-text");
        return [parseFloat(getComputedStyle(node).fontSize), parseFloat(getComputedStyle(text).fontSize),
                Number(getComputedStyle(node).fontWeight)];
      });
      assert.ok(caveatSize < textSize && caveatSize >= 12, `caveat ${caveatSize}px, text ${textSize}px`);
      assert.ok(caveatWeight < 600);
      // Where the facts come from: links that open in a new tab without handing it this page, before the caveat.
      const links = answer.locator(".cb-sources a.cb-source");
      assert.ok((await links.count()) >= 1, "the answer names its sources");
      for (let i = 0; i < (await links.count()); ++i) {
        const link = links.nth(i);
        assert.match(await link.getAttribute("href"), /^https:\/\//);
        assert.equal(await link.getAttribute("target"), "_blank");
        assert.match(await link.getAttribute("rel"), /noopener/);
        assert.match(await link.getAttribute("aria-label"), /opens in a new tab/);
      }
      assert.match(await answer.locator(".cb-sources").innerText(), /^Sources?: /);
      assert.ok(await answer.evaluate((node) => {
        const sources = node.querySelector(".cb-sources");
        const note = node.querySelector(".cb-caveat");
        return Boolean(sources.compareDocumentPosition(note) & Node.DOCUMENT_POSITION_FOLLOWING);
      }), "the caveat still comes last");
      // The answer's text does not repeat the caveat: it is shown once, apart.
      assert.equal((await answer.innerText()).split(await caveat.innerText().then((t) => t.replace(/^Note: /, ""))).length, 2);
    });

    await step("a suggestion chip asks the follow-up, answered from the conversation's context", async () => {
      const chipTexts = await ui.chips.allInnerTexts();
      assert.ok(chipTexts.length >= 2, "chips: " + chipTexts.join(" | "));
      assert.equal(chipTexts[0], "Tell me more");
      const before = await ui.botMessages.count();
      // Pressed from the keyboard: the chip goes away with the answer, the focus must not go with it.
      await ui.chips.first().focus();
      await page.keyboard.press("Enter");
      const more = ui.botMessages.nth(before);
      await more.waitFor({ timeout: kTimeout });
      assert.equal(await activeClass(page), "cb-input", "focus stays in the chat after a chip");
      // "Tell me more" means nothing alone: the answer continues the vitamin question, so the session token
      // carried the context.
      const text = await more.locator(".cb-text").first().innerText();
      assert.match(text, /magnesium/i);
      assert.match(text, /vitamin K2/i);
      assert.match(await page.locator(".cb-msg.cb-user").last().innerText(), /Tell me more/);
      const token = await page.evaluate(() => Object.entries(sessionStorage));
      assert.equal(token.length, 1, "only the session token is stored");
      assert.match(token[0][0], /^crampbot\.session:/);
    });

    await step("each answer asks 'Was this helpful?' with labelled thumbs; the keyboard votes once", async () => {
      // Not under the greeting: nobody asked it anything.
      assert.equal(await ui.botMessages.first().locator(".cb-feedback").count(), 0);
      const vitamin = ui.botMessages.nth(1);  // "what vitamin stops leg cramps"
      const group = vitamin.locator(".cb-feedback");
      assert.equal(await group.getAttribute("role"), "group");
      assert.equal(await group.getAttribute("aria-label"), "Was this answer helpful?");
      const yes = group.locator(".cb-vote-up");
      const no = group.locator(".cb-vote-down");
      assert.equal(await yes.getAttribute("aria-label"), "Yes, this was helpful");
      assert.equal(await no.getAttribute("aria-label"), "No, this was not helpful");
      assert.equal(await yes.getAttribute("aria-pressed"), "false");
      assert.equal(await group.locator("[role=status]").count(), 1);
      assert.ok((await yes.boundingBox()).height >= 32, "a target big enough to press");
      // From the keyboard: both buttons are in the tab order; Space on "yes" votes.
      await yes.focus();
      await page.keyboard.press("Tab");
      assert.match(await activeClass(page), /cb-vote-down/);
      await page.keyboard.press("Shift+Tab");
      assert.match(await activeClass(page), /cb-vote-up/);
      const votes = () => requested.filter((url) => url.endsWith("/v1/feedback")).length;
      await page.keyboard.press("Space");
      await group.locator("[role=status]").filter({ hasText: /thanks/i }).waitFor({ timeout: kTimeout });
      assert.equal(await yes.getAttribute("aria-pressed"), "true");
      assert.equal(await no.getAttribute("aria-pressed"), "false");
      assert.equal(await yes.getAttribute("aria-disabled"), "true");
      assert.match(await activeClass(page), /cb-vote-up/, "the focus stays on the pressed button");
      // Once is enough: pressing again, or the other button, sends nothing.
      await page.keyboard.press("Enter");
      await no.click({ force: true });  // aria-disabled: Playwright would wait for it to be enabled
      await page.waitForTimeout(300);
      assert.equal(votes(), 1, "one vote sent");
      // The server counted it with the answer's own intent (from that answer's token, though newer ones exist).
      assert.deepEqual(await feedbackMetrics(origin), ['crampbot_feedback_total{intent="best_vitamin",helpful="true"} 1']);
      // A thumbs down on the latest answer, with the mouse.
      await ui.lastBot.locator(".cb-vote-down").click();
      await ui.lastBot.locator("[role=status]").filter({ hasText: /thanks/i }).waitFor({ timeout: kTimeout });
      const counted = await feedbackMetrics(origin);
      assert.equal(counted.length, 2, counted.join("\n"));
      assert.ok(counted.some((line) => /helpful="false"\} 1$/.test(line)), counted.join("\n"));
      await page.screenshot({ path: path.join(outputDir, "feedback.png") });
    });

    await step("a red flag gets the urgent styling, with nothing to click instead of getting help", async () => {
      const urgent = await askAndWait(page, ui, "my calf is swollen, red and hot");
      assert.equal(await urgent.locator(".cb-feedback").count(), 0, "no feedback buttons on an urgent answer");
      assert.match(await urgent.getAttribute("class"), /cb-urgent/);
      // Announced at once in a few words (the log reads the answer itself).
      await page.locator(".cb-alert").filter({ hasText: /urgent/i }).waitFor({ state: "attached", timeout: kTimeout });
      assert.match(await urgent.locator(".cb-urgent-label").innerText(), /medical help/i);
      assert.match(await urgent.locator(".cb-text").first().innerText(), /medical care|emergency/i);
      const [border, background] = await urgent.evaluate((node) => [
        getComputedStyle(node).borderLeftColor,
        getComputedStyle(node).backgroundColor,
      ]);
      const ordinary = await ui.botMessages.first().evaluate((node) => getComputedStyle(node).backgroundColor);
      assert.equal(border, "rgb(164, 22, 26)");
      assert.notEqual(background, ordinary);
      assert.equal(await ui.chips.count(), 0, "no chips cover or replace the urgent answer");
      // The warning's start is on screen, not scrolled away under the header.
      const label = await urgent.locator(".cb-urgent-label").boundingBox();
      const log = await page.locator(".cb-log").boundingBox();
      assert.ok(label.y >= log.y && label.y + label.height <= log.y + log.height, JSON.stringify({ label, log }));
      assert.ok(await urgent.isVisible());
    });

    await page.screenshot({ path: path.join(outputDir, "conversation.png") });

    await step("what the user types is shown as text", async () => {
      await askAndWait(page, ui, '<img src=x onerror="window.hacked=1"> & "quotes"');
      assert.match(await page.locator(".cb-msg.cb-user").last().innerText(), /<img src=x/);
      assert.equal(await page.locator(".cb-log img").count(), 0);
    });

    await step("Escape closes the panel and gives focus back to the launcher; Enter opens it again", async () => {
      await ui.input.press("Escape");
      await ui.panel.waitFor({ state: "hidden" });
      assert.equal(await page.evaluate(() => document.querySelector("#crampbot-widget").shadowRoot.activeElement.className), "cb-launcher");
      await page.keyboard.press("Enter");
      await ui.panel.waitFor({ state: "visible" });
      assert.equal(await page.evaluate(() => document.querySelector("#crampbot-widget").shadowRoot.activeElement.className), "cb-input");
      assert.ok((await ui.botMessages.count()) >= 4, "the conversation is still there");
    });

    await step("no cookies, no requests to anyone but the server, no script errors", async () => {
      assert.deepEqual(await context.cookies(), []);
      assert.equal(await page.evaluate(() => document.cookie), "");
      for (const url of requested) assert.ok(url.startsWith(origin + "/"), "request to " + url);
      assert.deepEqual(pageErrors, []);
    });

    await step("with the server gone, a clear message with a retry; the retry answers once it is back", async () => {
      const code = await stopServer(server);
      assert.equal(code, 0, "the server stops cleanly");
      const before = await ui.problem.count();
      await ui.input.fill("what causes leg cramps");
      await ui.input.press("Enter");
      const problem = ui.problem.nth(before);
      await problem.waitFor({ timeout: kTimeout });
      assert.match(await problem.innerText(), /can't reach/i);
      assert.equal(await problem.locator(".cb-retry").isEnabled(), true);
      assert.equal(await ui.typing.count(), 0);
      await page.screenshot({ path: path.join(outputDir, "offline.png") });

      server = await restartServer(env, server.port);
      const answers = await ui.botMessages.count();
      await problem.locator(".cb-retry").focus();
      await page.keyboard.press("Enter");
      await ui.botMessages.nth(answers).waitFor({ timeout: kTimeout });
      assert.match(await ui.botMessages.nth(answers).innerText(), /cramp/i);
      assert.equal(await ui.problem.count(), 0, "the message goes once the answer is there");
      // The question was not shown twice, and the keyboard focus stayed in the chat.
      assert.equal(await page.locator(".cb-msg.cb-user", { hasText: "what causes leg cramps" }).count(), 1);
      assert.equal(await activeClass(page), "cb-input");
    });
    await context.close();

    await step("embedded on another site whose origin is allowed, the widget works cross-origin", async () => {
      const other = await browser.newContext();
      const sitePage = await other.newPage();
      const errors = [];
      sitePage.on("pageerror", (error) => errors.push(String(error)));
      const site = widget(sitePage);
      await sitePage.goto(`http://localhost:${hostPort}/`);
      await site.launcher.click();
      await site.botMessages.first().waitFor({ timeout: kTimeout });
      assert.equal(await sitePage.locator(".cb-title").innerText(), "Ask about cramps");
      const [response] = await Promise.all([
        sitePage.waitForResponse((r) => r.url() === origin + "/v1/chat"),
        askAndWait(sitePage, site, "what foods have magnesium"),
      ]);
      assert.equal(await response.headerValue("access-control-allow-origin"), `http://localhost:${hostPort}`);
      assert.match(await site.lastBot.innerText(), /magnesium/i);
      // The host page's own content and styles are untouched.
      assert.equal(await sitePage.locator("h1").innerText(), "A pharmacy's page");
      assert.deepEqual(errors, []);
      await other.close();
    });

    await step("on a page without a CSP, a hostile reply is still shown as text, never run", async () => {
      const other = await browser.newContext();
      const sitePage = await other.newPage();
      const site = widget(sitePage);
      await sitePage.route(origin + "/v1/chat", (route) =>
        route.fulfill({
          status: 200,
          headers: { "Content-Type": "application/json", "Access-Control-Allow-Origin": `http://localhost:${hostPort}` },
          body: JSON.stringify({
            text: '<img src=x onerror="window.hacked=1"><script>window.hacked=2</script>',
            caveat: '<img src=y onerror="window.hacked=3">',
            suggestions: ['<img src=z onerror="window.hacked=4">', 42, null],
            urgent: false,
            session: "x",
          }),
        }),
      );
      await sitePage.goto(`http://localhost:${hostPort}/`);
      await site.launcher.click();
      await site.botMessages.first().waitFor({ timeout: kTimeout });
      await sitePage.waitForTimeout(300);
      assert.equal(await sitePage.evaluate(() => window.hacked), undefined);
      assert.equal(await sitePage.locator("#crampbot-widget img, #crampbot-widget script").count(), 0);
      assert.match(await site.botMessages.first().innerText(), /<img src=x/);
      assert.equal(await site.chips.count(), 1, "only string suggestions become chips");
      await other.close();
    });

    await step("without sessionStorage the conversation keeps its context in memory", async () => {
      const other = await browser.newContext();
      await other.addInitScript(() => {
        Object.defineProperty(window, "sessionStorage", {
          get() {
            throw new DOMException("denied", "SecurityError");
          },
        });
      });
      const sitePage = await other.newPage();
      const errors = [];
      sitePage.on("pageerror", (error) => errors.push(String(error)));
      const site = widget(sitePage);
      await sitePage.goto(origin + "/");
      await site.launcher.click();
      await site.botMessages.first().waitFor({ timeout: kTimeout });
      await askAndWait(sitePage, site, "what vitamin stops leg cramps");
      const more = await askAndWait(sitePage, site, "tell me more");
      assert.match(await more.innerText(), /vitamin K2/i);
      assert.deepEqual(errors, []);
      await other.close();
    });

    await step("an answer that arrives while the panel is closed shows on the launcher, urgent in red", async () => {
      const other = await browser.newContext();
      const sitePage = await other.newPage();
      const site = widget(sitePage);
      await sitePage.goto(origin + "/");
      await site.launcher.click();
      await site.botMessages.first().waitFor({ timeout: kTimeout });
      // Hold the answer back, close the panel meanwhile.
      await sitePage.route("**/v1/chat", async (route) => {
        const response = await route.fetch();
        await new Promise((r) => setTimeout(r, 500));
        await route.fulfill({ response });
      });
      await site.input.fill("my calf is swollen, red and hot");
      await site.input.press("Enter");
      await site.input.press("Escape");
      await sitePage.locator(".cb-launcher.cb-unread-urgent").waitFor({ timeout: kTimeout });
      assert.match(await site.launcher.getAttribute("aria-label"), /new urgent message/);
      await site.launcher.click();
      await site.panel.waitFor({ state: "visible" });
      assert.equal(await sitePage.locator(".cb-launcher.cb-unread-urgent").count(), 0);
      const label = await sitePage.locator(".cb-urgent .cb-urgent-label").boundingBox();
      const log = await sitePage.locator(".cb-log").boundingBox();
      assert.ok(label && label.y >= log.y && label.y + label.height <= log.y + log.height, "the warning is in view on opening");
      await other.close();
    });

    await step("embedded on a site whose origin is not allowed, the widget says it cannot reach the server", async () => {
      const other = await browser.newContext();
      const sitePage = await other.newPage();
      const site = widget(sitePage);
      // The same host site by its IP address: a different origin, not in the allow-list.
      await sitePage.goto(`http://127.0.0.1:${hostPort}/`);
      await site.launcher.click();
      await site.problem.first().waitFor({ timeout: kTimeout });
      assert.match(await site.problem.first().innerText(), /can't reach/i);
      await other.close();
    });

    // Opens `url` in a fresh context (with `options`, e.g. the browser's locale), opens the chat and waits for
    // the greeting; `chatBodies` collects the body of every question the page sends.
    async function openChat(url, options) {
      const context = await browser.newContext(options);
      const page = await context.newPage();
      const errors = [];
      page.on("pageerror", (error) => errors.push(String(error)));
      const chatBodies = [];
      page.on("request", (request) => {
        if (request.url() === origin + "/v1/chat" && request.method() === "POST") chatBodies.push(request.postDataJSON());
      });
      const ui = widget(page);
      await page.goto(url);
      await ui.launcher.click();
      await ui.botMessages.first().or(ui.problem.first()).waitFor({ timeout: kTimeout });
      return { context, page, ui, errors, chatBodies };
    }
    const hostSiteUrl = (query) => `http://localhost:${hostPort}/?${new URLSearchParams(query)}`;

    await step("with data-locale=\"es-MX\" the widget's words are Spanish and every question says es-MX", async () => {
      // The page itself is English and the browser French: the tag's attribute wins.
      const { context, page, ui, errors, chatBodies } = await openChat(hostSiteUrl({ lang: "en", locale: "es-MX" }), {
        locale: "fr-FR",
      });
      assert.deepEqual(await widgetWords(page), { lang: ["es-MX", "es-MX"], ...kSpanishWords });
      // The greeting is asked in Spanish, with the locale; whatever the server answered is shown.
      assert.deepEqual(chatBodies, [{ text: "hola", locale: "es-MX" }]);
      assert.ok((await ui.botMessages.first().locator(".cb-text").first().innerText()).trim().length > 0);
      const answer = await askAndWait(page, ui, "¿qué vitamina ayuda con los calambres?");
      const answerText = (await answer.locator(".cb-text").first().innerText()).trim();
      // The real server answered in Spanish, as es-MX, and the reply is marked as Spanish for screen readers.
      assert.match(answerText, /calambres/, "the reply is Spanish: " + answerText);
      assert.doesNotMatch(answerText, /\bcramps?\b/, "no English in the Spanish reply: " + answerText);
      assert.equal(await answer.evaluate((el) => el.closest("[lang]").getAttribute("lang")), "es-MX");
      const greeting = (await ui.botMessages.first().locator(".cb-text").first().innerText()).trim();
      assert.doesNotMatch(greeting, /crampbot gives general information/, "the greeting is Spanish: " + greeting);
      assert.equal(chatBodies.length, 2);
      assert.equal(chatBodies[1].locale, "es-MX");
      assert.equal(chatBodies[1].text, "¿qué vitamina ayuda con los calambres?");
      assert.equal(typeof chatBodies[1].session, "string", "the session still goes with the locale");
      assert.equal(await page.locator(".cb-msg.cb-user .cb-visually-hidden").last().textContent(), "Usted: ");
      assert.equal(await answer.locator(".cb-visually-hidden").first().textContent(), "Asistente: ");
      await page.screenshot({ path: path.join(outputDir, "spanish.png") });
      assert.deepEqual(errors, []);
      await context.close();
    });

    await step("in Spanish, answers are framed in Spanish: sources, feedback, urgent, offline and retry", async () => {
      const { context, page, ui, errors, chatBodies } = await openChat(hostSiteUrl({ locale: "es-MX" }));
      const cors = { "Access-Control-Allow-Origin": `http://localhost:${hostPort}` };
      // Replies as the Spanish server will send them (and one it answered in English), to see their frame.
      const replies = {
        "calambre nocturno": {
          text: "Estire la pantorrilla.\n\nConsulte a su médico si se repiten.",
          caveat: "Consulte a su médico si se repiten.",
          sources: [{ title: "MedlinePlus: Calambres musculares", url: "https://medlineplus.gov/spanish/" }],
          suggestions: ["Cuénteme más"],
          urgent: false,
          locale: "es-MX",
          session: "s1",
        },
        "in english": { text: "Stretch your calf.", urgent: false, locale: "en", session: "s2" },
        "pierna hinchada": { text: "Busque atención médica hoy.", urgent: true, locale: "es-MX", session: "s3" },
      };
      await page.route(origin + "/v1/chat", (route) =>
        route.fulfill({
          status: 200,
          headers: { "Content-Type": "application/json", ...cors },
          body: JSON.stringify(replies[route.request().postDataJSON().text]),
        }),
      );
      await page.route(origin + "/v1/feedback", (route) =>
        route.fulfill({ status: 200, headers: { "Content-Type": "application/json", ...cors }, body: '{"status":"counted"}' }),
      );

      const answer = await askAndWait(page, ui, "calambre nocturno");
      assert.deepEqual(await answer.locator(".cb-text").allInnerTexts(), ["Estire la pantorrilla."]);
      assert.equal(await answer.locator(".cb-text").first().getAttribute("lang"), null, "the widget's language already");
      assert.equal(await answer.locator(".cb-sources").innerText(), "Fuente: MedlinePlus: Calambres musculares");
      assert.equal(await answer.locator(".cb-source").getAttribute("aria-label"),
                   "MedlinePlus: Calambres musculares (se abre en una pestaña nueva)");
      assert.equal(await answer.locator(".cb-caveat .cb-visually-hidden").textContent(), "Nota: ");
      assert.deepEqual(await ui.chips.allInnerTexts(), ["Cuénteme más"]);
      const group = answer.locator(".cb-feedback");
      assert.equal(await group.getAttribute("aria-label"), "¿Le resultó útil esta respuesta?");
      assert.equal(await group.locator(".cb-feedback-question").textContent(), "¿Le resultó útil?");
      assert.equal(await group.locator(".cb-vote-up").getAttribute("aria-label"), "Sí, me resultó útil");
      assert.equal(await group.locator(".cb-vote-down").getAttribute("aria-label"), "No, no me resultó útil");
      await group.locator(".cb-vote-up").click();
      await group.locator("[role=status]").filter({ hasText: "Gracias por su opinión." }).waitFor({ timeout: kTimeout });

      // A reply the server gave in another language than the widget's is marked as such for screen readers.
      const english = await askAndWait(page, ui, "in english");
      assert.equal(await english.locator(".cb-text").first().getAttribute("lang"), "en");
      assert.equal(await english.locator(".cb-text").first().innerText(), "Stretch your calf.");

      const urgent = await askAndWait(page, ui, "pierna hinchada");
      assert.equal(await urgent.locator(".cb-urgent-label").textContent(), "! Buscar ayuda médica");  // shown in capitals
      await page.locator(".cb-alert")
        .filter({ hasText: "Urgente: busque ayuda médica. La respuesta está en la conversación." })
        .waitFor({ state: "attached", timeout: kTimeout });

      // The server out of reach: the message and its retry in Spanish; the retry sends the locale again.
      await page.unroute(origin + "/v1/chat");
      await page.route(origin + "/v1/chat", (route) => route.abort("connectionrefused"));
      await ui.input.fill("¿qué causa los calambres?");
      await ui.input.press("Enter");
      await ui.problem.first().waitFor({ timeout: kTimeout });
      assert.equal(await ui.problem.first().locator(".cb-text").innerText(),
                   "Ahora mismo no es posible comunicarse con el asistente. Verifique su conexión e inténtelo de nuevo.");
      assert.equal(await ui.problem.first().locator(".cb-retry").innerText(), "Intentar de nuevo");
      await page.unroute(origin + "/v1/chat");
      const answers = await ui.botMessages.count();
      await ui.problem.first().locator(".cb-retry").click();
      await ui.botMessages.nth(answers).waitFor({ timeout: kTimeout });
      assert.ok(chatBodies.length >= 2 && chatBodies.every((body) => body.locale === "es-MX"), JSON.stringify(chatBodies));

      // An answer that arrives while the panel is closed: the launcher says so in Spanish.
      await page.route(origin + "/v1/chat", async (route) => {
        await new Promise((r) => setTimeout(r, 500));
        await route.fulfill({
          status: 200,
          headers: { "Content-Type": "application/json", ...cors },
          body: JSON.stringify(replies["pierna hinchada"]),
        });
      });
      await ui.input.fill("pierna hinchada");
      await ui.input.press("Enter");
      await ui.input.press("Escape");
      await page.locator(".cb-launcher.cb-unread-urgent").waitFor({ timeout: kTimeout });
      assert.equal(await ui.launcher.getAttribute("aria-label"),
                   "Chat: Ayuda con los calambres (mensaje urgente nuevo)");
      assert.deepEqual(errors, []);
      await context.close();
    });

    await step("with <html lang=\"es\"> and no data-locale the widget's words are Spanish", async () => {
      const { context, page, chatBodies } = await openChat(hostSiteUrl({ lang: "es" }), { locale: "en-US" });
      assert.deepEqual(await widgetWords(page), { lang: ["es", "es"], ...kSpanishWords });
      assert.deepEqual(chatBodies, [{ text: "hola", locale: "es" }]);
      await context.close();
    });

    await step("an English page stays English, whatever the browser's language", async () => {
      const { context, page, ui, chatBodies } = await openChat(origin + "/", { locale: "es-ES" });
      assert.deepEqual(await widgetWords(page), { lang: ["en", "en"], ...kEnglishWords });
      assert.deepEqual(chatBodies, [{ text: "hello", locale: "en" }]);
      assert.match(await ui.botMessages.first().innerText(), /cramp/i);
      await context.close();
    });

    await step("without data-locale or <html lang>, the browser's language; one without words of its own gets English", async () => {
      let { context, page, chatBodies } = await openChat(hostSiteUrl({ lang: "" }), { locale: "es-AR" });
      assert.equal(await page.evaluate(() => navigator.language), "es-AR");
      assert.deepEqual(await widgetWords(page), { lang: ["es-AR", "es-AR"], ...kSpanishWords });
      assert.deepEqual(chatBodies, [{ text: "hola", locale: "es-AR" }]);
      await context.close();
      // French: the locale is still sent (the server decides what it answers in); the words are English.
      ({ context, page, chatBodies } = await openChat(hostSiteUrl({ lang: "" }), { locale: "fr-FR" }));
      assert.deepEqual(await widgetWords(page), { lang: ["en", "en"], ...kEnglishWords });
      assert.deepEqual(chatBodies, [{ text: "hello", locale: "fr-FR" }]);
      await context.close();
    });

    await step("a data-locale that is no language tag falls to the next source; es_MX is read as es-MX", async () => {
      let { context, page, chatBodies } = await openChat(hostSiteUrl({ lang: "es", locale: "Spanish please!" }));
      assert.deepEqual(await widgetWords(page), { lang: ["es", "es"], ...kSpanishWords });
      assert.deepEqual(chatBodies, [{ text: "hola", locale: "es" }]);
      await context.close();
      // Neither the attribute nor the page's lang is a tag: the browser's language.
      ({ context, page, chatBodies } = await openChat(hostSiteUrl({ lang: "??", locale: "und" }), { locale: "es-CO" }));
      assert.deepEqual(chatBodies, [{ text: "hola", locale: "es-CO" }]);
      await context.close();
      // An underscore and odd case are normalised; extensions are dropped.
      ({ context, page, chatBodies } = await openChat(hostSiteUrl({ locale: "ES_mx-u-ca-gregory" })));
      assert.deepEqual(chatBodies, [{ text: "hola", locale: "es-MX" }]);
      assert.deepEqual((await widgetWords(page)).lang, ["es-MX", "es-MX"]);
      await context.close();
    });

    await step("on a phone-sized screen the panel fills the screen and stays usable", async () => {
      const phone = await browser.newContext({ viewport: { width: 375, height: 667 }, isMobile: true, hasTouch: true });
      const phonePage = await phone.newPage();
      const small = widget(phonePage);
      await phonePage.goto(origin + "/");
      await small.launcher.click();
      await small.botMessages.first().waitFor({ timeout: kTimeout });
      const box = await small.panel.boundingBox();
      assert.ok(box.x >= 0 && box.x + box.width <= 375 + 0.5, JSON.stringify(box));
      assert.ok(box.width >= 370, "full width: " + box.width);
      await askAndWait(phonePage, small, "quick relief");
      const inputBox = await small.input.boundingBox();
      assert.ok(inputBox.y + inputBox.height <= 667, "the input is on screen");
      const overflow = await phonePage.evaluate(() => document.documentElement.scrollWidth);
      assert.ok(overflow <= 375, "no sideways scrolling: " + overflow);
      await phonePage.screenshot({ path: path.join(outputDir, "phone.png") });
      await phone.close();
    });
  } finally {
    await browser.close();
    hostSite.close();
    const code = await stopServer(server);
    assert.equal(code, 0, "the server exits 0");
  }
  console.log(`${results.length} checks passed; screenshots in ${outputDir}`);
}

main().catch((error) => {
  console.error("FAIL: " + (error && error.stack ? error.stack : error));
  process.exit(1);
});
