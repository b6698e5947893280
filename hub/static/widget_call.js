// Zuoxi widget voice calls: Call / Hang up / Mute over WebRTC, signalling on the
// widget's /customer websocket (frames in core/protocol/call.py). The hub relays SDP
// only; audio flows peer to peer over DTLS-SRTP. ICE is gathered completely before an
// offer or answer is sent (the agent side does not trickle).
"use strict";

(() => {
  const GATHER_TIMEOUT_MS = 3000;
  const TEXT = {
    en: {
      call: "Call", answer: "Answer", hang_up: "Hang up", mute: "Mute", unmute: "Unmute",
      calling: "Calling…", ringing: "Ringing…",
      queued: "All agents are busy, please hold. You will be connected to the next free agent.", in_call: "In call with {agent} · {time}",
      on_hold: "On hold · {time}", incoming: "{agent} is calling you",
      transferring: "Transferring your call…", ended: "Call ended",
      ended_no_agent: "No agent could take the call. Please try again later.",
      ended_no_answer: "Nobody answered. Please try again later.",
      ended_failed: "The call could not be connected.",
      ended_lost: "The call was cut off: the connection was lost.",
      err_in_call: "You are already in a call in another window.",
      err_insecure: "Voice calls need a secure (https) page. Please use the https address.",
      err_unsupported: "This browser cannot make voice calls.",
      err_denied: "Microphone access was blocked. Allow the microphone for this site and try again.",
      err_no_device: "No microphone was found. Connect one and try again.",
      err_busy: "The microphone is in use by another application.",
      err_generic: "The call could not be started ({name}).",
      recorded: "This call is recorded",
    },
    zh: {
      call: "语音通话", answer: "接听", hang_up: "挂断", mute: "静音", unmute: "取消静音",
      calling: "正在呼叫…", ringing: "正在振铃…",
      queued: "所有客服都在忙，请稍候。空闲的客服会马上为您接听。", in_call: "正在与 {agent} 通话 · {time}",
      on_hold: "通话保持中 · {time}", incoming: "{agent} 正在呼叫您",
      transferring: "正在为您转接…", ended: "通话已结束",
      ended_no_agent: "暂时没有客服可以接听，请稍后再试。",
      ended_no_answer: "无人接听，请稍后再试。",
      ended_failed: "通话未能接通。",
      ended_lost: "网络连接中断，通话已断开。",
      err_in_call: "您已在另一个窗口中通话。",
      err_insecure: "语音通话需要安全（https）页面，请使用 https 地址访问。",
      err_unsupported: "此浏览器不支持语音通话。",
      err_denied: "麦克风权限被拒绝。请允许本网站使用麦克风后重试。",
      err_no_device: "未找到麦克风。请连接麦克风后重试。",
      err_busy: "麦克风正被其他应用占用。",
      err_generic: "无法发起通话（{name}）。",
      recorded: "本通话正在录音",
    },
  };

  const widget = window.zuoxiWidget; // set by widget.js: send(frame), online(), lang, showText()
  if (!widget) return;
  const t = (key, vars = {}) => {
    let text = (TEXT[widget.lang] || TEXT.en)[key] ?? TEXT.en[key] ?? key;
    for (const [k, v] of Object.entries(vars)) text = text.replaceAll(`{${k}}`, v);
    return text;
  };
  const el = (id) => document.getElementById(id);
  const ui = {
    bar: el("callbar"), status: el("call-status"), call: el("call"),
    hangup: el("hangup"), mute: el("mute"), audio: el("remote-audio"),
  };

  // phase: idle | starting | calling | queued | ringing | incoming | active | held |
  // transferring (queued: no agent is free yet; the hub rings the next free one)
  // attempt counts calls placed or answered here: a step that awaited (the microphone
  // prompt, ICE gathering) checks it is still the same call before going on.
  const call = {
    phase: "idle", id: null, pc: null, stream: null, remote: null, muted: false,
    agent: "", since: 0, timer: 0, offer: null, attempt: 0, announced: false,
    recorded: false, // the agent's side records this call (the queue announces it)
  };
  // Calls that ended here while the hub may not know yet (the link was down).
  const unsent = new Set();
  const RING_PHASES = ["starting", "calling", "queued", "ringing", "transferring"];
  window.zuoxiCall = call; // read-only view for tests and embedding pages

  function newCallId() {
    const bytes = crypto.getRandomValues(new Uint8Array(12));
    return "c-" + Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  }

  function micError(err) {
    const name = (err && err.name) || "Error";
    if (name === "NotAllowedError" || name === "SecurityError") return t("err_denied");
    if (name === "NotFoundError" || name === "OverconstrainedError") return t("err_no_device");
    if (name === "NotReadableError" || name === "AbortError") return t("err_busy");
    return t("err_generic", { name });
  }

  /** The microphone, or a clear sentence why not (thrown as an Error with .userText). */
  async function microphone() {
    if (!window.isSecureContext) throw Object.assign(new Error("insecure"), { userText: t("err_insecure") });
    if (!navigator.mediaDevices?.getUserMedia || !window.RTCPeerConnection) {
      throw Object.assign(new Error("unsupported"), { userText: t("err_unsupported") });
    }
    try {
      return await navigator.mediaDevices.getUserMedia({
        audio: { echoCancellation: true, noiseSuppression: true, autoGainControl: true },
        video: false,
      });
    } catch (err) {
      throw Object.assign(new Error(err?.name || "mic"), { userText: micError(err) });
    }
  }

  function newPeer() {
    const pc = new RTCPeerConnection({ iceServers: [] });
    for (const track of call.stream.getAudioTracks()) pc.addTrack(track, call.stream);
    pc.addEventListener("track", (event) => {
      call.remote = event.streams[0] || new MediaStream([event.track]);
      ui.audio.srcObject = call.remote;
      ui.audio.play().catch(() => { /* autoplay: the click that started the call allows it */ });
    });
    pc.addEventListener("connectionstatechange", () => {
      if (pc === call.pc && pc.connectionState === "failed") end("failed", true);
    });
    return pc;
  }

  function gathered(pc) {
    if (pc.iceGatheringState === "complete") return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        if (pc.iceGatheringState !== "complete") return;
        pc.removeEventListener("icegatheringstatechange", done);
        resolve();
      };
      pc.addEventListener("icegatheringstatechange", done);
      setTimeout(resolve, GATHER_TIMEOUT_MS); // send what we have rather than hang
    });
  }

  async function localSdp(pc, description) {
    await pc.setLocalDescription(description);
    await gathered(pc);
    return pc.localDescription.sdp;
  }

  async function placeCall() {
    const attempt = ++call.attempt;
    setPhase("starting");
    let stream;
    try {
      stream = await microphone();
    } catch (err) {
      if (attempt !== call.attempt) return;
      setPhase("idle");
      ui.status.textContent = ""; // no call was placed: the error banner says why
      ui.status.hidden = true;
      widget.showText(err.userText || String(err));
      return;
    }
    if (attempt !== call.attempt) { // hung up while the browser asked for the microphone
      for (const track of stream.getTracks()) track.stop();
      return;
    }
    call.stream = stream;
    call.id = newCallId();
    await sendOffer().catch(() => end("failed", true));
  }

  async function sendOffer() {
    if (call.pc) call.pc.close();
    const pc = newPeer();
    call.pc = pc;
    const sdp = await localSdp(pc, await pc.createOffer());
    if (pc !== call.pc) return; // hung up meanwhile
    if (!widget.send({ type: "call_start", call_id: call.id, sdp })) return end("lost", false);
    call.announced = true;
    setPhase("calling");
  }

  async function answerOffer(sdp) {
    const pc = call.pc;
    await pc.setRemoteDescription({ type: "offer", sdp });
    const answer = await localSdp(pc, await pc.createAnswer());
    if (pc === call.pc) widget.send({ type: "call_answer", call_id: call.id, sdp: answer });
  }

  async function acceptIncoming() {
    const offer = call.offer;
    const attempt = ++call.attempt;
    setPhase("starting");
    let stream;
    try {
      stream = await microphone();
    } catch (err) {
      if (attempt !== call.attempt) return;
      end("", true);
      widget.showText(err.userText || String(err));
      return;
    }
    if (attempt !== call.attempt) {
      for (const track of stream.getTracks()) track.stop();
      return;
    }
    call.stream = stream;
    call.pc = newPeer();
    try {
      await answerOffer(offer);
    } catch {
      if (attempt === call.attempt) end("failed", true);
      return;
    }
    if (attempt !== call.attempt) return;
    startTimer();
    setPhase("active");
  }

  function onFrame(frame) {
    if (frame.type === "call_offer" && frame.purpose === "call" && call.phase === "idle") {
      call.id = frame.call_id;
      call.announced = true;
      call.agent = frame.agent_name || "";
      call.recorded = Boolean(frame.recorded);
      call.offer = frame.sdp;
      setPhase("incoming");
      return;
    }
    if (frame.call_id !== call.id) return; // a stale call's frame
    switch (frame.type) {
      case "call_ringing": setPhase("ringing"); break;
      case "call_queued": setPhase("queued"); break;
      case "call_recording": call.recorded = Boolean(frame.recording); render(); break;
      case "call_answered":
        call.agent = frame.agent_name || "";
        call.recorded = Boolean(frame.recorded);
        call.pc.setRemoteDescription({ type: "answer", sdp: frame.sdp })
          .then(() => { startTimer(); setPhase("active"); })
          .catch(() => end("failed", true));
        break;
      case "call_offer":
        setPhase(frame.purpose === "hold" ? "held" : "active");
        answerOffer(frame.sdp).catch(() => end("failed", true));
        break;
      case "call_transfer":
        setPhase("transferring");
        sendOffer().catch(() => end("failed", true));
        break;
      case "call_ended": end(frame.reason, false); break;
      default: break;
    }
  }

  function startTimer() {
    if (call.since) return;
    call.since = Date.now();
    clearInterval(call.timer);
    call.timer = setInterval(render, 1000);
  }

  function hangUp() {
    end("", true);
  }

  /** The hub refused a call frame (its ref is the call id). True when it was ours. */
  function onError(frame) {
    if (!frame.ref) return false;
    if (unsent.delete(frame.ref)) return true; // the call had ended there too
    if (frame.ref !== call.id) return false;
    if (RING_PHASES.includes(call.phase)) {
      end(frame.code === "conflict" ? "in_call" : "failed", false);
    } else {
      console.warn("zuoxi hub (call):", frame.code, frame.message);
    }
    return true;
  }

  /** The widget's link to the hub dropped: the hub ends the call, so say so here. */
  function onOnlineChange() {
    if (!widget.online() && call.phase !== "idle") {
      if (call.announced) unsent.add(call.id);
      end(call.phase === "incoming" ? "" : "lost", false);
    } else if (widget.online()) {
      for (const id of unsent) widget.send({ type: "call_hangup", call_id: id });
    }
    render();
  }

  function toggleMute() {
    call.muted = !call.muted;
    for (const track of call.stream?.getAudioTracks() || []) track.enabled = !call.muted;
    widget.send({ type: "call_mute", call_id: call.id, muted: call.muted });
    render();
  }

  function end(reason, tellHub) {
    if (tellHub && call.id && call.announced) {
      if (!widget.send({ type: "call_hangup", call_id: call.id })) unsent.add(call.id);
    }
    call.attempt += 1; // whatever this call still awaited is void now
    call.pc?.close();
    for (const track of call.stream?.getTracks() || []) track.stop();
    clearInterval(call.timer);
    Object.assign(call, {
      id: null, pc: null, stream: null, remote: null, muted: false, since: 0, offer: null,
      announced: false, recorded: false,
    });
    ui.audio.srcObject = null;
    setPhase("idle");
    const key = { no_agent: "ended_no_agent", no_answer: "ended_no_answer", declined: "ended_no_answer",
      failed: "ended_failed", lost: "ended_lost", in_call: "err_in_call" }[reason];
    ui.status.textContent = reason ? t(key || "ended") : t("ended");
    ui.status.hidden = false;
  }

  function setPhase(phase) {
    call.phase = phase;
    ui.bar.dataset.phase = phase;
    render();
  }

  function clock() {
    const s = call.since ? Math.floor((Date.now() - call.since) / 1000) : 0;
    return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, "0")}`;
  }

  function render() {
    const { phase } = call;
    const live = !["idle", "incoming"].includes(phase);
    ui.call.hidden = live;
    ui.call.textContent = phase === "incoming" ? t("answer") : t("call");
    ui.call.disabled = !widget.online() && phase === "idle";
    ui.hangup.hidden = phase === "idle";
    ui.mute.hidden = !["active", "held"].includes(phase);
    ui.mute.textContent = call.muted ? t("unmute") : t("mute");
    ui.mute.setAttribute("aria-pressed", String(call.muted));
    const agent = call.agent || "";
    const text = {
      starting: t("calling"), calling: t("calling"), queued: t("queued"), ringing: t("ringing"),
      incoming: t("incoming", { agent }), active: t("in_call", { agent, time: clock() }),
      held: t("on_hold", { time: clock() }), transferring: t("transferring"),
    }[phase];
    if (text !== undefined) {
      const recorded = call.recorded && ["active", "held"].includes(phase);
      ui.status.textContent = recorded ? `${text} · ${t("recorded")}` : text;
      ui.status.hidden = false;
    }
  }

  ui.call.addEventListener("click", () => {
    if (call.phase === "incoming") acceptIncoming();
    else if (call.phase === "idle") placeCall();
  });
  ui.hangup.addEventListener("click", hangUp);
  ui.mute.addEventListener("click", toggleMute);
  window.addEventListener("pagehide", () => { if (call.id) hangUp(); });
  widget.onCallFrame = onFrame;
  widget.onCallError = onError;
  widget.onOnlineChange = onOnlineChange;
  ui.call.textContent = t("call");
  ui.hangup.textContent = t("hang_up");
  ui.bar.hidden = false;
  render();
})();
