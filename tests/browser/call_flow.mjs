// A voice call from the customer widget in Debian's headless chromium (playwright-core,
// no bundled browser), against a real hub and the agent's call engine that
// tests/browser/test_widget_call.py runs inside a private network namespace.
//
// The page's microphone is chromium's fake device playing a WAV file (440 Hz). The script
// presses Call, measures the agent's audio on the remote track with a WebAudio
// AnalyserNode, tries a second call from another tab, mutes and unmutes, hangs up, has
// the link cut during a call, hangs up while the microphone is being asked for, answers
// the agent's call-back, and then checks the clear errors when the microphone is refused
// or the page is not a secure context.
//
// Lockstep with the test: at each checkpoint the script prints one JSON line
// {"step": name, ...} on stdout and waits for one line on stdin ("go", or anything else
// to stop). The last stdout line is the report {"report": {...}}; the exit code is 0
// even when a check fails, so the test can show everything observed.
//
// Environment: WIDGET_URL, ORIGIN (the hub's origin), TONE_WAV, CHROMIUM (optional),
// SCREENSHOT_DIR (optional), STEP_TIMEOUT_MS (optional).

import { chromium } from "playwright-core";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import readline from "node:readline";

const widgetUrl = process.env.WIDGET_URL;
const origin = process.env.ORIGIN;
const toneWav = process.env.TONE_WAV;
const shotDir = process.env.SCREENSHOT_DIR || "";
const timeout = Number(process.env.STEP_TIMEOUT_MS || 15000);

const report = { errors: [], page_errors: [], console_errors: [] };
// Every /customer socket of the first browser goes through this relay, so the test can
// cut the widget's link to the hub in the middle of a call.
const relay = { blockNew: false, sockets: [] };
const lines = readline.createInterface({ input: process.stdin })[Symbol.asyncIterator]();

const BASE_ARGS = [
  "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
  "--no-first-run", "--disable-component-update", "--disable-sync",
];
const FAKE_MIC = [
  "--use-fake-device-for-media-stream", `--use-file-for-fake-audio-capture=${toneWav}`,
];

/** Tell the test where we are and wait for its go-ahead. */
async function checkpoint(step, data = {}) {
  process.stdout.write(JSON.stringify({ step, ...data }) + "\n");
  const { value, done } = await lines.next();
  if (done || value.trim() !== "go") throw new Error(`stopped by the test at ${step}: ${value}`);
}

/** A fresh chromium profile (its own --user-data-dir) with the given extra flags. */
async function withBrowser(extraArgs, use, { relayed = false } = {}) {
  const profile = await mkdtemp(path.join(tmpdir(), "zuoxi-chromium-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    headless: true,
    args: [...BASE_ARGS, ...extraArgs],
    locale: "en-US",
    viewport: { width: 480, height: 720 },
  });
  try {
    if (relayed) await context.routeWebSocket(/\/customer$/, relaySocket);
    return await use(await openWidget(context));
  } finally {
    await context.close();
    await rm(profile, { recursive: true, force: true });
  }
}

async function openWidget(context) {
  const page = context.pages().find((p) => p.url() === "about:blank") || (await context.newPage());
  watchPage(page);
  await page.goto(widgetUrl);
  await page.waitForSelector('#chat[data-connection="online"]', { timeout });
  await page.waitForSelector("#call:not([disabled])", { timeout });
  return page;
}

function relaySocket(ws) {
  if (relay.blockNew) {
    ws.close({ code: 4000, reason: "refused by the test" });
    return;
  }
  relay.sockets.push(ws);
  const server = ws.connectToServer();
  ws.onMessage((data) => server.send(data));
  server.onMessage((data) => ws.send(data));
}

function cutLinks() {
  relay.blockNew = true;
  for (const ws of relay.sockets.splice(0)) {
    try { ws.close({ code: 4001, reason: "cut by the test" }); } catch { /* already closed */ }
  }
}

function watchPage(page) {
  page.on("pageerror", (err) => report.page_errors.push(String(err)));
  page.on("console", (msg) => {
    if (msg.type() === "error") report.console_errors.push(msg.text());
  });
}

async function phase(page, wanted) {
  await page.waitForFunction((p) => window.zuoxiCall.phase === p, wanted, { timeout });
}

