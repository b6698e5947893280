"""The desktop's knowledge-base window over 10,000 cached articles.

A child process (its own QApplication, drawn on a private Xvfb when there is no
display, like the desktop benchmarks) fills an encrypted cache, as the desktop's
is, with the generated articles of ``bench.assist_retrieval_bench`` (the demo's
topics made specific to products and batches, zh + en), then times three things
a person does, each from the action to the list's paint that shows its result
(the list reports its paints: ``ui.widgets.paint_probe``, "kb_list"):

- window opened → its first rows painted: the first F1 of a session builds the
  window (n windows built), a later F1 shows the hidden window again (n repeats);
- a search typed → its results painted: the labelled questions typed one
  character at a time, every keystroke a sample (each searches the cache), with
  the GUI thread's own CPU time for it (what it costs whatever the load);
- scroll to the end (the scroll bar dragged to its end) → the last rows painted.

During each, a 10 ms timer on the GUI thread measures how late it ran: the
longest stall of the GUI loop (the same measure as the supervision bench's). The
machine's load average is recorded before and after. Rows read from the cache
per interaction are reported too (the model's count).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench.stats import summary

QUESTIONS_PER_LANGUAGE = 8
OPEN_REPEATS = 15
SCROLL_REPEATS = 15
SMOKE_BELOW = 1_000  # fewer articles: a smoke run (tests/bench), fewer samples
TICK_MS = 10
TIMEOUT_S = 10.0


def run(articles: int = 10_000) -> dict[str, Any]:
    """The figures, measured in a child process on a drawn screen."""
    from bench.desktop_bench import display

    with display() as env:
        child = subprocess.run(
            [sys.executable, "-m", "bench.kb_window_bench", "--articles", str(articles)],
            env={**os.environ, **env, "QT_API": "pyside6"}, capture_output=True, text=True,
            timeout=1800, check=False)
    if child.returncode != 0:
        return {"error": child.stderr[-2000:]}
    figures: dict[str, Any] = json.loads(child.stdout.strip().splitlines()[-1])
    return figures


def _articles(count: int) -> list[Any]:
    from bench.assist_retrieval_bench import generated_articles
    from core.protocol.knowledge import KbArticle, KbLanguage, KbStatus
    from hub.assist.kb_markdown import answer_paragraph

    return [KbArticle(id=a.id, title=a.title, body=a.body, language=KbLanguage(a.language.value),
                      tags=list(a.tags), status=KbStatus.PUBLISHED, version=1, author="bench",
                      updated_at=1, answer=answer_paragraph(a.body))
            for a in generated_articles(count)]


def _questions(per_language: int = QUESTIONS_PER_LANGUAGE) -> list[str]:
    from bench.assist_retrieval_bench import load_questions

    picked: dict[bool, list[str]] = {True: [], False: []}
    for q in load_questions("dev"):
        text = str(q["question"])
        zh = any("\u4e00" <= ch <= "\u9fff" for ch in text)
        if q["expected"] and len(picked[zh]) < per_language:
            picked[zh].append(text)
    return picked[True] + picked[False]


class _Clock:
    """The GUI loop's lateness (a 10 ms timer) and the list's paints, with times."""

    def __init__(self) -> None:
        from PySide6.QtCore import QTimer

        from ui.widgets import paint_probe

        self.ticks: list[tuple[float, float]] = []  # (when, ms late)
        self.paints: list[tuple[float, str]] = []
        self._last = time.perf_counter()
        self.timer = QTimer()
        self.timer.timeout.connect(self._tick)
        self.timer.start(TICK_MS)
        paint_probe.set_listener(self._painted)

    def _tick(self) -> None:
        now = time.perf_counter()
        self.ticks.append((now, max(0.0, (now - self._last) * 1000 - TICK_MS)))
        self._last = now

    def _painted(self, kind: str, key: str) -> None:
        if kind == "kb_list":
            self.paints.append((time.perf_counter(), key))

    def longest_stall(self, start: float, end: float) -> float:
        # a tick at ``t`` late by ``x`` stalled the loop over (t - x, t]
        return max((late for when, late in self.ticks if start < when <= end + 0.5), default=0.0)


def _wait(app: Any, done: Callable[[], bool]) -> None:
    from PySide6.QtCore import QEventLoop

    deadline = time.monotonic() + TIMEOUT_S
    while not done():
        if time.monotonic() > deadline:
            raise TimeoutError("the knowledge-base list did not paint")
        app.processEvents(QEventLoop.ProcessEventsFlag.WaitForMoreEvents)  # the 10 ms tick wakes it


def _idle(app: Any, seconds: float) -> None:
    from PySide6.QtCore import QEventLoop

    end = time.monotonic() + seconds
    while time.monotonic() < end:
        app.processEvents(QEventLoop.ProcessEventsFlag.WaitForMoreEvents)  # the 10 ms tick wakes it


def _any(_key: str) -> bool:
    return True


def _painted_after(clock: _Clock, start: float,
                   accept: Callable[[str], bool] = _any) -> float | None:
    for when, key in clock.paints:
        if when > start and accept(key):
            return when
    return None


def _until_painted(app: Any, clock: _Clock, start: float,
                   accept: Callable[[str], bool] = _any) -> float:
    """When the list first painted after ``start`` (what ``accept`` asks for)."""
    _wait(app, lambda: _painted_after(clock, start, accept) is not None)
    end = _painted_after(clock, start, accept)
    assert end is not None
    return end


def child(articles: int) -> dict[str, Any]:
    smoke = articles < SMOKE_BELOW
    repeats = 3 if smoke else OPEN_REPEATS
    from PySide6.QtWidgets import QApplication

    from core.assist import kb_cache
    from core.cache.cache import Cache
    from core.cache.cipher import CacheKey
    from core.protocol import routing as rp
    from core.protocol.models import AgentInfo
    from core.session.agent_service import AgentService
    from core.session.preferences import ThemeName
    from ui.assist.kb_window import KnowledgeBaseWindow
    from ui.shell.service_bridge import ServiceBridge
    from ui.widgets.theme import apply_theme, load_theme

    load_before = os.getloadavg()
    folder = Path(tempfile.mkdtemp(prefix="zuoxi-kbwin-"))
    cache = Cache(folder / "cache.sqlite3", CacheKey.generate())
    started = time.monotonic()
    stored = _articles(articles)
    for at in range(0, len(stored), 25):  # as the first listing stores them
        with cache.db.atomic():
            kb_cache.store_chunk(cache.db, stored[at:at + 25])
    fill_s = time.monotonic() - started

    app = QApplication([])
    apply_theme(app, load_theme(ThemeName.LIGHT))
    service = AgentService(cache, AgentInfo(id="a-alex", username="alex", display_name="Alex"))
    service.routing_frame_received(rp.RoutingConfig(
        role=rp.AgentRole.AGENT, queues=[], all_queues=[], away_reasons=[], offer_timeout_s={}))
    bridge = ServiceBridge(service)
    clock = _Clock()
    _idle(app, 0.3)

    def open_window() -> tuple[Any, float, float]:
        start = time.perf_counter()
        window = KnowledgeBaseWindow(bridge)
        window.resize(1100, 720)
        window.show()
        return window, start, _until_painted(app, clock, start)

    # Opening: the very first apart (imports, fonts, the style's first use); then
    # windows built and shown (a session's first F1), then one shown again (F1 later).
    first_window, start, end = open_window()
    first_open_ms = (end - start) * 1000
    first_window.close()
    first_window.deleteLater()
    builds, build_stall, open_rows = [], 0.0, []
    for _ in range(repeats):
        _idle(app, 0.1)
        window, start, end = open_window()
        builds.append((end - start) * 1000)
        build_stall = max(build_stall, clock.longest_stall(start, end))
        open_rows.append(window.model.rows_read)
        window.close()
        window.deleteLater()
    _idle(app, 0.1)
    window, _start, _end = open_window()
    opens, open_stall = [], 0.0
    for _ in range(repeats):
        window.close()  # Escape hides it
        _idle(app, 0.1)
        read = window.model.rows_read
        start = time.perf_counter()
        window.show()
        window.raise_()
        window.focus_search()
        end = _until_painted(app, clock, start)
        opens.append((end - start) * 1000)
        open_stall = max(open_stall, clock.longest_stall(start, end))
        open_rows.append(window.model.rows_read - read)

    # Searching: every keystroke of the questions, to its results painted.
    window.search.setFocus()
    keys, key_stall, key_rows, hits = [], 0.0, [], []
    key_cpu: list[float] = []  # the GUI thread's own CPU time: the work, not the wait
    for question in _questions(1 if smoke else QUESTIONS_PER_LANGUAGE):
        window.search.clear()
        _idle(app, 0.05)
        for ch in question:
            read = window.model.rows_read
            cpu = time.thread_time()
            start = time.perf_counter()
            window.search.insert(ch)
            end = _until_painted(app, clock, start)
            key_cpu.append((time.thread_time() - cpu) * 1000)
            keys.append((end - start) * 1000)
            key_stall = max(key_stall, clock.longest_stall(start, end))
            key_rows.append(window.model.rows_read - read)
            _idle(app, 0.02)
        hits.append(window.model.rowCount())

    # Scrolling to the end: the scroll bar dragged to its end, back to the top between.
    window.search.clear()
    _idle(app, 0.2)
    bar = window.results.verticalScrollBar()
    total = window.model.rowCount()
    scrolls, scroll_stall, scroll_rows = [], 0.0, []
    for _ in range(3 if smoke else SCROLL_REPEATS):
        bar.setValue(0)
        _idle(app, 0.1)
        read = window.model.rows_read
        start = time.perf_counter()
        bar.setValue(bar.maximum())

        def at_end(key: str) -> bool:
            return int(key.split(":")[1]) >= total - 60

        end = _until_painted(app, clock, start, at_end)
        scrolls.append((end - start) * 1000)
        scroll_stall = max(scroll_stall, clock.longest_stall(start, end))
        scroll_rows.append(window.model.rows_read - read)
    window.close()
    load_after = os.getloadavg()
    return {
        "articles": articles,
        "cache": "encrypted (SQLCipher), as the desktop's",
        "clock_stops": "painted",
        "fill_cache_s": round(fill_s, 1),
        "first_open_ms": round(first_open_ms, 1),
        "build_and_open_ms": summary(builds, "ms"),
        "open_ms": summary(opens, "ms"),
        "search_keystroke_ms": summary(keys, "ms"),
        "search_keystroke_gui_cpu_ms": summary(key_cpu, "ms"),
        "scroll_to_end_ms": summary(scrolls, "ms"),
        "longest_gui_stall_ms": {"build_and_open": round(build_stall, 1),
                                 "open": round(open_stall, 1), "search": round(key_stall, 1),
                                 "scroll": round(scroll_stall, 1)},
        "rows_read": {"open_max": max(open_rows), "search_keystroke_max": max(key_rows),
                      "scroll_to_end_max": max(scroll_rows)},
        "questions": len(hits), "hits_per_question": hits,
        "load_average": [round(x, 2) for x in (*load_before[:1], *load_after[:1])],
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--articles", type=int, default=10_000)
    args = parser.parse_args()
    print(json.dumps(child(args.articles), ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
