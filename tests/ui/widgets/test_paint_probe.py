"""The paint probe reports what the real views drew, after they drew it."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from typing import Any

import pytest

from tests.core.factories import T0, added, message
from tests.ui.chat.test_message_arrival import open_chat
from ui.widgets import paint_probe


@pytest.fixture
def reports() -> Iterator[list[tuple[str, str]]]:
    seen: list[tuple[str, str]] = []
    paint_probe.set_listener(lambda kind, key: seen.append((kind, key)))
    yield seen
    paint_probe.set_listener(None)


def test_a_new_bubble_is_reported_once_its_paint_is_done(
        qtbot: Any, qloop: asyncio.AbstractEventLoop, reports: list[tuple[str, str]]) -> None:
    service, _window, panel = open_chat(qtbot)
    view = panel.chat_view
    qtbot.waitUntil(lambda: ("inbox", "1") in reports)
    # At the moment the probe speaks, the bubble's row lies in the visible viewport
    # and the paint that reported it was a paint of the chat view.
    seen_at_report: dict[str, bool] = {}

    def check(kind: str, key: str) -> None:
        reports.append((kind, key))
        if kind == "bubble" and key == "c1-m2":
            row = view.message_model.rowCount() - 1
            rect = view.visualRect(view.message_model.index(row))
            seen_at_report[key] = (view.message_model.message(row).id == "c1-m2"  # type: ignore[union-attr]
                                   and view.viewport().rect().intersects(rect))

    paint_probe.set_listener(check)
    before = view.viewport().grab().toImage()
    service.events_received([added(2, message("c1-m2", text="还在吗 " * 6, at=T0 + 60_000))])
    assert ("bubble", "c1-m2") not in reports  # in the cache, not yet painted
    qtbot.waitUntil(lambda: ("bubble", "c1-m2") in reports)
    assert seen_at_report == {"c1-m2": True}
    paint_probe.set_listener(None)
    assert view.viewport().grab().toImage() != before
    # agent's own messages are not customer bubbles: the probe names only those
    assert all(key.startswith("c1-m") for kind, key in reports if kind == "bubble")


def test_nothing_is_collected_without_a_listener(
        qtbot: Any, qloop: asyncio.AbstractEventLoop) -> None:
    paint_probe.set_listener(None)
    service, _window, panel = open_chat(qtbot)
    service.events_received([added(2, message("c1-m2", text="hello", at=T0 + 60_000))])
    qtbot.waitUntil(lambda: panel.chat_view.message_model.rowCount() == 2)
    panel.chat_view.viewport().repaint()
    assert panel.chat_view.delegate.drawn == []
