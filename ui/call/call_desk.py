"""Calls in the window: the call manager's state shown on the toast, the call panel
and the wrap-up form; clicks, keys and click-to-call turned into call actions.

Thread: the GUI thread. The call manager runs on the same (qasync) loop and emits
its hooks there; media work is awaited from the media thread inside it.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Coroutine
from typing import TYPE_CHECKING, Any, ParamSpec, Protocol

from PySide6.QtCore import QCoreApplication, QObject, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QInputDialog, QMenu, QWidget

from core.call.call_state import Call, CallError, CallState
from core.protocol.call import CallEndReason, CallQuality, ListenMode
from core.protocol.models import Channel
from core.session.hooks import Hook
from core.sip.events import RegistrationState
from core.tasks import BackgroundTasks
from ui.call.call_panel import CallPanel, clock_text
from ui.call.call_toast import CallToast
from ui.call.dial_dialog import DialDialog
from ui.routing.routing_names import queue_name
from ui.routing.wrap_up_dialog import WrapUpDialog
from ui.shell.banners import NoticeBar
from ui.shell.service_bridge import ServiceBridge

if TYPE_CHECKING:  # the call manager (and numpy under it) loads with the first call
    from core.call.call_manager import CallManager
    from core.sip.consultation import Consultation

log = logging.getLogger(__name__)

FRONT_ORDER = (CallState.ACTIVE, CallState.CONNECTING, CallState.DIALING, CallState.HELD)

P = ParamSpec("P")


def _link(hook: Hook[P], slot: Callable[P, None]) -> Callable[[], None]:
    """Listen to a core hook; returns what undoes it."""
    hook.connect(slot)
    return lambda: hook.disconnect(slot)


class CallSounds(Protocol):
    """The desktop's audio (desktop/call_audio.py)."""

    @property
    def has_devices(self) -> bool: ...

    def ring(self, soft: bool = False) -> bool: ...

    def stop_ring(self) -> None: ...

    def play_dtmf(self, digits: str) -> None: ...

    def activate(self, call_id: str | None) -> None: ...

    def release(self, call_id: str) -> None: ...


