// The widget's topic choice in Debian's headless chromium (playwright-core): the visitor
// picks a topic before the first message, the hello carries it, and the chat lands in
// that topic's queue. tests/browser/test_widget_topic.py plays the agent and runs this
// script, which prints one JSON report on stdout.
//
// Environment: WIDGET_URL, SCREENSHOT_DIR, CHROMIUM (optional), TOPIC (the id to choose).

import { chromium } from "playwright-core";
import path from "node:path";

const widgetUrl = process.env.WIDGET_URL;
const shotDir = process.env.SCREENSHOT_DIR || ".";
const topic = process.env.TOPIC || "billing";
const timeout = 15000;
const report = { ok: false, steps: {}, page_errors: [], console_errors: [] };

function watch(page) {
  page.on("pageerror", (err) => report.page_errors.push(String(err)));
  page.on("console", (msg) => {
    if (msg.type() === "error") report.console_errors.push(msg.text());
  });
}

async function options(page) {
  return page.locator("#topic option").evaluateAll((nodes) => nodes.map((o) => [o.value, o.textContent]));
}

async function chooseAndSend(browser) {
  const context = await browser.newContext({ locale: "en-US", viewport: { width: 420, height: 720 } });
  const hellos = [];
  await context.routeWebSocket(/\/customer$/, (ws) => {
    const server = ws.connectToServer();
    ws.onMessage((data) => {
      const frame = JSON.parse(data);
      if (frame.type === "hello") hellos.push(frame);
      server.send(data);
    });
    server.onMessage((data) => ws.send(data));
  });
  const page = await context.newPage();
  watch(page);
  await page.goto(widgetUrl);
  await page.waitForSelector('#chat[data-connection="online"]', { timeout });
  await page.locator("#topic-row").waitFor({ state: "visible", timeout });
  report.steps.offered = {
    label: await page.locator('label[for="topic"]').textContent(),
    options: await options(page),
    first_hello_topic: hellos[0]?.topic ?? null,
  };
  // Keyboard only: focus the select and choose with the arrow keys.
  await page.focus("#topic");
  const wanted = (await options(page)).findIndex(([value]) => value === topic);
  for (let i = 0; i < wanted; i += 1) await page.keyboard.press("ArrowDown");
  const chosen = await page.locator("#topic").inputValue();
  // Changing the choice before a conversation opens says hello again with it.
  const deadline = Date.now() + timeout;
  while (hellos.at(-1)?.topic !== topic && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  await page.waitForSelector('#chat[data-connection="online"]', { timeout });
  await page.screenshot({ path: path.join(shotDir, "widget-topic.png"), animations: "disabled" });
  await page.fill("#text", "Hello, I have a question about my account.");
  await page.press("#text", "Enter");
  await page.waitForFunction(() => document.getElementById("chat").dataset.conversationId,
    null, { timeout });
  report.steps.sent = {
    chosen,
    last_hello_topic: hellos.at(-1)?.topic ?? null,
    hellos: hellos.length,
    conversation_id: await page.locator("#chat").getAttribute("data-conversation-id"),
    topic_hidden: await page.locator("#topic-row").isHidden(),
  };
  await context.close();
}

async function chinese(browser) {
  const context = await browser.newContext({ locale: "zh-CN", viewport: { width: 390, height: 700 } });
  const page = await context.newPage();
  watch(page);
  await page.goto(widgetUrl);
  await page.locator("#topic-row").waitFor({ state: "visible", timeout });
  report.steps.chinese = {
    label: await page.locator('label[for="topic"]').textContent(),
    options: await options(page),
  };
  await page.screenshot({ path: path.join(shotDir, "widget-topic-zh.png"), animations: "disabled" });
  await context.close();
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  headless: true,
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
try {
  await chooseAndSend(browser);
  await chinese(browser);
  report.ok = report.page_errors.length === 0;
} catch (err) {
  report.error = String(err);
} finally {
  await browser.close();
}
console.log(JSON.stringify(report));
