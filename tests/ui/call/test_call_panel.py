"""The call panel on its own (no hub, no media): its transfer menu and its keypad."""

from __future__ import annotations

from typing import Any

from PySide6.QtGui import QAction

from ui.call.call_panel import CallPanel


def connected_panel(qtbot: Any) -> CallPanel:
    panel = CallPanel()
    qtbot.addWidget(panel)
    panel.show_call("call1", "Emma Walker", "Connected", answered_at=None, muted=False,
                    held=False, connected=True)
    return panel


def test_each_transfer_target_asks_for_its_own_kind_and_id(qtbot: Any) -> None:
    panel = connected_panel(qtbot)
    panel.set_transfer_targets([("a1", "王芳"), ("a2", "Li Na")], [("q1", "Hotline")])
    by_text = {a.text(): a for a in panel.transfer_menu.actions() if not a.isSeparator()}
    asked: list[tuple[str, str]] = []
    panel.transfer_requested.connect(lambda kind, target: asked.append((kind, target)))
    for text in ("Li Na", "Hotline", "王芳"):
        by_text[text].trigger()
    assert asked == [("agent", "a2"), ("queue", "q1"), ("agent", "a1")]


def test_nobody_to_transfer_to_is_a_disabled_line(qtbot: Any) -> None:
    panel = connected_panel(qtbot)
    panel.set_transfer_targets([], [])
    actions: list[QAction] = [a for a in panel.transfer_menu.actions() if not a.isSeparator()]
    assert [a.text() for a in actions] == ["Nobody to transfer to", "To a &number…"]
    assert not actions[0].isEnabled()
    asked: list[tuple[str, str]] = []
    panel.transfer_requested.connect(lambda kind, target: asked.append((kind, target)))
    actions[1].trigger()  # a telephone call goes to a number (the desk asks which)
    assert asked == [("number", "")]


def test_digits_typed_with_the_keypad_open_become_dtmf(qtbot: Any) -> None:
    panel = connected_panel(qtbot)
    panel.show()
    pressed: list[str] = []
    panel.dtmf_pressed.connect(pressed.append)
    qtbot.keyClicks(panel, "12")  # keypad closed: not dialled
    panel.toggle_keypad()
    assert panel.keypad.isVisible()
    qtbot.keyClicks(panel, "4#x*")  # "x" is no key of the keypad
    assert pressed == ["4", "#", "*"]
    assert panel.sent_digits.text() == "4#*"