class CallDesk(QObject):
    call_shown = Signal(str)  # call id now in the panel
    call_ringing = Signal(str, str)  # call id, caller's name: for a desktop notification
    wrap_up_opened = Signal(object)  # WrapUpDialog
    customer_online_changed = Signal(str, bool)  # customer id, in the widget now

    def __init__(self, manager: CallManager, bridge: ServiceBridge, sounds: CallSounds,
                 toast: CallToast, panel: CallPanel, notice_bar: NoticeBar,
                 window: QWidget, show_customer: Callable[[str], None]) -> None:
        super().__init__(window)
        self.manager = manager
        self._bridge = bridge
        self._sounds = sounds
        self.toast = toast
        self.panel = panel
        self._notice_bar = notice_bar
        self._window = window
        self._show_customer = show_customer
        self._tasks = BackgroundTasks("call desk", logger=log, on_error=self._failed)
        self.wrap_up: WrapUpDialog | None = None
        self._popped: str | None = None  # the telephone call whose screen pop showed
        self.dial_dialog: DialDialog | None = None
        self.recent_numbers = bridge.service.recent_numbers  # kept in the (encrypted) cache

        toast.answer_requested.connect(self.answer)
        toast.decline_requested.connect(self.decline)
        panel.mute_toggled.connect(self._mute)
        panel.hold_toggled.connect(self._hold)
        panel.dtmf_pressed.connect(self._dtmf)
        panel.transfer_requested.connect(self._transfer)
        panel.hang_up_requested.connect(self.hang_up)
        panel.record_toggled.connect(self._record)
        panel.consult_requested.connect(self._consult)
        panel.complete_transfer_requested.connect(
            lambda: self._consulting(self.manager.complete_transfer))
        panel.conference_requested.connect(lambda: self._consulting(self.manager.conference))
        panel.back_to_customer_requested.connect(
            lambda: self._consulting(self.manager.back_to_customer))
        self._unlinks = [
            _link(manager.call_did_ring, self._ringing),
            _link(manager.call_did_change, self._changed),
            _link(manager.call_did_end, self._ended),
            _link(manager.quality_did_update, self._quality),
            _link(manager.customer_online_did_change, self.customer_online_changed.emit),
            _link(manager.recording.recording_did_change, self._changed),
            _link(manager.consultation_did_change, self._consultation),
            _link(manager.telephone_did_change, self._telephone_changed),
        ]
        bridge.routing_config_changed.connect(self.refresh_transfer_targets)
        self.refresh_transfer_targets()

    def refresh_transfer_targets(self) -> None:
        """The transfer menu from the hub's routing config: colleagues and voice queues."""
        service = self._bridge.service
        config = service.routing.config()
        me = service.agent.id if service.agent else None
        agents = [(a.id, a.display_name) for a in service.routing.transfer_agents()
                  if a.id != me]
        queues = [(q.id, queue_name(q.id, q.name)) for q in (config.all_queues if config else [])
                  if q.channel is Channel.VOICE]
        self.panel.set_transfer_targets(agents, queues)

    def detach(self) -> None:
        for unlink in self._unlinks:
            unlink()
        if self._unlinks:
            self._bridge.routing_config_changed.disconnect(self.refresh_transfer_targets)
        self._unlinks = []
        self._sounds.stop_ring()

    # ---- helpers ------------------------------------------------------------------

    def _spawn(self, coro: Coroutine[Any, Any, Any]) -> None:
        self._tasks.spawn(coro)

    def _failed(self, exc: BaseException) -> bool:
        if isinstance(exc, CallError):
            self._notice_bar.show_text(self.tr("That is not possible now: {0}").format(exc))
            return True
        self._notice_bar.show_text(self.tr("The call action failed: {0}").format(exc))
        return False  # not handled: logged as an error

    def _guard(self, action: Callable[[], None]) -> None:
        try:
            action()
        except CallError as exc:
            self._notice_bar.show_text(self.tr("That is not possible now: {0}").format(exc))

    def caller_name(self, call: Call) -> str:
        if call.customer is not None and call.customer.name:
            return call.customer.name
        item = self._bridge.service.conversation(call.conversation_id) \
            if call.conversation_id else None
        if item is not None and item.customer_name:
            return item.customer_name
        if call.sip_number is not None:  # a telephone call not yet linked to a customer
            return call.sip_name or call.sip_number or self.tr("Withheld number")
        return self.tr("Customer")

    def front_call(self) -> Call | None:
        """The call the panel shows: active first, then connecting, dialing, held."""
        live = [c for c in self.manager.calls.values() if c.live]
        for state in FRONT_ORDER:
            for call in live:
                if call.state is state:
                    return call
        return None

    def ringing_call(self) -> Call | None:
        return next((c for c in self.manager.calls.values()
                     if c.state is CallState.RINGING_IN), None)

    def state_text(self, call: Call) -> str:
        texts = {
            CallState.RINGING_IN: self.tr("Ringing"),
            CallState.DIALING: self.tr("Calling the customer…"),
            CallState.CONNECTING: self.tr("Connecting audio…"),
            CallState.ACTIVE: self.tr("In call"),
            CallState.HELD: self.tr("On hold — the customer hears silence"),
            CallState.ENDED: self.tr("Call ended"),
            CallState.FAILED: self.tr("Call failed"),
        }
        text = texts[call.state]
        consultation = self.manager.consultations.get(call.call_id) if call.live else None
        if consultation is not None:
            # The customer's leg is held or mixed by the consultation, whatever the
            # call's own state says: the line names what the agent is doing.
            from core.sip.consultation import ConsultationState

            text = {
                ConsultationState.CONSULTING: self.tr(
                    "Consulting — the customer is on hold"),
                ConsultationState.TRANSFERRING: self.tr("Transferring the customer…"),
                ConsultationState.CONFERENCE: self.tr("Conference — all three of you talk"),
            }.get(consultation.state, text)
        if call.remote_muted and call.state is CallState.ACTIVE:
            text += " · " + self.tr("the customer muted their microphone")
        if call.listened_by is not None and call.live:
            # The agent always knows: a supervisor's name comes from the hub.
            text += " · " + {
                ListenMode.LISTEN: self.tr("{0} is listening"),
                ListenMode.COACH: self.tr("{0} is coaching you (the customer cannot hear)"),
                ListenMode.BARGE: self.tr("{0} has joined the call"),
            }[call.listen_mode or ListenMode.LISTEN].format(call.listened_by)
        waiting = [c for c in self.manager.calls.values()
                   if c.live and c is not call and c.state is CallState.HELD]
        if waiting and call.state is CallState.ACTIVE:
            text += " · " + self.tr("%n call(s) on hold", "", len(waiting))
        if call.live and self.manager.recording.is_recording(call.call_id):
            text += " · " + self.tr("recording")
        if call.live and not self._sounds.has_devices:
            # said here while the call lasts; the status bar's note says it for good
            text += " · " + self.tr("no audio device: silent")
        return text

    # ---- from the call manager ----------------------------------------------------

    def _ringing(self, call: Call) -> None:
        waiting = self.front_call() is not None
        profile = None
        if call.customer is not None:
            profile = self._bridge.service.customer_profile(call.customer.id)
            if not waiting:
                self._show_customer(call.customer.id)  # screen pop before answering
        self.toast.show_call(call.call_id, self.caller_name(call), profile, waiting=waiting,
                             transferred_from=call.transferred_from)
        self._sounds.ring(soft=waiting)
        self.call_ringing.emit(call.call_id, self.caller_name(call))

    def _changed(self, call: Call) -> None:
        if (call.state is CallState.RINGING_IN and self.toast.call_id == call.call_id
                and call.customer is not None and self._popped != call.call_id):
            self._linked(call)
        if call.state is not CallState.RINGING_IN and self.toast.call_id == call.call_id:
            self.toast.dismiss(call.call_id)
            self._ring_for_next()
        self._refresh()

    def _linked(self, call: Call) -> None:
        """A telephone call's customer became known while it rings (the hub resolved
        the caller's number): the toast names them and the screen pop shows them."""
        assert call.customer is not None
        self._popped = call.call_id
        waiting = self.front_call() is not None
        profile = self._bridge.service.customer_profile(call.customer.id)
        if not waiting:
            self._show_customer(call.customer.id)
        self.toast.show_call(call.call_id, self.caller_name(call), profile, waiting=waiting,
                             transferred_from=call.transferred_from)

    def _refresh(self) -> None:
        front = self.front_call()
        if front is None:
            self.panel.clear_call()
            self._sounds.activate(None)
            return
        answered = None
        if front.answered_at is not None:
            answered = time.monotonic() - (time.time() - front.answered_at)
        connected = front.state in (CallState.ACTIVE, CallState.HELD)
        self.panel.show_call(front.call_id, self.caller_name(front), self.state_text(front),
                             answered_at=answered, muted=front.muted,
                             held=front.state is CallState.HELD, connected=connected,
                             can_consult=front.sip_number is not None)
        self.panel.show_consultation(self.manager.consultations.get(front.call_id))
        recording = self.manager.recording
        self.panel.set_recording(recording.can_toggle(front),
                                 recording.is_recording(front.call_id))
        self._sounds.activate(front.call_id if front.state is not CallState.HELD else None)
        if front.quality is not None:
            self.panel.show_quality(front.quality)
        self.call_shown.emit(front.call_id)

    def _ring_for_next(self) -> None:
        ringing = self.ringing_call()
        if ringing is None:
            self._sounds.stop_ring()
            return
        waiting = self.front_call() is not None
        self.toast.show_call(ringing.call_id, self.caller_name(ringing), None, waiting=waiting,
                             transferred_from=ringing.transferred_from)
        self._sounds.ring(soft=waiting)

    def _ended(self, call: Call) -> None:
        self._sounds.release(call.call_id)
        if self.toast.call_id == call.call_id:
            self.toast.dismiss(call.call_id)
            self._ring_for_next()
        self._refresh()
        if call.answered_at is not None:
            self.open_wrap_up(call)
        elif call.end_reason in (CallEndReason.ANSWERED_ELSEWHERE, CallEndReason.NO_ANSWER,
                                 CallEndReason.HUNG_UP_BY_CUSTOMER,
                                 CallEndReason.CUSTOMER_LEFT) and call.state is CallState.ENDED:
            self._notice_bar.show_text(self.tr("Missed call from {0}.")
                                       .format(self.caller_name(call)))
        if call.state is CallState.FAILED:
            self._notice_bar.show_text(self.tr("The call with {0} could not be connected.")
                                       .format(self.caller_name(call)))

    def _quality(self, call: Call, quality: CallQuality) -> None:
        if self.panel.call_id == call.call_id:
            self.panel.show_quality(quality)

    # ---- wrap-up ------------------------------------------------------------------

    def open_wrap_up(self, call: Call) -> WrapUpDialog:
        end = call.ended_at or time.time()
        duration = clock_text(end - (call.answered_at or end))
        dialog = WrapUpDialog(call.call_id, self.caller_name(call), duration,
                              self.manager.dispositions, self._window)
        dialog.wrap_up_chosen.connect(self._save_wrap_up)
        dialog.finished.connect(dialog.deleteLater)
        self.wrap_up = dialog
        dialog.open()  # not exec(): a nested loop inside qasync misbehaves
        self.wrap_up_opened.emit(dialog)
        return dialog

    def _save_wrap_up(self, call_id: str, code: str, note: str) -> None:
        self._guard(lambda: self.manager.wrap_up(call_id, code, note))

    # ---- actions (buttons, shortcuts) ---------------------------------------------

    def answer(self, call_id: str | None = None) -> None:
        call = self.ringing_call() if call_id is None else self.manager.calls.get(call_id)
        if call is None or call.state is not CallState.RINGING_IN:
            return
        self.toast.dismiss(call.call_id)
        self._sounds.stop_ring()
        self._spawn(self.manager.answer(call.call_id))

    def decline(self, call_id: str | None = None) -> None:
        call = self.ringing_call() if call_id is None else self.manager.calls.get(call_id)
        if call is not None and call.state is CallState.RINGING_IN:
            self._guard(lambda: self.manager.decline(call.call_id))

    def hang_up(self) -> None:
        front = self.front_call()
        if front is not None:
            self._spawn(self.manager.hang_up(front.call_id))

    def toggle_mute(self) -> None:
        self.panel.toggle_mute()

    def toggle_hold(self) -> None:
        self.panel.toggle_hold()

    def toggle_keypad(self) -> None:
        self.panel.toggle_keypad()

    def toggle_recording(self) -> None:
        self.panel.toggle_recording()

    def _record(self, on: bool) -> None:
        front = self.front_call()
        if front is None:
            return
        if on:
            self._spawn(self.manager.recording.start(front))
        else:
            self._guard(lambda: self.manager.recording.stop(front))

    def click_to_call(self, conversation_id: str) -> None:
        if (front := self.front_call()) is not None and front.state is CallState.DIALING:
            return
        item = self._bridge.service.conversation(conversation_id)
        if item is not None and not self.manager.is_online(item.customer_id):
            self._notice_bar.show_text(self.tr(
                "The customer is not online in the web widget; calling is possible while "
                "they have it open."))
            return
        self._spawn(self.manager.start_call(conversation_id))

    def _mute(self, muted: bool) -> None:
        front = self.front_call()
        if front is not None:
            self._guard(lambda: self.manager.set_muted(front.call_id, muted))

    def _hold(self, held: bool) -> None:
        front = self.front_call()
        if front is None:
            return
        if held:
            self._spawn(self.manager.hold(front.call_id))
        else:
            self._spawn(self.manager.resume(front.call_id))

    def _dtmf(self, digit: str) -> None:
        front = self.front_call()
        if front is not None:
            self._guard(lambda: self.manager.send_dtmf(front.call_id, digit))
            self._sounds.play_dtmf(digit)

    def _transfer(self, kind: str, target: str) -> None:
        front = self.front_call()
        if front is None:
            return
        if kind == "number":
            self._ask_number(front)
            return
        if kind == "agent":
            self._guard(lambda: self.manager.transfer(front.call_id, to_agent=target))
        else:
            self._guard(lambda: self.manager.transfer(front.call_id, to_queue=target))
        self._notice_bar.show_text(self.tr("Transferring the call…"))


    def _consult(self, target: str) -> None:
        """Consult a colleague or a number: the customer waits on hold meanwhile."""
        front = self.front_call()
        if front is not None:
            self._spawn(self.manager.consult(front.call_id, target))

    def _consulting(self, command: Callable[[str], Coroutine[Any, Any, None]]) -> None:
        front = self.front_call()
        if front is not None:
            self._spawn(command(front.call_id))

    def _consultation(self, call: Call, consultation: Consultation) -> None:
        if self.panel.call_id == call.call_id:
            self._refresh()  # the status line names the consultation, then its legs

    # ---- dialling a number (telephone calls through the PBX) ----------------------

    def telephone_reason(self) -> str:
        """Why a number cannot be dialled now; "" when the telephone is registered."""
        state = self.manager.telephone_state()
        if state is RegistrationState.REGISTERED:
            return ""
        if state is None:
            return self.tr("No telephone account is registered: switch one on under "
                           "Settings → Telephony to call numbers.")
        if state is RegistrationState.FAILED:
            return self.tr("The telephone could not register at the PBX: check the account "
                           "under Settings → Telephony.")
        return self.tr("The telephone is not registered at the PBX yet; calling is possible "
                       "once it is.")

    def dial_a_number(self) -> None:
        """The menu's Call a number…"""
        self.open_dialler()

    def open_dialler(self, number: str = "") -> DialDialog:
        """Call a number… (Ctrl+Alt+D): the dial pad; Enter calls, Escape cancels."""
        if self.dial_dialog is not None:
            self.dial_dialog.raise_()
            self.dial_dialog.activateWindow()
            return self.dial_dialog
        dialog = DialDialog(self.recent_numbers.numbers(), self._window, number=number)
        self.dial_dialog = dialog
        reason = self.telephone_reason()
        dialog.set_ready(not reason, reason)
        dialog.number_chosen.connect(self._dial)

        def closed() -> None:
            if self.dial_dialog is dialog:
                self.dial_dialog = None
            dialog.deleteLater()

        dialog.finished.connect(closed)
        dialog.open()  # not exec(): a nested loop inside qasync misbehaves
        return dialog

    def _dial(self, number: str) -> None:
        self.recent_numbers.add(number)
        self._notice_bar.show_text(self.tr("Calling {0}…").format(number))
        self._spawn(self.manager.dial(number))

    def _telephone_changed(self) -> None:
        if self.dial_dialog is not None:
            reason = self.telephone_reason()
            self.dial_dialog.set_ready(not reason, reason)

    def _ask_number(self, call: Call) -> QInputDialog:
        """Blind transfer of a telephone call: the number to send the caller to."""
        dialog = QInputDialog(self._window)
        dialog.setObjectName("TransferNumberDialog")
        dialog.setWindowTitle(self.tr("Transfer to a number"))
        dialog.setLabelText(self.tr("The caller is sent to this number or extension "
                                    "(blind transfer):"))
        dialog.setTextValue("")

        def chosen(number: str) -> None:
            number = number.strip()
            if not number:
                return
            self._guard(lambda: self.manager.transfer_to_number(call.call_id, number))
            self._notice_bar.show_text(self.tr("Transferring the call to {0}…").format(number))

        dialog.textValueSelected.connect(chosen)
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()  # not exec(): a nested loop inside qasync misbehaves
        return dialog


