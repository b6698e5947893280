// Zuoxi widget self-service: the bot's answers from the knowledge base ("bot" frames,
// core/protocol/customer.py BotReply), "Did this answer your question?", related
// articles, "read more", and the "Talk to a person" button. The hub sends codes;
// the words are here. Article text is shown as plain text.
"use strict";

(() => {
  const hooks = window.zuoxiWidget;
  if (!hooks) return;
  const TEXT = {
    en: {
      talk_to_person: "Talk to a person",
      helpful: "Did this answer your question?",
      yes: "Yes", no: "No",
      read_more: "Read more: {title}",
      hide_article: "Show less",
      related: "Related articles",
      glad: "Glad it helped! Ask another question any time.",
      rephrase: "Sorry about that. Could you say it in other words? Or talk to a person.",
      handoff_asked: "Bringing a person to help you. Please wait a moment.",
      handoff_declined: "Sorry those answers did not help. A person will take over now.",
      handoff_no_answer: "I could not find an answer to that. A person will help you shortly.",
      handoff_sentiment: "I am sorry for the trouble. A person will take over right away.",
      handoff_profile: "A person will help you shortly.",
      handoff_easy_mode: "A person will answer you here shortly. Take your time.",
      ask_text: "I would like to talk to a person",
    },
    zh: {
      talk_to_person: "转人工",
      helpful: "这个回答解决您的问题了吗？",
      yes: "已解决", no: "未解决",
      read_more: "查看全文：{title}",
      hide_article: "收起",
      related: "相关文章",
      glad: "很高兴能帮到您！还有问题随时问我。",
      rephrase: "抱歉没能帮到您。可以换个说法再问一次，或者转人工。",
      handoff_asked: "正在为您转接人工客服，请稍候。",
      handoff_declined: "抱歉没能解决您的问题，马上为您转接人工客服。",
      handoff_no_answer: "暂时没有找到相关答案，人工客服马上为您服务。",
      handoff_sentiment: "给您带来不便非常抱歉，马上为您转接人工客服。",
      handoff_profile: "人工客服马上为您服务。",
      handoff_easy_mode: "人工客服马上在这里为您服务，请不用着急。",
      ask_text: "转人工",
    },
  };
  const lang = hooks.lang === "zh" ? "zh" : "en";
  function t(key, vars = {}) {
    let text = TEXT[lang][key] ?? TEXT.en[key] ?? key;
    for (const [name, value] of Object.entries(vars)) text = text.replaceAll(`{${name}}`, value);
    return text;
  }

  const button = document.getElementById("talk-to-person");
  let active = false; // the bot answers this chat (and the button shows)
  let articleCount = 0; // ids for aria-controls

  function setActive(on) {
    active = on;
    if (button) {
      button.hidden = !on;
      button.disabled = !on;
    }
  }

  function node(tag, className, text) {
    const item = document.createElement(tag);
    if (className) item.className = className;
    if (text !== undefined) item.textContent = text;
    return item;
  }

  function botItem(ts) {
    const item = node("li", "msg msg-agent msg-bot");
    item.dataset.author = "bot";
    item.dataset.ts = String(ts);
    item.append(node("span", "who", lang === "zh" ? "自助服务" : "Help centre"));
    return item;
  }

  // A bot line belongs right after what the log shows when it comes: the browser's
  // clock is not the hub's, and an agent's quick first reply (hub time) must not
  // sort above the hand-off line that preceded it.
  function liveTs() {
    const last = document.getElementById("log")?.lastElementChild;
    const ts = last ? Number(last.dataset.ts) : NaN;
    return Number.isFinite(ts) ? ts + 1 : Date.now();
  }

  function say(text) {
    const item = botItem(liveTs());
    item.append(node("div", "bubble", text));
    hooks.insert(item);
    return item;
  }

  function articleBlock(article) {
    const block = node("div", "bot-article");
    const more = node("button", "bot-read-more", t("read_more", { title: article.title }));
    more.type = "button";
    const full = node("div", "bot-article-body", article.body || article.answer);
    full.hidden = true;
    full.id = `bot-article-${++articleCount}`;
    more.setAttribute("aria-controls", full.id);
    more.setAttribute("aria-expanded", "false");
    more.addEventListener("click", () => {
      full.hidden = !full.hidden;
      more.setAttribute("aria-expanded", String(!full.hidden));
      more.textContent = full.hidden ? t("read_more", { title: article.title }) : t("hide_article");
    });
    block.append(more, full);
    return block;
  }

  function onAnswer(frame) {
    const article = frame.article;
    if (!article) return;
    const item = botItem(liveTs());
    item.dataset.id = frame.message_id || "";
    const bubble = node("div", "bubble");
    bubble.append(node("strong", "bot-title", article.title), node("p", "bot-answer", article.answer));
    bubble.append(articleBlock(article));
    const ask = node("div", "bot-feedback");
    ask.append(node("span", "bot-question", t("helpful")));
    for (const [key, answered] of [["yes", true], ["no", false]]) {
      const choice = node("button", `bot-${key}`, t(key));
      choice.type = "button";
      choice.addEventListener("click", () => {
        if (!hooks.send({ type: "bot_feedback", article_id: article.id, answered })) return;
        ask.querySelectorAll("button").forEach((b) => { b.disabled = true; });
        choice.setAttribute("aria-pressed", "true");
      });
      ask.append(choice);
    }
    bubble.append(ask);
    const related = Array.isArray(frame.related) ? frame.related : [];
    if (related.length) {
      const list = node("div", "bot-related");
      list.append(node("span", "bot-related-label", t("related")));
      for (const other of related) list.append(articleBlock(other));
      bubble.append(list);
    }
    item.append(bubble);
    hooks.insert(item);
  }

  hooks.onBotFrame = (frame) => {
    switch (frame.code) {
      case "answer": return onAnswer(frame);
      case "glad": return say(t("glad"));
      case "rephrase": return say(t("rephrase"));
      case "handoff":
        setActive(false);
        return say(hooks.systemText(HANDOFF_PREFIX + String(frame.reason)));
      default: return undefined;
    }
  };
  hooks.onWelcome = (frame) => setActive(Boolean(frame.bot));
  // A hand-off's line in a resumed chat's history (hub/selfservice stores it as a code).
  const HANDOFF_PREFIX = "bot.handoff:";
  hooks.systemText = (text) => {
    if (!text.startsWith(HANDOFF_PREFIX)) return undefined;
    const key = `handoff_${text.slice(HANDOFF_PREFIX.length)}`;
    return t(key) === key ? t("handoff_profile") : t(key);
  };

  if (button) {
    button.textContent = t("talk_to_person");
    button.addEventListener("click", () => {
      if (!active) return;
      // Before the first message there is no chat yet: asking opens one, in words.
      if (!hooks.conversationId()) hooks.sendText(t("ask_text"));
      else hooks.send({ type: "ask_person" });
    });
  }
})();
