"""The tray icon's menu: counts, presence, show, quit; the badge follows the unread count."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from PySide6.QtCore import QPoint

from core.protocol.models import Presence
from core.protocol.routing import AwayReason
from ui.shell.tray import AgentTray, badged
from ui.widgets.theme import app_icon


def test_menu_counts_presence_show_quit(qtbot: Any) -> None:
    tray = AgentTray(app_icon())
    plain = tray.tray.icon().pixmap(64, 64).toImage()
    tray.set_counts(3, 2)
    assert tray.counts.text() == "3 unread · 2 waiting"
    assert tray.tray.toolTip() == "Zuoxi — 3 unread · 2 waiting"
    assert not tray.counts.isEnabled()  # a line to read, not a command
    assert tray.tray.icon().pixmap(64, 64).toImage() != plain  # the badge
    tray.set_counts(1, 0)
    assert tray.counts.text() == "1 unread · 0 waiting"
    tray.set_counts(0, 0)
    assert tray.tray.icon().pixmap(64, 64).toImage() == plain

    texts = [a.text() for a in tray.menu.actions() if not a.isSeparator()]
    assert texts[1:] == ["Presence", "Show Zuoxi", "Quit"]
    chosen: list[tuple[Presence, AwayReason | None]] = []
    tray.presence_chosen.connect(lambda p, r: chosen.append((p, r)))
    tray.presence_actions[Presence.AWAY].trigger()
    tray.presence_actions[Presence.AVAILABLE].trigger()
    assert chosen == [(Presence.AWAY, AwayReason.OTHER), (Presence.AVAILABLE, None)]
    tray.set_presence(Presence.OFFLINE)
    assert [p for p, a in tray.presence_actions.items() if a.isChecked()] == [Presence.OFFLINE]

    if os.environ.get("ZUOXI_SCREENSHOTS"):  # the menu as the agent sees it, for the docs
        tray.set_counts(3, 2)
        tray.set_presence(Presence.AVAILABLE)
        tray.menu.popup(QPoint(0, 0))
        qtbot.waitExposed(tray.menu)
        tray.presence_menu.popup(QPoint(tray.menu.width() - 8, 40))
        qtbot.waitExposed(tray.presence_menu)
        shots = Path(os.environ["ZUOXI_SCREENSHOTS"])
        shots.mkdir(parents=True, exist_ok=True)
        tray.menu.grab().save(str(shots / "tray-menu.png"))
        tray.presence_menu.grab().save(str(shots / "tray-presence.png"))
        tray.presence_menu.hide()
        tray.menu.hide()

    with qtbot.waitSignal(tray.show_requested):
        tray.show_action.trigger()
    with qtbot.waitSignal(tray.quit_requested):
        tray.quit_action.trigger()


def test_badge_caps_at_99() -> None:
    icon = app_icon()
    assert badged(icon, 150).pixmap(64, 64).toImage() == badged(icon, 100).pixmap(64, 64).toImage()
    assert badged(icon, 5).pixmap(64, 64).toImage() != badged(icon, 6).pixmap(64, 64).toImage()
