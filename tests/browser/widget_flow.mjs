// Drives the customer widget in Debian's headless chromium (playwright-core, no bundled
// browser). tests/browser/test_widget.py plays the agent and runs this script; the
// script prints one JSON report on stdout and exits 0 even when a check fails, so the
// Python side can show everything that was observed.
//
// Environment: WIDGET_URL (the hub's widget page), SCREENSHOT_DIR, CHROMIUM (optional),
// AGENT_REPLY (the text the agent will send), STEP_TIMEOUT_MS (optional).

import { chromium } from "playwright-core";
import path from "node:path";

const widgetUrl = process.env.WIDGET_URL;
const shotDir = process.env.SCREENSHOT_DIR || ".";
const agentReply = process.env.AGENT_REPLY || "";
const timeout = Number(process.env.STEP_TIMEOUT_MS || 15000);

const report = { ok: false, steps: [], errors: [], page_errors: [], console_errors: [] };
const step = (name, data = {}) => report.steps.push({ name, ...data });

// Every /customer socket goes through this relay so the test can cut the link, refuse
// reconnects, or swallow acks (to prove unacked messages are resent and deduped).
const relay = {
  blockNew: false, dropAcks: false, droppedAcks: 0, connections: 0, refused: 0, current: null,
  hellos: [],
};

// Natural text (the last screenshot goes into the docs); the second one also proves that
// markup in a message is shown as text, and the last two test lost acks and a dead link.
const FLOOD_SIZE = 40;
const EMAIL = "Wang.Fang@Example.com";
const PHONE = "150 1234 5678"; // the hub allows a burst of 30 frames per customer connection

const MESSAGES = {
  first: "Hello, my order 42 has not arrived. 我的订单还没到。",
  second: "Thanks!\nCan it go to <Room 502> & not the front desk?",
  lostAck: "I'm home after 6 pm.",
  offline: "My phone is 138 0013 8000.",
};

async function main() {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    headless: true,
    args: [
      "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync",
    ],
  });
  try {
    await customerFlow(browser);
    await chineseUi(browser);
    report.ok = report.errors.length === 0 && report.page_errors.length === 0;
  } finally {
    await browser.close();
  }
}

