// Zuoxi widget: leave a message when nobody is available (outside business hours or no
// agent of the queue online: the welcome's "unavailable"). The customer leaves the text,
// an email address or a phone number, and a preferred callback time; the hub queues it
// as a conversation with a follow-up ("leave_message" → "message_left"), and says so
// again when the follow-up is solved ("followup_solved"). See docs/followups.md.
"use strict";

(() => {
  const MAX_TEXT_CHARS = 4000;
  const MAX_EMAIL_CHARS = 254;
  const MAX_PHONE_CHARS = 40;
  const EMAIL_PATTERN = /^[^\s@]+@[^\s@.]+(\.[^\s@.]+)+$/;
  const PHONE_PATTERN = /^\+?[0-9][0-9 ()-]{4,28}[0-9]$/;
  const TEXT = {
    en: {
      closed: "We are closed right now.",
      no_agent: "Nobody is available to chat right now.",
      offer: "Leave a message and we will get back to you.",
      open: "Leave a message",
      title: "Leave us a message",
      text: "Your message",
      email: "Email",
      phone: "Phone",
      contact_hint: "Give an email address or a phone number (or both).",
      callback: "Preferred callback time (optional)",
      send: "Send message",
      cancel: "Cancel",
      sending: "Sending…",
      need_text: "Please write your message.",
      need_contact: "Please give an email address or a phone number.",
      bad_email: "This email address does not look right.",
      bad_phone: "This phone number does not look right.",
      bad_callback: "Please choose a callback time within the next 30 days.",
      rate: "You have left several messages already. Please try again later.",
      failed: "Your message could not be sent. Please try again.",
      left: "Thank you! Your message is in our queue; a colleague will contact you.",
      left_email: "A confirmation was sent to {email}.",
      solved: "Your request was solved.",
      solved_note: "Your request was solved: {note}",
    },
    zh: {
      closed: "现在是非工作时间。",
      no_agent: "目前暂无客服在线。",
      offer: "请留言，我们会尽快与您联系。",
      open: "留言",
      title: "给我们留言",
      text: "留言内容",
      email: "电子邮箱",
      phone: "电话",
      contact_hint: "请填写电子邮箱或电话（至少一项）。",
      callback: "希望回电的时间（可选）",
      send: "提交留言",
      cancel: "取消",
      sending: "正在提交…",
      need_text: "请填写留言内容。",
      need_contact: "请填写电子邮箱或电话。",
      bad_email: "电子邮箱格式不正确。",
      bad_phone: "电话号码格式不正确。",
      bad_callback: "请选择 30 天内的回电时间。",
      rate: "您已提交多条留言，请稍后再试。",
      failed: "留言未能提交，请重试。",
      left: "谢谢！您的留言已进入队列，客服人员会与您联系。",
      left_email: "确认邮件已发送至 {email}。",
      solved: "您的问题已解决。",
      solved_note: "您的问题已解决：{note}",
    },
  };

  const widget = window.zuoxiWidget; // set by widget.js
  const panel = document.getElementById("leave-message");
  if (!widget || !panel) return;
  const words = TEXT[widget.lang] || TEXT.en;
  const t = (key, vars = {}) => {
    let text = words[key] ?? TEXT.en[key] ?? key;
    for (const [k, v] of Object.entries(vars)) text = text.replaceAll(`{${k}}`, String(v));
    return text;
  };
  const state = { reason: null, pendingId: null, email: null, done: false };

  function node(tag, attrs = {}, text = null) {
    const n = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs)) n.setAttribute(k, v);
    if (text !== null) n.textContent = text;
    return n;
  }

  function field(id, label, input) {
    const row = node("p", { class: "leave-row" });
    input.id = id;
    row.append(node("label", { for: id }, label), input);
    return row;
  }

  function status(text) {
    const line = panel.querySelector("#leave-status");
    if (line) line.textContent = text;
  }

  /** The offer: why nobody is there, and one button to open the form. */
  function offer() {
    state.done = false;
    const open = node("button", { type: "button", class: "send-btn", id: "leave-open" }, t("open"));
    open.addEventListener("click", form);
    panel.replaceChildren(
      node("p", { class: "leave-why", id: "leave-why" }, `${t(state.reason)} ${t("offer")}`), open);
    panel.setAttribute("aria-labelledby", "leave-why");
    panel.dataset.stage = "offer";
    panel.hidden = false;
  }

  function form() {
    const contact = widget.contact();
    const text = node("textarea", { rows: "4", maxlength: String(MAX_TEXT_CHARS), required: "" });
    const email = node("input", { type: "email", maxlength: String(MAX_EMAIL_CHARS),
      autocomplete: "email", inputmode: "email", spellcheck: "false" });
    email.value = contact.email || "";
    const phone = node("input", { type: "tel", maxlength: String(MAX_PHONE_CHARS),
      autocomplete: "tel", inputmode: "tel" });
    phone.value = contact.phone || "";
    const callback = node("input", { type: "datetime-local" });
    const buttons = node("div", { class: "rating-buttons" });
    const cancel = node("button", { type: "button", class: "rating-skip", id: "leave-cancel" },
      t("cancel"));
    cancel.addEventListener("click", offer);
    buttons.append(node("button", { type: "submit", class: "send-btn", id: "leave-send" }, t("send")),
      cancel);
    panel.replaceChildren(
      node("h2", { id: "leave-title", class: "rating-title" }, t("title")),
      field("leave-text", t("text"), text),
      node("p", { class: "leave-hint", id: "leave-hint" }, t("contact_hint")),
      field("leave-email", t("email"), email),
      field("leave-phone", t("phone"), phone),
      field("leave-callback", t("callback"), callback),
      node("p", { id: "leave-status", class: "rating-status", role: "status" }),
      buttons);
    email.setAttribute("aria-describedby", "leave-hint");
    phone.setAttribute("aria-describedby", "leave-hint");
    panel.setAttribute("aria-labelledby", "leave-title");
    panel.dataset.stage = "form";
    panel.hidden = false;
    text.focus();
  }

  function submit(event) {
    event.preventDefault();
    if (panel.dataset.stage !== "form") return;
    const value = (id) => panel.querySelector(`#${id}`).value.normalize("NFKC").trim();
    const text = value("leave-text");
    const email = value("leave-email");
    const phone = value("leave-phone");
    const when = panel.querySelector("#leave-callback").value;
    if (!text) return status(t("need_text"));
    if (!email && !phone) return status(t("need_contact"));
    if (email && !EMAIL_PATTERN.test(email)) return status(t("bad_email"));
    if (phone && !PHONE_PATTERN.test(phone)) return status(t("bad_phone"));
    let callbackAt = null;
    if (when) {
      callbackAt = new Date(when).getTime();
      if (!Number.isFinite(callbackAt) || callbackAt < Date.now() - 60_000
          || callbackAt > Date.now() + 30 * 86_400_000) return status(t("bad_callback"));
    }
    state.pendingId = `lm-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;
    state.email = email || null;
    const frame = { type: "leave_message", id: state.pendingId, text,
      locale: (navigator.language || "").slice(0, 20) || null };
    if (email) frame.email = email;
    if (phone) frame.phone = phone;
    if (callbackAt !== null) frame.callback_at = callbackAt;
    status(t("sending"));
    panel.querySelector("#leave-send").disabled = true;
    widget.send(frame);
  }

  function left(frame) {
    if (frame.id !== state.pendingId) return;
    state.pendingId = null;
    state.done = true;
    const parts = [node("p", { class: "leave-done", id: "leave-done", role: "status" }, t("left"))];
    if (frame.email && state.email) {
      parts.push(node("p", { class: "leave-done-email" }, t("left_email", { email: state.email })));
    }
    panel.replaceChildren(...parts);
    panel.setAttribute("aria-labelledby", "leave-done");
    panel.dataset.stage = "done";
    widget.addNotice(t("left"), "left");
  }

  widget.onMessageWelcome = (frame) => {
    const reason = frame.unavailable;
    if ((reason === "closed" || reason === "no_agent") && !state.done) {
      state.reason = reason;
      if (panel.dataset.stage !== "form") offer();
    } else if (!reason && panel.dataset.stage === "offer") {
      panel.hidden = true; // someone is there again
      panel.dataset.stage = "idle";
    }
  };

  widget.onMessageAgentJoined = () => {
    // A person took the chat after all (the welcome said nobody was there): the offer
    // to leave a message would contradict "Chatting with …". A form being filled in stays.
    if (panel.dataset.stage === "offer") {
      panel.hidden = true;
      panel.dataset.stage = "idle";
    }
  };

  widget.onMessageFrame = (frame) => {
    if (frame.type === "message_left") return left(frame);
    if (frame.type === "followup_solved") {
      const note = typeof frame.note === "string" ? frame.note.trim() : "";
      widget.addNotice(note ? t("solved_note", { note }) : t("solved"), "solved");
    }
    return undefined;
  };

  widget.onMessageError = (frame) => {
    const ref = typeof frame.ref === "string" ? frame.ref : "";
    if (!ref.startsWith("leave_message") || panel.dataset.stage !== "form") return false;
    const key = { "leave_message:email": "bad_email", "leave_message:phone": "bad_phone",
      "leave_message:contact": "need_contact", "leave_message:text": "need_text",
      "leave_message:callback_at": "bad_callback", "leave_message:rate": "rate" }[ref];
    status(t(key || "failed"));
    state.pendingId = null;
    const send = panel.querySelector("#leave-send");
    if (send) send.disabled = false;
    return true;
  };

  panel.addEventListener("submit", submit);
  panel.addEventListener("input", () => { if (!state.pendingId) status(""); });
})();