DIAL_SHORTCUT = "Ctrl+Alt+D"  # Ctrl+Shift+… keys are the call's own


def fill_call_menu(menu: QMenu,
                   action: Callable[[str, str | None, Callable[[], object]], QAction],
                   desk: Callable[[], CallDesk | None], call_current: Callable[[], None],
                   answer: Callable[[], None], decline: Callable[[], None]) -> None:
    """The window's Call menu; its shortcuts work whenever a call desk is attached.

    Answer and decline share their keys with an offer of a chat or an email: a
    ringing call comes first (``answer`` / ``decline`` decide).
    """
    translate = QCoreApplication.translate  # lupdate reads translate("CallDesk", …)

    def on_desk(command: Callable[[CallDesk], None]) -> Callable[[], None]:
        def run() -> None:
            if (d := desk()) is not None:
                command(d)
        return run

    menu.addAction(action(translate("CallDesk", "&Answer"), "Ctrl+Shift+A", answer))
    menu.addAction(action(translate("CallDesk", "&Decline"), "Ctrl+Shift+D", decline))
    menu.addAction(action(translate("CallDesk", "Hang &up"), "Ctrl+Shift+E",
                          on_desk(CallDesk.hang_up)))
    menu.addSeparator()
    menu.addAction(action(translate("CallDesk", "&Mute / unmute"), "Ctrl+Shift+M",
                          on_desk(CallDesk.toggle_mute)))
    menu.addAction(action(translate("CallDesk", "&Hold / resume"), "Ctrl+Shift+H",
                          on_desk(CallDesk.toggle_hold)))
    menu.addAction(action(translate("CallDesk", "&Keypad"), "Ctrl+Shift+K",
                          on_desk(CallDesk.toggle_keypad)))
    menu.addAction(action(translate("CallDesk", "Start / stop &recording"), "Ctrl+Shift+S",
                          on_desk(CallDesk.toggle_recording)))
    menu.addSeparator()
    menu.addAction(action(translate("CallDesk", "&Call this customer"), "Ctrl+Shift+C",
                          call_current))
    menu.addAction(action(translate("CallDesk", "Call a &number…"), DIAL_SHORTCUT,
                          on_desk(CallDesk.dial_a_number)))
