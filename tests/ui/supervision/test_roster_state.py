"""王伟 sets an agent's state from the workspace's roster (the key while the roster has
focus, and its context menu), with a reason, against a real hub: the agent is told
who and why, and the roster shows the new state."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt

from core.protocol import coaching as cop
from core.protocol.models import Presence
from core.protocol.routing import AwayReason
from hub.process import HubProcess
from testbed.agent_probe import AgentProbe
from tests.ui.conftest import run
from tests.ui.desktop_runner import running_desktop, sign_in


def test_wang_sets_lina_away_from_the_roster_with_a_reason(
        qapp: Any, qloop: asyncio.AbstractEventLoop, qtbot: Any,
        make_hub: Callable[..., HubProcess], tmp_path: Path) -> None:
    hub = make_hub()
    lina = run(qtbot, qloop, AgentProbe.logged_in(hub.url, "lina"))
    with running_desktop(qapp, qtbot, hub.url, tmp_path) as app:
        sign_in(qtbot, app, "wang")
        assert app.signed is not None
        actions = app.signed.window.supervision
        qtbot.waitUntil(lambda: actions.allowed, timeout=5_000)
        workspace = actions.open_workspace()
        assert workspace is not None

        def lina_row() -> Any:  # the board is replaced by each snapshot: read it afresh
            agents = actions.figures.board.agents.values()
            return next((a for a in agents if a.name == "李娜"), None)

        qtbot.waitUntil(lambda: lina_row() is not None, timeout=10_000)
        view, shown = workspace.roster_view, workspace.roster_filter
        [row] = [r for r in range(shown.rowCount()) if shown.data(shown.index(r, 0)) == "李娜"]
        view.setCurrentIndex(shown.index(row, 2))
        assert workspace.state_action in view.actions()  # the roster's context menu
        view.setFocus()
        qtbot.waitUntil(view.hasFocus, timeout=2_000)
        qtbot.keyClick(view, Qt.Key.Key_S, Qt.KeyboardModifier.AltModifier
                       | Qt.KeyboardModifier.ShiftModifier)
        dialog = actions.state_dialog
        assert dialog is not None and dialog.isVisible()
        assert dialog.agent.currentData() == lina_row().agent_id  # the selected agent
        dialog.presence.setCurrentIndex(dialog.presence.findData(Presence.AWAY))
        dialog.away_reason.setCurrentIndex(dialog.away_reason.findData(AwayReason.MEETING))
        dialog.reason.setText("质检复盘 · quality review")
        dialog.apply()

        told = run(qtbot, qloop, lina.wait_body(cop.AgentStateSet, timeout=10))
        assert (told.presence, told.by_name, told.reason) == (
            Presence.AWAY, "王伟", "质检复盘 · quality review")
        qtbot.waitUntil(lambda: lina_row().presence is Presence.AWAY, timeout=5_000)
        # Without a selection the key asks nothing.
        view.clearSelection()
        view.setCurrentIndex(shown.index(-1, -1))
        actions.state_dialog = None
        workspace.state_action.trigger()
        assert actions.state_dialog is None
    run(qtbot, qloop, lina.close())
