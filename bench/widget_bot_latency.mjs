// Bot answer latency in the real widget: Debian's headless chromium (playwright-core,
// installed by `npm ci` in tests/browser/) types each question into the widget and
// presses Enter; the page itself times it, from the Enter keydown (a capturing
// listener on the document, before the widget's own) to the first frame painted
// after the bot's reply was added to the conversation (a MutationObserver on the log,
// then requestAnimationFrame: the callback runs before that frame's paint, and a task
// queued from it runs after it). A chat the bot handed to a person gets no further
// bot answers: the next question opens a new visitor's page.
//
// Environment: WIDGET_URL, QUESTIONS (a JSON file: a list of strings), CHROMIUM,
// PLAYWRIGHT (the playwright-core folder). Prints one JSON report on stdout.

import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";

const playwright = process.env.PLAYWRIGHT;
const { chromium } = await import(pathToFileURL(path.join(playwright, "index.mjs")).href);
const widgetUrl = process.env.WIDGET_URL;
const questions = JSON.parse(fs.readFileSync(process.env.QUESTIONS, "utf-8"));
const timeout = 30000;
const report = { ok: false, samples: [], page_errors: [], pages: 0 };

function instrument() {
  window.__bench = { sent: null, inserted: null, painted: null };
  document.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && !event.shiftKey && event.target.id === "text") {
      window.__bench.sent = performance.now();
    }
  }, true);
  new MutationObserver((records) => {
    const b = window.__bench;
    if (b.sent === null || b.inserted !== null) return;
    for (const record of records) {
      for (const added of record.addedNodes) {
        if (added.classList && added.classList.contains("msg-bot")) {
          b.inserted = performance.now();
          requestAnimationFrame(() => setTimeout(() => { b.painted = performance.now(); }, 0));
          return;
        }
      }
    }
  }).observe(document.getElementById("log"), { childList: true });
}

async function openPage(browser, locale) {
  const context = await browser.newContext({ locale, viewport: { width: 420, height: 760 } });
  const page = await context.newPage();
  page.on("pageerror", (err) => report.page_errors.push(String(err)));
  await page.goto(widgetUrl);
  await page.waitForSelector('#chat[data-connection="online"]', { timeout });
  await page.locator("#talk-to-person").waitFor({ state: "visible", timeout });
  await page.evaluate(instrument);
  report.pages += 1;
  return { context, page };
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  headless: true,
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
let open = null;
try {
  for (const question of questions) {
    const locale = /[\u3400-\u9fff]/.test(question) ? "zh-CN" : "en-US";
    if (open === null || open.locale !== locale) {
      if (open !== null) await open.context.close();
      open = { ...(await openPage(browser, locale)), locale };
    }
    const { page } = open;
    await page.fill("#text", question);
    await page.evaluate(() => { Object.assign(window.__bench, { sent: null, inserted: null, painted: null }); });
    await page.press("#text", "Enter");
    await page.waitForFunction(() => window.__bench.painted !== null, null, { timeout });
    const timing = await page.evaluate(() => ({ ...window.__bench }));
    const last = page.locator(".msg-bot").last();
    const answered = (await last.locator(".bot-title").count()) > 0;
    const handedOff = await page.locator("#talk-to-person").isHidden();
    report.samples.push({
      question,
      ms: timing.painted - timing.sent,
      inserted_ms: timing.inserted - timing.sent,
      reply: answered ? "answer" : handedOff ? "handoff" : "other",
    });
    if (handedOff) {
      await open.context.close();
      open = null;
    }
  }
  report.ok = true;
} catch (err) {
  report.error = String(err && err.stack ? err.stack : err);
} finally {
  await browser.close();
  console.log(JSON.stringify(report));
}
