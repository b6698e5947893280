// Zuoxi customer chat widget: plain browser JavaScript, no build step.
// Speaks the /customer websocket protocol of core/protocol/customer.py.
// Message text is only ever placed with textContent: it is untrusted input.
"use strict";

(() => {
  // Limits mirror core/protocol/models.py and codec.py, so the hub never has to refuse.
  const PROTOCOL_VERSION = 1;
  const MAX_FRAME_BYTES = 16 * 1024;
  const MAX_TEXT_CHARS = 4000;
  const MAX_NAME_CHARS = 120;
  const MAX_EMAIL_CHARS = 255;
  const MAX_PHONE_CHARS = 40;
  const MAX_TOPIC_CHARS = 40;
  const MAX_OUTBOX = 200; // kept across reloads; older ones are dropped
  const MAX_SEEN = 10; // conversations whose place is kept for the hello (the hub's cap)

  const TYPING_REFRESH_MS = 3000; // resend "typing" at most this often while keys keep coming
  const TYPING_IDLE_MS = 4000; // quiet time after which we say "stopped typing"
  const AGENT_TYPING_TIMEOUT_MS = 8000; // hide a stale indicator if "stopped" was lost
  const PING_MS = 25000; // keeps idle proxies from cutting the socket
  const STALE_MS = 60000; // nothing heard for this long: treat the link as dead
  const BACKOFF_MIN_MS = 500;
  const BACKOFF_MAX_MS = 30000;
  const RATE_LIMIT_RETRY_MS = 3000;
  const ACK_TIMEOUT_MS = 10000; // a refused (rate-limited) send gets no ack: send it again
  const ERROR_SHOW_MS = 10000;

  const KEY = {
    visitor: "zuoxi.visitor_id", name: "zuoxi.name", email: "zuoxi.email", phone: "zuoxi.phone",
    outbox: "zuoxi.outbox", seen: "zuoxi.seen",
  };
  const STATUS_RANK = { pending: 0, sent: 1, delivered: 2, failed: 3 };
  const ID_PATTERN = /^[A-Za-z0-9_.:-]{1,64}$/;
  // Light sanity checks only: the hub normalises and validates for real.
  const EMAIL_PATTERN = /^[^\s@]+@[^\s@.]+(\.[^\s@.]+)+$/;
  const PHONE_PATTERN = /^\+?[0-9 ()./-]+$/;

  const TEXT = {
    en: {
      title: "Chat with us",
      connecting: "Connecting…",
      online: "We're online",
      online_closed: "Closed now: leave us a message",
      online_no_agent: "Nobody available: leave us a message",
      chatting: "Chatting with {agent}",
      waiting: "Waiting for an agent…",
      reconnecting: "Reconnecting…",
      offline: "Offline. Messages will be sent when you're back online.",
      close: "End chat",
      close_title: "End this conversation",
      dismiss: "Dismiss",
      intro: "Hi! Ask us anything and an agent will reply shortly.",
      log_label: "Conversation",
      name_label: "Your name (optional)",
      email_label: "Email (optional)",
      phone_label: "Phone (optional)",
      topic_label: "Topic",
      topic_none: "Something else",
      email_invalid: "That email doesn't look right, so it won't be sent.",
      phone_invalid: "That phone number doesn't look right, so it won't be sent.",
      text_label: "Message",
      placeholder: "Type a message…",
      send: "Send",
      hint: "Enter to send, Shift+Enter for a new line",
      you: "You",
      agent: "Agent",
      bot: "Help centre",
      status_pending: "Sending…",
      status_sent: "Sent",
      status_delivered: "Delivered",
      status_failed: "Not sent",
      agent_joined: "{agent} joined the chat",
      typing: "{agent} is typing…",
      closed_agent: "The agent ended the conversation. Send a message to start a new one.",
      closed_customer: "You ended the conversation. Send a message to start a new one.",
      closed_system: "The conversation was closed. Send a message to start a new one.",
      error_generic: "Something went wrong ({code}).",
      error_rate_limited: "You're sending messages too fast. We'll retry in a moment.",
      error_too_large: "That message is too long.",
      error_invalid: "That message could not be accepted.",
      error_bad_json: "That message could not be accepted.",
      error_no_conversation: "There is no open conversation.",
      error_unsupported_version: "This chat page is out of date. Please reload it.",
      error_internal: "The service had a problem. Please try again.",
      error_unavailable: "We can't save messages right now. Yours is kept and will be sent shortly.",
    },
    zh: {
      title: "在线客服",
      connecting: "正在连接…",
      online: "客服在线",
      online_closed: "现在不在服务时间，请给我们留言",
      online_no_agent: "目前暂无客服在线，请给我们留言",
      chatting: "{agent} 正在为您服务",
      waiting: "正在为您接入客服…",
      reconnecting: "正在重新连接…",
      offline: "网络已断开，恢复后将自动发送消息。",
      close: "结束对话",
      close_title: "结束本次对话",
      dismiss: "关闭提示",
      intro: "您好！请问有什么可以帮您？客服将很快回复。",
      log_label: "对话内容",
      name_label: "您的称呼（选填）",
      email_label: "邮箱（选填）",
      phone_label: "电话（选填）",
      topic_label: "咨询类型",
      topic_none: "其他问题",
      email_invalid: "邮箱格式似乎不对，将不会发送。",
      phone_invalid: "电话号码格式似乎不对，将不会发送。",
      text_label: "消息",
      placeholder: "请输入消息…",
      send: "发送",
      hint: "Enter 发送，Shift+Enter 换行",
      you: "我",
      agent: "客服",
      bot: "自助服务",
      status_pending: "发送中…",
      status_sent: "已发送",
      status_delivered: "已送达",
      status_failed: "发送失败",
      agent_joined: "{agent} 已加入对话",
      typing: "{agent} 正在输入…",
      closed_agent: "客服已结束对话。发送消息即可开始新的对话。",
      closed_customer: "您已结束对话。发送消息即可开始新的对话。",
      closed_system: "对话已关闭。发送消息即可开始新的对话。",
      error_generic: "出错了（{code}）。",
      error_rate_limited: "发送太频繁，稍后将自动重试。",
      error_too_large: "消息太长。",
      error_invalid: "消息无法被接受。",
      error_bad_json: "消息无法被接受。",
      error_no_conversation: "当前没有进行中的对话。",
      error_unsupported_version: "页面版本过旧，请刷新页面。",
      error_internal: "服务出现问题，请稍后重试。",
      error_unavailable: "暂时无法保存消息。您的消息已保留，稍后会自动发送。",
    },
  };

  const preferred = (navigator.languages && navigator.languages[0]) || navigator.language || "en";
  const lang = preferred.toLowerCase().startsWith("zh") ? "zh" : "en";
  const locale = lang === "zh" ? "zh-CN" : preferred;
  const timeFormat = new Intl.DateTimeFormat(locale, { hour: "2-digit", minute: "2-digit" });
  const fullFormat = new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeStyle: "short" });

  function t(key, vars = {}) {
    let text = TEXT[lang][key] ?? TEXT.en[key] ?? key;
    for (const [name, value] of Object.entries(vars)) text = text.replaceAll(`{${name}}`, value);
    return text;
  }

  // localStorage can be missing or throw (disabled storage, private modes): degrade to memory.
  const memory = new Map();
  const store = {
    get(key) {
      try { return window.localStorage.getItem(key); } catch { return memory.get(key) ?? null; }
    },
    set(key, value) {
      try { window.localStorage.setItem(key, value); } catch { memory.set(key, value); }
    },
  };

  // What widget_call.js (loaded after this file) uses: it sets the three callbacks.
  const callHooks = {
    lang,
    send: (frame) => sendFrame(frame),
    online: () => state.welcomed,
    showText: (text) => showErrorText(text),
    onCallFrame: null,
    onCallError: null, // (frame) => true when the refused frame was a call's
    onOnlineChange: null,
    // Feedback (widget_rating.js): asked after a close; its frames and refusals.
    onConversationClosed: null,
    onConversationStarted: null,
    onRatingFrame: null,
    onRatingError: null, // (frame) => true when the refused frame was a rating's
    // widget_bot.js (the self-service bot) sets these and uses the rest.
    onBotFrame: null,
    onWelcome: null,
    systemText: null, // (text) => the words for a hub-made code, else undefined
    insert: (item) => {
      // A bot answer carries its stored id: a welcome's history must not show it again.
      const id = item.dataset.id;
      if (id && !state.byId.has(id)) state.byId.set(id, item);
      return insert(item);
    },
    sendText: (text) => { ui.text.value = text; submit(); },
    conversationId: () => state.conversationId,
    // Easy mode (widget_easy.js): said in hello; no prompt or banner closes by itself.
    easy: () => false,
    rehello: () => {
      // Before a chat opens a quick reconnect tells the hub; later the next hello does.
      if (state.welcomed && !state.conversationId) {
        dropSocket();
        scheduleReconnect(0);
      }
    },
    idle: { prompt_s: 0, close_s: 0 }, // the welcome's idle times (widget_idle.js)
    agentName: () => state.agentName,
    // widget_message.js (leave a message when nobody is available) sets these.
    onMessageWelcome: null,
    onMessageFrame: null,
    onMessageError: null, // (frame) => true when the refused frame was a left message
    addNotice: (text, kind) => addNotice(text, kind),
    contact: () => ({ email: contactValue("email"), phone: contactValue("phone") }),
    // widget_outreach.js (proactive outreach) sets these: the hub's answers to page
    // reports and its outreach; called after every welcome.
    onOutreachFrame: null,
    onOutreachWelcome: null,
  };
  window.zuoxiWidget = callHooks;

  const el = (id) => document.getElementById(id);
  const ui = {
    root: el("chat"), presence: el("presence"), close: el("close"),
    error: el("error"), errorText: el("error-text"), errorDismiss: el("error-dismiss"),
    scroller: el("scroller"), log: el("log"), typing: el("typing"),
    form: el("composer"), details: el("details"), detailsHint: el("details-hint"),
    name: el("name"), email: el("email"), phone: el("phone"), text: el("text"),
    topicRow: el("topic-row"), topic: el("topic"),
  };

  const state = {
    ws: null,
    welcomed: false,
    connection: "connecting", // connecting | online | reconnecting | offline
    stopped: false, // set when retrying cannot help (protocol version mismatch)
    attempts: 0,
    reconnectTimer: 0,
    lastHeard: 0,
    visitorId: store.get(KEY.visitor),
    hello: "", // the name and contact points the current socket's hello carried (JSON)
    conversationId: null,
    unavailable: null, // the welcome's reason nobody can answer ("closed", "no_agent")
    agentName: null,
    joinedNotice: "",
    outbox: loadOutbox(), // customer messages the hub has not acked yet, in send order
    inflight: new Map(), // outbox id -> when it was sent on the current socket
    byId: new Map(), // hub message id -> <li>
    pendingById: new Map(), // widget-made id -> <li> until its ack
    deferred: new Map(), // hub id -> history message that may be a pending one, until acks tell
    // Per conversation whose close is not shown yet, the last message shown ({c, m, ts}),
    // kept across reloads: the hello names them, and the welcome brings what came
    // after in a conversation closed meanwhile (a reply sent while the link was dead).
    seen: loadSeen(),
    closedShown: new Set(), // conversations whose close this page showed
    typingSentAt: 0,
    typingIdleTimer: 0,
    agentTypingTimer: 0,
    retryTimer: 0,
    errorTimer: 0,
  };

  // ---- outbox --------------------------------------------------------------------

  function loadOutbox() {
    try {
      const items = JSON.parse(store.get(KEY.outbox) || "[]");
      if (!Array.isArray(items)) return [];
      return items.filter((o) => o && typeof o.id === "string" && ID_PATTERN.test(o.id)
        && typeof o.text === "string" && o.text && typeof o.ts === "number").slice(-MAX_OUTBOX);
    } catch {
      return [];
    }
  }

  function saveOutbox() {
    store.set(KEY.outbox, JSON.stringify(state.outbox.map(({ id, text, ts }) => ({ id, text, ts }))));
  }

  // ---- where the customer is in each conversation ------------------------------------

  function loadSeen() {
    try {
      const items = JSON.parse(store.get(KEY.seen) || "[]");
      if (!Array.isArray(items)) return [];
      return items.filter((s) => s && typeof s.c === "string" && ID_PATTERN.test(s.c)
        && typeof s.m === "string" && ID_PATTERN.test(s.m) && typeof s.ts === "number")
        .slice(-MAX_SEEN);
    } catch {
      return [];
    }
  }

  function saveSeen() {
    store.set(KEY.seen, JSON.stringify(state.seen));
  }

  /** A message from the hub is on screen: its conversation's place moves up to it. */
  function noteSeen(message) {
    const c = message.conversation_id;
    const ts = Number(message.created_at);
    if (typeof c !== "string" || !ID_PATTERN.test(c) || typeof message.id !== "string"
        || !ID_PATTERN.test(message.id)
        || !Number.isFinite(ts) || state.closedShown.has(c)) return;
    const known = state.seen.find((s) => s.c === c);
    if (known && known.ts > ts) return;
    state.seen = state.seen.filter((s) => s.c !== c);
    state.seen.push({ c, m: message.id, ts });
    state.seen.sort((a, b) => a.ts - b.ts);
    state.seen = state.seen.slice(-MAX_SEEN);
    saveSeen();
  }

  function forgetSeen(conversationId) {
    if (!state.seen.some((s) => s.c === conversationId)) return;
    state.seen = state.seen.filter((s) => s.c !== conversationId);
    saveSeen();
  }

  function newId() {
    // getRandomValues works outside secure contexts too, unlike randomUUID.
    const bytes = crypto.getRandomValues(new Uint8Array(16));
    return "w-" + Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  }

  function flushOutbox() {
    if (!state.welcomed) return;
    for (const item of state.outbox) {
      const sentAt = state.inflight.get(item.id);
      if (sentAt !== undefined && Date.now() - sentAt < ACK_TIMEOUT_MS) continue;
      if (!sendFrame({ type: "send", id: item.id, text: item.text })) return;
      state.inflight.set(item.id, Date.now());
    }
  }

  function dropFromOutbox(id) {
    state.outbox = state.outbox.filter((o) => o.id !== id);
    state.inflight.delete(id);
    saveOutbox();
  }

  // ---- connection ----------------------------------------------------------------

  function socketUrl() {
    const url = new URL("customer", window.location.href);
    url.protocol = window.location.protocol === "https:" ? "wss:" : "ws:";
    url.search = "";
    url.hash = "";
    return url.href;
  }

  function connect() {
    clearTimeout(state.reconnectTimer);
    setConnection(state.attempts ? "reconnecting" : "connecting");
    let ws;
    try {
      ws = new WebSocket(socketUrl());
    } catch {
      scheduleReconnect();
      return;
    }
    state.ws = ws;
    state.inflight.clear();
    ws.addEventListener("open", () => {
      if (ws !== state.ws) return;
      state.lastHeard = Date.now();
      const details = helloDetails();
      state.hello = JSON.stringify(details);
      const frame = {
        type: "hello", v: PROTOCOL_VERSION, visitor_id: state.visitorId || null,
        name: details.name, locale: (navigator.language || "").slice(0, 20) || null,
      };
      // Only sent when given: older hubs may not know the fields.
      if (details.email) frame.email = details.email;
      if (details.phone) frame.phone = details.phone;
      if (details.topic) frame.topic = details.topic;
      if (callHooks.easy()) frame.easy = true;
      if (state.seen.length) {
        frame.seen = state.seen.map((s) => ({ conversation_id: s.c, message_id: s.m }));
      }
      sendFrame(frame);
    });
    ws.addEventListener("message", (event) => {
      if (ws !== state.ws || typeof event.data !== "string") return;
      state.lastHeard = Date.now();
      let frame;
      try { frame = JSON.parse(event.data); } catch { return; }
      if (frame && typeof frame === "object") handleFrame(frame);
    });
    ws.addEventListener("close", () => {
      if (ws === state.ws) lostSocket();
    });
  }

  function lostSocket() {
    state.ws = null;
    state.welcomed = false;
    state.typingSentAt = 0;
    hideAgentTyping();
    if (!state.stopped) scheduleReconnect();
  }

  /** Forget the current socket at once (a dead link may take minutes to report close). */
  function dropSocket() {
    const ws = state.ws;
    if (!ws) return;
    state.ws = null;
    try { ws.close(); } catch { /* already closing */ }
    lostSocket();
  }

  function scheduleReconnect(delay) {
    clearTimeout(state.reconnectTimer);
    setConnection(navigator.onLine === false ? "offline" : "reconnecting");
    if (delay === undefined) {
      const ceiling = Math.min(BACKOFF_MAX_MS, BACKOFF_MIN_MS * 2 ** state.attempts);
      delay = ceiling / 2 + Math.random() * (ceiling / 2); // jitter spreads a hub restart's herd
    }
    state.attempts += 1;
    state.reconnectTimer = setTimeout(connect, delay);
  }

  function sendFrame(frame) {
    const ws = state.ws;
    if (!ws || ws.readyState !== WebSocket.OPEN) return false;
    ws.send(JSON.stringify(frame));
    return true;
  }

  function setConnection(connection) {
    state.connection = connection;
    ui.root.dataset.connection = connection;
    renderPresence();
    callHooks.onOnlineChange?.();
  }

  function renderPresence() {
    const { connection, agentName, conversationId } = state;
    ui.presence.dataset.state = connection;
    if (connection === "online" && conversationId) {
      ui.presence.textContent = agentName ? t("chatting", { agent: agentName }) : t("waiting");
    } else if (connection === "online" && ["closed", "no_agent"].includes(state.unavailable)) {
      // Connected, but nobody can answer: never "we're online" beside the offer to
      // leave a message.
      ui.presence.dataset.state = "unavailable"; // amber, not the green of "online"
      ui.presence.textContent = t(`online_${state.unavailable}`);
    } else {
      ui.presence.textContent = t(connection);
    }
  }

  // ---- frames from the hub -----------------------------------------------------------

  function handleFrame(frame) {
    switch (frame.type) {
      case "welcome": return onWelcome(frame);
      case "ack": return onAck(frame);
      case "message": return onNewMessage(frame.message);
      case "status": return onStatus(frame);
      case "typing": return frame.active ? showAgentTyping(frame.agent_name) : hideAgentTyping();
      case "agent_joined": return onAgentJoined(frame);
      case "closed": return onClosed(frame);
      case "error": return onError(frame);
      case "rated": case "nps_answered": return callHooks.onRatingFrame?.(frame);
      case "bot": return callHooks.onBotFrame?.(frame);
      case "message_left": case "followup_solved": return callHooks.onMessageFrame?.(frame);
      case "outreach": case "page_noted": return callHooks.onOutreachFrame?.(frame);
      default:
        // Voice calls live in widget_call.js; other types are pongs or from newer hubs.
        if (typeof frame.type === "string" && frame.type.startsWith("call_")) {
          return callHooks.onCallFrame?.(frame);
        }
        return undefined;
    }
  }

  function onWelcome(frame) {
    callHooks.onWelcome?.(frame);
    callHooks.idle = { prompt_s: Number(frame.idle_prompt_s) || 0, close_s: Number(frame.idle_close_s) || 0 };
    callHooks.onMessageWelcome?.(frame);
    state.welcomed = true;
    state.unavailable = typeof frame.unavailable === "string" ? frame.unavailable : null;
    state.attempts = 0;
    state.visitorId = frame.visitor_id;
    store.set(KEY.visitor, frame.visitor_id);
    if (!frame.conversation_id && helloIsStale()) {
      // Details typed while this hello was on its way: say hello again with them
      // before a first message opens the conversation.
      dropSocket();
      scheduleReconnect(0);
      return;
    }
    const previous = state.conversationId;
    state.deferred.clear();
    // Conversations closed while this page was away or closed: what it had not shown
    // yet, then the close, before the open conversation (if any).
    for (const resumed of Array.isArray(frame.resumed) ? frame.resumed : []) {
      if (!resumed || typeof resumed.conversation_id !== "string") continue;
      const messages = Array.isArray(resumed.messages) ? resumed.messages : [];
      showHistory(messages);
      confirmReceipt(messages);
      onClosed({ conversation_id: resumed.conversation_id, closed_by: resumed.closed_by },
        Number(resumed.closed_at) || Date.now());
    }
    if (frame.conversation_id) {
      state.closedShown.delete(frame.conversation_id); // open again (a reopened chat)
      setConversation(frame.conversation_id, frame.agent_name || null);
      // An agent who took the conversation while the link was down is announced too.
      if (frame.agent_name && previous === frame.conversation_id) noteAgentJoined(frame);
      const messages = Array.isArray(frame.messages) ? frame.messages : [];
      showHistory(messages);
      confirmReceipt(messages);
    } else {
      if (previous && !state.closedShown.has(previous)) addNotice(t("closed_system"));
      setConversation(null, null);
    }
    setConnection("online");
    flushOutbox();
    callHooks.onOutreachWelcome?.();
  }

  /** A welcome's messages. A pending message may already be stored (its ack was lost):
   * its resend's ack will say so; until then a history twin is held back, so it never
   * shows twice. */
  function showHistory(messages) {
    const pendingTexts = new Set(state.outbox.map((o) => o.text));
    for (const message of messages) {
      if (!message || typeof message.id !== "string") continue;
      if (message.author === "customer" && !state.byId.has(message.id)
          && pendingTexts.has(message.text)) state.deferred.set(message.id, message);
      else showMessage(message);
    }
  }

  function onAck(frame) {
    const message = frame.message;
    dropFromOutbox(frame.id);
    const pending = state.pendingById.get(frame.id);
    state.pendingById.delete(frame.id);
    if (pending && !state.byId.has(message.id)) {
      pending.dataset.id = message.id;
      state.byId.set(message.id, pending);
      setStatus(pending, message.status || "sent");
      state.closedShown.delete(message.conversation_id); // it takes messages: open
      noteSeen(message);
    } else {
      pending?.remove(); // the history already showed it: the ack answered a resend
      showMessage(message);
    }
    state.deferred.delete(message.id);
    releaseDeferred();
    if (!state.conversationId && message.conversation_id) {
      setConversation(message.conversation_id, state.agentName);
    }
  }

  /** Show held-back history messages that no pending message can turn out to be. */
  function releaseDeferred() {
    for (const [id, held] of state.deferred) {
      if (state.outbox.some((o) => o.text === held.text)) continue;
      state.deferred.delete(id);
      showMessage(held);
    }
  }

  function onNewMessage(message) {
    if (!message || typeof message.id !== "string") return;
    if (!state.conversationId && message.conversation_id) {
      setConversation(message.conversation_id, state.agentName);
    }
    if (message.author === "agent") hideAgentTyping();
    showMessage(message);
    confirmReceipt([message]);
  }

  function onStatus(frame) {
    const item = state.byId.get(frame.message_id);
    if (item) setStatus(item, frame.status);
  }

  function onAgentJoined(frame) {
    state.closedShown.delete(frame.conversation_id);
    setConversation(frame.conversation_id, frame.agent_name);
    noteAgentJoined(frame);
  }

  function noteAgentJoined(frame) {
    callHooks.onMessageAgentJoined?.(frame);
    const key = `${frame.conversation_id}/${frame.agent_name}`;
    if (state.joinedNotice !== key) {
      state.joinedNotice = key;
      addNotice(t("agent_joined", { agent: frame.agent_name }), "joined");
    }
  }

  /** ``ts``: when it was closed, for a close the welcome brings late. */
  function onClosed(frame, ts = Date.now()) {
    const id = frame.conversation_id;
    // Told once: a welcome's resumed close and the live frame can both arrive.
    if (typeof id === "string" && state.closedShown.has(id)) return;
    if (typeof id === "string") {
      state.closedShown.add(id);
      forgetSeen(id);
    }
    hideAgentTyping();
    const by = ["agent", "customer"].includes(frame.closed_by) ? frame.closed_by : "system";
    addNotice(t(`closed_${by}`), "closed", ts);
    setConversation(null, null);
    callHooks.onConversationClosed?.(frame);
  }

  function onError(frame) {
    if (callHooks.onCallError?.(frame)) return;
    if (callHooks.onRatingError?.(frame)) return;
    if (callHooks.onMessageError?.(frame)) return;
    const item = frame.ref && state.outbox.find((o) => o.id === frame.ref);
    if (["rate_limited", "internal", "unavailable"].includes(frame.code)) {
      // All are worth a retry (resends are deduplicated; "unavailable": the hub cannot
      // write its database now, e.g. a full disk). A refused frame is not named, so
      // every unacked message stays pending and goes again.
      state.inflight.clear();
      clearTimeout(state.retryTimer);
      state.retryTimer = setTimeout(flushOutbox, RATE_LIMIT_RETRY_MS);
    } else if (item) {
      dropFromOutbox(item.id); // the hub will refuse it every time
      const pending = state.pendingById.get(item.id);
      state.pendingById.delete(item.id);
      if (pending) setStatus(pending, "failed");
      releaseDeferred();
    }
    if (frame.code === "unsupported_version") state.stopped = true;
    // Errors about something other than the customer's own messages (e.g. a stale receipt)
    // mean nothing to them.
    if (!frame.ref || item) showError(frame.code);
    else console.warn("zuoxi hub:", frame.code, frame.message);
  }

  /** Tell the hub these agent messages are on screen (it marks them delivered). */
  function confirmReceipt(messages) {
    const ids = messages
      .filter((m) => m.author === "agent" && m.status !== "delivered")
      .map((m) => m.id);
    for (let i = 0; i < ids.length; i += 200) {
      sendFrame({ type: "received", message_ids: ids.slice(i, i + 200) });
    }
  }

  // ---- rendering -----------------------------------------------------------------

  function setConversation(id, agentName) {
    state.conversationId = id;
    state.agentName = id ? agentName || state.agentName : null;
    ui.root.dataset.conversationId = id || "";
    ui.close.disabled = !id;
    ui.details.hidden = Boolean(id);
    renderPresence();
  }

  function showMessage(message) {
    const existing = state.byId.get(message.id);
    if (existing) {
      setStatus(existing, message.status);
      return existing;
    }
    const item = message.author === "system"
      ? addNotice(callHooks.systemText?.(message.text) ?? message.text, "system",
        message.created_at)
      : insert(renderMessage(message));
    state.byId.set(message.id, item);
    noteSeen(message);
    return item;
  }

  function renderMessage(message) {
    const own = message.author === "customer";
    const item = document.createElement("li");
    item.className = own ? "msg msg-own" : "msg msg-agent";
    item.dataset.id = message.id;
    item.dataset.author = message.author;
    item.dataset.ts = String(message.created_at);

    const who = document.createElement("span");
    who.className = own ? "who visually-hidden" : "who";
    who.textContent = own ? t("you") : message.author === "bot" ? t("bot")
      : message.author_name || state.agentName || t("agent");

    const bubble = document.createElement("div");
    bubble.className = "bubble";
    bubble.textContent = message.text;

    const meta = document.createElement("div");
    meta.className = "meta";
    const when = document.createElement("time");
    const date = new Date(message.created_at);
    when.dateTime = date.toISOString();
    when.title = fullFormat.format(date);
    when.textContent = timeFormat.format(date);
    meta.append(when);
    if (own) {
      const status = document.createElement("span");
      status.className = "status";
      meta.append(status);
    }
    item.append(who, bubble, meta);
    if (own) setStatus(item, message.status || "sent", true);
    return item;
  }

  /** Delivery states only move forward (an old ack must not undo "delivered"). */
  function setStatus(item, status, force = false) {
    if (item.dataset.author !== "customer" || !(status in STATUS_RANK)) return;
    const current = item.dataset.status;
    if (!force && current && STATUS_RANK[status] <= STATUS_RANK[current] && current !== "failed") return;
    item.dataset.status = status;
    item.querySelector(".status").textContent = t(`status_${status}`);
  }

  function addPending(outboxItem) {
    const item = renderMessage({
      id: outboxItem.id, author: "customer", text: outboxItem.text,
      created_at: outboxItem.ts, status: "pending",
    });
    item.dataset.clientId = outboxItem.id;
    state.pendingById.set(outboxItem.id, item);
    insert(item, true);
  }

  function addNotice(text, kind = "system", ts = Date.now()) {
    const item = document.createElement("li");
    item.className = "notice";
    item.dataset.kind = kind;
    item.dataset.ts = String(ts);
    item.textContent = text;
    return insert(item);
  }

  /** Insert in time order (history can arrive after live items), keeping the view pinned. */
  function insert(item, forceScroll = false) {
    const { scroller, log } = ui;
    const pinned = scroller.scrollHeight - scroller.scrollTop - scroller.clientHeight < 80;
    const ts = Number(item.dataset.ts);
    let before = null;
    for (let node = log.lastElementChild; node; node = node.previousElementSibling) {
      if (Number(node.dataset.ts) <= ts) break;
      before = node;
    }
    log.insertBefore(item, before);
    if (pinned || forceScroll) scroller.scrollTop = scroller.scrollHeight;
    return item;
  }

  function showAgentTyping(agentName) {
    ui.typing.textContent = t("typing", { agent: agentName || state.agentName || t("agent") });
    ui.typing.hidden = false;
    clearTimeout(state.agentTypingTimer);
    state.agentTypingTimer = setTimeout(hideAgentTyping, AGENT_TYPING_TIMEOUT_MS);
  }

  function hideAgentTyping() {
    clearTimeout(state.agentTypingTimer);
    ui.typing.hidden = true;
    ui.typing.textContent = "";
  }

  function showError(code) {
    const key = `error_${code}`;
    showErrorText(key in TEXT.en ? t(key) : t("error_generic", { code: String(code) }));
    ui.error.dataset.code = String(code);
  }

  function showErrorText(text) {
    ui.errorText.textContent = text;
    ui.error.hidden = false;
    delete ui.error.dataset.code;
    clearTimeout(state.errorTimer);
    if (!callHooks.easy()) state.errorTimer = setTimeout(hideError, ERROR_SHOW_MS);
  }

  function hideError() {
    clearTimeout(state.errorTimer);
    ui.error.hidden = true;
  }

  // ---- customer input ---------------------------------------------------------------

  function submit() {
    const text = ui.text.value.trim();
    if (!text) return;
    const item = { id: newId(), text, ts: Date.now() };
    const frame = JSON.stringify({ type: "send", id: item.id, text });
    if ([...text].length > MAX_TEXT_CHARS || new TextEncoder().encode(frame).length > MAX_FRAME_BYTES) {
      showError("too_large");
      return;
    }
    state.outbox.push(item);
    saveOutbox();
    addPending(item);
    callHooks.onConversationStarted?.();
    ui.text.value = "";
    autosize();
    stopTyping();
    hideError();
    flushOutbox();
  }

  function noteTyping() {
    if (!ui.text.value) return stopTyping();
    if (!state.conversationId || !state.welcomed) return undefined;
    const now = Date.now();
    if (now - state.typingSentAt > TYPING_REFRESH_MS && sendFrame({ type: "typing", active: true })) {
      state.typingSentAt = now;
    }
    clearTimeout(state.typingIdleTimer);
    state.typingIdleTimer = setTimeout(stopTyping, TYPING_IDLE_MS);
    return undefined;
  }

  function stopTyping() {
    clearTimeout(state.typingIdleTimer);
    if (state.typingSentAt) sendFrame({ type: "typing", active: false });
    state.typingSentAt = 0;
  }

  function autosize() {
    ui.text.style.height = "auto";
    ui.text.style.height = `${Math.min(ui.text.scrollHeight, 160)}px`;
  }

  /** The trimmed email or phone, or null when empty or failing the sanity check. */
  function contactValue(kind) {
    const value = ui[kind].value.normalize("NFKC").trim();
    if (!value) return null;
    if (kind === "email") {
      return [...value].length <= MAX_EMAIL_CHARS && EMAIL_PATTERN.test(value) ? value : null;
    }
    const digits = value.replace(/\D/g, "").length;
    return [...value].length <= MAX_PHONE_CHARS && PHONE_PATTERN.test(value)
      && digits >= 5 && digits <= 20 ? value : null;
  }

  function helloDetails() {
    return {
      name: ui.name.value.trim().slice(0, MAX_NAME_CHARS) || null,
      email: contactValue("email"),
      phone: contactValue("phone"),
      topic: ui.topic.value || null,
    };
  }

  /** The topics the hub's routing file offers (labels in en and zh); none: no choice shown. */
  async function loadTopics() {
    let topics = [];
    try {
      const response = await fetch(new URL("api/widget/topics", window.location.href),
        { headers: { Accept: "application/json" } });
      if (response.ok) topics = (await response.json()).topics;
    } catch {
      return; // an older hub, or offline: chat without a topic
    }
    if (!Array.isArray(topics)) return;
    for (const topic of topics) {
      if (!topic || typeof topic.id !== "string" || !topic.id || topic.id.length > MAX_TOPIC_CHARS
          || !topic.labels || typeof topic.labels !== "object") continue;
      const option = document.createElement("option");
      option.value = topic.id;
      option.textContent = String(topic.labels[lang] || topic.labels.en || topic.id);
      ui.topic.append(option);
    }
    ui.topicRow.hidden = ui.topic.options.length < 2;
  }

  function helloIsStale() {
    return JSON.stringify(helloDetails()) !== state.hello;
  }

  /** Mark fields whose value will not be sent; while typing, only ever clear the mark. */
  function checkContacts(onlyClear = false) {
    const problems = [];
    for (const kind of ["email", "phone"]) {
      const input = ui[kind];
      const invalid = Boolean(input.value.trim()) && contactValue(kind) === null;
      if (invalid && onlyClear && input.getAttribute("aria-invalid") !== "true") continue;
      if (invalid) problems.push(t(`${kind}_invalid`));
      if (invalid) input.setAttribute("aria-invalid", "true");
      else input.removeAttribute("aria-invalid");
    }
    ui.detailsHint.textContent = problems.join(" ");
    ui.detailsHint.hidden = problems.length === 0;
  }

  function detailsChanged() {
    store.set(KEY.name, ui.name.value.trim().slice(0, MAX_NAME_CHARS));
    store.set(KEY.email, ui.email.value.trim().slice(0, MAX_EMAIL_CHARS));
    store.set(KEY.phone, ui.phone.value.trim().slice(0, MAX_PHONE_CHARS));
    checkContacts();
    // They travel in hello; before a conversation opens, a quick reconnect carries them.
    if (state.welcomed && !state.conversationId && helloIsStale()) {
      dropSocket();
      scheduleReconnect(0);
    }
  }

  function translatePage() {
    document.documentElement.lang = lang === "zh" ? "zh-CN" : "en";
    document.title = t("title");
    for (const node of document.querySelectorAll("[data-i18n]")) node.textContent = t(node.dataset.i18n);
    for (const node of document.querySelectorAll("[data-i18n-placeholder]")) {
      node.placeholder = t(node.dataset.i18nPlaceholder);
    }
    for (const node of document.querySelectorAll("[data-i18n-title]")) node.title = t(node.dataset.i18nTitle);
    for (const node of document.querySelectorAll("[data-i18n-aria-label]")) {
      node.setAttribute("aria-label", t(node.dataset.i18nAriaLabel));
    }
  }

  function start() {
    translatePage();
    ui.name.value = store.get(KEY.name) || "";
    ui.email.value = store.get(KEY.email) || "";
    ui.phone.value = store.get(KEY.phone) || "";
    checkContacts();
    ui.form.addEventListener("submit", (event) => {
      event.preventDefault();
      submit();
    });
    ui.text.addEventListener("keydown", (event) => {
      // isComposing: Enter that confirms an IME candidate (pinyin) must not send.
      if (event.key === "Enter" && !event.shiftKey && !event.isComposing && event.keyCode !== 229) {
        event.preventDefault();
        submit();
      }
    });
    ui.text.addEventListener("input", () => {
      autosize();
      noteTyping();
    });
    ui.text.addEventListener("blur", stopTyping);
    for (const input of [ui.name, ui.email, ui.phone, ui.topic]) {
      input.addEventListener("change", detailsChanged);
    }
    for (const input of [ui.email, ui.phone]) input.addEventListener("input", () => checkContacts(true));
    ui.close.addEventListener("click", () => {
      // Naming it keeps a stale page from closing a conversation it does not show.
      if (state.conversationId) sendFrame({ type: "close", conversation_id: state.conversationId });
    });
    ui.errorDismiss.addEventListener("click", hideError);
    window.addEventListener("online", () => {
      if (state.welcomed) setConnection("online");
      else if (!state.ws && !state.stopped) {
        state.attempts = 0;
        connect();
      }
    });
    window.addEventListener("offline", () => setConnection("offline"));
    setInterval(() => {
      if (!state.welcomed) return;
      if (Date.now() - state.lastHeard > STALE_MS) dropSocket();
      else sendFrame({ type: "ping", nonce: Date.now() % 1e9 });
    }, PING_MS);
    setInterval(flushOutbox, ACK_TIMEOUT_MS / 2);
    state.outbox.forEach(addPending); // left unsent by an earlier visit; flushed after welcome
    setConversation(null, null);
    loadTopics();
    connect();
  }

  // The page's other scripts (bot, call, rating, easy mode, messages left) are deferred
  // too and register their hooks when they run; starting before all of them had run let
  // an early welcome miss a hook (the bot's "talk to a person" stayed hidden).
  // DOMContentLoaded comes after every deferred script.
  document.addEventListener("DOMContentLoaded", start, { once: true });
})();
