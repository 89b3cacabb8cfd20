// crampbot chat widget. One tag puts a chat launcher on any page:
//   <script src="https://HOST/widget.js" data-endpoint="https://HOST/v1/chat" defer></script>
// data-endpoint (optional) is resolved against this script's own URL, so "/v1/chat" (the default) means the
// server that served the script. Optional: data-title (the panel's heading), data-open="true" (open at
// load), data-locale (a language tag such as "es-MX"; else the page's <html lang>, else the browser's
// language, else "en"). The locale goes with every question, so the server can answer in it, and picks the
// widget's own words (English or Spanish; other languages get English). The page's origin must be in the
// server's server.cors_origins when it is not the server itself.
// Under each answer (not the greeting, not an urgent one) "Was this helpful?" posts a thumbs up or down to
// /v1/feedback beside the chat endpoint (data-feedback-endpoint to change it), with the answer's own token.
//
// Privacy: no cookies, no third-party requests; the only thing kept is the conversation's session token, in
// sessionStorage (gone when the tab closes); a feedback vote sends only that answer's token and yes or no.
// All text is inserted as text, never as HTML.
(function () {
  "use strict";

  const script = document.currentScript;
  if (!script || window.crampbotWidget) return;  // one widget per page, however many tags
  window.crampbotWidget = {};

  const scriptUrl = new URL(script.src, document.baseURI);
  const endpoint = new URL(script.dataset.endpoint || "/v1/chat", scriptUrl).href;
  const feedbackEndpoint = new URL(script.dataset.feedbackEndpoint || "feedback", endpoint).href;
  const stylesheet = new URL("widget.css", scriptUrl).href;
  const openAtLoad = script.dataset.open === "true";
  const storageKey = "crampbot.session:" + endpoint;
  const requestTimeoutMs = 15000;
  const maxLength = 500;

  // The widget's own words, by language. A locale's region falls back to its language ("es-MX" → "es"), a
  // language not here to English. Spanish is neutral and addresses the user as usted. (Accents are written
  // as escapes, so they arrive intact whatever charset a copy of this file is served with.)
  const strings = {
    en: {
      title: "Leg cramp helper",
      launcher: (title) => "Chat: " + title,
      newMessage: " (new message)",
      newUrgentMessage: " (new urgent message)",
      close: "Close chat",
      conversation: "Conversation",
      inputLabel: "Your question",
      placeholder: "Ask about leg cramps\u2026",
      send: "Send",
      footer: "General information, not medical advice. In an emergency, call your local emergency number.",
      chips: "Suggested questions",
      you: "You: ",
      assistant: "Assistant: ",
      note: "Note: ",
      feedbackGroup: "Was this answer helpful?",
      feedbackQuestion: "Was this helpful?",
      helpfulYes: "Yes, this was helpful",
      helpfulNo: "No, this was not helpful",
      feedbackThanks: "Thanks for your feedback.",
      feedbackFailed: "Sorry, your feedback couldn't be sent. Please try again.",
      urgentLabel: "Get medical help",
      urgentAnnouncement: "Urgent: get medical help. The answer is in the conversation.",
      source: "Source: ",
      sources: "Sources: ",
      newTab: " (opens in a new tab)",
      retry: "Try again",
      typing: "The assistant is typing\u2026",
      unreadable: "Sorry, I couldn't read that message. Please try a shorter question.",
      unanswerable: "Sorry, that message couldn't be answered.",
      unreachable: "I can't reach the assistant right now. Check your connection, then try again.",
      greeting: "hello",  // sent, unseen, when the panel first opens
    },
    es: {
      title: "Ayuda con los calambres",
      launcher: (title) => "Chat: " + title,
      newMessage: " (mensaje nuevo)",
      newUrgentMessage: " (mensaje urgente nuevo)",
      close: "Cerrar el chat",
      conversation: "Conversaci\u00f3n",
      inputLabel: "Su pregunta",
      placeholder: "Pregunte sobre los calambres en las piernas\u2026",
      send: "Enviar",
      footer:
        "Informaci\u00f3n general, no consejo m\u00e9dico. En una emergencia, llame al n\u00famero de " +
        "emergencias de su zona.",
      chips: "Preguntas sugeridas",
      you: "Usted: ",
      assistant: "Asistente: ",
      note: "Nota: ",
      feedbackGroup: "\u00bfLe result\u00f3 \u00fatil esta respuesta?",
      feedbackQuestion: "\u00bfLe result\u00f3 \u00fatil?",
      helpfulYes: "S\u00ed, me result\u00f3 \u00fatil",
      helpfulNo: "No, no me result\u00f3 \u00fatil",
      feedbackThanks: "Gracias por su opini\u00f3n.",
      feedbackFailed: "Lo sentimos, no se pudo enviar su opini\u00f3n. Int\u00e9ntelo de nuevo.",
      urgentLabel: "Buscar ayuda m\u00e9dica",
      urgentAnnouncement:
        "Urgente: busque ayuda m\u00e9dica. La respuesta est\u00e1 en la conversaci\u00f3n.",
      source: "Fuente: ",
      sources: "Fuentes: ",
      newTab: " (se abre en una pesta\u00f1a nueva)",
      retry: "Intentar de nuevo",
      typing: "El asistente est\u00e1 escribiendo\u2026",
      unreadable: "Lo sentimos, no se pudo leer ese mensaje. Pruebe con una pregunta m\u00e1s corta.",
      unanswerable: "Lo sentimos, no se pudo responder a ese mensaje.",
      unreachable:
        "Ahora mismo no es posible comunicarse con el asistente. Verifique su conexi\u00f3n e " +
        "int\u00e9ntelo de nuevo.",
      greeting: "hola",
    },
  };

  // `value` as a BCP 47 tag of language, script and region ("es_MX" → "es-MX", "EN-gb" → "en-GB";
  // variants, extensions and private use are dropped: the server needs none of them), or "" when it is not
  // one ("und", the undetermined language, is not one either).
  function languageTag(value) {
    if (typeof value !== "string") return "";
    const sent = value.trim().replace(/_/g, "-");
    if (!sent || sent.length > 64) return "";
    try {
      const found = new Intl.Locale(Intl.getCanonicalLocales(sent)[0]);
      if (found.language === "und") return "";
      return [found.language, found.script, found.region].filter(Boolean).join("-");
    } catch (e) {
      return "";  // not a language tag (RangeError), or no Intl.Locale
    }
  }

  // The first usable of: the tag's data-locale, the page's <html lang>, the browser's language; else "en".
  const localeSources = [script.dataset.locale, document.documentElement.lang, navigator.language];
  const locale = localeSources.map(languageTag).find(Boolean) || "en";
  const localeLanguage = locale.split("-")[0];
  const language = Object.prototype.hasOwnProperty.call(strings, localeLanguage) ? localeLanguage : "en";
  const t = strings[language];
  // The language of the widget's own words, for screen readers: the locale when the words are in its
  // language ("es-MX"), else the language of the words ("en" on a French page).
  const uiLang = language === localeLanguage ? locale : language;
  const title = script.dataset.title || t.title;

  // sessionStorage may be missing or throw (sandboxed frames, strict privacy settings): the conversation
  // then lives in memory only.
  const session = {
    memory: "",
    // The token of this page's last reply wins; storage carries it across pages of one tab.
    get() {
      if (this.memory) return this.memory;
      try {
        return window.sessionStorage.getItem(storageKey) || "";
      } catch (e) {
        return "";
      }
    },
    set(token) {
      this.memory = token;
      try {
        window.sessionStorage.setItem(storageKey, token);
      } catch (e) {
        /* memory only */
      }
    },
  };

  function element(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function chatIcon() {
    const ns = "http://www.w3.org/2000/svg";
    const svg = document.createElementNS(ns, "svg");
    svg.setAttribute("viewBox", "0 0 24 24");
    svg.setAttribute("aria-hidden", "true");
    svg.setAttribute("focusable", "false");
    const path = document.createElementNS(ns, "path");
    path.setAttribute(
      "d",
      "M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H9l-5 4v-4a2 2 0 0 1-2-2V6a2 2 0 0 1 2-2z",
    );
    svg.appendChild(path);
    return svg;
  }

  // A thumb up, or down (the same turned over): drawn, not an emoji, which some systems lack a font for.
  function thumbIcon(up) {
    const ns = "http://www.w3.org/2000/svg";
    const svg = document.createElementNS(ns, "svg");
    svg.setAttribute("viewBox", "0 0 24 24");
    svg.setAttribute("aria-hidden", "true");
    svg.setAttribute("focusable", "false");
    const shape = document.createElementNS(ns, "path");
    shape.setAttribute(
      "d",
      "M2 10h4v11H2z M8 10l4-7c1.2 0 2 .9 2 2v3h5a2 2 0 0 1 2 2.3l-1.3 7A2 2 0 0 1 17.7 21H8z",
    );
    if (!up) shape.setAttribute("transform", "rotate(180 12 12)");
    svg.appendChild(shape);
    return svg;
  }

  function build() {
    const host = element("div");
    host.id = "crampbot-widget";
    host.lang = uiLang;
    const root = host.attachShadow({ mode: "open" });

    const link = element("link");
    link.rel = "stylesheet";
    link.href = stylesheet;
    root.appendChild(link);

    const frame = element("div", "cb-root");
    frame.lang = uiLang;
    // Hidden until the styles arrive, so the page never shows an unstyled widget.
    frame.hidden = true;
    link.addEventListener("load", () => (frame.hidden = false));
    link.addEventListener("error", () => (frame.hidden = false));
    root.appendChild(frame);

    const launcher = element("button", "cb-launcher");
    launcher.type = "button";
    launcher.setAttribute("aria-label", t.launcher(title));
    launcher.setAttribute("aria-expanded", "false");
    launcher.setAttribute("aria-controls", "cb-panel");
    launcher.appendChild(chatIcon());
    frame.appendChild(launcher);

    const panel = element("section", "cb-panel");
    panel.id = "cb-panel";
    panel.setAttribute("role", "dialog");
    panel.setAttribute("aria-modal", "false");
    panel.setAttribute("aria-labelledby", "cb-title");
    panel.hidden = true;

    const header = element("header", "cb-header");
    const heading = element("h2", "cb-title", title);
    heading.id = "cb-title";
    const close = element("button", "cb-close", "\u00d7");
    close.type = "button";
    close.setAttribute("aria-label", t.close);
    header.append(heading, close);

    const log = element("div", "cb-log");
    log.setAttribute("role", "log");
    log.setAttribute("aria-live", "polite");
    log.setAttribute("aria-label", t.conversation);
    log.tabIndex = 0;

    const form = element("form", "cb-form");
    const label = element("label", "cb-visually-hidden", t.inputLabel);
    label.htmlFor = "cb-input";
    const input = element("input", "cb-input");
    input.id = "cb-input";
    input.type = "text";
    input.autocomplete = "off";
    input.maxLength = maxLength;
    input.placeholder = t.placeholder;
    input.setAttribute("enterkeyhint", "send");
    const send = element("button", "cb-send", t.send);
    send.type = "submit";
    form.append(label, input, send);

    const footer = element("p", "cb-footer", t.footer);

    // Quick replies live between the conversation and the input, outside the log, so a screen reader does
    // not read every chip after every answer.
    const chips = element("div", "cb-chips");
    chips.setAttribute("role", "group");
    chips.setAttribute("aria-label", t.chips);

    // Urgent answers are also announced at once, in a few words, here (the log reads the answer itself).
    const alert = element("div", "cb-visually-hidden cb-alert");
    alert.setAttribute("role", "alert");

    panel.append(header, log, chips, form, footer, alert);
    frame.appendChild(panel);
    return { root, frame, host, launcher, panel, close, log, chips, alert, form, input, send };
  }

  function start() {
    const ui = build();
    document.body.appendChild(ui.host);
    let busy = false;
    let greeted = false;

    function scrollToEnd() {
      ui.log.scrollTop = ui.log.scrollHeight;
    }

    function removeAll(selector) {
      ui.log.querySelectorAll(selector).forEach((node) => node.remove());
    }

    function addUserMessage(text) {
      const bubble = element("div", "cb-msg cb-user");
      bubble.appendChild(element("span", "cb-visually-hidden", t.you));
      bubble.appendChild(element("p", "cb-text", text));
      ui.log.appendChild(bubble);
      scrollToEnd();
    }

    // "Was this helpful?" with a thumbs up and down, for the answer that came with `token`. One vote: once
    // the server has it, both buttons stay pressed or not and do nothing more; the buttons keep the focus.
    function addFeedback(bubble, token) {
      const group = element("div", "cb-feedback");
      group.setAttribute("role", "group");
      group.setAttribute("aria-label", t.feedbackGroup);
      const question = element("span", "cb-feedback-question", t.feedbackQuestion);
      question.setAttribute("aria-hidden", "true");  // the group's label says it
      const buttons = [
        [true, t.helpfulYes],
        [false, t.helpfulNo],
      ].map(([helpful, label]) => {
        const button = element("button", "cb-vote " + (helpful ? "cb-vote-up" : "cb-vote-down"));
        button.type = "button";
        button.setAttribute("aria-label", label);
        button.setAttribute("aria-pressed", "false");
        button.appendChild(thumbIcon(helpful));
        button.addEventListener("click", () => vote(helpful, button));
        return button;
      });
      // Polite: read after whatever the user is doing.
      const status = element("span", "cb-feedback-status");
      status.setAttribute("role", "status");
      group.append(question, ...buttons, status);
      bubble.appendChild(group);

      let state = "open";  // open → sending → sent
      async function vote(helpful, button) {
        if (state !== "open") return;
        state = "sending";
        buttons.forEach((b) => b.setAttribute("aria-disabled", "true"));
        let sent = false;
        try {
          const response = await fetch(feedbackEndpoint, {
            method: "POST",
            headers: { "Content-Type": "application/json" },
            body: JSON.stringify({ session: token, helpful }),
            credentials: "omit",
            mode: "cors",
          });
          sent = response.ok || response.status === 409;  // 409: counted already (a retry)
        } catch (e) {
          sent = false;
        }
        if (sent) {
          state = "sent";
          button.setAttribute("aria-pressed", "true");
          group.classList.add("cb-voted");
          status.textContent = t.feedbackThanks;
        } else {
          state = "open";
          buttons.forEach((b) => b.removeAttribute("aria-disabled"));
          status.textContent = t.feedbackFailed;
        }
      }
    }

    function addReply(reply, options) {
      const urgent = reply.urgent === true;
      const bubble = element("div", "cb-msg cb-bot" + (urgent ? " cb-urgent" : ""));
      bubble.appendChild(element("span", "cb-visually-hidden", t.assistant));
      if (urgent) {
        const flag = element("p", "cb-urgent-label");
        flag.append(element("span", "cb-urgent-icon", "!"), document.createTextNode(" " + t.urgentLabel));
        flag.firstChild.setAttribute("aria-hidden", "true");
        bubble.appendChild(flag);
      }
      // The reply's own words are in the locale that answered, which may not be the widget's: mark them so.
      const replyLang = languageTag(reply.locale);
      const inReplyLang = (node) => {
        if (replyLang && replyLang !== uiLang) node.lang = replyLang;
        return node;
      };
      // The reply's text ends with its caveat; show the caveat apart, smaller, so it is read but does not
      // drown the answer.
      let text = typeof reply.text === "string" ? reply.text : "";
      const caveat = typeof reply.caveat === "string" ? reply.caveat : "";
      if (caveat && text.endsWith(caveat)) text = text.slice(0, text.length - caveat.length).trimEnd();
      for (const paragraph of text.split(/\n{2,}/)) {
        if (paragraph.trim()) bubble.appendChild(inReplyLang(element("p", "cb-text", paragraph.trim())));
      }
      // Where the facts come from, as links that open in a new tab, between the answer and its caveat. Only
      // https links with a title are shown: the reply is data, never markup.
      const sources = (Array.isArray(reply.sources) ? reply.sources : []).filter(
        (s) => s && typeof s.title === "string" && typeof s.url === "string" && s.url.startsWith("https://"));
      if (sources.length) {
        const line = element("p", "cb-sources", sources.length === 1 ? t.source : t.sources);
        sources.forEach((source, i) => {
          if (i) line.appendChild(document.createTextNode("; "));
          const link = inReplyLang(element("a", "cb-source", source.title));
          link.href = source.url;
          link.target = "_blank";
          link.rel = "noopener noreferrer";
          link.setAttribute("aria-label", source.title + t.newTab);
          line.appendChild(link);
        });
        bubble.appendChild(line);
      }
      if (caveat) {
        const note = element("p", "cb-caveat");
        note.append(element("span", "cb-visually-hidden", t.note), inReplyLang(element("span", "", caveat)));
        bubble.appendChild(note);
      }
      const rateable = !urgent && !(options && options.greeting) && typeof reply.session === "string";
      if (rateable) addFeedback(bubble, reply.session);
      ui.log.appendChild(bubble);

      const suggestions = Array.isArray(reply.suggestions) ? reply.suggestions : [];
      for (const suggestion of suggestions) {
        if (typeof suggestion !== "string") continue;
        const chip = inReplyLang(element("button", "cb-chip", suggestion));
        chip.type = "button";
        chip.addEventListener("click", () => ask(suggestion));
        ui.chips.appendChild(chip);
      }
      if (urgent) announce(t.urgentAnnouncement);
      if (ui.panel.hidden) markUnread(urgent);
      // A long answer is read from its start (an urgent one begins with its warning): show its top, or the
      // end when the whole of it fits.
      showStartOf(bubble);
    }

    // Scrolls the log to show `bubble` from its top, or to the end when the whole of it fits.
    function showStartOf(bubble) {
      const fromTop = bubble.offsetTop - ui.log.offsetTop - 8;
      ui.log.scrollTop = Math.min(fromTop, ui.log.scrollHeight - ui.log.clientHeight);
    }

    function announce(text) {
      // A change of text is what makes the region speak: clear it first so a repeat is announced too.
      ui.alert.textContent = "";
      setTimeout(() => (ui.alert.textContent = text), 50);
    }

    // A reply that arrived while the panel was closed shows on the launcher until the panel opens.
    function markUnread(urgent) {
      ui.launcher.classList.add(urgent ? "cb-unread-urgent" : "cb-unread");
      const what = urgent ? t.newUrgentMessage : t.newMessage;
      ui.launcher.setAttribute("aria-label", t.launcher(title) + what);
    }

    function clearUnread() {
      ui.launcher.classList.remove("cb-unread", "cb-unread-urgent");
      ui.launcher.setAttribute("aria-label", t.launcher(title));
    }

    // Before removing `node`: if the keyboard focus is in it, move it to the input, so a keyboard user
    // who pressed a chip or "Try again" stays in the chat.
    function keepFocusOutOf(node) {
      const active = ui.root.activeElement;
      if (active && node.contains(active)) ui.input.focus();
    }

    // A problem to show; with `retryText`, a "Try again" that asks it again as `retryOptions` said (silent,
    // since its bubble is already there; the greeting stays a greeting).
    function addProblem(message, retryText, retryOptions) {
      const bubble = element("div", "cb-msg cb-bot cb-problem");
      bubble.appendChild(element("p", "cb-text", message));
      if (retryText !== undefined) {
        const retry = element("button", "cb-retry", t.retry);
        retry.type = "button";
        retry.addEventListener("click", () => {
          if (busy) return;
          keepFocusOutOf(bubble);
          bubble.remove();
          ask(retryText, { ...retryOptions, silent: true });
        });
        bubble.appendChild(retry);
      }
      ui.log.appendChild(bubble);
      scrollToEnd();
    }

    function showTyping() {
      const typing = element("div", "cb-msg cb-bot cb-typing");
      typing.appendChild(element("span", "cb-visually-hidden", t.typing));
      const dots = element("span", "cb-dots");
      dots.setAttribute("aria-hidden", "true");
      dots.append(element("span"), element("span"), element("span"));
      typing.appendChild(dots);
      ui.log.appendChild(typing);
      scrollToEnd();
    }

    function setBusy(value) {
      busy = value;
      ui.send.disabled = value;
      ui.log.setAttribute("aria-busy", value ? "true" : "false");
      ui.panel.querySelectorAll(".cb-chip, .cb-retry").forEach((button) => (button.disabled = value));
    }

    // Sends one utterance and shows the reply; `silent` leaves out the user's bubble (the greeting, a retry);
    // `greeting` marks the opening exchange, which asks for no feedback.
    async function ask(text, options) {
      const utterance = String(text).trim().slice(0, maxLength);
      if (!utterance || busy) return;
      const silent = options && options.silent;
      keepFocusOutOf(ui.chips);
      ui.chips.replaceChildren();
      if (!silent) addUserMessage(utterance);
      setBusy(true);
      showTyping();
      const controller = new AbortController();
      const timer = setTimeout(() => controller.abort(), requestTimeoutMs);
      let outcome;
      try {
        const body = { text: utterance, locale };
        const token = session.get();
        if (token) body.session = token;
        const response = await fetch(endpoint, {
          method: "POST",
          headers: { "Content-Type": "application/json" },
          body: JSON.stringify(body),
          credentials: "omit",
          mode: "cors",
          signal: controller.signal,
        });
        if (response.ok) {
          outcome = { reply: await response.json() };
        } else if (response.status >= 500 || response.status === 408 || response.status === 429) {
          outcome = { unreachable: true };
        } else {
          outcome = {
            problem:
              response.status === 413 || response.status === 400 ? t.unreadable : t.unanswerable,
          };
        }
      } catch (e) {
        outcome = { unreachable: true };  // offline, refused, timed out or not allowed by CORS
      } finally {
        clearTimeout(timer);
      }
      removeAll(".cb-typing");
      setBusy(false);
      if (outcome.reply) {
        if (typeof outcome.reply.session === "string") session.set(outcome.reply.session);
        addReply(outcome.reply, options);
      } else if (outcome.unreachable) {
        addProblem(t.unreachable, utterance, options);
      } else {
        addProblem(outcome.problem);
      }
    }

    function open() {
      ui.panel.hidden = false;
      ui.frame.classList.add("cb-open");
      ui.launcher.setAttribute("aria-expanded", "true");
      clearUnread();
      // What arrived while closed could not be scrolled to: show the latest answer from its start.
      const answers = ui.log.querySelectorAll(".cb-bot:not(.cb-typing)");
      if (answers.length > 0) showStartOf(answers[answers.length - 1]);
      ui.input.focus();
      if (!greeted) {
        greeted = true;
        ask(t.greeting, { silent: true, greeting: true });
      }
    }

    function close() {
      ui.panel.hidden = true;
      ui.frame.classList.remove("cb-open");
      ui.launcher.setAttribute("aria-expanded", "false");
      ui.launcher.focus();
    }

    ui.launcher.addEventListener("click", () => (ui.panel.hidden ? open() : close()));
    ui.close.addEventListener("click", close);
    ui.panel.addEventListener("keydown", (event) => {
      if (event.key === "Escape") {
        event.preventDefault();
        close();
      }
    });
    ui.form.addEventListener("submit", (event) => {
      event.preventDefault();
      if (busy) return;
      const text = ui.input.value;
      if (!text.trim()) return;
      ui.input.value = "";
      ask(text);
      ui.input.focus();
    });

    Object.assign(window.crampbotWidget, { open, close, ask });
    if (openAtLoad) open();
  }

  if (document.body) {
    start();
  } else {
    document.addEventListener("DOMContentLoaded", start, { once: true });
  }
})();
