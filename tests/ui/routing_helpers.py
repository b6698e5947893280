"""Helpers for UI tests against a hub that offers conversations (routing)."""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

from hub.process import HubProcess
from ui.shell.main_window import MainWindow

ROUTING_TOML = Path(__file__).resolve().parents[2] / "hub" / "routing.toml"


def routing_config(directory: Path, *, chat_first_reply_s: int | None = None,
                   auto_accept_chat: bool | None = None, chat_offer_s: int | None = None,
                   max_missed: int | None = None) -> Path:
    """The shipped routing.toml with a few values changed, written to ``directory``."""
    text = ROUTING_TOML.read_text(encoding="utf-8")
    if chat_offer_s is not None:
        text, count = re.subn(r"(?m)^(timeout_s = \{.*chat = )\d+", rf"\g<1>{chat_offer_s}", text)
        assert count == 1, "routing.toml: offers.timeout_s.chat not found"
    if max_missed is not None:
        text = re.sub(r"(?m)^max_missed = \d+", f"max_missed = {max_missed}", text)
    if chat_first_reply_s is not None:
        text = re.sub(r"(?m)^chat_first_reply_s = \d+",
                      f"chat_first_reply_s = {chat_first_reply_s}", text)
    if auto_accept_chat is not None:
        text = re.sub(r"(?m)^auto_accept_chat = \w+",
                      f"auto_accept_chat = {str(auto_accept_chat).lower()}", text)
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / "routing.toml"
    path.write_text(text, encoding="utf-8")
    return path


def auto_accept_hub(make_hub: Callable[..., HubProcess], tmp_path: Path) -> HubProcess:
    """A hub that assigns chats at once (``offers.auto_accept_chat``), for tests of
    other things than offers."""
    config = routing_config(tmp_path / "routing", auto_accept_chat=True)
    return make_hub("--routing-config", str(config))


def hub_row(db_path: Path, sql: str, *args: object) -> tuple[Any, ...] | None:
    with sqlite3.connect(db_path) as db:
        row = db.execute(sql, args).fetchone()
    return tuple(row) if row is not None else None


def wait_offer(qtbot: Any, window: MainWindow, conversation_id: str | None) -> str:
    """Wait for the toast to ring for the conversation; returns the offer id."""
    toast = window.offer_toast
    qtbot.waitUntil(lambda: toast.isVisible() and toast.current is not None
                    and toast.current.conversation_id == conversation_id, timeout=15_000)
    assert toast.current is not None
    return toast.current.offer_id


def accept_offer(qtbot: Any, window: MainWindow, conversation_id: str | None) -> None:
    """Accept with Enter, as an agent would, and wait for the conversation's tab."""
    from PySide6.QtCore import Qt

    wait_offer(qtbot, window, conversation_id)
    qtbot.keyClick(window.offer_toast, Qt.Key.Key_Return)

    def opened() -> bool:
        panel = window.current_panel()
        return panel is not None and panel.conversation_id == conversation_id

    qtbot.waitUntil(opened, timeout=15_000)
