// The widget in Debian's headless chromium while the hub's disk is full
// (tests/browser/test_widget_disk_full.py mounts a small tmpfs for the hub's database
// and fills it). A message the hub cannot store stays "sending" with a plain notice in
// the customer's language, is sent again by itself, and arrives once there is room.
//
// Lockstep with the test: at each checkpoint one JSON line {"step": name, ...} on
// stdout, then one line on stdin ("go", or anything else to stop). The last stdout line
// is {"report": {...}}.
//
// Environment: WIDGET_URL, LOCALE, SCREENSHOT_DIR, CHROMIUM (optional).

import { chromium } from "playwright-core";
import path from "node:path";
import readline from "node:readline";

const widgetUrl = process.env.WIDGET_URL;
const locale = process.env.LOCALE || "en-US";
const shotDir = process.env.SCREENSHOT_DIR || ".";
const timeout = 30000;
const report = { page_errors: [], console_errors: [], refusals: 0 };
const input = readline.createInterface({ input: process.stdin });
const lines = input[Symbol.asyncIterator]();

async function checkpoint(step, data = {}) {
  process.stdout.write(JSON.stringify({ step, ...data }) + "\n");
  const { value, done } = await lines.next();
  if (done || value.trim() !== "go") throw new Error(`stopped by the test at ${step}: ${value}`);
}

let onRefusal = () => {};
const own = (page, text) => page.locator(".msg-own", { hasText: text });

async function run(browser) {
  const context = await browser.newContext({ locale, viewport: { width: 420, height: 720 } });
  const page = await context.newPage();
  page.on("pageerror", (err) => report.page_errors.push(String(err)));
  page.on("console", (msg) => {
    if (msg.type() === "error") report.console_errors.push(msg.text());
  });
  // Count the hub's "unavailable" answers as they arrive on the widget's socket.
  page.on("websocket", (ws) => ws.on("framereceived", ({ payload }) => {
    try {
      const frame = JSON.parse(String(payload));
      if (frame.type === "error" && frame.code === "unavailable") {
        report.refusals += 1;
        onRefusal();
      }
    } catch { /* not JSON: not ours to judge here */ }
  }));
  await page.goto(widgetUrl);
  await page.waitForSelector('#chat[data-connection="online"]', { timeout });
  report.leave_offer_at_welcome = await page.locator("#leave-open").isVisible();
  await page.fill("#text", "before the disk fills");
  await page.press("#text", "Enter");
  await own(page, "before the disk fills").and(page.locator('[data-status="sent"], [data-status="delivered"]'))
    .waitFor({ timeout });
  // The agent took the chat: no offer to leave a message beside "Chatting with …".
  await page.locator(".notice", { hasText: /李娜/ }).first().waitFor({ timeout });
  report.leave_offer_hidden = await page.locator("#leave-message").isHidden();
  await checkpoint("first_sent");

  // The disk is full now. Send until the hub refuses one (a write may still fit).
  let refused = null;
  for (let i = 0; i < 20 && refused === null; i++) {
    const text = `Is my parcel lost? #${i}`;
    await page.fill("#text", text);
    await page.press("#text", "Enter");
    await page.waitForFunction(
      ([t]) => {
        const item = [...document.querySelectorAll(".msg-own")].find((li) => li.textContent.includes(t));
        return (item && item.dataset.status !== "pending") || !document.querySelector("#error").hidden;
      }, [text], { timeout });
    if (!(await page.locator("#error").isHidden())) refused = text;
  }
  if (refused === null) throw new Error("the hub stored every message on the full disk");
  report.refused_text = refused;
  report.status_at_refusal = await own(page, refused).getAttribute("data-status");
  report.notice = await page.locator("#error-text").textContent();
  report.notice_code = await page.locator("#error").getAttribute("data-code");
  await page.screenshot({ path: path.join(shotDir, `widget-disk-full-${locale}.png`), animations: "disabled" });
  // The widget sends it again by itself: the hub refuses the retry too, or (a write
  // can fit again once a failed one is rolled back) stores it.
  const stored = '[data-status="sent"], [data-status="delivered"]';
  await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("the widget never sent it again")), timeout);
    const done = () => { clearTimeout(timer); resolve(); };
    onRefusal = () => { if (report.refusals >= 2) done(); };
    onRefusal();
    own(page, refused).and(page.locator(stored)).waitFor({ timeout }).then(done, () => {});
  });
  onRefusal = () => {};
  report.refusals_while_full = report.refusals;
  await checkpoint("refused", { refused, refusals: report.refusals });

  // Room again: the next retry is stored.
  await own(page, refused).and(page.locator(stored)).waitFor({ timeout });
  report.status_after = await own(page, refused).getAttribute("data-status");
  report.failed_items = await page.locator('.msg-own[data-status="failed"]').count();
  await context.close();
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  headless: true,
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
try {
  await run(browser);
  report.ok = report.page_errors.length === 0;
} catch (err) {
  report.error = String(err);
} finally {
  await browser.close();
}
process.stdout.write(JSON.stringify({ report }) + "\n");
input.close(); // nothing more to wait for: let node end
