// Shared by easy_flow.mjs and a11y_flow.mjs: keyboard-only moves, axe-core, overflow.

import { chromium } from "playwright-core";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const AXE_SOURCE = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");

export function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    headless: true,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
}

export function watch(page, report) {
  page.on("pageerror", (err) => report.page_errors.push(String(err)));
  page.on("console", (msg) => {
    if (msg.type() === "error") report.console_errors.push(msg.text());
  });
}

/** Press Tab (Shift+Tab with back) until `selector` has the focus; throws when it never does. */
export async function tabTo(page, selector, { max = 40, back = false } = {}) {
  for (let i = 0; i < max; i += 1) {
    if (await page.evaluate((s) => document.activeElement?.matches(s) ?? false, selector)) return i;
    await page.keyboard.press(back ? "Shift+Tab" : "Tab");
  }
  throw new Error(`keyboard focus never reached ${selector}`);
}

/** axe-core on the whole page: every violation, with where it is. */
export async function axe(page) {
  // evaluate() runs outside the page's CSP, which forbids injected script tags.
  if (!(await page.evaluate(() => Boolean(window.axe)))) await page.evaluate(AXE_SOURCE);
  return page.evaluate(async () => {
    const result = await window.axe.run(document, { resultTypes: ["violations"] });
    return result.violations.map((v) => ({
      id: v.id, impact: v.impact, help: v.help,
      nodes: v.nodes.map((n) => `${n.target.join(" ")}: ${n.failureSummary}`).slice(0, 5),
    }));
  });
}

/** Whether the page scrolls sideways (WCAG 1.4.10 reflow). */
export function overflow(page) {
  return page.evaluate(() => {
    const s = document.scrollingElement;
    return { scroll_width: s.scrollWidth, client_width: s.clientWidth };
  });
}
