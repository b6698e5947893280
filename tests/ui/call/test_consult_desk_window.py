"""The main window's call panel follows the call manager's consultation notices
(what the SIP line reports; the path through the PBX is
test_sip_consult_desk.py): the legs row with its buttons fits the window in
English and Chinese; a widget call's consultation (through the hub,
core/call/widget_consult.py) shows the same way, with the colleague's name."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QApplication

from core.cache.cache import Cache
from core.call.audio_devices import AudioHost
from core.call.call_manager import CallManager
from core.call.call_state import Call, CallState
from core.call.media_thread import MediaEngine, MediaThread
from core.call.preferences import AudioPreferences
from core.chat.preferences import SendKey
from core.protocol import call as cl
from core.session.agent_service import AgentService
from core.session.preferences import ThemeName
from core.sip.consultation import Consultation, LegState
from desktop.call_audio import CallAudio
from desktop.translations import install_translators
from ui.shell.main_window import MainWindow
from ui.shell.service_bridge import ServiceBridge
from ui.widgets.theme import apply_theme, load_theme

SHOTS = os.environ.get("ZUOXI_SCREENSHOTS", "")  # a directory: save what the window looks like


@pytest.fixture
def media() -> Iterator[MediaEngine]:
    thread = MediaThread()
    thread.start()
    yield MediaEngine(thread, [])
    thread.stop()


@pytest.mark.parametrize("language", ["en", "zh_CN"])
@pytest.mark.parametrize("size", [(1366, 768), (1920, 1080)])
def test_a_telephone_calls_consultation_shows_in_the_window(
        qapp: Any, qtbot: Any, media: MediaEngine, language: str,
        size: tuple[int, int]) -> None:
    translators = install_translators(qapp, language)
    audio = CallAudio(AudioHost(), AudioPreferences())
    try:
        theme = load_theme(ThemeName.LIGHT)
        apply_theme(QApplication.instance(), theme)  # type: ignore[arg-type]
        window = MainWindow(ServiceBridge(AgentService(Cache(":memory:"))), theme,
                            SendKey.ENTER)
        qtbot.addWidget(window)
        manager = CallManager(lambda _frame: None, media)
        window.attach_calls(manager, audio)
        window.resize(*size)
        window.show()
        qtbot.waitExposed(window)
        panel = window.call_panel

        widget_call = Call("web-1", "conv-1", cl.CallDirection.INBOUND, CallState.HELD)
        manager.calls[widget_call.call_id] = widget_call
        manager.call_did_change.emit(widget_call)
        # A widget call consults a colleague (an agent) through the hub.
        assert panel.isVisible() and panel.consult_button.isVisible()
        widget_consult = Consultation(widget_call.call_id, "consult-leg-1", "Alex Chen",
                                      consult=LegState.RINGING)
        manager.consultations[widget_call.call_id] = widget_consult
        manager.consultation_did_change.emit(widget_call, widget_consult)
        qapp.processEvents()
        assert panel.legs_row.isVisible() and panel.back_button.isEnabled()
        for button in (panel.complete_button, panel.conference_button, panel.back_button):
            assert button.width() >= button.sizeHint().width(), button.text()
        if language == "en":
            assert panel.consult_leg.text() == "Alex Chen · ringing"
            assert panel.back_button.text() == "Cancel consult"
        if SHOTS:
            Path(SHOTS).mkdir(parents=True, exist_ok=True)
            window.grab().save(str(Path(SHOTS) / f"widget-consult-window-{language}-"
                                                 f"{size[0]}x{size[1]}.png"))
        del manager.consultations[widget_call.call_id]
        del manager.calls[widget_call.call_id]

        call = Call("sip-1", "", cl.CallDirection.INBOUND, CallState.ACTIVE,
                    sip_number="+8613800138000", sip_name="Emma Walker")
        manager.calls[call.call_id] = call
        manager.call_did_change.emit(call)
        assert panel.call_id == call.call_id
        assert panel.consult_button.isVisible() and panel.consult_button.isEnabled()
        consultation = Consultation("the-sip-call-id", "the-consult-call-id", "3000",
                                    consult=LegState.CONNECTED)
        manager.consultations[call.call_id] = consultation
        manager.consultation_did_change.emit(call, consultation)
        qapp.processEvents()
        assert panel.legs_row.isVisible() and not panel.consult_button.isEnabled()
        assert panel.complete_button.isEnabled() and panel.conference_button.isEnabled()
        # The consultation holds the customer: no Hold or blind transfer across it.
        assert not panel.hold_button.isEnabled() and not panel.transfer_button.isEnabled()
        for button in (panel.complete_button, panel.conference_button, panel.back_button):
            assert button.isVisible() and button.width() >= button.sizeHint().width(), \
                button.text()
        if language == "en":
            assert panel.consult_leg.text() == "3000 · connected"
        else:
            assert panel.customer_leg.text() != "Customer · on hold"  # translated
        # A refresh of the call (its state, the hub's link) keeps the legs shown.
        manager.call_did_change.emit(call)
        assert panel.legs_row.isVisible()
        if SHOTS:
            Path(SHOTS).mkdir(parents=True, exist_ok=True)
            window.grab().save(str(Path(SHOTS) / f"sip-consult-window-{language}-"
                                                 f"{size[0]}x{size[1]}.png"))
        manager.consultations.pop(call.call_id)
        finished = Consultation("the-sip-call-id", "the-consult-call-id", "3000")
        finished.back_to_customer()
        manager.consultation_did_change.emit(call, finished)
        assert not panel.legs_row.isVisible() and panel.consult_button.isEnabled()
        assert panel.hold_button.isEnabled() and panel.transfer_button.isEnabled()
    finally:
        audio.shutdown()
        for translator in translators:
            qapp.removeTranslator(translator)
