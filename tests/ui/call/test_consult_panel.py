"""The call panel's consultation controls, driven by a fake engine that runs the
real sans-I/O consultation (the media path is proven by the SIP integration
tests): each leg is shown, buttons and shortcuts follow what may be done."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtWidgets import QApplication, QMainWindow, QVBoxLayout, QWidget

from core.sip.consultation import Consultation, ConsultationState, Step
from core.sip.events import (
    CallDidAnswer,
    CallDidEnd,
    CallDidProgress,
    EndReason,
    SipEvent,
    TransferDidProgress,
)
from desktop.translations import install_translators
from ui.call.call_panel import CallPanel

CUSTOMER, CONSULT = "call1", "consult1"
SHOTS = os.environ.get("ZUOXI_SCREENSHOTS", "")  # a directory: save what the panel looks like


class FakeEngine:
    """What the desktop's SIP side would do: the consultation, the steps it asked for."""

    def __init__(self, panel: CallPanel) -> None:
        self.panel = panel
        self.consultation: Consultation | None = None
        self.steps: list[Step] = []
        panel.consult_requested.connect(self.consult)
        panel.complete_transfer_requested.connect(
            lambda: self.run(self.current().complete_transfer()))
        panel.conference_requested.connect(lambda: self.run(self.current().conference()))
        panel.back_to_customer_requested.connect(
            lambda: self.run(self.current().back_to_customer()))

    def current(self) -> Consultation:
        assert self.consultation is not None
        return self.consultation

    def consult(self, target: str) -> None:
        self.consultation = Consultation(CUSTOMER, CONSULT, target)
        self.panel.show_consultation(self.consultation, "王芳")

    def run(self, steps: list[Step]) -> None:
        self.steps += steps
        self.panel.show_consultation(self.consultation, "王芳")

    def event(self, event: SipEvent) -> None:
        self.run(self.current().handle(event))


def _panel(qtbot: Any) -> tuple[QMainWindow, CallPanel, FakeEngine]:
    window = QMainWindow()
    panel = CallPanel()
    window.setCentralWidget(panel)
    qtbot.addWidget(window)
    panel.show_call(CUSTOMER, "Emma Walker", "Connected", answered_at=None, muted=False,
                    held=False, connected=True)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    return window, panel, FakeEngine(panel)


def _keys(qtbot: Any, window: QMainWindow, key: Qt.Key) -> None:
    """A window-wide shortcut: Ctrl+Shift+key."""
    qtbot.keyClick(window, key, Qt.KeyboardModifier.ControlModifier
                   | Qt.KeyboardModifier.ShiftModifier)


def _enabled(panel: CallPanel) -> tuple[bool, bool, bool]:
    return (panel.complete_button.isEnabled(), panel.conference_button.isEnabled(),
            panel.back_button.isEnabled())


def test_consult_then_complete_the_transfer_from_the_keyboard(qtbot: Any) -> None:
    window, panel, engine = _panel(qtbot)
    assert not panel.legs_row.isVisible()
    _keys(qtbot, window, Qt.Key.Key_I)
    assert panel.consult_row.isVisible() and panel.consult_target.hasFocus()
    qtbot.keyClicks(panel.consult_target, "3000")
    qtbot.keyClick(panel.consult_target, Qt.Key.Key_Return)
    assert engine.current().target == "3000" and not panel.consult_row.isVisible()
    assert panel.legs_row.isVisible() and not panel.consult_button.isEnabled()
    assert panel.customer_leg.text() == "Customer · on hold"
    assert panel.consult_leg.text() == "王芳 · calling…"
    assert _enabled(panel) == (False, False, True)
    assert panel.back_button.text() == "Cancel consult"

    engine.event(CallDidProgress(CONSULT, 180))
    assert panel.consult_leg.text() == "王芳 · ringing"
    engine.event(CallDidAnswer(CONSULT, "sdp"))
    assert panel.consult_leg.text() == "王芳 · connected"
    assert _enabled(panel) == (True, True, True)
    assert panel.back_button.text() == "&Back to customer"

    _keys(qtbot, window, Qt.Key.Key_X)
    assert engine.current().state == ConsultationState.TRANSFERRING
    assert panel.consult_leg.text() == "Transferring to 王芳…"
    assert _enabled(panel) == (False, False, False)
    engine.event(TransferDidProgress(CUSTOMER, 488, final=True))
    assert "the transfer failed (488)" in panel.consult_leg.text()
    assert _enabled(panel) == (True, True, True)  # try again, or go back
    _keys(qtbot, window, Qt.Key.Key_X)
    engine.event(TransferDidProgress(CUSTOMER, 200, final=True))
    assert engine.current().state == ConsultationState.TRANSFERRED
    assert not panel.legs_row.isVisible()


