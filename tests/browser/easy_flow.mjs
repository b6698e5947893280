// Easy mode (长辈模式) in Debian's headless chromium (playwright-core), against a hub
// whose idle prompt and close are 1 s each (--widget-idle-prompt/--widget-idle-close)
// and whose bot holds chats without a topic. tests/browser/test_widget_easy.py plays
// the agent (accepts, replies) and runs this script, which prints one JSON report.
//
// 1. control: a normal chat left alone is asked "are you still there?", then ended;
// 2. zh: the switch (keyboard), a reload keeps it, the big button brings a person,
//    and the chat outlives the idle times (the widget's own check says it looked);
// 3. en: a question the bot could answer goes to a person all the same.
//
// Environment: WIDGET_URL, SCREENSHOT_DIR, CHROMIUM (optional).

import path from "node:path";
import { launch, tabTo, watch } from "./widget_checks.mjs";

const widgetUrl = process.env.WIDGET_URL;
const shotDir = process.env.SCREENSHOT_DIR || ".";
const timeout = 15000;
const report = { ok: false, steps: {}, page_errors: [], console_errors: [] };
const AGENT = "李娜";

const chatState = (page) => page.evaluate(() => {
  const chat = document.getElementById("chat");
  const prompt = document.getElementById("idle-prompt");
  return {
    easy: document.documentElement.dataset.easy ?? null,
    checked: document.getElementById("easy-switch").getAttribute("aria-checked"),
    switch_label: document.getElementById("easy-switch-label").textContent,
    conversation_id: chat.dataset.conversationId || null,
    idle: chat.dataset.idle ?? null,
    idle_quiet_ms: Number(chat.dataset.idleQuietMs || 0),
    prompt_visible: prompt ? !prompt.hidden : null,
    idle_notices: document.querySelectorAll('#log li[data-kind="idle"]').length,
    bot_answers: document.querySelectorAll("#log .bot-title").length,
    bot_said: [...document.querySelectorAll("#log .msg-bot .bubble")].map((b) => b.textContent),
    font_px: parseFloat(getComputedStyle(document.getElementById("text")).fontSize),
    details_visible: !!document.getElementById("details").offsetParent,
    person_visible: !!document.getElementById("easy-person").offsetParent,
    stored: localStorage.getItem("zuoxi.easy"),
    focused: document.activeElement?.id ?? null,
  };
});

const agentReplied = (page) => page.waitForFunction((name) => [...document.querySelectorAll("#log li")]
  .some((li) => li.dataset.author === "agent" && li.textContent.includes(name)), AGENT, { timeout });

async function control(browser) {
  const context = await browser.newContext({ locale: "en-US", viewport: { width: 420, height: 760 } });
  const page = await context.newPage();
  watch(page, report);
  await page.goto(widgetUrl);
  await page.waitForSelector('#chat[data-connection="online"]', { timeout });
  const before = await chatState(page);
  await page.fill("#text", "Hello, is anyone there?");
  await page.press("#text", "Enter");
  await page.waitForFunction(() => document.getElementById("chat").dataset.conversationId, null, { timeout });
  const conversationId = await page.locator("#chat").getAttribute("data-conversation-id");
  await page.locator("#idle-prompt").waitFor({ state: "visible", timeout });
  const asked = { ...(await chatState(page)), text: await page.locator("#idle-prompt p").textContent() };
  await page.waitForSelector('#log li[data-kind="idle"]', { timeout });
  await page.waitForFunction(() => !document.getElementById("chat").dataset.conversationId, null, { timeout });
  await page.waitForSelector('#rating[data-stage="csat"]', { timeout });
  report.steps.control = {
    before, asked, conversation_id: conversationId, after: await chatState(page),
    notice: await page.locator('#log li[data-kind="idle"]').textContent(),
  };
  await context.close();
}

async function easyZh(browser) {
  const context = await browser.newContext({ locale: "zh-CN", viewport: { width: 390, height: 720 } });
  const page = await context.newPage();
  watch(page, report);
  await page.goto(widgetUrl);
  await page.waitForSelector('#chat[data-connection="online"]', { timeout });
  const first = await chatState(page);
  await page.screenshot({ path: path.join(shotDir, "widget-normal-zh.png"), animations: "disabled" });
  await tabTo(page, "#easy-switch");
  await page.keyboard.press("Space");
  const switched = await chatState(page);
  await page.reload();
  await page.waitForSelector('#chat[data-connection="online"]', { timeout });
  const reloaded = await chatState(page);
  await page.screenshot({ path: path.join(shotDir, "widget-easy-zh.png"), animations: "disabled" });
  await tabTo(page, "#easy-person");
  await page.keyboard.press("Enter");
  await agentReplied(page);
  const withPerson = await chatState(page);
  await page.screenshot({ path: path.join(shotDir, "widget-easy-chat-zh.png"), animations: "disabled" });
  // The barrier: the widget's own idle check ran after both idle times had passed
  // with nothing done (1 s + 1 s; a normal chat is ended by then) and let it be.
  await page.waitForFunction(() => {
    const chat = document.getElementById("chat");
    return chat.dataset.idle === "exempt" && Number(chat.dataset.idleQuietMs) >= 3000;
  }, null, { timeout });
  report.steps.zh = {
    first, switched, reloaded, with_person: withPerson, after_idle: await chatState(page),
    big_button: await page.locator("#easy-person").textContent(),
  };
  await context.close();
}

async function easyEn(browser) {
  const context = await browser.newContext({ locale: "en-US", viewport: { width: 420, height: 760 } });
  const page = await context.newPage();
  watch(page, report);
  await page.goto(widgetUrl);
  await page.waitForSelector('#chat[data-connection="online"]', { timeout });
  await page.locator("#easy-switch").click();
  // Turning it on before the first message says hello again: wait for that welcome.
  await page.waitForSelector('#chat[data-connection="online"]', { timeout });
  const switched = await chatState(page);
  await page.screenshot({ path: path.join(shotDir, "widget-easy-en.png"), animations: "disabled" });
  await page.fill("#text", "How do I reset my password?");
  await page.press("#text", "Enter");
  await agentReplied(page);
  await page.screenshot({ path: path.join(shotDir, "widget-easy-chat-en.png"), animations: "disabled" });
  report.steps.en = { switched, with_person: await chatState(page) };
  await context.close();
}

const browser = await launch();
try {
  await control(browser);
  await easyZh(browser);
  await easyEn(browser);
  report.ok = true;
} catch (err) {
  report.error = String(err && err.stack ? err.stack : err);
} finally {
  await browser.close();
  console.log(JSON.stringify(report));
}
