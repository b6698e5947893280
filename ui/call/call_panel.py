"""The call in progress: who, state and timer, mute, hold, keypad, transfer, hang up,
and live quality (RTT, jitter, loss, MOS) with a warning when it drops.

Consulting a colleague: on a telephone call Consult… asks for a colleague's
extension or a number, on a widget call it offers the colleagues (agents) to
call through the hub; while the consultation lasts a second row shows each leg
(the customer on hold, the colleague dialling, ringing or connected, or all three
in conference) with Complete transfer, Conference and Back to customer. Every one
of them has a window-wide shortcut.

A strip above the conversations, so the agent keeps chatting in other tabs during a
call. It shows what the desktop tells it (``show_call``, ``show_quality``) and turns
clicks and keys into signals; it owns no call state.
"""

from __future__ import annotations

import time
from functools import partial

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeyEvent
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLineEdit,
    QMenu,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from core.call.quality import WARN_BELOW_MOS
from core.protocol.call import CallQuality
from core.sip.consultation import Consultation, ConsultationState, LegState
from ui.profile.profile_header import safe_text
from ui.widgets.plain_text import ElidedLabel, PlainLabel
from ui.widgets.theme import named

KEYPAD = ("123", "456", "789", "*0#")
CONSULT_KEYS = {"consult": "Ctrl+Shift+I", "complete": "Ctrl+Shift+X",
                "conference": "Ctrl+Shift+Y", "back": "Ctrl+Shift+B"}
WARN_LOSS_PCT = 5.0


def clock_text(seconds: float) -> str:
    s = max(0, int(seconds))
    hours, rest = divmod(s, 3600)
    return (f"{hours}:" if hours else "") + f"{rest // 60:02d}:{rest % 60:02d}"