async function customerFlow(browser) {
  const context = await browser.newContext({ locale: "en-US", viewport: { width: 900, height: 760 } });
  await context.addInitScript(recordStatuses);
  await context.routeWebSocket(/\/customer$/, (ws) => {
    if (relay.blockNew) {
      relay.refused += 1;
      ws.close({ code: 4000, reason: "refused by the test" });
      return;
    }
    relay.connections += 1;
    relay.current = ws;
    const server = ws.connectToServer();
    ws.onMessage((data) => {
      const frame = JSON.parse(data);
      if (frame.type === "hello") relay.hellos.push(frame);
      server.send(data);
    });
    server.onMessage((data) => {
      if (relay.dropAcks && JSON.parse(data).type === "ack") {
        relay.droppedAcks += 1;
        return;
      }
      ws.send(data);
    });
  });
  const page = await context.newPage();
  watchPage(page);

  await page.goto(widgetUrl);
  await online(page);
  step("loaded", {
    lang: await page.locator("html").getAttribute("lang"),
    send_label: await page.locator("#send").textContent(),
    visitor_id: await page.evaluate(() => localStorage.getItem("zuoxi.visitor_id")),
  });

  // The name, email and phone go out in hello: filling them before the first message
  // reconnects. A phone that fails the sanity check gets a hint and is not sent.
  await page.fill("#name", "Wang Fang");
  await page.click("#email");
  await page.keyboard.type(EMAIL);
  await page.press("#email", "Tab"); // keyboard: Tab moves on to the phone field
  await page.keyboard.type("call me");
  await page.press("#phone", "Tab");
  await page.locator("#details-hint").waitFor({ timeout });
  const badPhone = {
    hint: await page.locator("#details-hint").textContent(),
    phone_invalid: await page.locator("#phone").getAttribute("aria-invalid"),
    email_invalid: await page.locator("#email").getAttribute("aria-invalid"),
  };
  await until(() => relay.hellos.at(-1)?.email === EMAIL, "the reconnect that carries the email");
  badPhone.hello_has_phone = "phone" in relay.hellos.at(-1);
  await page.fill("#phone", PHONE);
  await page.click("#text");
  await until(() => relay.hellos.at(-1)?.phone === PHONE, "the reconnect that carries the phone");
  await online(page);
  step("details", {
    bad_phone: badPhone,
    hint_hidden: await page.locator("#details-hint").isHidden(),
    last_hello: relay.hellos.at(-1),
    stored: await page.evaluate(() => ["name", "email", "phone"]
      .map((key) => localStorage.getItem(`zuoxi.${key}`))),
  });

  const typingSeen = page.waitForSelector("#typing:not([hidden])", { timeout })
    .then(async (el) => (await el.textContent()).trim(), () => null);
  await sendText(page, MESSAGES.first);
  await waitOwnStatus(page, MESSAGES.first, "delivered");
  const conversationId = await page.locator("#chat").getAttribute("data-conversation-id");
  step("first_message", {
    statuses: await statusHistory(page, MESSAGES.first),
    conversation_id: conversationId,
    details_hidden: await page.locator("#details").isHidden(),
  });

  const agentItem = page.locator("li.msg-agent").first();
  await agentItem.waitFor({ timeout });
  step("agent_reply", {
    text: await agentItem.locator(".bubble").textContent(),
    who: await agentItem.locator(".who").textContent(),
    typing_text: await typingSeen,
    joined_notice: await page.locator('li.notice[data-kind="joined"]').allTextContents(),
    presence: await page.locator("#presence").textContent(),
  });
  if (agentReply && (await agentItem.locator(".bubble").textContent()) !== agentReply) {
    report.errors.push("the agent's reply text differs");
  }

  // Typed slowly, so the throttled typing frames reach the agent; Shift+Enter adds a line.
  const [line1, line2] = MESSAGES.second.split("\n");
  await page.click("#text");
  await page.keyboard.type(line1, { delay: 40 });
  await page.keyboard.press("Shift+Enter");
  await page.keyboard.type(line2, { delay: 20 });
  await page.keyboard.press("Enter");
  await waitOwnStatus(page, MESSAGES.second, "delivered");
  step("second_message", {
    statuses: await statusHistory(page, MESSAGES.second),
    rendered_html: await ownItem(page, MESSAGES.second).locator(".bubble").innerHTML(),
  });

  // The hub stores the message but its ack is lost; the link drops; after the reconnect
  // the widget resends the same id and the hub answers with the stored message.
  relay.dropAcks = true;
  await sendText(page, MESSAGES.lostAck);
  await until(() => relay.droppedAcks >= 1, "the hub's ack to be swallowed");
  const statusWithoutAck = await ownStatus(page, MESSAGES.lostAck);
  relay.dropAcks = false;
  relay.current.close({ code: 4001, reason: "cut by the test" });
  await waitOwnStatus(page, MESSAGES.lostAck, "delivered");
  step("lost_ack", {
    status_without_ack: statusWithoutAck,
    dropped_acks: relay.droppedAcks,
    copies: await ownItems(page, MESSAGES.lostAck).count(),
  });

  // The link is down and reconnects are refused: the message waits, then goes out.
  relay.blockNew = true;
  relay.current.close({ code: 4001, reason: "cut by the test" });
  await page.waitForFunction(() => document.getElementById("chat").dataset.connection !== "online",
    null, { timeout });
  const refusedBefore = relay.refused;
  await sendText(page, MESSAGES.offline);
  // The widget has tried to reconnect since (and was refused): it still waits.
  await until(() => relay.refused > refusedBefore, "a refused reconnect");
  const offlineStatus = await ownStatus(page, MESSAGES.offline);
  const offlinePresence = await page.locator("#presence").textContent();
  relay.blockNew = false;
  await waitOwnStatus(page, MESSAGES.offline, "delivered", timeout + 30000);
  step("offline_send", { status_while_down: offlineStatus, presence_while_down: offlinePresence });

  // A returning visitor gets the same conversation and its history back.
  const before = await transcript(page);
  await page.reload();
  await online(page);
  await page.locator("li.msg").nth(before.length - 1).waitFor({ timeout });
  const after = await transcript(page);
  step("reload", {
    conversation_id: await page.locator("#chat").getAttribute("data-conversation-id"),
    before,
    after,
    outbox: await page.evaluate(() => localStorage.getItem("zuoxi.outbox")),
  });
  await page.screenshot({ path: path.join(shotDir, "widget.png"), animations: "disabled" });
  await page.setViewportSize({ width: 390, height: 760 });
  await page.screenshot({ path: path.join(shotDir, "widget-mobile.png"), animations: "disabled" });

  await page.click("#close");
  const closed = page.locator('li.notice[data-kind="closed"]');
  await closed.waitFor({ timeout });
  step("closed", {
    notice: await closed.textContent(),
    conversation_id: await page.locator("#chat").getAttribute("data-conversation-id"),
    close_disabled: await page.locator("#close").isDisabled(),
  });

  // A burst beyond the hub's per-connection rate: the customer is told, and every
  // refused message is sent again until all are stored, once each.
  const flood = Array.from({ length: FLOOD_SIZE }, (_, i) => `Burst ${i + 1}`);
  await page.evaluate((texts) => {
    const text = document.getElementById("text");
    const form = document.getElementById("composer");
    for (const value of texts) {
      text.value = value;
      form.requestSubmit();
    }
  }, flood);
  const banner = page.locator('#error[data-code="rate_limited"]');
  await banner.waitFor({ timeout });
  const bannerText = await banner.locator("#error-text").textContent();
  await page.waitForFunction((n) => {
    const own = [...document.querySelectorAll("li.msg-own")]
      .filter((li) => li.querySelector(".bubble").textContent.startsWith("Burst "));
    return own.length === n && own.every((li) => li.dataset.status !== "pending");
  }, FLOOD_SIZE, { timeout: timeout + 30000 });
  step("flood", {
    banner: bannerText,
    shown: (await transcript(page)).filter((m) => m.text.startsWith("Burst "))
      .map((m) => [m.text, m.status]),
  });
  step("relay", { connections: relay.connections });
  await context.close();
}

