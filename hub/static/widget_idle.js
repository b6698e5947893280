// Zuoxi widget idle prompt: in an open chat with no activity (keys, clicks, new
// messages) for the hub's idle_prompt_s, ask "Are you still there?"; without an
// answer for idle_close_s more, end the chat. Easy mode never asks and never ends.
// #chat[data-idle] says what the last check decided (off | watching | prompt |
// exempt) and data-idle-quiet-ms how long the chat had been quiet then.
"use strict";

(() => {
  const CHECK_MS = 250;
  const TEXT = {
    en: {
      prompt: "Are you still there? This chat will end in {time} unless you answer.",
      stay: "I'm still here",
      ended: "The chat ended after a time without activity.",
      seconds: "{n} seconds", minutes: "{n} minutes", second: "1 second", minute: "1 minute",
    },
    zh: {
      prompt: "您还在吗？如果没有回应，本对话将在 {time}后结束。",
      stay: "我还在",
      ended: "由于长时间没有操作，对话已结束。",
      seconds: "{n} 秒", minutes: "{n} 分钟", second: "1 秒", minute: "1 分钟",
    },
  };

  const widget = window.zuoxiWidget; // set by widget.js
  const root = document.getElementById("chat");
  if (!widget || !root) return;
  const words = TEXT[widget.lang] || TEXT.en;
  const t = (key, vars = {}) => {
    let text = words[key];
    for (const [k, v] of Object.entries(vars)) text = text.replaceAll(`{${k}}`, String(v));
    return text;
  };

  const prompt = document.createElement("div");
  prompt.id = "idle-prompt";
  prompt.className = "idle-prompt";
  prompt.setAttribute("role", "alert");
  prompt.hidden = true;
  const text = document.createElement("p");
  text.id = "idle-prompt-text";
  const stay = document.createElement("button");
  stay.type = "button";
  stay.id = "idle-stay";
  stay.className = "send-btn";
  stay.textContent = t("stay");
  prompt.append(text, stay);
  root.insertBefore(prompt, document.getElementById("composer"));

  let lastActive = Date.now();
  let promptedAt = 0;
  let conversation = null;

  function duration(seconds) {
    const [n, unit] = seconds >= 60 ? [Math.round(seconds / 60), "minute"] : [Math.round(seconds), "second"];
    return n === 1 ? t(unit) : t(`${unit}s`, { n });
  }

  function active() {
    lastActive = Date.now();
    if (promptedAt) hidePrompt();
  }

  function hidePrompt() {
    const hadFocus = prompt.contains(document.activeElement);
    promptedAt = 0;
    prompt.hidden = true;
    if (hadFocus) document.getElementById("text")?.focus();
  }

  function showPrompt(closeS) {
    promptedAt = Date.now();
    text.textContent = t("prompt", { time: duration(closeS) });
    prompt.hidden = false;
    stay.focus({ preventScroll: true });
  }

  function endChat(id) {
    hidePrompt();
    const notice = document.createElement("li");
    notice.className = "notice";
    notice.dataset.kind = "idle";
    notice.dataset.ts = String(Date.now());
    notice.textContent = t("ended");
    widget.insert(notice);
    widget.send({ type: "close", conversation_id: id });
  }

  function check() {
    const id = widget.conversationId();
    if (id !== conversation) { // a new chat (or none): its quiet time starts now
      conversation = id;
      active();
    }
    const { prompt_s: promptS, close_s: closeS } = widget.idle;
    const quiet = Date.now() - lastActive;
    root.dataset.idleQuietMs = String(quiet);
    if (!id || !promptS || !widget.online()) {
      root.dataset.idle = "off";
      if (promptedAt) hidePrompt();
      return;
    }
    if (widget.easy()) { // no timeout: the customer takes all the time they need
      root.dataset.idle = "exempt";
      if (promptedAt) hidePrompt();
      return;
    }
    if (!promptedAt && quiet >= promptS * 1000) showPrompt(closeS);
    if (promptedAt && closeS && Date.now() - promptedAt >= closeS * 1000) endChat(id);
    root.dataset.idle = promptedAt ? "prompt" : "watching";
  }

  for (const type of ["keydown", "pointerdown", "input"]) {
    document.addEventListener(type, active, { capture: true, passive: true });
  }
  const log = document.getElementById("log");
  if (log) new MutationObserver(active).observe(log, { childList: true });
  stay.addEventListener("click", active);
  setInterval(check, CHECK_MS);
})();
