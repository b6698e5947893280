// Leave a message with nobody available, in Debian's headless chromium (playwright-core):
// the widget offers it (the welcome says why), a wrong email address is refused in the
// form, then the message goes with an email address, a phone number and a callback time;
// the widget confirms. Later an agent (played by tests/browser/test_widget_message.py)
// takes the conversation and solves its follow-up: the widget says so. Prints one JSON
// report on stdout.
// Environment: WIDGET_URL, SCREENSHOT_DIR, CHROMIUM (optional), LOCALE (en-US or zh-CN).

import { chromium } from "playwright-core";
import path from "node:path";

const widgetUrl = process.env.WIDGET_URL;
const shotDir = process.env.SCREENSHOT_DIR || ".";
const locale = process.env.LOCALE || "en-US";
const timeout = 15000;
const report = { ok: false, steps: {}, page_errors: [], console_errors: [], sent: [], received: [] };

async function run(browser) {
  const context = await browser.newContext({ locale, viewport: { width: 420, height: 760 } });
  await context.routeWebSocket(/\/customer$/, (ws) => {
    const server = ws.connectToServer();
    ws.onMessage((data) => {
      const frame = JSON.parse(data);
      if (frame.type === "leave_message") report.sent.push(frame);
      server.send(data);
    });
    server.onMessage((data) => {
      const frame = JSON.parse(data);
      if (["welcome", "message_left", "followup_solved", "error"].includes(frame.type)) {
        report.received.push(frame);
      }
      ws.send(data);
    });
  });
  const page = await context.newPage();
  page.on("pageerror", (err) => report.page_errors.push(String(err)));
  page.on("console", (msg) => { if (msg.type() === "error") report.console_errors.push(msg.text()); });
  await page.goto(widgetUrl);
  await page.waitForSelector('#leave-message[data-stage="offer"]', { timeout });
  report.steps.offer = { why: await page.locator("#leave-why").textContent(),
    presence: await page.locator("#presence").textContent() };
  await page.screenshot({ path: path.join(shotDir, `leave-offer-${locale}.png`) });
  await page.focus("#leave-open");
  await page.keyboard.press("Enter");
  await page.waitForSelector('#leave-message[data-stage="form"]', { timeout });
  report.steps.form = { focused: await page.evaluate(() => document.activeElement?.id ?? null) };
  await page.keyboard.type("My parcel 42 never arrived. 我的包裹没有到。");
  await page.fill("#leave-email", "fang@");
  await page.click("#leave-send");
  report.steps.bad_email = { status: await page.locator("#leave-status").textContent() };
  await page.fill("#leave-email", "fang@example.com");
  await page.fill("#leave-phone", "+86 150 1234 5678");
  // Tomorrow at 10:00 local time.
  const when = await page.evaluate(() => {
    const d = new Date(Date.now() + 86_400_000);
    d.setHours(10, 0, 0, 0);
    const pad = (n) => String(n).padStart(2, "0");
    return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T10:00`;
  });
  await page.fill("#leave-callback", when);
  await page.screenshot({ path: path.join(shotDir, `leave-form-${locale}.png`) });
  await page.focus("#leave-send");
  await page.keyboard.press("Enter");
  await page.waitForSelector('#leave-message[data-stage="done"]', { timeout });
  report.steps.done = {
    text: await page.locator("#leave-done").textContent(),
    email: await page.locator(".leave-done-email").textContent().catch(() => null),
    callback_local: when,
    horizontal_scroll: await page.evaluate(() =>
      document.documentElement.scrollWidth > document.documentElement.clientWidth),
  };
  await page.screenshot({ path: path.join(shotDir, `leave-done-${locale}.png`) });
  // The agent takes it and solves the follow-up; the widget tells the customer.
  await page.waitForFunction(() => [...document.querySelectorAll('#log li[data-kind="solved"]')]
    .length > 0, null, { timeout: 60000 });
  report.steps.solved = {
    notice: await page.locator('#log li[data-kind="solved"]').first().textContent(),
  };
  await page.screenshot({ path: path.join(shotDir, `leave-solved-${locale}.png`) });
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
console.log(JSON.stringify(report));
