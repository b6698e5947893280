"""Call a number… in the window, without a PBX (the path through Kamailio and sipp is
test_sip_dial_desk.py): Ctrl+Alt+D opens the dial pad with the focus in the number
field; typed and pasted numbers are cleaned; the on-screen keys type; Escape
cancels; without a registered telephone Call is disabled and the dialog says why;
Enter on a recent number calls it once. Screenshots of the dialog in the window at
1366x768 in English and Chinese (ZUOXI_SCREENSHOTS=DIR saves them)."""

from __future__ import annotations

import asyncio
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QPainter
from PySide6.QtWidgets import QApplication, QToolButton

from core.cache.cache import Cache
from core.call.audio_devices import AudioHost
from core.call.call_manager import CallManager
from core.call.media_thread import MediaEngine, MediaThread
from core.call.preferences import AudioPreferences
from core.chat.preferences import SendKey
from core.protocol.models import IdentityKind
from core.records import ContactPoint, CustomerProfile
from core.session.agent_service import AgentService
from core.session.preferences import ThemeName
from core.sip.events import RegistrationDidChange, RegistrationState
from desktop.call_audio import CallAudio
from desktop.translations import install_translators
from ui.call.call_desk import CallDesk
from ui.call.dial_dialog import DialDialog
from ui.shell.main_window import MainWindow
from ui.shell.service_bridge import ServiceBridge
from ui.shell.shortcut_sheet import ShortcutRow, shortcut_rows
from ui.widgets.theme import apply_theme, load_theme

SHOTS = os.environ.get("ZUOXI_SCREENSHOTS", "")
CTRL_ALT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier


class FakeLine:
    """Only what the desk reads of a SIP line: its registration (the real line is
    driven against Kamailio in test_sip_dial_desk.py)."""

    def __init__(self, state: RegistrationState) -> None:
        self.registration = RegistrationDidChange(state)


@pytest.fixture
def media() -> Iterator[MediaEngine]:
    thread = MediaThread()
    thread.start()
    yield MediaEngine(thread, [])
    thread.stop()


def make_window(qtbot: Any, media: MediaEngine,
                audio: CallAudio) -> tuple[MainWindow, CallDesk, CallManager]:
    theme = load_theme(ThemeName.LIGHT)
    apply_theme(QApplication.instance(), theme)  # type: ignore[arg-type]
    window = MainWindow(ServiceBridge(AgentService(Cache(":memory:"))), theme, SendKey.ENTER)
    qtbot.addWidget(window)
    manager = CallManager(lambda _frame: None, media)
    desk = window.attach_calls(manager, audio)
    assert desk is not None
    window.resize(1366, 768)
    window.show()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=5_000)
    return window, desk, manager


@pytest.fixture
def window_desk(qapp: Any, qtbot: Any, qloop: asyncio.AbstractEventLoop,
                media: MediaEngine) -> Iterator[tuple[MainWindow, CallDesk, CallManager]]:
    audio = CallAudio(AudioHost(), AudioPreferences())
    yield make_window(qtbot, media, audio)
    audio.shutdown()


def open_by_keyboard(qtbot: Any, window: MainWindow, desk: CallDesk) -> DialDialog:
    window.activateWindow()  # shortcuts reach the active window (a dialog just closed)
    qtbot.waitUntil(window.isActiveWindow, timeout=5_000)
    qtbot.keyClick(window, Qt.Key.Key_D, CTRL_ALT)
    qtbot.waitUntil(lambda: desk.dial_dialog is not None and desk.dial_dialog.isVisible(),
                    timeout=5_000)
    dialog = desk.dial_dialog
    assert dialog is not None
    qtbot.waitUntil(dialog.number.hasFocus, timeout=5_000)
    return dialog


