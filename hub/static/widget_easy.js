// Zuoxi widget easy mode (适老化 / 长辈模式): one switch on the first screen turns on
// large type, high contrast, fewer choices (no topic or contact fields, no related
// articles) and one big "Talk to a person" action; nothing closes by itself (no
// idle prompt, error banners stay until dismissed). Remembered in localStorage; the
// hub learns it from the hello ("easy": a person first, hub/selfservice).
"use strict";

(() => {
  const STORE_KEY = "zuoxi.easy";
  const TEXT = {
    en: {
      switch_label: "Easy mode",
      switch_hint: "Larger text, fewer choices, a person first",
      on: "On", off: "Off",
      person: "Talk to a person",
      person_hint: "A member of our team will answer you in this chat.",
      ask_text: "I would like to talk to a person",
      intro: "Write your question below, or press the big button to talk to a person. "
        + "Take your time: this chat does not time out.",
      turned_on: "Easy mode is on.",
      turned_off: "Easy mode is off.",
    },
    zh: {
      switch_label: "长辈模式",
      switch_hint: "大字体、选项少、优先人工服务",
      on: "已开启", off: "已关闭",
      person: "找人工客服",
      person_hint: "客服人员会在本对话中为您解答。",
      ask_text: "我要找人工客服",
      intro: "请在下方输入您的问题，或按上面的大按钮找人工客服。不用着急，本对话不会超时。",
      turned_on: "长辈模式已开启。",
      turned_off: "长辈模式已关闭。",
    },
  };

  const widget = window.zuoxiWidget; // set by widget.js
  if (!widget) return;
  const words = TEXT[widget.lang] || TEXT.en;
  const el = (id) => document.getElementById(id);
  const ui = {
    root: el("chat"), toggle: el("easy-switch"), label: el("easy-switch-label"),
    value: el("easy-switch-value"), hint: el("easy-switch-hint"), panel: el("easy-actions"),
    person: el("easy-person"), personHint: el("easy-person-hint"), intro: el("easy-intro"),
    botPerson: el("talk-to-person"), announce: el("easy-announce"),
  };
  if (!ui.toggle || !ui.panel || !ui.person) return;

  function stored() {
    try { return window.localStorage.getItem(STORE_KEY) === "1"; } catch { return false; }
  }

  function remember(on) {
    try { window.localStorage.setItem(STORE_KEY, on ? "1" : "0"); } catch { /* memory only */ }
  }

  let easy = stored();

  /** Show the big action only while it can bring a person: before a chat, or while the bot holds it. */
  function render() {
    document.documentElement.dataset.easy = easy ? "on" : "off";
    ui.toggle.setAttribute("aria-checked", String(easy));
    ui.value.textContent = easy ? words.on : words.off;
    const conversation = widget.conversationId();
    const botHolds = ui.botPerson && !ui.botPerson.hidden && !ui.botPerson.disabled;
    const useful = !conversation || botHolds;
    ui.panel.hidden = !easy || !useful;
    ui.intro.hidden = !easy;
    ui.person.disabled = !widget.online();
  }

  function setEasy(on) {
    easy = on;
    remember(on);
    render();
    ui.announce.textContent = on ? words.turned_on : words.turned_off;
    widget.rehello(); // the hub routes the next chat by it
  }

  function askPerson() {
    if (!widget.online()) return;
    const botHolds = ui.botPerson && !ui.botPerson.hidden && !ui.botPerson.disabled;
    if (botHolds) ui.botPerson.click();
    else if (!widget.conversationId()) widget.sendText(words.ask_text);
    el("text")?.focus(); // the big button goes away once a person is on the way
  }

  widget.easy = () => easy;
  ui.label.textContent = words.switch_label;
  ui.hint.textContent = words.switch_hint;
  ui.person.textContent = words.person;
  ui.personHint.textContent = words.person_hint;
  ui.intro.textContent = words.intro;
  ui.toggle.addEventListener("click", () => setEasy(!easy));
  ui.person.addEventListener("click", askPerson);
  // The chat's state lives in widget.js: follow what it shows.
  const watch = new MutationObserver(render);
  watch.observe(ui.root, { attributes: true, attributeFilter: ["data-conversation-id", "data-connection"] });
  if (ui.botPerson) watch.observe(ui.botPerson, { attributes: true, attributeFilter: ["hidden", "disabled"] });
  render();
})();
