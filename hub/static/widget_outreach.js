// Zuoxi widget proactive outreach: tell the hub which page the customer is on and for
// how long ("page"); when a trigger of the hub's outreach file fires ("outreach"),
// show its message in a card and ask the embedding page (static/embed.js) to open the
// widget. The focus stays where the customer has it (the card is announced through a
// polite live region); the card never closes by itself and Escape or "Close" puts it
// away. Easy mode keeps only the message and "Close" (its big buttons are on screen).
// The hub keeps the record, so a reload never shows the same trigger again too soon.
// #chat[data-outreach] = none | shown | closed; data-page-noted = sent (a report is
// on its way), wait:<s> (report again then), final (nothing can fire on this page)
// or outreach (one did).
"use strict";

(() => {
  const MAX_URL_CHARS = 2048;
  const MIN_RECHECK_S = 1;
  const TEXT = {
    en: {
      region: "A message for you",
      reply: "Reply",
      call: "Call us",
      close: "Close",
      close_label: "Close this message",
    },
    zh: {
      region: "给您的消息",
      reply: "回复",
      call: "给我们打电话",
      close: "关闭",
      close_label: "关闭此消息",
    },
  };

  const widget = window.zuoxiWidget; // set by widget.js
  const root = document.getElementById("chat");
  if (!widget || !root) return;
  const words = TEXT[widget.lang] || TEXT.en;
  const framed = window.parent !== window;

  // ---- the card ------------------------------------------------------------------------

  const card = document.createElement("section");
  card.id = "outreach";
  card.className = "outreach";
  card.setAttribute("aria-label", words.region);
  card.hidden = true;
  const text = document.createElement("p");
  text.id = "outreach-text";
  text.className = "outreach-text";
  const actions = document.createElement("div");
  actions.className = "outreach-actions";
  const reply = button("outreach-reply", "send-btn", words.reply);
  const call = button("outreach-call", "send-btn", words.call);
  const close = button("outreach-close", "outreach-close", words.close);
  close.setAttribute("aria-label", words.close_label);
  actions.append(reply, call, close);
  card.append(text, actions);
  // Present from the start, so screen readers track it (content added later is read).
  const announce = document.createElement("p");
  announce.id = "outreach-announce";
  announce.className = "visually-hidden";
  announce.setAttribute("role", "status");
  announce.setAttribute("aria-live", "polite");
  root.insertBefore(card, document.getElementById("scroller"));
  root.insertBefore(announce, card);
  root.dataset.outreach = "none";

  function button(id, className, label) {
    const b = document.createElement("button");
    b.type = "button";
    b.id = id;
    b.className = className;
    b.textContent = label;
    return b;
  }

  function show(frame) {
    const offer = frame.offer === "call" ? "call" : "chat";
    text.textContent = String(frame.text || "");
    card.dataset.offer = offer;
    const easy = widget.easy();
    reply.hidden = easy || offer !== "chat";
    call.hidden = easy || offer !== "call";
    card.hidden = false;
    root.dataset.outreach = "shown";
    announce.textContent = String(frame.text || "");
    openEmbedding();
  }

  function hide() {
    const hadFocus = card.contains(document.activeElement);
    card.hidden = true;
    announce.textContent = "";
    root.dataset.outreach = "closed";
    if (hadFocus) document.getElementById("text")?.focus();
  }

  reply.addEventListener("click", () => {
    hide();
    document.getElementById("text")?.focus();
  });
  call.addEventListener("click", () => {
    hide();
    const start = document.getElementById("call");
    if (start && !start.disabled) start.click();
  });
  close.addEventListener("click", hide);
  card.addEventListener("keydown", (event) => {
    if (event.key === "Escape") {
      event.preventDefault();
      hide();
    }
  });

  /** Ask the page around the widget (static/embed.js) to show it; the message says
   * nothing about the customer, and the page decides. */
  function openEmbedding() {
    if (framed) window.parent.postMessage({ zuoxi: "open" }, "*");
  }

  // ---- the page and the time on it --------------------------------------------------

  const page = {
    url: framed ? null : window.location.href,
    // When the customer arrived on the page (this clock).
    since: Date.now() - Math.round(performance.now()),
    timer: 0,
  };

  function seconds() {
    return Math.max(0, Math.floor((Date.now() - page.since) / 1000));
  }

  function report() {
    clearTimeout(page.timer);
    if (!page.url || !widget.online()) return;
    const url = page.url.slice(0, MAX_URL_CHARS);
    if (widget.send({ type: "page", url, seconds: seconds(), lang: widget.lang })) {
      root.dataset.pageNoted = "sent";
    }
  }

  function noted(frame) {
    clearTimeout(page.timer);
    const wait = Number(frame.recheck_s);
    if (frame.recheck_s === null || frame.recheck_s === undefined || !(wait >= 0)) {
      root.dataset.pageNoted = "final";
      return;
    }
    root.dataset.pageNoted = `wait:${wait}`;
    const url = page.url;
    page.timer = setTimeout(() => {
      if (page.url === url) report();
    }, Math.max(MIN_RECHECK_S, wait) * 1000 + 200);
  }

  if (framed) {
    window.addEventListener("message", (event) => {
      if (event.source !== window.parent) return;
      const data = event.data;
      if (!data || data.zuoxi !== "page" || typeof data.url !== "string") return;
      if (!/^https?:\/\//.test(data.url)) return;
      const spent = Number(data.on_page_ms);
      const changed = data.url !== page.url;
      page.url = data.url;
      if (changed) {
        page.since = Date.now() - (spent >= 0 && spent < 7 * 86400e3 ? spent : 0);
        report();
      }
    });
    // The page around us tells us its URL once we ask (static/embed.js).
    window.parent.postMessage({ zuoxi: "ready" }, "*");
  }

  widget.onOutreachFrame = (frame) => {
    if (frame.type === "page_noted") return noted(frame);
    if (frame.type !== "outreach") return undefined;
    clearTimeout(page.timer);
    root.dataset.pageNoted = "outreach";
    if (frame.conversation_id) {
      // An agent reached out: the message is in the chat already (and announced by
      // its live log); only the page around the widget needs to open it.
      openEmbedding();
      return undefined;
    }
    return show(frame);
  };
  // Every (re)connection reports the page again: the hub decides from its record.
  widget.onOutreachWelcome = () => report();
})();
