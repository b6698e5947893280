// Widget accessibility in Debian's headless chromium (playwright-core), keyboard only,
// at 320 CSS px wide (a 640 px window at 200 % zoom): every state is reached with
// Tab, Enter, Space and arrow keys, and in each one axe-core runs and the page must
// not scroll sideways. States: first screen, bot answer, hand-off waiting (the agent,
// played by tests/browser/test_widget_a11y.py, accepts only once GATE_FILE exists),
// chat with the agent, rating, error banner, offline, easy mode.
//
// Environment: WIDGET_URL, SCREENSHOT_DIR, GATE_FILE, LOCALE (en-US | zh-CN), CHROMIUM.

import { writeFileSync } from "node:fs";
import path from "node:path";
import { axe, launch, overflow, tabTo, watch } from "./widget_checks.mjs";

const widgetUrl = process.env.WIDGET_URL;
const shotDir = process.env.SCREENSHOT_DIR || ".";
const locale = process.env.LOCALE || "en-US";
const zh = locale.startsWith("zh");
const timeout = 15000;
const report = { ok: false, locale, states: {}, steps: {}, page_errors: [], console_errors: [] };

async function check(page, name) {
  report.states[name] = {
    violations: await axe(page),
    ...(await overflow(page)),
    live_log: await page.evaluate(() => {
      const log = document.getElementById("log-region");
      return [log.getAttribute("role"), log.getAttribute("aria-live"), log.getAttribute("aria-label")];
    }),
  };
  await page.screenshot({ path: path.join(shotDir, `widget-a11y-${name}-${locale}.png`), animations: "disabled" });
}

const focused = (page) => page.evaluate(() => {
  const a = document.activeElement;
  return a ? { id: a.id || null, tag: a.tagName.toLowerCase(), name: a.getAttribute("aria-label") || a.textContent.trim() } : null;
});

async function run(browser) {
  const context = await browser.newContext({
    // Reduced motion: axe measures colours at once, not after a message's fade-in.
    locale, viewport: { width: 320, height: 640 }, deviceScaleFactor: 2, reducedMotion: "reduce",
  });
  const page = await context.newPage();
  watch(page, report);
  await page.goto(widgetUrl);
  await page.waitForSelector('#chat[data-connection="online"]', { timeout });
  await page.locator("#talk-to-person").waitFor({ state: "visible", timeout });
  await check(page, "first");
  // The tab order of the first screen.
  const order = [];
  for (let i = 0; i < 12; i += 1) {
    await page.keyboard.press("Tab");
    const f = await focused(page);
    order.push(f && (f.id || f.tag));
  }
  report.steps.tab_order = order;

  // Bot answer: ask with the keyboard, open "read more", say it did not help.
  await tabTo(page, "#text");
  await page.keyboard.type(zh ? "怎么重置密码？" : "How do I reset my password?");
  await page.keyboard.press("Enter");
  await page.locator(".msg-bot .bot-title").first().waitFor({ timeout });
  await tabTo(page, ".bot-read-more", { back: true });
  const readMore = await page.evaluate(() => document.activeElement.getAttribute("aria-expanded"));
  await page.keyboard.press("Enter");
  const expanded = await page.evaluate(() => ({
    aria: document.activeElement.getAttribute("aria-expanded"),
    body_visible: !document.getElementById(document.activeElement.getAttribute("aria-controls")).hidden,
  }));
  await check(page, "bot_answer");
  await tabTo(page, ".bot-no");
  await page.keyboard.press("Enter");
  await page.waitForFunction(() => document.querySelectorAll(".msg-bot").length >= 2, null, { timeout });
  report.steps.bot = { read_more_before: readMore, expanded };

  // Hand-off: 转人工 / Talk to a person with the keyboard; nobody has taken it yet.
  await tabTo(page, "#talk-to-person", { back: true });
  await page.keyboard.press("Enter");
  await page.locator("#talk-to-person").waitFor({ state: "hidden", timeout });
  await page.waitForFunction(() => document.getElementById("presence").textContent
    !== "", null, { timeout });
  report.steps.waiting = { presence: await page.locator("#presence").textContent() };
  await check(page, "handoff_waiting");
  writeFileSync(process.env.GATE_FILE, "checked");

  // Chat with the agent.
  await page.waitForFunction(() => [...document.querySelectorAll("#log li")]
    .some((li) => li.dataset.author === "agent"), null, { timeout });
  await check(page, "agent_chat");

  // Rating: end the chat, choose 4 with the arrows, "solved" with Space, send.
  await tabTo(page, "#close", { back: true });
  await page.keyboard.press("Enter");
  await page.waitForSelector('#rating[data-stage="csat"]', { timeout });
  const ratingFocus = await focused(page);
  await check(page, "rating");
  for (let i = 0; i < 3; i += 1) await page.keyboard.press("ArrowRight");
  await tabTo(page, "#solved-yes");
  await page.keyboard.press("Space");
  await tabTo(page, "#rating-send");
  await page.keyboard.press("Enter");
  await page.waitForFunction(() => ["nps", "done"].includes(document.getElementById("rating").dataset.stage),
    null, { timeout });
  report.steps.rating = {
    focus: ratingFocus, next: await page.locator("#rating").getAttribute("data-stage"),
  };
  if (report.steps.rating.next === "nps") await page.keyboard.press("Escape");

  // An error banner: Call without a microphone allowed.
  await tabTo(page, "#call", { back: true });
  await page.keyboard.press("Enter");
  await page.locator("#error").waitFor({ state: "visible", timeout });
  report.steps.error = { text: await page.locator("#error-text").textContent(), role: await page.locator("#error").getAttribute("role") };
  await check(page, "error_banner");
  await tabTo(page, "#error-dismiss");
  await page.keyboard.press("Enter");
  report.steps.error.dismissed = await page.locator("#error").isHidden();

  // Offline.
  await context.setOffline(true);
  await page.waitForSelector('#chat[data-connection="offline"]', { timeout });
  report.steps.offline = { presence: await page.locator("#presence").textContent() };
  await check(page, "offline");
  await context.setOffline(false);
  await page.waitForSelector('#chat[data-connection="online"]', { timeout });

  // Easy mode, switched on with Space.
  await tabTo(page, "#easy-switch", { back: true });
  await page.keyboard.press("Space");
  await page.waitForSelector('#chat[data-connection="online"]', { timeout });
  await tabTo(page, "#easy-person");
  report.steps.easy = {
    checked: await page.locator("#easy-switch").getAttribute("aria-checked"),
    person: await focused(page),
  };
  await check(page, "easy");
  await context.close();
}

const browser = await launch();
try {
  await run(browser);
  report.ok = true;
} catch (err) {
  report.error = String(err && err.stack ? err.stack : err);
} finally {
  await browser.close();
  console.log(JSON.stringify(report));
}
