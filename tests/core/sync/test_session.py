"""AgentSession: the sans-I/O state machine, driven by plain calls."""

from __future__ import annotations

import pytest

from core.protocol.agent import (
    Ack,
    CloseConversation,
    Error,
    Events,
    Hello,
    PresenceChanged,
    SendMessage,
    Snapshot,
    TypingNotice,
    Welcome,
)
from core.protocol.models import AgentInfo, Presence
from core.sync.session import (
    RETRY_UNAVAILABLE_S,
    AgentSession,
    ApplyEvents,
    ApplySnapshot,
    AuthRejected,
    GoLive,
    RejectOp,
    ResolveAck,
    Resync,
    RetryOp,
    SendFrame,
    ServerError,
    SessionState,
    TypingChanged,
    WelcomeReceived,
)
from tests.core.factories import added, assigned, event, message

AGENT = AgentInfo(id="a1", username="lina", display_name="李娜")


def welcome(mode: str = "replay", head: int = 0) -> Welcome:
    return Welcome(
        v=1, agent=AGENT, presence=Presence.AVAILABLE, head_seq=head, mode=mode,  # type: ignore[arg-type]
        server_time=0,
    )


def live_session(last_seq: int | None = 3) -> AgentSession:
    session = AgentSession(token="t", last_seq=last_seq)
    session.connection_opened()
    session.frame_received(welcome())
    session.frame_received(Events(events=[]))
    assert session.state is SessionState.LIVE
    return session


def test_hello_carries_token_and_last_seq() -> None:
    session = AgentSession(token="tok", last_seq=41)
    session.connecting()
    assert session.state is SessionState.CONNECTING
    actions = session.connection_opened()
    assert session.state is SessionState.AUTHENTICATING
    assert len(actions) == 1 and isinstance(actions[0], SendFrame)
    hello = actions[0].frame
    assert isinstance(hello, Hello)
    assert (hello.v, hello.token, hello.last_seq) == (1, "tok", 41)


def test_replay_goes_live_and_applies_in_order() -> None:
    session = AgentSession(token="t", last_seq=2)
    session.connection_opened()
    actions = session.frame_received(welcome("replay", head=4))
    assert actions == [WelcomeReceived(welcome("replay", head=4))]
    assert session.state is SessionState.SYNCING
    batch = [added(3, message("m3")), added(4, message("m4"))]
    actions = session.frame_received(Events(events=batch))
    assert actions == [ApplyEvents(batch), GoLive()]
    assert session.state is SessionState.LIVE
    assert session.last_seq == 4


def test_empty_replay_goes_live() -> None:
    session = AgentSession(token="t", last_seq=7)
    session.connection_opened()
    session.frame_received(welcome())
    assert session.frame_received(Events(events=[])) == [GoLive()]
    assert session.last_seq == 7


def test_snapshot_mode_sets_seq_and_rejects_events_before_it() -> None:
    session = AgentSession(token="t", last_seq=None)
    session.connection_opened()
    session.frame_received(welcome("snapshot", head=10))
    snap = Snapshot(seq=10, conversations=[assigned()], presence=Presence.AWAY)
    assert session.frame_received(snap) == [ApplySnapshot(snap), GoLive()]
    assert session.last_seq == 10
    # live events continue from the snapshot's seq
    ev = added(11, message("m11"))
    assert session.frame_received(Events(events=[ev])) == [ApplyEvents([ev])]


def test_events_before_promised_snapshot_resync() -> None:
    session = AgentSession(token="t", last_seq=None)
    session.connection_opened()
    session.frame_received(welcome("snapshot"))
    actions = session.frame_received(Events(events=[added(1, message("m1"))]))
    assert len(actions) == 1 and isinstance(actions[0], Resync)
    assert session.state is SessionState.DISCONNECTED


def test_duplicates_are_skipped() -> None:
    session = live_session(last_seq=5)
    batch = [added(4, message("m4")), added(5, message("m5")), added(6, message("m6"))]
    actions = session.frame_received(Events(events=batch))
    assert actions == [ApplyEvents([batch[2]])]
    assert session.frame_received(Events(events=batch)) == []
    assert session.last_seq == 6