def test_without_a_telephone_the_dial_pad_says_why_and_escape_cancels(
        qtbot: Any, window_desk: tuple[MainWindow, CallDesk, CallManager]) -> None:
    window, desk, manager = window_desk
    # The shortcut sheet (built from the window's actions) lists it under Call.
    assert ShortcutRow("Call", "Call a number", "Ctrl+Alt+D") in shortcut_rows(window)
    dialog = open_by_keyboard(qtbot, window, desk)
    qtbot.keyClicks(dialog.number, "2000")
    assert not dialog.call_button.isEnabled()
    assert dialog.reason.isVisible() and "Settings → Telephony" in dialog.reason.text()
    qtbot.keyClick(dialog.number, Qt.Key.Key_Return)  # nothing happens: no phone
    assert dialog.isVisible()
    # The phone registers while the dialog is open: Call becomes possible.
    manager.sip = FakeLine(RegistrationState.REGISTERING)  # type: ignore[assignment]
    manager.telephone_did_change.emit()
    assert not dialog.call_button.isEnabled() and "not registered" in dialog.reason.text()
    manager.sip = FakeLine(RegistrationState.REGISTERED)  # type: ignore[assignment]
    manager.telephone_did_change.emit()
    assert dialog.call_button.isEnabled() and not dialog.reason.isVisible()
    qtbot.keyClick(dialog.number, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: desk.dial_dialog is None, timeout=5_000)
    assert desk.recent_numbers.numbers() == []
    manager.sip = None