async function callState(page) {
  return page.evaluate(() => ({
    phase: window.zuoxiCall.phase,
    conversation_id: document.getElementById("chat").dataset.conversationId || "",
    status: document.getElementById("call-status").hidden ? ""
      : document.getElementById("call-status").textContent,
    call_label: document.getElementById("call").textContent,
    mute_label: document.getElementById("mute").textContent,
    mute_pressed: document.getElementById("mute").getAttribute("aria-pressed"),
    hangup_visible: !document.getElementById("hangup").hidden,
    call_visible: !document.getElementById("call").hidden,
    error: document.getElementById("error").hidden ? null
      : document.getElementById("error-text").textContent,
  }));
}

/**
 * Runs in the page: the remote track through a WebAudio AnalyserNode. Returns the
 * strongest frequency of each of several snapshots and the share of the energy within
 * 20 Hz of `target`, so the test sees the tone rather than just "some sound".
 */
async function measureRemote(target) {
  const stream = window.zuoxiCall.remote;
  if (!stream) return { error: "no remote stream" };
  const ctx = new AudioContext();
  await ctx.resume();
  const analyser = ctx.createAnalyser();
  analyser.fftSize = 8192;
  analyser.smoothingTimeConstant = 0;
  ctx.createMediaStreamSource(stream).connect(analyser);
  const bins = new Float32Array(analyser.frequencyBinCount);
  const binHz = ctx.sampleRate / analyser.fftSize;
  const snapshots = [];
  for (let i = 0; i < 8; i += 1) {
    await new Promise((resolve) => setTimeout(resolve, 200));
    analyser.getFloatFrequencyData(bins);
    let peak = 2;
    let total = 0;
    let near = 0;
    for (let k = 2; k < bins.length; k += 1) {
      if (bins[k] > bins[peak]) peak = k;
      const power = 10 ** (bins[k] / 10);
      total += power;
      if (Math.abs(k * binHz - target) <= 20) near += power;
    }
    snapshots.push({ peak_hz: peak * binHz, peak_db: bins[peak], share: total ? near / total : 0 });
  }
  await ctx.close();
  return { sample_rate: ctx.sampleRate, bin_hz: binHz, snapshots };
}

