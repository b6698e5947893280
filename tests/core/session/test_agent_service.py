"""AgentService: intents, notifications and sync callbacks, with a fake transport."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from core.cache.cache import Cache
from core.protocol.agent import SendMessage, SetPresence, Snapshot, Welcome
from core.protocol.models import MAX_TEXT_CHARS, AgentInfo, MessageStatus, Presence
from core.protocol.profile import ProfileRead
from core.session.agent_service import AgentService, MessageTooLong
from core.sync.client import ConnectionState, ConnectionStatus, SyncDelegate
from tests.core.factories import added, assigned, event, message

AGENT = AgentInfo(id="a1", username="lina", display_name="李娜")


@dataclass
class FakeTransport:
    delegate: SyncDelegate
    status: ConnectionStatus = field(
        default_factory=lambda: ConnectionStatus(ConnectionState.OFFLINE)
    )
    started: bool = False
    wakes: int = 0
    typing: list[tuple[str, bool]] = field(default_factory=list)
    tokens: list[str] = field(default_factory=list)
    fetches: list[tuple[str, str, str | None]] = field(default_factory=list)

    def start(self) -> None:
        self.started = True

    async def stop(self) -> None:
        self.started = False

    def wake(self) -> None:
        self.wakes += 1

    def send_typing(self, conversation_id: str, active: bool) -> None:
        self.typing.append((conversation_id, active))

    def set_token(self, token: str) -> None:
        self.tokens.append(token)

    def reconnect_now(self) -> None:
        pass

    def fetch_customers(self, op: str, tag: str, after: str | None, limit: int) -> bool:
        self.fetches.append((op, tag, after))
        return True

    requests: list[ProfileRead] = field(default_factory=list)
    live: bool = False

    def request(self, frame: ProfileRead) -> bool:
        """Reads: recorded; answered by the test through the delegate when live."""
        if self.live:
            self.requests.append(frame)
        return self.live


@dataclass
class Recorder:
    calls: list[tuple[str, tuple[object, ...]]] = field(default_factory=list)

    def watch(self, service: AgentService) -> None:
        for name in (
            "conversation_did_change",
            "message_did_change",
            "customer_did_change",
            "inbox_did_change",
            "presence_did_change",
            "connection_did_change",
            "typing_did_change",
            "auth_did_fail",
            "command_did_fail",
            "agent_did_change",
        ):
            getattr(service, name).connect(lambda *a, _n=name: self.calls.append((_n, a)))

    def names(self) -> list[str]:
        return [n for n, _ in self.calls]


Setup = tuple[AgentService, FakeTransport, Recorder]


@pytest.fixture
def setup() -> Setup:
    service = AgentService(Cache(":memory:"), AGENT)
    holder: list[FakeTransport] = []

    def factory(delegate: SyncDelegate) -> FakeTransport:
        holder.append(FakeTransport(delegate))
        return holder[0]

    service.connect(factory)
    recorder = Recorder()
    recorder.watch(service)
    assert holder[0].started and holder[0].delegate is service
    return service, holder[0], recorder


def test_events_write_cache_then_notify_by_id(setup: Setup) -> None:
    service, _, rec = setup
    seen: list[int] = []
    service.inbox_did_change.connect(lambda: seen.append(len(service.inbox())))
    service.events_received([event(1, assigned())])
    assert seen == [1]  # the listener already reads the new state
    # A conversation new to the cache is announced whole, not message by message.
    assert ("message_did_change", ("c1", "c1-m1")) not in rec.calls
    assert ("conversation_did_change", ("c1",)) in rec.calls
    assert [m.id for m in service.messages("c1")] == ["c1-m1"]
    assert ("customer_did_change", ("cu1",)) in rec.calls
    assert service.last_seq() == 1
    assert service.due_receipts() == {"c1": ["c1-m1"]}


async def test_send_message_goes_through_outbox(setup: Setup) -> None:
    service, transport, rec = setup
    service.events_received([event(1, assigned())])
    rec.calls.clear()
    assert service.send_message("c1", "   ") is None
    mid = service.send_message("c1", "  您好，请稍等  ")
    assert mid is not None and transport.wakes == 1
    [command] = service.pending_commands()
    assert isinstance(command, SendMessage) and command.text == "您好，请稍等"
    stored = service.message(mid)
    assert stored is not None and stored.status is MessageStatus.PENDING
    assert stored.author_name == "李娜"
    assert ("message_did_change", ("c1", mid)) in rec.calls
    service.op_acked(command.op, 2)
    assert service.message(mid).status is MessageStatus.SENT  # type: ignore[union-attr]
    with pytest.raises(MessageTooLong):
        service.send_message("c1", "x" * (MAX_TEXT_CHARS + 1))


async def test_rejection_fails_message_and_notifies(setup: Setup) -> None:
    service, transport, rec = setup
    service.events_received([event(1, assigned())])
    mid = service.send_message("c1", "hi")
    assert mid is not None
    op = service.pending_commands()[0].op
    service.op_rejected(op, "not_found", "gone")
    assert service.message(mid).status is MessageStatus.FAILED  # type: ignore[union-attr]
    assert ("command_did_fail", ("send_message", "not_found")) in rec.calls
    assert service.retry_message(mid)
    assert transport.wakes == 2


def test_presence_intent_is_optimistic_and_survives_stale_welcome(setup: Setup) -> None:
    service, _, rec = setup
    service.set_presence(Presence.AWAY)
    assert service.presence() is Presence.AWAY
    assert ("presence_did_change", (Presence.AWAY,)) in rec.calls
    # the hub's welcome still knows the old presence: ours is queued and newer
    service.welcome_received(
        Welcome(v=1, agent=AGENT, presence=Presence.AVAILABLE, head_seq=0, mode="snapshot",
                server_time=0)
    )
    service.snapshot_received(Snapshot(seq=1, conversations=[], presence=Presence.AVAILABLE))
    assert service.presence() is Presence.AWAY
    [command] = service.pending_commands()
    assert isinstance(command, SetPresence)
    service.op_acked(command.op, 2)
    service.welcome_received(
        Welcome(v=1, agent=AGENT, presence=Presence.AVAILABLE, head_seq=2, mode="replay",
                server_time=0)
    )
    assert service.presence() is Presence.AVAILABLE


def test_close_conversation_leaves_inbox(setup: Setup) -> None:
    service, _, rec = setup
    service.events_received([event(1, assigned())])
    rec.calls.clear()
    service.close_conversation("c1")
    assert service.inbox() == []
    assert "inbox_did_change" in rec.names()


async def test_typing_is_throttled_and_stops_on_send(setup: Setup) -> None:
    service, transport, _ = setup
    service.events_received([event(1, assigned())])
    for _ in range(5):
        service.set_typing("c1", True)
    assert transport.typing == [("c1", True)]
    service.send_message("c1", "done")
    assert transport.typing == [("c1", True), ("c1", False)]
    service.set_typing("c1", False)  # nothing active: nothing sent
    assert transport.typing == [("c1", True), ("c1", False)]


async def test_customer_typing_notice(setup: Setup) -> None:
    service, _, rec = setup
    service.typing_received("c1", True)
    assert service.is_customer_typing("c1")
    service.typing_received("c1", False)
    assert not service.is_customer_typing("c1")
    assert [a for n, a in rec.calls if n == "typing_did_change"] == [("c1", True), ("c1", False)]


def test_connection_changes_and_auth_failure(setup: Setup) -> None:
    service, _, rec = setup
    online = ConnectionStatus(ConnectionState.ONLINE)
    service.connection_changed(online)
    service.connection_changed(online)  # no repeat notification
    service.connection_changed(ConnectionStatus(ConnectionState.AUTH_FAILED, detail="expired"))
    assert rec.names().count("connection_did_change") == 2
    assert ("auth_did_fail", ("expired",)) in rec.calls


def test_renew_token_reaches_transport(setup: Setup) -> None:
    service, transport, _ = setup
    service.renew_token("fresh")
    assert transport.tokens == ["fresh"]


def test_mark_read(setup: Setup) -> None:
    service, _, rec = setup
    service.events_received([event(1, assigned()), added(2, message("m2", at=1))])
    rec.calls.clear()
    service.mark_read("c1")
    assert rec.calls == [("conversation_did_change", ("c1",))]
    assert service.inbox()[0].unread == 0


def test_a_conversation_on_screen_is_read_as_it_arrives(setup: Setup) -> None:
    service, _, rec = setup
    service.events_received([event(1, assigned())])
    service.mark_read("c1")
    on_screen = [True]

    def reader() -> bool:
        return on_screen[0]

    service.read_while("c1", reader)
    seen: list[int] = []
    service.conversation_did_change.connect(lambda c: seen.append(service.inbox()[0].unread))
    rec.calls.clear()
    service.events_received([added(2, message("m2", at=1))])
    # one notice, and its listeners already read the conversation as read
    assert [n for n in rec.names() if n == "conversation_did_change"] == [
        "conversation_did_change"]
    assert seen == [0]
    on_screen[0] = False  # minimised, or another tab in front
    service.events_received([added(3, message("m3", at=2))])
    assert seen == [0, 1]
    service.stop_reading("c1", lambda: True)  # not its reader: nothing changes
    on_screen[0] = True
    service.events_received([added(4, message("m4", at=3))])
    assert seen == [0, 1, 0]
    service.stop_reading("c1", reader)
    service.events_received([added(5, message("m5", at=4))])
    assert seen == [0, 1, 0, 1]
