"""The style sheet uses only properties Qt knows: no "Unknown property" warnings
(they were printed at every start)."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtWidgets import QApplication

from core.session.preferences import ThemeName
from ui.call.call_panel import CallPanel
from ui.widgets.theme import apply_theme, load_theme


@pytest.mark.parametrize("name", list(ThemeName))
def test_style_sheet_has_no_unknown_property(qapp: QApplication, qtbot: Any, qtlog: Any,
                                             name: ThemeName) -> None:
    apply_theme(qapp, load_theme(name))
    panel = CallPanel()
    qtbot.addWidget(panel)
    panel.show_call("c1", "王芳", "In call", answered_at=0.0, muted=False, held=False,
                    connected=True)
    panel.show()
    panel.grab()  # styled and painted
    unknown = [r.message for r in qtlog.records if "Unknown property" in r.message]
    assert unknown == []
