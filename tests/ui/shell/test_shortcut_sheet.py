"""Ctrl+/ opens the shortcut sheet, made from the window's actual actions: every
action with a shortcut is listed with its keys, grouped by its menu; in Chinese
too."""

from __future__ import annotations

import asyncio
import os
from pathlib import Path
from typing import Any

from PySide6.QtCore import QLocale, Qt
from PySide6.QtGui import QAction, QKeySequence

from core.cache.cache import Cache
from core.call.audio_devices import AudioHost
from core.call.call_manager import CallManager
from core.call.media_thread import MediaEngine, MediaThread
from core.call.preferences import AudioPreferences
from core.chat.preferences import SendKey
from core.protocol import routing as rp
from core.session.agent_service import AgentService
from core.session.preferences import ThemeName
from desktop.call_audio import CallAudio
from desktop.translations import install_translators
from ui.shell.main_window import MainWindow
from ui.shell.service_bridge import ServiceBridge
from ui.shell.shortcut_sheet import plain_action_text
from ui.widgets.theme import load_theme

SHOTS = os.environ.get("ZUOXI_SCREENSHOTS", "")


def window_with_menus(qtbot: Any) -> MainWindow:
    window = MainWindow(ServiceBridge(AgentService(Cache(":memory:"))),
                        load_theme(ThemeName.LIGHT), SendKey.ENTER)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()  # shortcuts reach the active window
    qtbot.waitUntil(window.isActiveWindow)
    return window


def test_ctrl_slash_lists_every_shortcut_of_the_window(
        qtbot: Any, qloop: asyncio.AbstractEventLoop) -> None:
    window = window_with_menus(qtbot)
    qtbot.keyClick(window, Qt.Key.Key_Slash, Qt.KeyboardModifier.ControlModifier)
    sheet = window.shortcut_sheet
    assert sheet is not None and sheet.isVisible()
    listed = {(action, keys) for _group, action, keys in sheet.shown_rows()}
    expected = {
        (plain_action_text(a.text()),
         ", ".join(k.toString(QKeySequence.SequenceFormat.NativeText) for k in a.shortcuts()))
        for a in window.findChildren(QAction) if a.shortcuts() and a.isVisible()
    }  # a hidden action (the supervisor's, for an agent) has no working shortcut
    assert listed == expected and len(listed) >= 20
    rows = sheet.shown_rows()
    assert ("Call", "Answer", "Ctrl+Shift+A") in rows
    assert ("Conversation", "Search customers and messages", "Ctrl+K") in rows
    assert ("Help", "Keyboard shortcuts", "Ctrl+/") in rows
    assert not any("&" in action for _g, action, _k in rows)
    if SHOTS:  # for the docs
        sheet.resize(520, 760)
        sheet.grab().save(str(Path(SHOTS) / "shortcut-sheet-en.png"))


def test_the_sheet_speaks_chinese(qapp: Any, qtbot: Any,
                                  qloop: asyncio.AbstractEventLoop) -> None:
    previous = QLocale()
    translators = install_translators(qapp, "zh_CN")
    try:
        window = window_with_menus(qtbot)
        sheet = window.open_shortcut_sheet()
        rows = sheet.shown_rows()
        assert ("通话", "接听", "Ctrl+Shift+A") in rows
        assert sheet.windowTitle() == "键盘快捷键"
    finally:
        for translator in translators:
            qapp.removeTranslator(translator)
        QLocale.setDefault(previous)


def test_no_two_actions_of_the_window_share_a_shortcut(
        qtbot: Any, qloop: asyncio.AbstractEventLoop) -> None:
    """Supervisor-only actions included (they are hidden for an agent, not absent):
    a clash would leave one of them dead for a supervisor."""
    cache = Cache(":memory:")
    cache.store_routing_frame(rp.RoutingConfig(
        role=rp.AgentRole.SUPERVISOR, queues=[], all_queues=[], away_reasons=[],
        offer_timeout_s={}))
    window = MainWindow(ServiceBridge(AgentService(cache)),
                        load_theme(ThemeName.LIGHT), SendKey.ENTER)
    qtbot.addWidget(window)
    # the call engine (never started here) brings the supervisor's call actions
    manager = CallManager(lambda _frame: None, MediaEngine(MediaThread()))
    window.attach_calls(manager, CallAudio(AudioHost(), AudioPreferences()))
    assert window.supervise.dock is not None and window.supervise.call_listening is not None
    assert window.quality.review_action is not None
    owners: dict[str, set[str]] = {}
    for action in window.findChildren(QAction):
        for key in action.shortcuts():
            text = key.toString(QKeySequence.SequenceFormat.PortableText)
            owners.setdefault(text, set()).add(plain_action_text(action.text()))
    clashes = {key: names for key, names in owners.items() if len(names) > 1}
    assert not clashes
    assert len(owners) >= 20