def test_gap_applies_the_contiguous_part_then_resyncs_from_last_applied() -> None:
    session = live_session(last_seq=5)
    ok, late = added(6, message("m6")), added(8, message("m8"))
    actions = session.frame_received(Events(events=[ok, late]))
    assert actions[0] == ApplyEvents([ok])
    assert isinstance(actions[1], Resync) and actions[1].from_seq == 6
    assert session.state is SessionState.DISCONNECTED
    assert session.last_seq == 6
    # the next hello resumes from there
    hello = session.connection_opened()[0]
    assert isinstance(hello, SendFrame) and isinstance(hello.frame, Hello)
    assert hello.frame.last_seq == 6


def test_events_before_welcome_resync() -> None:
    session = AgentSession(token="t", last_seq=1)
    session.connection_opened()
    actions = session.frame_received(Events(events=[added(2, message("m2"))]))
    assert isinstance(actions[0], Resync)


def test_commands_are_sent_only_when_live_and_acks_matched() -> None:
    session = AgentSession(token="t")
    cmd = SendMessage(op="op1", conversation_id="c1", message_id="m1", text="hi")
    assert session.submit(cmd) == []  # not live: it stays in the outbox
    session = live_session()
    assert session.submit(cmd) == [SendFrame(cmd)]
    assert session.in_flight() == {"op1"}
    assert session.frame_received(Ack(op="op1", seq=9)) == [ResolveAck("op1", 9, cmd)]
    assert session.in_flight() == frozenset()


def test_error_with_op_rejects_that_command() -> None:
    session = live_session()
    cmd = CloseConversation(op="op2", conversation_id="c9")
    session.submit(cmd)
    actions = session.frame_received(Error(code="not_found", message="no", op="op2"))
    assert actions == [RejectOp("op2", "not_found", "no", cmd)]
    assert session.state is SessionState.LIVE


def test_a_command_the_hub_cannot_store_now_stays_for_another_try() -> None:
    session = live_session()
    cmd = SendMessage(op="op3", conversation_id="c1", message_id="m3", text="typed in a cut")
    session.submit(cmd)
    actions = session.frame_received(
        Error(code="unavailable", message="the hub cannot store this now", op="op3"))
    assert actions == [RetryOp("op3", "the hub cannot store this now", RETRY_UNAVAILABLE_S)]
    # Not in flight any more: the next flush sends it again, with the same op.
    assert session.in_flight() == frozenset()
    assert session.submit(cmd) == [SendFrame(cmd)]
    assert session.frame_received(Ack(op="op3", seq=4)) == [ResolveAck("op3", 4, cmd)]


@pytest.mark.parametrize("code", ["unauthorized", "token_expired"])
def test_auth_errors_are_terminal_until_a_new_token(code: str) -> None:
    session = AgentSession(token="old")
    session.connection_opened()
    actions = session.frame_received(Error(code=code, message="bad token"))
    assert actions == [AuthRejected(code, "bad token")]
    assert session.state is SessionState.AUTH_FAILED
    session.connection_lost()
    assert session.state is SessionState.AUTH_FAILED
    assert session.connection_opened() == []
    session.set_token("new")
    assert session.state is SessionState.DISCONNECTED
    frame = session.connection_opened()[0]
    assert isinstance(frame, SendFrame) and isinstance(frame.frame, Hello)
    assert frame.frame.token == "new"


def test_other_errors_without_op_are_reported() -> None:
    session = live_session()
    assert session.frame_received(Error(code="rate_limited", message="slow down")) == [
        ServerError("rate_limited", "slow down")
    ]


def test_connection_lost_forgets_in_flight_ops() -> None:
    session = live_session()
    session.submit(SendMessage(op="op1", conversation_id="c1", message_id="m1", text="hi"))
    session.connection_lost()
    assert session.state is SessionState.DISCONNECTED
    assert session.in_flight() == frozenset()
    assert session.frame_received(Ack(op="op1")) == []  # late frame of a dead connection


def test_typing_only_when_live() -> None:
    session = AgentSession(token="t")
    session.connection_opened()
    assert session.frame_received(TypingNotice(conversation_id="c1", active=True)) == []
    session = live_session()
    assert session.frame_received(TypingNotice(conversation_id="c1", active=True)) == [
        TypingChanged("c1", True)
    ]


def test_unexpected_welcome_resyncs() -> None:
    session = live_session()
    actions = session.frame_received(welcome())
    assert isinstance(actions[0], Resync)


def test_presence_event_is_an_ordinary_event() -> None:
    session = live_session(last_seq=0)
    ev = event(1, PresenceChanged(presence=Presence.AWAY))
    assert session.frame_received(Events(events=[ev])) == [ApplyEvents([ev])]
