"""Registration: digest challenge, wrong password, refresh, un-REGISTER, reconnect."""

from __future__ import annotations

from core.sip.events import RegistrationDidChange, RegistrationState
from core.sip.message import Request
from core.sip.registrator import Account, refresh_delay
from core.sip.user_agent import UserAgent
from tests.core.sip.far_end import PASSWORD, REALM, FarEnd


def _phone(password: str = PASSWORD, expires: int = 300) -> tuple[UserAgent, FarEnd]:
    agent = UserAgent(Account("1001", password, REALM, display_name="Agent 1001",
                              expires=expires))
    return agent, FarEnd(agent)


def _states(agent: UserAgent) -> list[tuple[RegistrationState, int | None]]:
    return [(e.state, e.status) for e in agent.events() if isinstance(e, RegistrationDidChange)]


def _register_ok(agent: UserAgent, far: FarEnd, granted: int = 300) -> Request:
    first = far.take_one("REGISTER")
    assert isinstance(first, Request)
    assert first.header("Authorization") is None
    far.challenge(first)
    second = far.take_one("REGISTER")
    assert isinstance(second, Request)
    assert far.credentials_ok(second)
    assert second.cseq[0] == first.cseq[0] + 1 and second.call_id == first.call_id
    assert second.top_via.branch != first.top_via.branch
    contact = second.require("Contact")
    far.reply(second, 200, "OK", extra=[("Contact", contact.replace(
        "expires=300", f"expires={granted}"))])
    return second


def test_register_answers_the_challenge_and_schedules_a_refresh() -> None:
    agent, far = _phone()
    agent.transport_did_connect(0.0)
    agent.register(0.0)
    request = _register_ok(agent, far, granted=120)
    assert request.uri == "sip:pbx.test"
    assert "transport=ws" in request.require("Contact")
    assert "+sip.instance" in request.require("Contact")
    assert _states(agent) == [(RegistrationState.REGISTERING, None),
                              (RegistrationState.REGISTERED, 200)]
    assert agent.next_deadline() == refresh_delay(120) == 90.0
    agent.tick(89.0)
    assert far.take() == []
    agent.tick(90.0)
    refresh = far.take_one("REGISTER")
    assert isinstance(refresh, Request)
    # A new nonce for the refresh is challenged again and answered again.
    far.challenge(refresh)
    again = far.take_one("REGISTER")
    assert isinstance(again, Request) and far.credentials_ok(again)
    far.reply(again, 200, "OK", extra=[("Expires", "120")])
    assert agent.registrator.state == RegistrationState.REGISTERED


def test_wrong_password_fails_with_the_status_and_is_not_retried() -> None:
    agent, far = _phone(password="wrong")
    agent.transport_did_connect(0.0)
    agent.register(0.0)
    first = far.take_one("REGISTER")
    assert isinstance(first, Request)
    far.challenge(first)
    second = far.take_one("REGISTER")
    assert isinstance(second, Request) and not far.credentials_ok(second)
    far.challenge(second)
    assert far.take() == []
    assert _states(agent)[-1] == (RegistrationState.FAILED, 401)
    assert agent.next_deadline() is None


def test_a_stale_nonce_is_answered_again() -> None:
    agent, far = _phone()
    agent.transport_did_connect(0.0)
    agent.register(0.0)
    first = far.take_one("REGISTER")
    assert isinstance(first, Request)
    far.challenge(first)
    second = far.take_one("REGISTER")
    assert isinstance(second, Request)
    far.challenge(second, stale=True)
    third = far.take_one("REGISTER")
    assert isinstance(third, Request) and far.credentials_ok(third)


def test_unregister_sends_expires_zero() -> None:
    agent, far = _phone()
    agent.transport_did_connect(0.0)
    agent.register(0.0)
    _register_ok(agent, far)
    agent.events()
    agent.unregister(5.0)
    bye = far.take_one("REGISTER")
    assert isinstance(bye, Request)
    assert bye.header("Expires") == "0" and "expires=0" in bye.require("Contact")
    far.reply(bye, 200, "OK")
    assert _states(agent) == [(RegistrationState.UNREGISTERED, 200)]
    assert agent.next_deadline() is None


def test_reconnect_registers_again_and_timeout_is_reported() -> None:
    agent, far = _phone()
    agent.register(0.0)
    assert far.take() == []  # nothing before the transport is up
    agent.transport_did_connect(1.0)
    _register_ok(agent, far)
    agent.transport_did_drop(2.0)
    assert _states(agent)[-1] == (RegistrationState.UNREGISTERED, None)
    agent.transport_did_connect(3.0)
    lost = far.take_one("REGISTER")
    assert isinstance(lost, Request)
    agent.tick(3.0 + 32.0)  # the registrar never answers: timer F
    assert _states(agent)[-1] == (RegistrationState.FAILED, 408)
    assert agent.next_deadline() == 35.0 + 30.0


def test_min_expires_is_honoured() -> None:
    agent, far = _phone(expires=30)
    agent.transport_did_connect(0.0)
    agent.register(0.0)
    first = far.take_one("REGISTER")
    assert isinstance(first, Request)
    far.reply(first, 423, "Interval Too Brief", extra=[("Min-Expires", "60")])
    second = far.take_one("REGISTER")
    assert isinstance(second, Request) and second.header("Expires") == "60"