async function chineseUi(browser) {
  const context = await browser.newContext({ locale: "zh-CN", viewport: { width: 390, height: 700 } });
  const page = await context.newPage();
  watchPage(page);
  await page.goto(widgetUrl);
  await online(page);
  step("chinese_ui", {
    lang: await page.locator("html").getAttribute("lang"),
    title: await page.title(),
    send_label: await page.locator("#send").textContent(),
    name_label: await page.locator('label[for="name"]').textContent(),
    email_label: await page.locator('label[for="email"]').textContent(),
    phone_label: await page.locator('label[for="phone"]').textContent(),
    presence: await page.locator("#presence").textContent(),
  });
  await page.screenshot({ path: path.join(shotDir, "widget-zh.png"), animations: "disabled" });
  await context.close();
}

// ---- helpers ---------------------------------------------------------------------

function watchPage(page) {
  page.on("pageerror", (err) => report.page_errors.push(String(err)));
  page.on("console", (msg) => {
    if (msg.type() === "error") report.console_errors.push(msg.text());
  });
}

/** Runs in the page: records each own message's delivery state as it changes. */
function recordStatuses() {
  window.__statuses = [];
  const note = (li) => {
    if (li.nodeType !== 1 || !li.matches("li.msg-own")) return;
    const text = li.querySelector(".bubble")?.textContent;
    const log = window.__statuses;
    const last = log.findLast((entry) => entry.text === text);
    if (!last || last.status !== li.dataset.status) log.push({ text, status: li.dataset.status });
  };
  document.addEventListener("DOMContentLoaded", () => {
    new MutationObserver((records) => {
      for (const record of records) {
        if (record.type === "attributes") note(record.target);
        else record.addedNodes.forEach(note);
      }
    }).observe(document.getElementById("log"), {
      subtree: true, childList: true, attributes: true, attributeFilter: ["data-status"],
    });
  });
}

async function until(condition, what) {
  const deadline = Date.now() + timeout;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function online(page) {
  await page.waitForSelector('#chat[data-connection="online"]', { timeout });
}

async function sendText(page, text) {
  await page.fill("#text", text);
  await page.press("#text", "Enter");
}

function ownItems(page, text) {
  return page.locator("li.msg-own").filter({ has: page.locator(".bubble", { hasText: text }) });
}

function ownItem(page, text) {
  return ownItems(page, text).last();
}

async function ownStatus(page, text) {
  return ownItem(page, text).getAttribute("data-status");
}

async function waitOwnStatus(page, text, status, ms = timeout) {
  await page.waitForFunction(
    ([wanted, state]) => [...document.querySelectorAll("li.msg-own")].some(
      (li) => li.querySelector(".bubble").textContent === wanted && li.dataset.status === state),
    [text, status], { timeout: ms });
}

async function statusHistory(page, text) {
  return page.evaluate((wanted) => window.__statuses.filter((e) => e.text === wanted)
    .map((e) => e.status), text);
}

async function transcript(page) {
  return page.evaluate(() => [...document.querySelectorAll("li.msg")].map((li) => ({
    id: li.dataset.id, author: li.dataset.author, text: li.querySelector(".bubble").textContent,
    status: li.dataset.status ?? null,
  })));
}

main()
  .catch((err) => report.errors.push(String(err && err.stack ? err.stack : err)))
  .finally(() => {
    process.stdout.write(JSON.stringify(report) + "\n");
  });
