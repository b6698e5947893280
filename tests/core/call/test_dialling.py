"""What the dial pad sends: typed or pasted numbers cleaned to keypad characters."""

from __future__ import annotations

import pytest

from core.call.dialling import (
    DialNumberError,
    DialProblem,
    RecentNumbers,
    check_number,
    clean_number,
)


@pytest.mark.parametrize(("raw", "number", "dropped"), [
    ("+86 (138) 0013-8000", "+8613800138000", ""),
    ("  138.0013.8000\n", "13800138000", ""),
    ("tel:+1-202-555-0143", "+12025550143", ""),
    ("sip:2000@pbx.example;user=phone", "2000", ""),
    ("１３８ ００１３ ８０００", "13800138000", ""),  # full-width, from a Chinese IME
    ("*72#", "*72#", ""),
    ("0800 FLOWERS", "0800", "FLOWERS"),
    ("2000 ext", "2000", "ext"),
])
def test_numbers_are_cleaned_to_what_a_keypad_sends(raw: str, number: str, dropped: str) -> None:
    cleaned = clean_number(raw)
    assert (cleaned.number, cleaned.dropped) == (number, dropped)


@pytest.mark.parametrize(("number", "problem"), [
    ("", DialProblem.EMPTY),
    ("86+138", DialProblem.PLUS_NOT_FIRST),
    ("1" * 33, DialProblem.TOO_LONG),
])
def test_numbers_that_cannot_be_dialled_say_why(number: str, problem: DialProblem) -> None:
    with pytest.raises(DialNumberError) as caught:
        check_number(number)
    assert caught.value.problem is problem
    assert check_number("+8613800138000") == "+8613800138000"


def test_recent_numbers_are_newest_first_each_once_and_bounded() -> None:
    recent = RecentNumbers(limit=3)
    for n in ("1", "2", "3", "2", "4"):
        recent.add(n)
    assert recent.numbers() == ["4", "2", "3"]


async def test_dialling_needs_a_registered_line_and_the_line_says_when_it_changes() -> None:
    from core.call.call_manager import CallManager
    from core.call.call_state import CallError
    from core.call.media_thread import MediaEngine, MediaThread
    from core.call.sip_line import SipLine
    from core.sip.events import RegistrationDidChange, RegistrationState
    from core.sip.registrator import Account

    manager = CallManager(lambda _frame: None, MediaEngine(MediaThread()))  # never started
    changes: list[RegistrationState | None] = []
    manager.telephone_did_change.connect(lambda: changes.append(manager.telephone_state()))
    with pytest.raises(CallError, match="no telephone account"):
        await manager.dial("2000")
    line = SipLine(manager, manager.media, Account("1001", "pw", "pbx.example"),
                   "wss://pbx.example:8443", lambda _report: None)
    assert manager.sip is line and changes == [RegistrationState.UNREGISTERED]
    with pytest.raises(CallError, match="not registered"):
        await manager.dial("2000")
    assert manager.calls == {}  # nothing was started
    line._event(RegistrationDidChange(RegistrationState.REGISTERED))  # as the phone reports it
    assert changes[-1] is RegistrationState.REGISTERED
