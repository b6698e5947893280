// Zuoxi widget on a site's own pages: a "Chat with us" button that opens the widget
// (the hub's page in a frame) at the corner of the page. Add one line to the page:
//   <script src="https://HUB/static/embed.js" defer></script>
// and allow the site's origin to frame the widget (zuoxi-hub serve
// --widget-frame-ancestor https://shop.example.com).
//
// It tells the widget which page the customer is on and since when (for the hub's
// outreach triggers, hub/outreach), again when the address changes (single-page
// sites), and opens the widget when it asks (a trigger fired, an agent wrote). It
// never moves the focus: the customer keeps typing where they were.
"use strict";

(() => {
  const script = document.currentScript;
  if (!script || !script.src || window.zuoxiEmbed) return;
  const widgetUrl = new URL("../", script.src);
  const hubOrigin = widgetUrl.origin;
  const zh = (navigator.language || "").toLowerCase().startsWith("zh");
  const words = zh
    ? { open: "在线客服", close: "收起在线客服", title: "在线客服" }
    : { open: "Chat with us", close: "Hide the chat", title: "Chat with us" };

  // A stylesheet from the hub, not inline style: the site's CSP may forbid that.
  const style = document.createElement("link");
  style.rel = "stylesheet";
  style.href = new URL("embed.css", script.src).href;
  document.head.append(style);

  const frame = document.createElement("iframe");
  frame.id = "zuoxi-frame";
  frame.className = "zuoxi-frame";
  frame.title = words.title;
  frame.src = widgetUrl.href;
  frame.hidden = true;
  frame.setAttribute("allow", "microphone");
  const launcher = document.createElement("button");
  launcher.type = "button";
  launcher.id = "zuoxi-launcher";
  launcher.className = "zuoxi-launcher";
  launcher.textContent = words.open;
  launcher.setAttribute("aria-expanded", "false");
  launcher.setAttribute("aria-controls", frame.id);

  let pageUrl = window.location.href;
  let pageSince = Date.now() - Math.round(performance.now());

  function setOpen(open) {
    frame.hidden = !open;
    launcher.setAttribute("aria-expanded", String(open));
    launcher.textContent = open ? words.close : words.open;
    document.documentElement.dataset.zuoxi = open ? "open" : "closed";
  }

  function tellPage() {
    frame.contentWindow?.postMessage(
      { zuoxi: "page", url: pageUrl, on_page_ms: Date.now() - pageSince }, hubOrigin);
  }

  function addressChanged() {
    if (window.location.href === pageUrl) return;
    pageUrl = window.location.href;
    pageSince = Date.now();
    tellPage();
  }

  window.addEventListener("message", (event) => {
    if (event.source !== frame.contentWindow || event.origin !== hubOrigin) return;
    const data = event.data;
    if (!data || typeof data.zuoxi !== "string") return;
    if (data.zuoxi === "ready") tellPage();
    else if (data.zuoxi === "open") setOpen(true);
  });
  launcher.addEventListener("click", () => setOpen(frame.hidden));
  window.addEventListener("popstate", addressChanged);
  window.addEventListener("hashchange", addressChanged);
  setInterval(addressChanged, 1000); // pushState has no event

  window.zuoxiEmbed = { open: () => setOpen(true), close: () => setOpen(false) };
  document.body.append(frame, launcher);
  setOpen(false);
})();
