"""The outreach file: triggers that open the widget with a message, and the limits.

``zuoxi-hub serve --outreach FILE`` (``hub/outreach.toml`` is the demo's). A
mistake stops the hub with the file, the line and the key::

    hub/outreach.toml:12: triggers[1].after_s: must be a number of seconds >= 0

A trigger's conditions all have to hold (at least one is required):

- ``url``: a glob (``*`` any run of characters, ``?`` one) matched against the
  whole URL of the page the customer is on; ``after_s``: seconds on that page;
- ``open_conversation = true``: a returning customer with an open conversation;
- ``tiers`` / ``tags``: the customer is in one of the tiers, or has one of the
  tags (manual or automatic);
- ``business_hours = true``: only inside the routing file's ``[business_hours]``;
  ``agents_available = true``: only while an agent of the chat queue is on duty.
"""

from __future__ import annotations

import fnmatch
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from core.protocol.models import Tier
from core.protocol.outreach import MAX_URL_CHARS, OutreachOffer

DEFAULT_FILE = Path(__file__).resolve().parent.parent / "outreach.toml"
_ID = re.compile(r"^[A-Za-z0-9_.-]{1,40}$")
MAX_MESSAGE_CHARS = 500


class OutreachConfigError(ValueError):
    """A mistake in the outreach file: names the file, the line and the key."""

    def __init__(self, path: str, line: int | None, key: str, problem: str) -> None:
        where = f"{path}:{line}" if line else path
        super().__init__(f"{where}: {key}: {problem}" if key else f"{where}: {problem}")
        self.path, self.line, self.key, self.problem = path, line, key, problem


@dataclass(frozen=True)
class Trigger:
    id: str
    messages: dict[str, str]  # "en", "zh" -> text
    offer: OutreachOffer = OutreachOffer.CHAT
    url: str | None = None
    after_s: int = 0
    open_conversation: bool = False
    tiers: frozenset[str] = frozenset()
    tags: frozenset[str] = frozenset()
    every_h: float = 24.0
    business_hours: bool = False
    agents_available: bool = False

    def url_matches(self, url: str) -> bool:
        return self.url is None or fnmatch.fnmatchcase(url, self.url)

    def message(self, lang: str) -> str:
        return self.messages.get(lang) or self.messages.get("en") or next(
            iter(self.messages.values()))


@dataclass(frozen=True)
class OutreachSettings:
    triggers: tuple[Trigger, ...] = ()
    # Automatic outreach per customer in any 24 hours, all triggers together.
    per_day: int = 2
    # An agent's reach-out to one customer at most this often (any agent).
    agent_every_min: float = 60.0
    # Page reports the hub evaluates per customer per minute (more are ignored).
    page_reports_per_min: int = 20
    source: str = ""

    def trigger(self, trigger_id: str) -> Trigger | None:
        return next((t for t in self.triggers if t.id == trigger_id), None)


class _Lines:
    """Finds the line of a key in the file's text (tomllib gives no positions)."""

    def __init__(self, text: str) -> None:
        self.lines = text.splitlines()

    def _table_start(self, table: str, index: int | None) -> int | None:
        header = re.compile(rf"^\s*\[\[\s*{re.escape(table)}\s*\]\]" if index is not None
                            else rf"^\s*\[\s*{re.escape(table)}\s*\]")
        seen = -1
        for n, line in enumerate(self.lines):
            if header.match(line):
                seen += 1
                if index is None or seen == index:
                    return n
        return None

    def of(self, table: str | None, index: int | None, key: str | None) -> int | None:
        start = 0
        if table is not None:
            found = self._table_start(table, index)
            if found is None:
                return None
            start = found
        if key is None:
            return start + 1
        first = key.split(".")[0]
        pattern = re.compile(rf"^\s*{re.escape(first)}\s*[.=]")
        for n in range(start + (1 if table is not None else 0), len(self.lines)):
            line = self.lines[n]
            if table is not None and re.match(r"^\s*\[", line):
                break
            if table is None and re.match(r"^\s*\[", line):
                break
            if pattern.match(line):
                return n + 1
        return start + 1 if table is not None else None


def load(path: str | Path | None) -> OutreachSettings:
    """The settings of ``path``; None: no outreach file (no triggers)."""
    if path is None:
        return OutreachSettings()
    name = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise OutreachConfigError(name, None, "", f"cannot read the file ({exc.strerror})"
                                  ) from None
    return parse(text, name)


