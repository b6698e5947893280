// Zuoxi widget feedback: after a conversation closes, ask CSAT (1–5, solved yes/no,
// a comment only for 1–2); then, when the hub says NPS is due for this customer,
// NPS (0–10 and why). Frames "rate" / "answer_nps" in core/protocol/customer.py.
// Native radio groups: Tab reaches a group, arrow keys choose, Enter sends.
"use strict";

(() => {
  const MAX_COMMENT_CHARS = 2000;
  const LOW_SCORE = 2; // the comment box is offered at or below this
  const TEXT = {
    en: {
      csat_title: "How was this conversation?",
      csat_score: "Your rating",
      csat_labels: ["Very poor", "Poor", "Okay", "Good", "Excellent"],
      score_label: "{n} of 5: {label}",
      solved: "Was your problem solved?", yes: "Yes", no: "No",
      comment: "What went wrong? (optional)",
      nps_title: "How likely are you to recommend us to a friend or colleague?",
      nps_scale: "0 = not at all likely, 10 = extremely likely",
      nps_score: "Your score (0–10)",
      nps_label: "{n} of 10",
      why: "What is the main reason for your score? (optional)",
      send: "Send", skip: "Not now",
      pick_score: "Please choose a rating first.",
      thanks: "Thank you for your feedback!",
      already: "This conversation was already rated. Thank you!",
      failed: "Your feedback could not be saved. Please try again.",
    },
    zh: {
      csat_title: "您对本次对话满意吗？",
      csat_score: "您的评分",
      csat_labels: ["非常不满意", "不满意", "一般", "满意", "非常满意"],
      score_label: "{n} 分（满分 5 分）：{label}",
      solved: "您的问题解决了吗？", yes: "已解决", no: "未解决",
      comment: "哪里做得不好？（可选）",
      nps_title: "您有多大可能向朋友或同事推荐我们？",
      nps_scale: "0 = 完全不可能，10 = 非常可能",
      nps_score: "您的评分（0–10）",
      nps_label: "{n} 分（满分 10 分）",
      why: "给出这个分数的主要原因是？（可选）",
      send: "提交", skip: "暂不评价",
      pick_score: "请先选择评分。",
      thanks: "感谢您的反馈！",
      already: "此对话已评价过，谢谢！",
      failed: "反馈未能保存，请重试。",
    },
  };

  const widget = window.zuoxiWidget; // set by widget.js
  const panel = document.getElementById("rating");
  if (!widget || !panel) return;
  const words = TEXT[widget.lang] || TEXT.en;
  const t = (key, vars = {}) => {
    let text = words[key] ?? TEXT.en[key] ?? key;
    for (const [k, v] of Object.entries(vars)) text = text.replaceAll(`{${k}}`, String(v));
    return text;
  };
  const state = { stage: "idle", conversationId: null, sent: false };

  function node(tag, attrs = {}, text = null) {
    const n = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs)) n.setAttribute(k, v);
    if (text !== null) n.textContent = text;
    return n;
  }

  function radioGroup(name, legend, values, labelOf, describedBy = null) {
    const set = node("fieldset", { class: "rating-group", id: `${name}-group` });
    set.append(node("legend", {}, legend));
    if (describedBy) set.setAttribute("aria-describedby", describedBy);
    const row = node("div", { class: "rating-scale" });
    for (const value of values) {
      const id = `${name}-${value}`;
      const input = node("input", { type: "radio", name, value: String(value), id });
      const label = node("label", { for: id, class: "rating-choice", "aria-label": labelOf(value) });
      label.append(input, node("span", { "aria-hidden": "true" }, String(value)));
      row.append(label);
    }
    set.append(row);
    return set;
  }

  function chosen(name) {
    const input = panel.querySelector(`input[name="${name}"]:checked`);
    return input ? input.value : null;
  }

  function buttons() {
    const row = node("div", { class: "rating-buttons" });
    row.append(node("button", { type: "submit", class: "send-btn", id: "rating-send" }, t("send")),
      node("button", { type: "button", class: "rating-skip", id: "rating-skip" }, t("skip")));
    return row;
  }

  function commentBox(id, label, hidden) {
    const wrap = node("p", { class: "rating-comment", id: `${id}-row` });
    const area = node("textarea", { id, rows: "3", maxlength: String(MAX_COMMENT_CHARS) });
    wrap.append(node("label", { for: id }, label), area);
    wrap.hidden = hidden;
    return wrap;
  }

  function open(stage, heading, parts) {
    state.stage = stage;
    state.sent = false;
    panel.replaceChildren(node("h2", { id: "rating-title", class: "rating-title" }, heading),
      ...parts, node("p", { id: "rating-status", class: "rating-status", role: "status" }), buttons());
    panel.setAttribute("aria-labelledby", "rating-title");
    panel.dataset.stage = stage;
    panel.hidden = false;
    panel.querySelector("input")?.focus();
  }

  function askCsat(conversationId) {
    state.conversationId = conversationId;
    const score = radioGroup("csat", t("csat_score"), [1, 2, 3, 4, 5],
      (n) => t("score_label", { n, label: words.csat_labels[n - 1] }));
    const solved = node("fieldset", { class: "rating-group", id: "solved-group" });
    solved.append(node("legend", {}, t("solved")));
    const row = node("div", { class: "rating-scale" });
    for (const [value, key] of [["yes", "yes"], ["no", "no"]]) {
      const input = node("input", { type: "radio", name: "solved", value, id: `solved-${value}` });
      const label = node("label", { for: `solved-${value}`, class: "rating-choice" });
      label.append(input, node("span", {}, t(key)));
      row.append(label);
    }
    solved.append(row);
    open("csat", t("csat_title"), [score, solved, commentBox("rating-comment", t("comment"), true)]);
    for (const input of panel.querySelectorAll('input[name="csat"]')) {
      input.addEventListener("change", () => {
        const low = Number(chosen("csat")) <= LOW_SCORE;
        document.getElementById("rating-comment-row").hidden = !low;
      });
    }
  }

  function askNps() {
    const scaleId = "nps-scale-hint";
    open("nps", t("nps_title"), [
      node("p", { id: scaleId, class: "rating-hint" }, t("nps_scale")),
      radioGroup("nps", t("nps_score"), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10],
        (n) => t("nps_label", { n }), scaleId),
      commentBox("nps-why", t("why"), false),
    ]);
  }

  function finish(key) {
    state.stage = "done";
    panel.replaceChildren(node("p", { class: "rating-status", role: "status", id: "rating-status" }, t(key)));
    panel.dataset.stage = "done";
  }

  function close() {
    state.stage = "idle";
    panel.hidden = true;
    panel.replaceChildren();
    panel.dataset.stage = "idle";
  }

  function say(key) {
    const status = document.getElementById("rating-status");
    if (status) status.textContent = t(key);
  }

  function submit() {
    if (state.sent) return;
    if (state.stage === "csat") {
      const score = chosen("csat");
      if (score === null) return say("pick_score");
      const solved = chosen("solved");
      const low = Number(score) <= LOW_SCORE;
      const comment = low ? document.getElementById("rating-comment").value.trim() : "";
      state.sent = widget.send({
        type: "rate", conversation_id: state.conversationId, score: Number(score),
        solved: solved === null ? null : solved === "yes", comment: comment || null,
      }) !== false;
    } else if (state.stage === "nps") {
      const score = chosen("nps");
      if (score === null) return say("pick_score");
      const reason = document.getElementById("nps-why").value.trim();
      state.sent = widget.send({
        type: "answer_nps", score: Number(score), reason: reason || null,
        conversation_id: state.conversationId,
      }) !== false;
    }
    if (!state.sent) say("failed");
    return undefined;
  }

  panel.addEventListener("submit", (event) => {
    event.preventDefault();
    submit();
  });
  panel.addEventListener("click", (event) => {
    if (event.target instanceof Element && event.target.id === "rating-skip") close();
  });
  panel.addEventListener("keydown", (event) => {
    if (event.key === "Escape") close();
  });

  widget.onConversationClosed = (frame) => {
    if (frame.closed_by === "agent" || frame.closed_by === "customer") askCsat(frame.conversation_id);
  };
  widget.onRatingFrame = (frame) => {
    if (frame.type === "rated") {
      if (frame.nps_due) askNps();
      else finish("thanks");
      return true;
    }
    if (frame.type === "nps_answered") {
      finish("thanks");
      return true;
    }
    return false;
  };
  // The hub names the refusal in ``ref``; "already rated" or "NPS not due" end quietly.
  widget.onRatingError = (frame) => {
    if (state.stage !== "csat" && state.stage !== "nps") return false;
    if (frame.ref === "already_rated") finish("already");
    else if (frame.ref === "nps_not_due") finish("thanks");
    else if (["invalid", "not_found", "not_yours", "not_closed"].includes(frame.ref)) {
      state.sent = false;
      say("failed");
    } else return false;
    return true;
  };
  // A new conversation starting (the customer types again) puts the question away.
  widget.onConversationStarted = () => { if (state.stage !== "idle") close(); };
})();