class CallPanel(QFrame):
    mute_toggled = Signal(bool)
    hold_toggled = Signal(bool)
    dtmf_pressed = Signal(str)
    transfer_requested = Signal(str, str)  # kind ("agent" | "queue" | "number"), target id
    hang_up_requested = Signal()
    consult_requested = Signal(str)  # a colleague's extension or a number
    consult_agent_requested = Signal(str, str)  # a colleague's agent id and name
    complete_transfer_requested = Signal()
    conference_requested = Signal()
    back_to_customer_requested = Signal()
    record_toggled = Signal(bool)  # on-demand recording started (True) or stopped

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("CallPanel")
        self.caller = named(PlainLabel(), "CallCaller")
        self.state = named(ElidedLabel(), "Muted")
        self.timer_label = named(PlainLabel("00:00"), "CallTimer")
        self.quality = named(PlainLabel(), "Muted")
        self.quality.setToolTip(self.tr("Round-trip time, jitter, packet loss and the "
                                        "estimated MOS (1–4.5) of this call"))
        self.mute_button = self._button(self.tr("&Mute"), self.tr("Mute (Ctrl+Shift+M)"), True)
        self.mute_button.toggled.connect(self.mute_toggled.emit)
        self.hold_button = self._button(self.tr("Ho&ld"), self.tr("Hold (Ctrl+Shift+H)"), True)
        self.hold_button.toggled.connect(self._hold_toggled)
        self.keypad_button = self._button(self.tr("&Keypad"),
                                          self.tr("Keypad (Ctrl+Shift+K)"), True)
        self.transfer_button = named(QToolButton(), "TransferButton")
        self.transfer_button.setText(self.tr("&Transfer"))
        self.transfer_button.setToolTip(self.tr("Blind transfer to another agent or queue"))
        self.transfer_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.transfer_menu = QMenu(self)
        self.transfer_button.setMenu(self.transfer_menu)
        self.record_button = self._button(self.tr("&Record"), self.tr(
            "Start or stop recording this call (Ctrl+Shift+S)"), True)
        self.record_button.toggled.connect(self.record_toggled.emit)
        self.record_button.hide()  # offered only where the queue records on demand
        self.hang_up_button = self._button(self.tr("Hang &up"),
                                           self.tr("Hang up (Ctrl+Shift+E)"), False)
        self.hang_up_button.setObjectName("HangUpButton")
        self.hang_up_button.clicked.connect(self.hang_up_requested.emit)

        self._build_consult()

        self.keypad = QWidget()
        grid = QGridLayout(self.keypad)
        grid.setContentsMargins(0, 4, 0, 0)
        grid.setSpacing(4)
        self.keys: dict[str, QPushButton] = {}
        for r, row in enumerate(KEYPAD):
            for c, digit in enumerate(row):
                key = QPushButton(digit)
                key.setObjectName("KeypadKey")
                key.setFixedWidth(44)
                key.clicked.connect(lambda _c=False, d=digit: self.press(d))
                grid.addWidget(key, r, c)
                self.keys[digit] = key
        self.sent_digits = named(PlainLabel(), "Muted")
        grid.addWidget(self.sent_digits, 0, 3, 4, 1, Qt.AlignmentFlag.AlignTop)
        self.keypad.hide()
        self.keypad_button.toggled.connect(self.keypad.setVisible)

        who = QVBoxLayout()
        who.setSpacing(0)
        who.addWidget(self.caller)
        who.addWidget(self.state)
        top = QHBoxLayout()
        top.setContentsMargins(12, 8, 12, 8)
        top.addLayout(who, 1)
        top.addWidget(self.timer_label)
        top.addSpacing(12)
        for button in (self.mute_button, self.hold_button, self.keypad_button,
                       self.transfer_button, self.consult_button, self.record_button,
                       self.hang_up_button):
            top.addWidget(button)
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 4)
        column.setSpacing(0)
        column.addLayout(top)
        quality_row = QHBoxLayout()
        quality_row.setContentsMargins(12, 0, 12, 0)
        quality_row.addWidget(self.quality, 1)
        column.addLayout(quality_row)
        column.addWidget(self.consult_row)
        column.addWidget(self.legs_row)
        column.addWidget(self.keypad, 0, Qt.AlignmentFlag.AlignLeft)
        self.keypad.setContentsMargins(12, 0, 0, 0)

        self.call_id: str | None = None
        self._answered_at: float | None = None  # time.monotonic()
        self._tick = QTimer(self)
        self._tick.setInterval(1000)
        self._tick.timeout.connect(self._update_clock)
        self.hide()

    def _build_consult(self) -> None:
        keys = CONSULT_KEYS
        self.consult_button = self._button(
            self.tr("Co&nsult…"),
            self.tr("Put the customer on hold and call a colleague or a number ({0})").format(
                keys["consult"]), False)
        self.consult_button.clicked.connect(self.open_consult)
        # Widget calls consult an agent through the hub: the colleagues to choose from.
        self.consult_menu = QMenu(self)
        self._consult_agents = False
        self.consult_target = QLineEdit()
        self.consult_target.setPlaceholderText(self.tr("Colleague's extension or a number"))
        self.consult_target.setMaxLength(64)
        self.consult_target.returnPressed.connect(self._consult)
        self.consult_call = self._button(self.tr("Call"), self.tr("Call (Enter)"), False)
        self.consult_call.clicked.connect(self._consult)
        self.consult_cancel = self._button(self.tr("Cancel"), self.tr("Cancel (Esc)"), False)
        self.consult_cancel.clicked.connect(self.close_consult)
        self.consult_row = QWidget()
        row = QHBoxLayout(self.consult_row)
        row.setContentsMargins(12, 4, 12, 0)
        row.addWidget(self.consult_target, 1)
        row.addWidget(self.consult_call)
        row.addWidget(self.consult_cancel)
        self.consult_row.hide()

        self.customer_leg = named(ElidedLabel(), "CallLeg")
        self.consult_leg = named(ElidedLabel(), "CallLeg")
        self.complete_button = self._button(
            self.tr("Com&plete transfer"),
            self.tr("Hand the customer to the colleague and leave the call ({0})").format(
                keys["complete"]), False)
        self.complete_button.clicked.connect(self.complete_transfer_requested.emit)
        self.conference_button = self._button(
            self.tr("Con&ference"),
            self.tr("Bring the customer and the colleague together ({0})").format(
                keys["conference"]), False)
        self.conference_button.clicked.connect(self.conference_requested.emit)
        self.back_button = self._button(
            self.tr("&Back to customer"),
            self.tr("End the consultation and take the customer off hold ({0})").format(
                keys["back"]), False)
        self.back_button.clicked.connect(self.back_to_customer_requested.emit)
        self.legs_row = QWidget()
        legs = QHBoxLayout(self.legs_row)
        legs.setContentsMargins(12, 4, 12, 0)
        legs.addWidget(self.customer_leg, 1)
        legs.addWidget(self.consult_leg, 1)
        for button in (self.complete_button, self.conference_button, self.back_button):
            legs.addWidget(button)
        self.legs_row.hide()
        self.consultation_state: ConsultationState | None = None
        self._can_consult = True
        self._connected = False

        # Window-wide shortcuts; each acts only while its button may be pressed.
        self.consult_actions: dict[str, QAction] = {}
        for name, button in (("consult", self.consult_button),
                             ("complete", self.complete_button),
                             ("conference", self.conference_button),
                             ("back", self.back_button)):
            action = QAction(button.text(), self)
            action.setShortcut(keys[name])
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            action.triggered.connect(partial(self._shortcut, button))
            self.addAction(action)
            self.consult_actions[name] = action

    def _shortcut(self, button: QPushButton) -> None:
        if self.call_id is not None and button.isEnabled() and button.isVisibleTo(self):
            button.click()

    def open_consult(self) -> None:
        """Ask for whom to consult (the customer is put on hold once the agent calls)."""
        if self.call_id is None or not self.consult_button.isEnabled():
            return
        if self._consult_agents:
            button = self.consult_button
            self.consult_menu.popup(button.mapToGlobal(button.rect().bottomLeft()))
            actions = [a for a in self.consult_menu.actions()
                       if a.isEnabled() and not a.isSeparator()]
            if actions:
                self.consult_menu.setActiveAction(actions[0])
            return
        self.consult_row.show()
        self.consult_target.setFocus()
        self.consult_target.selectAll()

    def close_consult(self) -> None:
        self.consult_row.hide()
        self.consult_target.clear()

    def _consult(self) -> None:
        target = self.consult_target.text().strip()
        if not target or self.call_id is None:
            return
        self.close_consult()
        self.consult_requested.emit(target)

    def show_consultation(self, consultation: Consultation | None,
                          colleague: str = "") -> None:
        """Show the legs of the call in front's consultation (``None``: none)."""
        if consultation is None or consultation.state in (ConsultationState.FINISHED,
                                                          ConsultationState.TRANSFERRED):
            self.consultation_state = None
            self.legs_row.hide()
            for widget in (self.hold_button, self.transfer_button):
                widget.setEnabled(self._connected)
            self.consult_button.setEnabled(self.call_id is not None and self._can_consult
                                           and self.hold_button.isEnabled())
            return
        self.consultation_state = consultation.state
        self.consult_button.setEnabled(False)
        # The consultation holds and resumes the customer itself, and hands them on
        # with Complete transfer: Hold and a blind transfer would cross it.
        for widget in (self.hold_button, self.transfer_button):
            widget.setEnabled(False)
        customer = {
            LegState.ON_HOLD: self.tr("Customer · on hold"),
            LegState.CONNECTED: self.tr("Customer · connected"),
            LegState.ENDED: self.tr("Customer · left the call"),
        }.get(consultation.customer, self.tr("Customer"))
        name = safe_text(colleague or consultation.target, 40)
        consult = {
            LegState.DIALING: self.tr("{0} · calling…"),
            LegState.RINGING: self.tr("{0} · ringing"),
            LegState.CONNECTED: self.tr("{0} · connected"),
            LegState.ENDED: self.tr("{0} · call ended"),
        }.get(consultation.consult, "{0}").format(name)
        if consultation.state == ConsultationState.CONFERENCE:
            customer = self.tr("Conference · {0}").format(customer)
        elif consultation.state == ConsultationState.TRANSFERRING:
            consult = self.tr("Transferring to {0}…").format(name)
        elif consultation.transfer_failed is not None:
            consult = self.tr("{0} · the transfer failed ({1})").format(
                consult, consultation.transfer_failed)
        self.customer_leg.setText(customer)
        self.consult_leg.setText(consult)
        self.complete_button.setEnabled(consultation.can_complete)
        self.conference_button.setEnabled(consultation.can_conference)
        self.back_button.setEnabled(consultation.can_go_back)
        self.back_button.setText(self.tr("Cancel consult") if consultation.consult in (
            LegState.DIALING, LegState.RINGING) else self.tr("&Back to customer"))
        self.legs_row.show()

    def _button(self, text: str, tip: str, checkable: bool) -> QPushButton:
        button = QPushButton(text)
        button.setToolTip(tip)
        button.setCheckable(checkable)
        return button

    # ---- what the desktop tells it --------------------------------------------------

    def show_call(self, call_id: str, caller: str, state_text: str, *,
                  answered_at: float | None, muted: bool, held: bool,
                  connected: bool, can_consult: bool = True,
                  consult_agents: bool = False) -> None:
        """Show or refresh the call in front (``answered_at`` from time.monotonic());
        ``can_consult``: a call that may consult a colleague; ``consult_agents``:
        the colleague is an agent chosen from a menu (a widget call), not a number."""
        if call_id != self.call_id:
            self.sent_digits.clear()
            self.quality.clear()
            self.quality.setProperty("warning", False)
        self.call_id = call_id
        self.caller.setText(safe_text(caller, 60))
        self.state.setText(state_text)
        self._answered_at = answered_at
        for button, value in ((self.mute_button, muted), (self.hold_button, held)):
            button.blockSignals(True)
            button.setChecked(value)
            button.blockSignals(False)
        self.hold_button.setText(self.tr("Resume") if held else self.tr("Ho&ld"))
        for widget in (self.mute_button, self.hold_button, self.keypad_button,
                       self.transfer_button):
            widget.setEnabled(connected)
        self._can_consult = can_consult
        self._consult_agents = consult_agents
        self._connected = connected
        self.consult_button.setVisible(can_consult)
        if self.consultation_state is None:
            self.consult_button.setEnabled(connected and can_consult)
        self._update_clock()
        if answered_at is not None:
            self._tick.start()
        self.show()

    def set_recording(self, offered: bool, recording: bool) -> None:
        """The on-demand Record button: shown when offered, checked while recording."""
        self.record_button.setVisible(offered)
        self.record_button.blockSignals(True)
        self.record_button.setChecked(recording)
        self.record_button.blockSignals(False)
        self.record_button.setText(self.tr("Stop &recording") if recording
                                   else self.tr("&Record"))

    def toggle_recording(self) -> None:
        if self.call_id is not None and self.record_button.isVisible():
            self.record_button.toggle()

    def clear_call(self) -> None:
        self.call_id = None
        self._tick.stop()
        self.keypad_button.setChecked(False)
        self.close_consult()
        self.show_consultation(None)
        self.hide()

    def show_quality(self, quality: CallQuality) -> None:
        text = self.tr("RTT {0} ms · jitter {1} ms · loss {2} % · MOS {3}").format(
            round(quality.rtt_ms), round(quality.jitter_ms), f"{quality.loss_pct:.1f}",
            f"{quality.mos:.1f}")
        poor = quality.mos < WARN_BELOW_MOS or quality.loss_pct >= WARN_LOSS_PCT
        if poor:
            text = self.tr("⚠ Poor call quality — the customer may hear you badly. ") + text
        self.quality.setText(text)
        self.quality.setObjectName("WarningText" if poor else "Muted")
        self.quality.setProperty("warning", poor)
        self.quality.style().unpolish(self.quality)
        self.quality.style().polish(self.quality)

    @property
    def quality_warning(self) -> bool:
        return bool(self.quality.property("warning"))

    def set_transfer_targets(self, agents: list[tuple[str, str]],
                             queues: list[tuple[str, str]]) -> None:
        """(id, name) pairs; the agent's own id is left out by the caller."""
        menu = self.transfer_menu
        menu.clear()
        if agents:
            menu.addSection(self.tr("Agents"))
        for agent_id, name in agents:
            menu.addAction(name, partial(self.transfer_requested.emit, "agent", agent_id))
        if queues:
            menu.addSection(self.tr("Queues"))
        for queue_id, name in queues:
            menu.addAction(name, partial(self.transfer_requested.emit, "queue", queue_id))
        if not agents and not queues:
            menu.addAction(self.tr("Nobody to transfer to")).setEnabled(False)
        consult = self.consult_menu
        consult.clear()
        consult.addSection(self.tr("Consult a colleague"))
        for agent_id, name in agents:
            consult.addAction(name, partial(self.consult_agent_requested.emit, agent_id, name))
        if not agents:
            consult.addAction(self.tr("No colleague to consult")).setEnabled(False)
        menu.addSeparator()
        # A telephone call goes to a number (SIP REFER); a web call cannot.
        menu.addAction(self.tr("To a &number…"), partial(self.transfer_requested.emit,
                                                         "number", ""))

    # ---- input ----------------------------------------------------------------------

    def press(self, digit: str) -> None:
        if self.call_id is None:
            return
        self.sent_digits.setText((self.sent_digits.text() + digit)[-16:])
        self.dtmf_pressed.emit(digit)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape and self.consult_row.isVisible():
            self.close_consult()
            return
        text = event.text()
        if self.keypad.isVisible() and text and text.upper() in "0123456789*#":
            self.press(text)
            return
        super().keyPressEvent(event)

    def toggle_mute(self) -> None:
        if self.call_id is not None and self.mute_button.isEnabled():
            self.mute_button.toggle()

    def toggle_hold(self) -> None:
        if self.call_id is not None and self.hold_button.isEnabled():
            self.hold_button.toggle()

    def toggle_keypad(self) -> None:
        if self.call_id is not None and self.keypad_button.isEnabled():
            self.keypad_button.toggle()
            if self.keypad.isVisible():
                self.keys["5"].setFocus()

    def _hold_toggled(self, held: bool) -> None:
        self.hold_button.setText(self.tr("Resume") if held else self.tr("Ho&ld"))
        self.hold_toggled.emit(held)

    def _update_clock(self) -> None:
        if self._answered_at is None:
            self.timer_label.setText("00:00")
            return
        self.timer_label.setText(clock_text(time.monotonic() - self._answered_at))