def test_typing_pasting_and_the_keys_make_a_clean_number_and_enter_calls_once(
        qtbot: Any, window_desk: tuple[MainWindow, CallDesk, CallManager],
        monkeypatch: pytest.MonkeyPatch) -> None:
    window, desk, manager = window_desk
    manager.sip = FakeLine(RegistrationState.REGISTERED)  # type: ignore[assignment]
    dialled: list[str] = []

    async def dial(number: str) -> str:
        dialled.append(number)
        return "sip-out-x"

    monkeypatch.setattr(manager, "dial", dial)
    dialog = open_by_keyboard(qtbot, window, desk)
    QGuiApplication.clipboard().setText("+86 (138) 0013-8000")
    qtbot.keyClick(dialog.number, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    assert dialog.number.text() == "+8613800138000"
    dialog.number.clear()
    qtbot.keyClicks(dialog.number, "20a0")
    assert dialog.number.text() == "200" and "“a”" in dialog.hint.text()
    dialog.keys["0"].click()
    dialog.keys["#"].click()
    assert dialog.number.text() == "2000#" and dialog.number.hasFocus()
    qtbot.keyClick(dialog.number, Qt.Key.Key_Backspace)
    qtbot.keyClick(dialog.number, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: dialled == ["2000"], timeout=5_000)
    qtbot.waitUntil(lambda: desk.dial_dialog is None, timeout=5_000)

    # Again: the recent number is there; Down, Enter calls it (once).
    dialog = open_by_keyboard(qtbot, window, desk)
    assert [dialog.recent.item(i).text() for i in range(dialog.recent.count())] == ["2000"]
    qtbot.keyClick(dialog.number, Qt.Key.Key_Down)
    assert dialog.recent.hasFocus() and dialog.number.text() == "2000"
    chosen: list[str] = []
    dialog.number_chosen.connect(chosen.append)
    qtbot.keyClick(dialog.recent, Qt.Key.Key_Return)
    # The key reaches the list (activated) and the default button: one call only
    # (signals are delivered within keyClick, so the count is final here).
    assert chosen == ["2000"]
    qtbot.waitUntil(lambda: desk.dial_dialog is None, timeout=5_000)
    qtbot.waitUntil(lambda: dialled == ["2000", "2000"], timeout=5_000)
    manager.sip = None


@pytest.mark.parametrize("language", ["en", "zh_CN"])
def test_the_dial_pad_in_the_window(qapp: Any, qtbot: Any, qloop: asyncio.AbstractEventLoop,
                                    media: MediaEngine, language: str) -> None:
    translators = install_translators(qapp, language)
    audio = CallAudio(AudioHost(), AudioPreferences())
    try:
        window, desk, _manager = make_window(qtbot, media, audio)
        desk.recent_numbers.add("+8613800138000")
        desk.recent_numbers.add("2000")
        dialog = desk.open_dialler("+86 138 0013 8000")
        qtbot.waitExposed(dialog)
        assert dialog.number.text() == "+8613800138000"
        if language == "zh_CN":
            assert (dialog.windowTitle(), dialog.call_button.text()) == ("拨打号码", "拨打(&C)")
            assert "设置 → 电话" in dialog.reason.text()
        for key in dialog.keys.values():
            assert key.width() >= key.sizeHint().width()
        assert dialog.reason.isVisible()  # no telephone here: it says why
        assert dialog.frameGeometry().height() < 768 and dialog.width() < 1366
        if SHOTS:
            Path(SHOTS).mkdir(parents=True, exist_ok=True)
            # The window with the dialog where it opened (a top-level of its own).
            shot = window.grab()
            painter = QPainter(shot)
            painter.drawPixmap(dialog.geometry().topLeft() - window.geometry().topLeft(),
                               dialog.grab())
            painter.end()
            shot.save(str(Path(SHOTS) / f"dial-window-{language}-1366x768.png"))
        dialog.reject()
    finally:
        audio.shutdown()
        for translator in translators:
            qapp.removeTranslator(translator)


def test_a_phone_number_in_the_profile_opens_the_dial_pad_with_it(
        qtbot: Any, window_desk: tuple[MainWindow, CallDesk, CallManager]) -> None:
    window, desk, _manager = window_desk
    details = window.customer_panel.details
    details.set_profile(CustomerProfile(
        id="c1", name="Emma Walker", identities=(), language=None, tier=None, tags=(),
        recent=(), contact_points=(ContactPoint(IdentityKind.PHONE, "+8613800138000"),
                                   ContactPoint(IdentityKind.EMAIL, "emma@example.com"))))
    buttons = details.findChildren(QToolButton, "DialIdentity")
    assert len(buttons) == 1  # the phone's, not the email's
    assert buttons[0].accessibleName() == "Call +8613800138000"
    buttons[0].click()
    qtbot.waitUntil(lambda: desk.dial_dialog is not None and desk.dial_dialog.isVisible(),
                    timeout=5_000)
    assert desk.dial_dialog is not None
    assert desk.dial_dialog.number.text() == "+8613800138000"
    desk.dial_dialog.reject()


def test_a_call_ringing_in_disables_calling_out_until_it_is_declined(
        qtbot: Any, window_desk: tuple[MainWindow, CallDesk, CallManager]) -> None:
    from core.protocol import call as cl
    from core.protocol.models import Channel, Conversation, ConversationStatus, Customer

    window, desk, manager = window_desk
    manager.sip = FakeLine(RegistrationState.REGISTERED)  # type: ignore[assignment]
    dialog = open_by_keyboard(qtbot, window, desk)
    qtbot.keyClicks(dialog.number, "2000")
    assert dialog.call_button.isEnabled()
    # A customer calls while the pad is open: Call waits for the answer or decline.
    manager.handle_frame(cl.CallRinging(
        call_id="web-1",
        conversation=Conversation(id="conv-1", customer_id="cust-1", channel=Channel.VOICE,
                                  status=ConversationStatus.OPEN, created_at=0),
        customer=Customer(id="cust-1", name="王芳"), sdp="v=0\r\n", ring_timeout_s=20))
    qtbot.waitUntil(lambda: not dialog.call_button.isEnabled(), timeout=5_000)
    assert dialog.reason.text() == ("A call is ringing: answer or decline it before "
                                    "calling out.")
    qtbot.keyClick(dialog.number, Qt.Key.Key_Return)  # nothing is dialled
    assert dialog.isVisible() and desk.recent_numbers.numbers() == []
    # Click-to-call says the same on the notice bar.
    desk.click_to_call("conv-1")
    assert manager.calls.keys() == {"web-1"}
    manager.decline("web-1")
    qtbot.waitUntil(dialog.call_button.isEnabled, timeout=5_000)
    assert not dialog.reason.isVisible()
    dialog.reject()
    manager.sip = None