def test_conference_and_back_to_the_customer(qtbot: Any) -> None:
    window, panel, engine = _panel(qtbot)
    panel.open_consult()
    panel.consult_target.setText("+86 138 0013 8000")
    panel.consult_call.click()
    engine.event(CallDidAnswer(CONSULT, "sdp"))
    _keys(qtbot, window, Qt.Key.Key_Y)
    assert engine.current().state == ConsultationState.CONFERENCE
    assert panel.customer_leg.text() == "Conference · Customer · connected"
    assert _enabled(panel) == (True, False, True)
    _keys(qtbot, window, Qt.Key.Key_B)
    assert engine.current().state == ConsultationState.FINISHED
    assert not panel.legs_row.isVisible() and panel.consult_button.isEnabled()
    assert [type(s).__name__ for s in engine.steps] == ["Resume", "StartMix", "EndMix",
                                                        "HangUp"]


def test_cancel_a_ringing_consult_and_escape_closes_the_question(qtbot: Any) -> None:
    _window, panel, engine = _panel(qtbot)
    panel.open_consult()
    qtbot.keyClick(panel.consult_target, Qt.Key.Key_Escape)
    assert not panel.consult_row.isVisible() and engine.consultation is None
    panel.open_consult()
    qtbot.keyClick(panel.consult_target, Qt.Key.Key_Return)  # nothing typed: nothing asked
    assert engine.consultation is None
    panel.consult_target.setText("3000")
    panel.consult_call.click()
    engine.event(CallDidProgress(CONSULT, 180))
    panel.back_button.click()
    assert [type(s).__name__ for s in engine.steps] == ["HangUp", "Resume"]
    assert not panel.legs_row.isVisible()
    # The colleague who hangs up during a consultation leaves the customer on hold.
    panel.open_consult()
    panel.consult_target.setText("3000")
    panel.consult_call.click()
    engine.event(CallDidEnd(CONSULT, EndReason.BUSY, 486))
    assert panel.consult_leg.text() == "王芳 · call ended"
    assert _enabled(panel) == (False, False, True)


@pytest.mark.parametrize("language", ["en", "zh_CN"])
@pytest.mark.parametrize("size", [(1366, 768), (1920, 1080)])
def test_the_legs_and_their_buttons_fit_the_window(qapp: Any, qtbot: Any, language: str,
                                                   size: tuple[int, int]) -> None:
    translators = install_translators(qapp, language)
    try:
        window = QMainWindow()
        panel = CallPanel()
        column = QWidget()
        layout = QVBoxLayout(column)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(panel)
        layout.addStretch(1)
        window.setCentralWidget(column)
        qtbot.addWidget(window)
        window.resize(*size)
        panel.show_call(CUSTOMER, "Emma Walker 王芳", "Connected", answered_at=None,
                        muted=False, held=True, connected=True)
        engine = FakeEngine(panel)
        window.show()
        qtbot.waitExposed(window)
        engine.consult("3000")
        engine.event(CallDidAnswer(CONSULT, "sdp"))
        qapp.processEvents()
        for button in (panel.mute_button, panel.hold_button, panel.consult_button,
                       panel.hang_up_button, panel.complete_button, panel.conference_button,
                       panel.back_button):
            top_left = button.mapTo(window, QPoint(0, 0))
            assert window.rect().contains(QRect(top_left, button.size())), button.text()
            assert button.width() >= button.sizeHint().width(), button.text()
        assert panel.customer_leg.text() and panel.consult_leg.text()
        if SHOTS:
            Path(SHOTS).mkdir(parents=True, exist_ok=True)
            window.grab().save(str(Path(SHOTS) / f"consult-{language}-{size[0]}x{size[1]}.png"))
    finally:
        for translator in translators:
            qapp.removeTranslator(translator)
