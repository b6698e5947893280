// The agent's answer and close arrive while the customer's page is closed, in Debian's
// headless chromium (playwright-core): the customer asks, sees the first answer, closes
// the page; the agent (tests/browser/test_widget_resume.py) answers again and ends the
// chat; the page opened again shows that answer and the close once, and a reload after
// that shows neither again.
//
// Lockstep with the test: at each checkpoint one JSON line {"step": name, ...} on
// stdout, then one line on stdin ("go", or anything else to stop). The last stdout line
// is {"report": {...}}.
//
// Environment: WIDGET_URL, LOCALE, SCREENSHOT_DIR, CHROMIUM (optional).

import path from "node:path";
import readline from "node:readline";
import { launch, watch } from "./widget_checks.mjs";

const widgetUrl = process.env.WIDGET_URL;
const locale = process.env.LOCALE || "en-US";
const shotDir = process.env.SCREENSHOT_DIR || ".";
const timeout = 30000;
const FIRST = "It ships today.";
const SECOND = "Tracking number ZX42, arriving Friday.";
const report = { page_errors: [], console_errors: [], hellos: [], welcomes: [] };
const input = readline.createInterface({ input: process.stdin });
const lines = input[Symbol.asyncIterator]();

async function checkpoint(step, data = {}) {
  process.stdout.write(JSON.stringify({ step, ...data }) + "\n");
  const { value, done } = await lines.next();
  if (done || value.trim() !== "go") throw new Error(`stopped by the test at ${step}: ${value}`);
}

async function open(context) {
  const page = await context.newPage();
  watch(page, report);
  // What went over the widget's socket: its hellos and the hub's welcomes.
  page.on("websocket", (ws) => {
    ws.on("framesent", ({ payload }) => {
      const frame = JSON.parse(String(payload));
      if (frame.type === "hello") report.hellos.push(frame.seen ?? null);
    });
    ws.on("framereceived", ({ payload }) => {
      const frame = JSON.parse(String(payload));
      if (frame.type === "welcome") report.welcomes.push(frame.resumed ?? null);
    });
  });
  await page.goto(widgetUrl);
  await page.waitForSelector('#chat[data-connection="online"]', { timeout });
  return page;
}

function shown(page) {
  return page.evaluate(([first, second]) => {
    const items = [...document.querySelectorAll("#log li")];
    const text = (li) => li.querySelector(".bubble")?.textContent ?? li.textContent;
    return {
      first: items.filter((li) => li.classList.contains("msg-agent") && text(li) === first).length,
      second: items.filter((li) => li.classList.contains("msg-agent") && text(li) === second).length,
      closed: document.querySelectorAll('#log li.notice[data-kind="closed"]').length,
      closed_text: document.querySelector('#log li.notice[data-kind="closed"]')?.textContent ?? null,
      order: items.map((li) => li.classList.contains("notice") ? `notice:${li.dataset.kind}`
        : `${li.dataset.author}:${text(li)}`),
      conversation: document.getElementById("chat").dataset.conversationId,
      rating: document.getElementById("rating")?.dataset.stage ?? null,
      kept: JSON.parse(localStorage.getItem("zuoxi.seen") || "[]"),
    };
  }, [FIRST, SECOND]);
}

async function run(browser) {
  const context = await browser.newContext({ locale, viewport: { width: 420, height: 720 } });
  const page = await open(context);
  await page.fill("#text", "Is my order shipped?");
  await page.press("#text", "Enter");
  await page.locator('.msg-own[data-status="sent"], .msg-own[data-status="delivered"]')
    .first().waitFor({ timeout });
  await checkpoint("sent");
  await page.locator(".msg-agent", { hasText: FIRST }).waitFor({ timeout });
  report.before_close = await shown(page);
  await page.close(); // the customer leaves the page
  await checkpoint("page_closed");

  // The agent answered and ended the chat meanwhile: the page opened again shows both.
  const again = await open(context);
  await again.locator(".msg-agent", { hasText: SECOND }).waitFor({ timeout });
  await again.locator('#log li.notice[data-kind="closed"]').waitFor({ timeout });
  report.after_reopen = await shown(again);
  await again.setViewportSize({ width: 420, height: 1100 }); // the log beside the rating
  await again.screenshot({ path: path.join(shotDir, `widget-resumed-${locale}.png`),
    animations: "disabled" });

  // Shown once: a reload after that brings neither again.
  await again.reload();
  await again.waitForSelector('#chat[data-connection="online"]', { timeout });
  report.after_reload = await shown(again);
  await context.close();
}

const browser = await launch();
try {
  await run(browser);
  report.ok = report.page_errors.length === 0;
} catch (err) {
  report.error = String(err);
} finally {
  await browser.close();
}
process.stdout.write(JSON.stringify({ report }) + "\n");
input.close();