async function callFlow(page) {
  report.idle = await callState(page);
  await page.click("#call");
  await checkpoint("calling", { phase: (await callState(page)).phase });
  await phase(page, "active"); // the test's agent answered
  await page.waitForFunction(() => window.zuoxiCall.remote?.getAudioTracks().length > 0,
    null, { timeout });
  report.active = await callState(page);
  report.secure = await page.evaluate(() => window.isSecureContext);
  report.remote = await page.evaluate(measureRemote, 880);
  if (shotDir) await page.screenshot({ path: path.join(shotDir, "widget-call.png") });
  await checkpoint("active", { remote: report.remote });

  // The same visitor in a second tab cannot start another call: the hub refuses it.
  const second = await openWidget(page.context());
  await second.click("#call");
  await second.waitForFunction(() => window.zuoxiCall.phase === "idle"
    && document.getElementById("call-status").textContent.startsWith("You are"),
  null, { timeout });
  report.second_tab = await callState(second);
  await second.close();
  await checkpoint("second_tab", { state: report.second_tab });

  await page.click("#mute");
  report.muted = await callState(page);
  await checkpoint("muted", { state: report.muted });
  await page.click("#mute");
  report.unmuted = await callState(page);
  await checkpoint("unmuted", { state: report.unmuted });

  // The agent starts recording (the hotline records on demand and announces it).
  await checkpoint("record", {});
  await page.waitForFunction(() => window.zuoxiCall.recorded, null, { timeout });
  report.recorded = await callState(page);
  await checkpoint("recorded", { state: report.recorded });
  await page.waitForFunction(() => !window.zuoxiCall.recorded, null, { timeout });
  report.not_recorded = await callState(page);

  await page.click("#hangup");
  await phase(page, "idle");
  report.hung_up = {
    ...(await callState(page)),
    pc: await page.evaluate(() => window.zuoxiCall.pc === null && window.zuoxiCall.id === null),
  };
  await checkpoint("hung_up", { state: report.hung_up });

  // A second call, then the widget's link to the hub is cut: the hub ends the call and
  // the widget says why instead of showing a call that no longer exists.
  await page.click("#call");
  await checkpoint("calling", { phase: (await callState(page)).phase });
  await phase(page, "active");
  cutLinks();
  await phase(page, "idle");
  report.cut = await callState(page);
  if (shotDir) await page.screenshot({ path: path.join(shotDir, "widget-call-cut.png") });
  await checkpoint("cut", { state: report.cut });
  relay.blockNew = false;
  await page.waitForSelector('#chat[data-connection="online"]', { timeout: timeout + 30000 });
  // The widget sent its late hang-up on reconnecting; the hub's answer to it, if any,
  // comes before the ack of a message sent after it.
  await sendMarker(page, "marker reconnected");
  report.reconnected = await callState(page);

  // Hang up while the browser still asks for the microphone: no call may follow. The
  // answer to getUserMedia is held back (then given) to make that moment last.
  await page.evaluate(() => {
    const media = navigator.mediaDevices;
    const real = media.getUserMedia.bind(media);
    window.__realGetUserMedia = media.getUserMedia;
    media.getUserMedia = (constraints) => new Promise((resolve, reject) => {
      window.__grantMicrophone = () => real(constraints).then((stream) => {
        window.__grantedStream = stream;
        resolve(stream);
      }, reject);
    });
  });
  await page.click("#call");
  await phase(page, "starting");
  await page.click("#hangup");
  await phase(page, "idle");
  await page.evaluate(() => window.__grantMicrophone());
  await page.waitForFunction(() => window.__grantedStream, null, { timeout });
  await page.evaluate(() => { navigator.mediaDevices.getUserMedia = window.__realGetUserMedia; });
  await page.waitForFunction(() => window.__grantedStream.getTracks()
    .every((track) => track.readyState === "ended"), null, { timeout }).catch(() => {});
  await sendMarker(page, "marker abandoned");
  report.abandoned = {
    ...(await callState(page)),
    mic_released: await page.evaluate(() => window.__grantedStream.getTracks()
      .every((track) => track.readyState === "ended")),
  };
  await checkpoint("abandoned", { state: report.abandoned });

  // The agent calls the customer back: the widget rings, Answer connects both ways.
  await phase(page, "incoming");
  report.incoming = await callState(page);
  await page.click("#call");
  await phase(page, "active");
  await page.waitForFunction(() => window.zuoxiCall.remote?.getAudioTracks().length > 0,
    null, { timeout });
  report.callback_remote = await page.evaluate(measureRemote, 880);
  await checkpoint("answered", { remote: report.callback_remote });
  await page.click("#hangup");
  await phase(page, "idle");
  report.callback_hung_up = await callState(page);
  await checkpoint("hung_up", { state: report.callback_hung_up });
}

/** Press Call where the microphone cannot be had; the widget must say why. */
async function refusedCall(page, key) {
  await page.click("#call");
  await page.waitForSelector("#error:not([hidden])", { timeout });
  report[key] = await callState(page);
  if (shotDir) await page.screenshot({ path: path.join(shotDir, `widget-call-${key}.png`) });
  await sendMarker(page, `marker ${key}`);
  await checkpoint(key, { state: report[key] });
}

/** A chat message after a call that must not happen, until the hub has stored it: the
 * hub handles the page's frames in order, so a call the page had started was handed to
 * the agent's connection before this message's ack came back. */
async function sendMarker(page, text) {
  await page.fill("#text", text);
  await page.press("#text", "Enter");
  await page.waitForFunction(
    (wanted) => [...document.querySelectorAll("li.msg-own")].some(
      (li) => li.querySelector(".bubble").textContent === wanted
        && ["sent", "delivered", "read"].includes(li.dataset.status)),
    text, { timeout });
}

async function main() {
  const secure = `--unsafely-treat-insecure-origin-as-secure=${origin}`;
  await withBrowser(["--use-fake-ui-for-media-stream", ...FAKE_MIC, secure], callFlow,
    { relayed: true });
  // No fake UI: the permission request is answered "block" for the hub's origin.
  await withBrowser([...FAKE_MIC, secure], async (page) => {
    const cdp = await page.context().newCDPSession(page);
    await cdp.send("Browser.setPermission", {
      permission: { name: "microphone" }, setting: "denied", origin,
    });
    await refusedCall(page, "denied");
  });
  // A plain-http page at a LAN address is not a secure context: no microphone at all.
  await withBrowser(["--use-fake-ui-for-media-stream", ...FAKE_MIC], (page) =>
    refusedCall(page, "insecure"));
}

main()
  .catch((err) => report.errors.push(String(err && err.stack ? err.stack : err)))
  .finally(() => {
    process.stdout.write(JSON.stringify({ report }) + "\n");
    process.exit(0);
  });