def parse(text: str, name: str = "outreach.toml") -> OutreachSettings:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        match = re.search(r"line (\d+)", str(exc))
        raise OutreachConfigError(name, int(match.group(1)) if match else None, "",
                                  f"not valid TOML ({exc})") from None
    lines = _Lines(text)

    def fail(table: str | None, index: int | None, key: str, problem: str) -> None:
        label = key if table is None else (
            f"{table}[{index}].{key}" if index is not None else f"{table}.{key}")
        raise OutreachConfigError(name, lines.of(table, index, key), label, problem)

    for key in data:
        if key not in {"limits", "triggers"}:
            fail(None, None, key, "unknown key (use [limits] and [[triggers]])")
    limits = data.get("limits", {})
    if not isinstance(limits, dict):
        fail(None, None, "limits", "must be a table")
    known_limits = {"per_day", "agent_every_min", "page_reports_per_min"}
    for key in limits:
        if key not in known_limits:
            fail("limits", None, key, f"unknown key (use {', '.join(sorted(known_limits))})")
    per_day = limits.get("per_day", 2)
    if not _is_int(per_day) or per_day < 0:
        fail("limits", None, "per_day", "must be a whole number >= 0")
    agent_every = limits.get("agent_every_min", 60)
    if not _is_number(agent_every) or agent_every < 0:
        fail("limits", None, "agent_every_min", "must be a number of minutes >= 0")
    reports = limits.get("page_reports_per_min", 20)
    if not _is_int(reports) or not 1 <= reports <= 600:
        fail("limits", None, "page_reports_per_min", "must be a whole number from 1 to 600")

    raw = data.get("triggers", [])
    if not isinstance(raw, list):
        fail(None, None, "triggers", "must be an array of tables ([[triggers]])")
    triggers: list[Trigger] = []
    for i, entry in enumerate(raw):
        triggers.append(_trigger(entry, i, lambda k, p, i=i: fail("triggers", i, k, p)))
    seen: set[str] = set()
    for i, trigger in enumerate(triggers):
        if trigger.id in seen:
            fail("triggers", i, "id", f"{trigger.id!r} is used by an earlier trigger")
        seen.add(trigger.id)
    return OutreachSettings(tuple(triggers), int(per_day), float(agent_every), int(reports),
                            name)


_TRIGGER_KEYS = {
    "id", "message", "offer", "url", "after_s", "open_conversation", "tiers", "tags",
    "every_h", "business_hours", "agents_available",
}


def _trigger(entry: Any, i: int, fail: Any) -> Trigger:
    if not isinstance(entry, dict):
        fail("", "must be a table")
    for key in entry:
        if key not in _TRIGGER_KEYS:
            fail(key, f"unknown key (use {', '.join(sorted(_TRIGGER_KEYS))})")
    trigger_id = entry.get("id")
    if not isinstance(trigger_id, str) or not _ID.match(trigger_id):
        fail("id", "required: letters, digits, '.', '_' or '-' (at most 40)")
    message = entry.get("message")
    if not isinstance(message, dict) or not message:
        fail("message", "required: a table with en and/or zh texts (message.en = \"…\")")
    messages: dict[str, str] = {}
    for lang, value in message.items():
        if lang not in {"en", "zh"}:
            fail(f"message.{lang}", "unknown language (use en, zh)")
        if not isinstance(value, str) or not value.strip():
            fail(f"message.{lang}", "must be a non-empty text")
        if len(value) > MAX_MESSAGE_CHARS:
            fail(f"message.{lang}", f"longer than {MAX_MESSAGE_CHARS} characters")
        messages[lang] = value.strip()
    offer = entry.get("offer", "chat")
    if offer not in {o.value for o in OutreachOffer}:
        fail("offer", f"unknown offer {offer!r} (use chat, call)")
    url = entry.get("url")
    if url is not None and (not isinstance(url, str) or not url or len(url) > MAX_URL_CHARS):
        fail("url", "must be a URL pattern such as \"https://shop.example.com/pricing*\"")
    after_s = entry.get("after_s", 0)
    if not _is_int(after_s) or after_s < 0 or after_s > 86400:
        fail("after_s", "must be a whole number of seconds from 0 to 86400")
    if after_s and url is None:
        fail("after_s", "time on page needs a url pattern")
    flags: dict[str, bool] = {}
    for key in ("open_conversation", "business_hours", "agents_available"):
        value = entry.get(key, False)
        if not isinstance(value, bool):
            fail(key, "must be true or false")
        flags[key] = value
    tiers = entry.get("tiers", [])
    known = {t.value for t in Tier}
    if not isinstance(tiers, list) or any(t not in known for t in tiers):
        fail("tiers", f"must be a list of tiers ({', '.join(sorted(known))})")
    tags = entry.get("tags", [])
    if not isinstance(tags, list) or any(not isinstance(t, str) or not t for t in tags):
        fail("tags", "must be a list of tag names")
    every_h = entry.get("every_h", 24)
    if not _is_number(every_h) or every_h <= 0:
        fail("every_h", "must be a number of hours > 0")
    if url is None and not flags["open_conversation"] and not tiers and not tags:
        fail("id", "a trigger needs a condition: url, open_conversation, tiers or tags")
    return Trigger(
        id=trigger_id, messages=messages, offer=OutreachOffer(offer), url=url,
        after_s=int(after_s), open_conversation=flags["open_conversation"],
        tiers=frozenset(tiers), tags=frozenset(t.lower() for t in tags),
        every_h=float(every_h), business_hours=flags["business_hours"],
        agents_available=flags["agents_available"],
    )


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


