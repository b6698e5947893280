"""What the dial pad sends: typed or pasted numbers cleaned to keypad characters."""

from __future__ import annotations

from pathlib import Path

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


def test_recent_numbers_outlive_the_app_in_the_encrypted_cache(tmp_path: Path) -> None:
    from core.cache.cache import Cache, StateSlot
    from core.cache.cipher import CacheKey
    from core.session.agent_service import AgentService

    key = CacheKey.generate()
    path = tmp_path / "agent.sqlite3"
    cache = Cache(path, key)
    service = AgentService(cache)
    service.recent_numbers.add("+8613800138000")
    service.recent_numbers.add("2000")
    service.recent_numbers.add("+8613800138000")
    cache.close()
    assert b"13800138000" not in path.read_bytes()  # encrypted with the rest

    again = Cache(path, CacheKey.from_hex(key.hex()))
    assert AgentService(again).recent_numbers.numbers() == ["+8613800138000", "2000"]
    # What is kept is only what the dial pad stored: a damaged or foreign value is
    # dropped (entry by entry), never dialled, never a crash.
    slot = StateSlot(again, "recent_dialled_numbers")
    for raw, kept in [
        ("not json", []),
        ('{"a": 1}', []),
        ('["2000", 7, "3000"]', []),
        ('["2000", "<b>1</b>", "+86+1", "3000", "2000"]', ["2000", "3000"]),
        ("[" + ", ".join(f'"{n}"' for n in range(100, 120)) + "]",
         [str(n) for n in range(100, 108)]),
    ]:
        slot.save(raw)
        assert RecentNumbers(slot=slot).numbers() == kept, raw
    again.close()


class _BrokenSlot:
    def load(self) -> str | None:
        raise RuntimeError("cache closed")

    def save(self, value: str) -> None:
        raise RuntimeError("cache closed")


def test_recent_numbers_go_on_for_this_run_when_the_cache_fails() -> None:
    recent = RecentNumbers(slot=_BrokenSlot())
    recent.add("2000")
    assert recent.numbers() == ["2000"]
