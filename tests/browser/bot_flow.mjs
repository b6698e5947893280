// The self-service bot in Debian's headless chromium (playwright-core): an English
// visitor asks a question the knowledge base answers, opens "read more" and says it
// helped; a Chinese visitor presses 转人工 before writing anything and is handed to a
// person. tests/browser/test_widget_bot.py plays the agent and runs this script, which
// prints one JSON report on stdout.
//
// Environment: WIDGET_URL, SCREENSHOT_DIR, CHROMIUM (optional).

import { chromium } from "playwright-core";
import path from "node:path";

const widgetUrl = process.env.WIDGET_URL;
const shotDir = process.env.SCREENSHOT_DIR || ".";
const timeout = 20000;
const report = { ok: false, steps: {}, page_errors: [], console_errors: [] };

function watch(page) {
  page.on("pageerror", (err) => report.page_errors.push(String(err)));
  page.on("console", (msg) => {
    if (msg.type() === "error") report.console_errors.push(msg.text());
  });
}

async function answered(browser) {
  const context = await browser.newContext({ locale: "en-US", viewport: { width: 420, height: 760 } });
  const page = await context.newPage();
  watch(page);
  await page.goto(widgetUrl);
  await page.waitForSelector('#chat[data-connection="online"]', { timeout });
  await page.locator("#talk-to-person").waitFor({ state: "visible", timeout });
  const button = await page.locator("#talk-to-person").textContent();
  await page.fill("#text", "How do I reset my password?");
  await page.press("#text", "Enter");
  const bot = page.locator(".msg-bot").first();
  await bot.locator(".bot-title").waitFor({ timeout });
  const title = await bot.locator(".bot-title").textContent();
  const answer = await bot.locator(".bot-answer").textContent();
  const bodyHiddenBefore = await bot.locator(".bot-article-body").first().isHidden();
  await bot.locator(".bot-read-more").first().click();
  const body = await bot.locator(".bot-article-body").first().textContent();
  const question = await bot.locator(".bot-question").textContent();
  const related = await bot.locator(".bot-related .bot-read-more").allTextContents();
  await page.screenshot({ path: path.join(shotDir, "widget-bot-answer.png"), animations: "disabled" });
  await bot.locator(".bot-yes").click();
  await page.locator(".msg-bot .bubble", { hasText: "Glad it helped" }).waitFor({ timeout });
  report.steps.answered = {
    button, title, answer, body_hidden_before: bodyHiddenBefore, body, question, related,
    conversation_id: await page.locator("#chat").getAttribute("data-conversation-id"),
    yes_disabled: await bot.locator(".bot-yes").isDisabled(),
  };
  await context.close();
}

async function askPerson(browser) {
  const context = await browser.newContext({ locale: "zh-CN", viewport: { width: 390, height: 720 } });
  const page = await context.newPage();
  watch(page);
  await page.goto(widgetUrl);
  await page.waitForSelector('#chat[data-connection="online"]', { timeout });
  const button = page.locator("#talk-to-person");
  await button.waitFor({ state: "visible", timeout });
  const label = await button.textContent();
  await button.click();
  await page.locator(".msg-bot .bubble", { hasText: "人工客服" }).waitFor({ timeout });
  await page.waitForFunction(() => document.getElementById("chat").dataset.conversationId,
    null, { timeout });
  await page.screenshot({ path: path.join(shotDir, "widget-bot-handoff-zh.png"), animations: "disabled" });
  report.steps.person = {
    label,
    said: await page.locator(".msg-bot .bubble").last().textContent(),
    button_hidden: await button.isHidden(),
    conversation_id: await page.locator("#chat").getAttribute("data-conversation-id"),
  };
  await context.close();
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  headless: true,
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
try {
  await answered(browser);
  await askPerson(browser);
  report.ok = true;
} catch (err) {
  report.error = String(err && err.stack ? err.stack : err);
} finally {
  await browser.close();
  console.log(JSON.stringify(report));
}
