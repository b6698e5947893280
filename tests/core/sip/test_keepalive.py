"""OPTIONS keepalive to the registrar: sent on schedule while connected, one at a
time; a time-out is reported so the phone can reconnect."""

from __future__ import annotations

from core.sip.events import KeepaliveDidFail
from core.sip.message import Request
from core.sip.registrator import Account
from core.sip.user_agent import UserAgent
from tests.core.sip.far_end import FarEnd


def _far(keepalive_s: float | None = 10.0) -> FarEnd:
    agent = UserAgent(Account("1001", "pw", "pbx.test"), keepalive_s=keepalive_s)
    return FarEnd(agent)


def test_options_sent_every_interval_while_connected() -> None:
    far = _far()
    assert far.agent.next_deadline() is None  # nothing before a connection
    far.agent.transport_did_connect(0.0)
    assert far.agent.next_deadline() == 10.0
    far.agent.tick(9.9)
    assert far.take() == []
    far.agent.tick(10.0)
    options = far.take_one("OPTIONS")
    assert isinstance(options, Request) and options.uri == "sip:pbx.test"
    far.reply(options, 200, "OK")
    assert far.agent.keepalives_answered == 1
    far.agent.tick(20.0)
    again = far.take_one("OPTIONS")
    assert isinstance(again, Request)
    far.reply(again, 404, "Not Found")  # any answer means alive
    assert far.agent.keepalives_answered == 2 and far.agent.events() == []


def test_unanswered_keepalive_is_reported_and_not_doubled() -> None:
    far = _far(keepalive_s=5.0)
    far.agent.transport_did_connect(0.0)
    far.agent.tick(5.0)
    assert far.take_one("OPTIONS")
    far.agent.tick(10.0)  # the first is still out: no second one
    assert far.take() == []
    far.agent.tick(5.0 + 32.0)  # timer F
    assert far.agent.events() == [KeepaliveDidFail(408)]


def test_no_keepalive_after_the_transport_dropped_or_when_disabled() -> None:
    far = _far()
    far.agent.transport_did_connect(0.0)
    far.agent.transport_did_drop(1.0)
    assert far.agent.next_deadline() is None
    silent = _far(keepalive_s=None)
    silent.agent.transport_did_connect(0.0)
    assert silent.agent.next_deadline() is None
