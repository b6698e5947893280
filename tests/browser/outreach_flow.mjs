// Proactive outreach in Debian's headless chromium (playwright-core) on a shop's page
// served by this script, with the widget embedded by the hub's static/embed.js.
// A: on /pricing/… the hub's URL + time trigger opens the widget once: the focus stays
//    in the shop's search box, the card is announced (role=status) and axe-core finds
//    nothing serious; Escape closes it; after a reload the hub says nothing more may
//    fire on this page (data-page-noted="final") and the widget stays closed.
// B: a second visitor (zh, easy mode) on /home; the test tags them churn-risk
//    (GATE_DIR/visitor-b.txt → GATE_DIR/tagged), a reload opens the widget with the
//    tag trigger's call offer, easy mode keeping only the message and "Close".
//
// Environment: WIDGET_URL, SHOP_PORT, GATE_DIR, SCREENSHOT_DIR, CHROMIUM.

import { createServer } from "node:http";
import { existsSync, writeFileSync } from "node:fs";
import path from "node:path";
import { axe, launch, overflow, watch } from "./widget_checks.mjs";

const widgetUrl = process.env.WIDGET_URL;
const shopPort = Number(process.env.SHOP_PORT);
const gateDir = process.env.GATE_DIR;
const shotDir = process.env.SCREENSHOT_DIR || ".";
const timeout = 20000;
const report = { ok: false, a: {}, b: {}, page_errors: [], console_errors: [] };

const shopPage = (title) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${title}</title></head>
<body><main><h1>${title}</h1>
<label for="shop-search">Search the shop</label> <input id="shop-search" type="search">
</main><script src="${widgetUrl}static/embed.js" defer></script></body></html>`;

const shop = createServer((req, res) => {
  const title = req.url.startsWith("/pricing") ? "Pricing" : "Home";
  res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
  res.end(shopPage(title));
});

const shopUrl = (p) => `http://127.0.0.1:${shopPort}${p}`;

async function widgetFrame(page) {
  const handle = await page.waitForSelector("#zuoxi-frame", { state: "attached", timeout });
  const frame = await handle.contentFrame();
  await frame.waitForSelector('#chat[data-connection="online"]', { state: "attached", timeout });
  return frame;
}

const state = (page, frame) => Promise.all([
  page.evaluate(() => ({
    top_focus: document.activeElement?.id || null,
    frame_hidden: document.getElementById("zuoxi-frame").hidden,
    launcher_expanded: document.getElementById("zuoxi-launcher").getAttribute("aria-expanded"),
  })),
  frame.evaluate(() => {
    const byId = (id) => document.getElementById(id);
    return {
      outreach: byId("chat").dataset.outreach,
      page_noted: byId("chat").dataset.pageNoted || null,
      text: byId("outreach-text").textContent,
      announce: [byId("outreach-announce").getAttribute("role"),
        byId("outreach-announce").getAttribute("aria-live"), byId("outreach-announce").textContent],
      region: byId("outreach").getAttribute("aria-label"),
      offer: byId("outreach").dataset.offer || null,
      reply_visible: !byId("outreach-reply").hidden,
      call_visible: !byId("outreach-call").hidden,
      close_visible: !byId("outreach-close").hidden,
      frame_has_focus: document.hasFocus(),
      easy: document.documentElement.dataset.easy,
    };
  }),
]).then(([top, inner]) => ({ ...top, ...inner }));

async function scenarioA(browser) {
  const context = await browser.newContext({ locale: "en-US", viewport: { width: 1024, height: 760 } });
  const page = await context.newPage();
  watch(page, report);
  const loaded = Date.now();
  await page.goto(shopUrl("/pricing/pro"));
  await page.focus("#shop-search");
  await page.keyboard.type("laptop");
  const frame = await widgetFrame(page);
  await frame.waitForSelector('#chat[data-outreach="shown"]', { state: "attached", timeout });
  report.a.opened_after_ms = Date.now() - loaded;
  report.a.opened = await state(page, frame);
  report.a.typed = await page.inputValue("#shop-search");
  report.a.violations = await axe(frame);
  report.a.overflow = await overflow(frame);
  await page.screenshot({ path: path.join(shotDir, "widget-outreach-open-en.png") });
  // Keyboard: Escape inside the card puts it away.
  await frame.focus("#outreach-close");
  await page.keyboard.press("Escape");
  await frame.waitForSelector('#chat[data-outreach="closed"]', { state: "attached", timeout });
  report.a.closed_focus = await frame.evaluate(() => document.activeElement?.id || null);

  // A reload: the hub's record says this trigger may not fire again (barrier: "final").
  await page.reload();
  const again = await widgetFrame(page);
  await again.waitForSelector('#chat[data-page-noted="final"]', { state: "attached", timeout });
  report.a.after_reload = await state(page, again);
  await context.close();
}

async function scenarioB(browser) {
  const context = await browser.newContext({ locale: "zh-CN", viewport: { width: 1024, height: 760 } });
  const page = await context.newPage();
  watch(page, report);
  await page.goto(shopUrl("/home"));
  let frame = await widgetFrame(page);
  await frame.waitForSelector('#chat[data-page-noted="final"]', { state: "attached", timeout });
  await page.click("#zuoxi-launcher"); // the customer opens the widget
  await frame.click("#easy-switch"); // reconnects (hello carries easy), reports again
  await frame.waitForSelector('html[data-easy="on"]', { state: "attached", timeout });
  await frame.waitForSelector('#chat[data-connection="online"][data-page-noted="final"]', { state: "attached", timeout });
  report.b.before = await state(page, frame);
  await page.click("#zuoxi-launcher"); // and hides it again
  const visitor = await frame.evaluate(() => localStorage.getItem("zuoxi.visitor_id"));
  writeFileSync(path.join(gateDir, "visitor-b.txt"), visitor);
  const tagged = path.join(gateDir, "tagged");
  for (let i = 0; i < 600 && !existsSync(tagged); i += 1) await page.waitForTimeout(50);
  if (!existsSync(tagged)) throw new Error("the test never tagged the visitor");
  await page.reload();
  await page.focus("#shop-search");
  frame = await widgetFrame(page);
  await frame.waitForSelector('#chat[data-outreach="shown"]', { state: "attached", timeout });
  report.b.opened = await state(page, frame);
  report.b.violations = await axe(frame);
  await page.screenshot({ path: path.join(shotDir, "widget-outreach-easy-zh.png") });
  await context.close();
}

async function main() {
  await new Promise((resolve) => shop.listen(shopPort, "127.0.0.1", resolve));
  const browser = await launch();
  try {
    await scenarioA(browser);
    await scenarioB(browser);
    report.ok = true;
  } catch (err) {
    report.error = String(err && err.stack || err);
  } finally {
    await browser.close();
    shop.close();
  }
  console.log(JSON.stringify(report));
}

main();
