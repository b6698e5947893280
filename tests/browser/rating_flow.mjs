// CSAT and NPS in the widget, in Debian's headless chromium (playwright-core), keyboard
// only: two chats with the same visitor, each closed by the customer after the agent
// (played by tests/browser/test_widget_rating.py) took it. The first is rated 2 with a
// comment, then NPS is asked and answered; the second is rated 5 and NPS is not asked
// again. Prints one JSON report on stdout.
//
// The agent ends the second chat as soon as it has it.
// Environment: WIDGET_URL, SCREENSHOT_DIR, CHROMIUM (optional), LOCALE (en-US or zh-CN).

import { chromium } from "playwright-core";
import path from "node:path";

const widgetUrl = process.env.WIDGET_URL;
const shotDir = process.env.SCREENSHOT_DIR || ".";
const locale = process.env.LOCALE || "en-US";
const timeout = 15000;
const report = { ok: false, steps: {}, page_errors: [], console_errors: [], sent: [], received: [] };

async function chatAndClose(page, text, customerCloses = true) {
  // Every conversation id the widget shows is recorded as it is set: the agent may end
  // the chat before a poll of the attribute would see it.
  await page.evaluate(() => {
    const chat = document.getElementById("chat");
    window.__seenIds = [];
    window.__idWatch?.disconnect();
    window.__idWatch = new MutationObserver(() => {
      const id = chat.dataset.conversationId;
      if (id && !window.__seenIds.includes(id)) window.__seenIds.push(id);
    });
    window.__idWatch.observe(chat, { attributes: true, attributeFilter: ["data-conversation-id"] });
  });
  await page.fill("#text", text);
  await page.press("#text", "Enter");
  const seen = await page.waitForFunction(() => window.__seenIds.length > 0 && window.__seenIds[0],
    null, { timeout });
  const conversationId = await seen.jsonValue();
  // The agent takes it (the widget says who joined), then the customer ends it.
  await page.waitForFunction(() => [...document.querySelectorAll("#log li")]
    .some((li) => li.textContent.includes("李娜")), null, { timeout });
  if (customerCloses) {
    await page.focus("#close");
    await page.keyboard.press("Enter");
  } // else the agent ends it
  await page.waitForSelector('#rating[data-stage="csat"]', { timeout });
  return conversationId;
}

async function panel(page) {
  return page.evaluate(() => {
    const form = document.getElementById("rating");
    const labels = [...form.querySelectorAll("label.rating-choice")].map((l) => l.getAttribute("aria-label") || l.textContent);
    const legends = [...form.querySelectorAll("legend")].map((l) => l.textContent);
    const comment = document.getElementById("rating-comment-row");
    return {
      stage: form.dataset.stage, hidden: form.hidden, title: form.querySelector("h2")?.textContent ?? null,
      labelled_by: form.getAttribute("aria-labelledby"), legends, labels,
      comment_visible: comment ? !comment.hidden : null,
      focused: document.activeElement?.id ?? null,
    };
  });
}

async function run(browser) {
  const context = await browser.newContext({ locale, viewport: { width: 420, height: 760 } });
  await context.routeWebSocket(/\/customer$/, (ws) => {
    const server = ws.connectToServer();
    ws.onMessage((data) => {
      const frame = JSON.parse(data);
      if (frame.type === "rate" || frame.type === "answer_nps") report.sent.push(frame);
      server.send(data);
    });
    server.onMessage((data) => {
      const frame = JSON.parse(data);
      if (["rated", "nps_answered", "error", "closed"].includes(frame.type)) report.received.push(frame);
      ws.send(data);
    });
  });
  const page = await context.newPage();
  page.on("pageerror", (err) => report.page_errors.push(String(err)));
  page.on("console", (msg) => { if (msg.type() === "error") report.console_errors.push(msg.text()); });
  await page.goto(widgetUrl);
  await page.waitForSelector('#chat[data-connection="online"]', { timeout });

  // ---- first chat: a low rating with a comment, then NPS -----------------------------
  const first = await chatAndClose(page, "My parcel is late again.");
  const asked = await panel(page);
  // Focus starts on the first score; the arrow key moves to 2 (and chooses it).
  await page.keyboard.press("ArrowRight");
  const low = await panel(page);
  await page.focus("#solved-no");
  await page.keyboard.press("Space");
  await page.focus("#rating-comment");
  await page.keyboard.type("Nobody told me about the delay.");
  await page.screenshot({ path: path.join(shotDir, `widget-csat-${locale}.png`), animations: "disabled" });
  await page.focus("#rating-send");
  await page.keyboard.press("Enter");
  await page.waitForSelector('#rating[data-stage="nps"]', { timeout });
  const nps = await panel(page);
  for (let i = 0; i < 9; i += 1) await page.keyboard.press("ArrowRight");
  await page.focus("#nps-why");
  await page.keyboard.type("Good people, slow delivery.");
  await page.screenshot({ path: path.join(shotDir, `widget-nps-${locale}.png`), animations: "disabled" });
  await page.focus("#rating-send");
  await page.keyboard.press("Enter");
  await page.waitForSelector('#rating[data-stage="done"]', { timeout });
  report.steps.first = {
    conversation_id: first, asked, low, nps,
    thanks: await page.locator("#rating-status").textContent(),
  };

  // ---- second chat, ended by the agent: a high rating hides the comment box; NPS is not due
  const second = await chatAndClose(page, "One more question, about my invoice.", false);
  await page.keyboard.press("ArrowRight");
  await page.keyboard.press("ArrowRight");
  const mid = await panel(page); // 3
  await page.keyboard.press("ArrowRight");
  await page.keyboard.press("ArrowRight");
  const high = await panel(page); // 5
  await page.focus("#solved-yes");
  await page.keyboard.press("Space");
  await page.focus("#rating-send");
  await page.keyboard.press("Enter");
  await page.waitForSelector('#rating[data-stage="done"]', { timeout });
  report.steps.second = {
    conversation_id: second, mid, high,
    thanks: await page.locator("#rating-status").textContent(),
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
  await run(browser);
  report.ok = report.page_errors.length === 0;
} catch (err) {
  report.error = String(err);
} finally {
  await browser.close();
}
console.log(JSON.stringify(report));
