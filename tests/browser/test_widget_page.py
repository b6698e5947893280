"""Static rules for the customer widget's files, and how the hub serves them.

No browser needed: these hold the page to a strict CSP (no inline script or style)
and keep message text away from HTML parsing.
"""

from __future__ import annotations

import re
import urllib.request
from email.message import Message
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from core.protocol.customer import HandoffReason

STATIC = Path(__file__).resolve().parents[2] / "hub" / "static"


class _PageScan(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.scripts: list[dict[str, str | None]] = []
        self.styles = 0
        self.inline_attrs: list[str] = []
        self.ids: set[str] = set()
        self.label_for: list[str] = []
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "script":
            self.scripts.append(found)
        if tag == "style":
            self.styles += 1
        if tag == "link" and found.get("rel") == "stylesheet":
            self.links.append(str(found.get("href")))
        if tag == "label" and found.get("for"):
            self.label_for.append(str(found["for"]))
        if found.get("id"):
            self.ids.add(str(found["id"]))
        self.inline_attrs += [name for name in found if name == "style" or name.startswith("on")]


def _scan() -> _PageScan:
    scan = _PageScan()
    scan.feed((STATIC / "widget.html").read_text(encoding="utf-8"))
    return scan


def test_page_has_no_inline_code_or_style() -> None:
    scan = _scan()
    assert scan.styles == 0
    assert scan.inline_attrs == []
    assert scan.scripts == [
        {"src": "static/widget.js", "defer": None},  # first: it sets window.zuoxiWidget
        {"src": "static/widget_call.js", "defer": None},
        {"src": "static/widget_rating.js", "defer": None},
        {"src": "static/widget_bot.js", "defer": None},
        {"src": "static/widget_easy.js", "defer": None},
        {"src": "static/widget_idle.js", "defer": None},
        {"src": "static/widget_message.js", "defer": None},
        {"src": "static/widget_outreach.js", "defer": None},
    ]
    assert scan.links == ["static/widget.css", "static/widget_easy.css",
                          "static/widget_outreach.css"]


def test_every_label_names_a_field_and_the_log_is_live() -> None:
    scan = _scan()
    assert set(scan.label_for) == {"name", "email", "phone", "topic", "text"} <= scan.ids
    html = (STATIC / "widget.html").read_text(encoding="utf-8")
    assert re.search(r'<input id="email"[^>]*type="email"', html)
    assert re.search(r'<input id="phone"[^>]*type="tel"', html)
    # The live region holds the list, so the messages stay list items.
    assert re.search(r'<div id="log-region" role="log" aria-live="polite"[^>]*>\s*'
                     r'<ol id="log" class="log"></ol>', html)


def test_script_never_parses_html() -> None:
    js = "".join((STATIC / name).read_text(encoding="utf-8")
                 for name in ("widget.js", "widget_call.js", "widget_bot.js", "widget_easy.js",
                              "widget_idle.js"))
    for sink in (
        "innerHTML",
        "outerHTML",
        "insertAdjacentHTML",
        "document.write",
        "eval(",
        "new Function",
    ):
        assert sink not in js, sink


def test_both_languages_have_the_same_keys() -> None:
    js = (STATIC / "widget.js").read_text(encoding="utf-8")
    en = re.search(r"\n    en: \{(.*?)\n    \},", js, re.S)
    zh = re.search(r"\n    zh: \{(.*?)\n    \},", js, re.S)
    assert en and zh
    keys = [re.findall(r"^\s+(\w+):", block.group(1), re.M) for block in (en, zh)]
    assert keys[0] == keys[1] and len(keys[0]) > 30


def test_call_texts_exist_in_both_languages() -> None:
    js = (STATIC / "widget_call.js").read_text(encoding="utf-8")
    blocks = [re.search(rf"\n    {lang}: \{{(.*?)\n    \}},", js, re.S) for lang in ("en", "zh")]
    assert blocks[0] and blocks[1]
    keys = [re.findall(r"(\w+): \"", block.group(1)) for block in blocks if block]
    assert keys[0] == keys[1] and {"err_denied", "err_insecure", "ended_lost"} <= set(keys[0])


def test_bot_texts_exist_in_both_languages() -> None:
    js = (STATIC / "widget_bot.js").read_text(encoding="utf-8")
    blocks = [re.search(rf"\n    {lang}: \{{(.*?)\n    \}},", js, re.S) for lang in ("en", "zh")]
    assert blocks[0] and blocks[1]
    keys = [re.findall(r"(\w+): \"", block.group(1)) for block in blocks if block]
    reasons = {f"handoff_{reason.value}" for reason in HandoffReason}
    assert keys[0] == keys[1] and reasons | {"talk_to_person", "helpful"} <= set(keys[0])


def _get(url: str) -> tuple[int, Message, bytes]:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.status, response.headers, response.read()


def test_hub_serves_the_page_with_a_strict_policy(hub: Any) -> None:
    status, headers, body = _get(f"{hub.url}/")
    assert status == 200 and b'id="chat"' in body
    policy = headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    for name, kind in (("widget.js", "javascript"), ("widget_call.js", "javascript"),
                       ("widget_bot.js", "javascript"), ("widget_easy.js", "javascript"),
                       ("widget_idle.js", "javascript"), ("widget_easy.css", "text/css"),
                       ("widget.css", "text/css")):
        status, headers, _ = _get(f"{hub.url}/static/{name}")
        assert status == 200 and kind in headers["Content-Type"]
