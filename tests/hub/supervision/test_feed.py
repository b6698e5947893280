"""The supervisor feed through the real HubService on a virtual clock: a scripted
chat load, the figures it must show, coalesced pushes, drill-down, thresholds,
and an agent refused.

Script (seconds): c1 arrives at 0, Li Na accepts at 2, replies at 20, closes at
60; c2 arrives at 3, accepted at 5, transferred to billing at 50 without a reply;
c3 arrives at 6 and leaves at 8 (a short abandon); Li Na goes away at 9; c4
arrives at 10 and leaves at 40 (abandoned after 30 s); Li Na is back at 41.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from core.protocol import agent as ap
from core.protocol import customer as cp
from core.protocol import routing as rp
from core.protocol import supervision as sp
from core.protocol.codec import agent_server_decoder, encode_text
from core.protocol.models import Presence
from hub.composition import HubParts, compose
from hub.config import HubConfig
from hub.routing.offers import VirtualClock
from hub.store.schema import migrate
from hub.store.store import Store, create_engine
from hub.supervision.contact_log import load_contacts
from hub.supervision.contacts import ContactKind, ContactOutcome
from hub.supervision.thresholds import parse
from hub.transport.peers import Peer

_decode = agent_server_decoder().decode


class Frames(Peer):
    def __init__(self, label: str) -> None:  # no socket
        self.closed = False
        self.label = label
        self.frames: list[object] = []

    def send(self, frame: str) -> None:
        self.frames.append(_decode(frame) if not self.label.startswith("c") else frame)

    def of(self, kind: type) -> list:  # type: ignore[type-arg]
        return [f for f in self.frames if isinstance(f, kind)]


class Centre:
    def __init__(self, tmp_path: Path) -> None:
        self.clock = VirtualClock()
        engine = create_engine(tmp_path / "hub.sqlite3")
        migrate(engine)
        self.store = Store(engine)
        self.wang = self.store.create_agent("wang", "王伟", "x", role="supervisor")
        self.lina = self.store.create_agent("lina", "Li Na", "x", team="售后 After-sales")
        self.store.set_agent_queues(self.lina, ["chat", "billing", "complaints"])
        self.parts: HubParts = compose(self.store, HubConfig(db=""), self.clock)
        self.hub = self.parts.service
        self.t0 = self.clock.now_ms()
        self.hub.started()
        self.peers = {a: Frames(a) for a in (self.wang, self.lina)}
        for agent_id, peer in self.peers.items():
            self.hub.agent_joined(peer, agent_id, ap.Hello(v=1, token="t"))
        self.command(self.lina, ap.SetPresence(op="p0", presence=Presence.AVAILABLE))
        self.customers: dict[str, tuple[str, Frames]] = {}
        self.ops = 0

    def at(self, seconds: float) -> None:
        self.clock.advance_to(self.t0 + int(seconds * 1000))

    def command(self, agent_id: str, cmd: ap.Command) -> object:
        return _decode(self.hub.agent_command(agent_id, cmd))

    def op(self) -> str:
        self.ops += 1
        return f"op{self.ops}"

    def arrive(self, name: str) -> None:
        customer = self.store.create_customer(name)
        peer = Frames(f"c-{name}")
        self.hub.customers.add(customer, peer)
        self.hub.customer_send(peer, customer, cp.Send(id=f"{name}-1", text="a question"))
        self.customers[name] = (customer, peer)

    def leave(self, name: str) -> None:
        customer, peer = self.customers[name]
        self.hub.customer_close(peer, customer, cp.Close())

    def conversation(self, name: str) -> str:
        conv = self.store.open_conversation_of(self.customers[name][0])
        assert conv is not None
        return conv.id

    def accept_latest(self) -> None:
        offers = [e.body for f in self.peers[self.lina].of(ap.Events) for e in f.events
                  if isinstance(e.body, rp.OfferMade)]
        answer = self.command(self.lina, rp.AcceptOffer(op=self.op(),
                                                        offer_id=offers[-1].offer_id))
        assert isinstance(answer, ap.Ack), answer

    def watch(self) -> sp.FiguresSnapshot:
        answer = _decode(self.hub.supervision.read(self.wang, sp.WatchFigures(op="w1")))
        assert isinstance(answer, sp.FiguresSnapshot)
        return answer

    def updates(self) -> list[sp.FiguresUpdate]:
        return self.peers[self.wang].of(sp.FiguresUpdate)

    def tile(self, key: str) -> sp.Tile:
        """The newest state of a tile: the snapshot, then every update after it."""
        snapshot = self.peers[self.wang].frames
        found = None
        for frame in snapshot:
            if isinstance(frame, sp.FiguresUpdate):
                found = next((x for x in frame.tiles if x.key == key), found)
        assert found is not None, f"no update of {key}"
        return found


@pytest.fixture
def centre(tmp_path: Path) -> Iterator[Centre]:
    c = Centre(tmp_path)
    yield c
    c.hub.stopped()


def play_script(c: Centre) -> None:
    c.arrive("c1")
    c.at(2)
    c.accept_latest()
    c.at(3)
    c.arrive("c2")
    c.at(5)
    c.accept_latest()
    c.at(6)
    c.arrive("c3")
    c.at(8)
    c.leave("c3")
    c.at(9)
    c.command(c.lina, ap.SetPresence(op=c.op(), presence=Presence.AWAY,
                                     reason=rp.AwayReason.BREAK))
    c.at(10)
    c.arrive("c4")
    c.at(20)
    c.command(c.lina, ap.SendMessage(op=c.op(), conversation_id=c.conversation("c1"),
                                     message_id="m1", text="Hello"))
    c.at(40)
    c.leave("c4")
    c.at(41)
    c.command(c.lina, ap.SetPresence(op=c.op(), presence=Presence.AVAILABLE))
    c.at(50)
    c2 = c.conversation("c2")
    assert isinstance(c.command(c.lina, rp.Transfer(op=c.op(), conversation_id=c2,
                                                    to_queue="billing")), ap.Ack)
    c.at(60)
    c.command(c.lina, ap.CloseConversation(op=c.op(), conversation_id=c.conversation("c1")))


def test_the_scripted_load_gives_the_hand_computed_figures(centre: Centre) -> None:
    centre.watch()
    play_script(centre)
    centre.at(100)
    chat = centre.tile("queue:chat")
    assert (chat.offered, chat.answered, chat.waiting) == (4, 2, 0)
    # c1 replied in 18 s of 60, c2 ended unanswered at 47 s: within; c4: a miss;
    # c3 left after 2 s: a short abandon, not measured.
    assert (chat.service_level_measured, chat.service_level_pct) == (3, 66.7)
    assert (chat.abandoned, chat.short_abandoned, chat.abandon_pct) == (1, 1, 33.3)
    assert chat.asa_s == 2.0
    assert chat.aht_s == 51.5  # (58 + 45) / 2
    assert (chat.transfers, chat.fcr_pct) == (1, 100.0)
    billing = centre.tile("queue:billing")
    assert (billing.waiting, billing.longest_wait_s) == (1, 50.0)
    assert billing.service_level_pct is None  # waiting, inside its 60 s
    centre.at(120)
    billing = centre.tile("queue:billing")
    assert (billing.service_level_pct, billing.longest_wait_s) == (0.0, 70.0)  # overdue

    rows = load_contacts(centre.store.db, centre.t0, centre.t0 + 200_000)
    assert [(r.kind, r.outcome) for r in rows] == [
        (ContactKind.NEW, ContactOutcome.CLOSED), (ContactKind.NEW, ContactOutcome.TRANSFERRED),
        (ContactKind.NEW, ContactOutcome.ABANDONED), (ContactKind.NEW, ContactOutcome.ABANDONED),
        (ContactKind.TRANSFER, None)]
    roster = {a.agent_id: a for f in centre.updates() for a in f.agents}
    assert roster[centre.lina].presence is Presence.AVAILABLE
    assert roster[centre.lina].since == centre.t0 + 41_000
    assert roster[centre.lina].handled == 2 and roster[centre.lina].aht_s == 51.5


def test_pushes_are_coalesced_and_arrive_within_the_interval(centre: Centre) -> None:
    centre.watch()
    for n in range(5):  # five arrivals at one instant: one recomputation, one frame
        centre.arrive(f"x{n}")
    assert centre.updates() == []
    centre.at(0.9)
    assert centre.updates() == []  # still coalescing
    centre.at(1.0)
    assert len(centre.updates()) == 1
    assert centre.updates()[0].tiles  # the chat tile changed
    assert centre.parts.supervision.computes == 1


def test_drill_down_lists_what_is_behind_a_figure(centre: Centre) -> None:
    centre.watch()
    play_script(centre)
    centre.at(100)

    def drill(figure: sp.Figure, tile: str) -> sp.DrillDownResult:
        answer = _decode(centre.hub.supervision.read(
            centre.wang, sp.DrillDown(op="d", figure=figure, tile=tile)))
        assert isinstance(answer, sp.DrillDownResult), answer
        return answer

    abandoned = drill(sp.Figure.ABANDONED, "queue:chat")
    assert [c.customer_name for c in abandoned.conversations] == ["c4"]
    assert abandoned.conversations[0].wait_s == 30.0
    waiting = drill(sp.Figure.WAITING, "channel:chat")
    assert [(c.customer_name, c.queue_id) for c in waiting.conversations] == [("c2", "billing")]
    assert drill(sp.Figure.TRANSFERS, "centre").total == 1
    agents = drill(sp.Figure.AGENTS, "queue:billing")
    assert [a.name for a in agents.agents] == ["Li Na"]
    missing = _decode(centre.hub.supervision.read(
        centre.wang, sp.DrillDown(op="d2", figure=sp.Figure.WAITING, tile="queue:nope")))
    assert isinstance(missing, ap.Error) and missing.code == "not_found"


def test_an_agent_is_forbidden(centre: Centre) -> None:
    for frame in (sp.WatchFigures(op="a"), sp.UnwatchFigures(op="b"),
                  sp.DrillDown(op="c", figure=sp.Figure.WAITING, tile="centre")):
        answer = _decode(centre.hub.supervision.read(centre.lina, frame))
        assert isinstance(answer, ap.Error) and answer.code == "forbidden"
        assert answer.op == frame.op
    assert centre.parts.supervision.watchers == set()
    centre.arrive("c1")
    centre.at(1)
    assert centre.peers[centre.lina].of(sp.FiguresUpdate) == []


def test_a_tile_turns_red_over_its_line(centre: Centre) -> None:
    centre.parts.supervision.thresholds = parse(
        "[queues.chat]\nwaiting_amber = 2\nwaiting_red = 3\n", ["chat"])
    centre.command(centre.lina, ap.SetPresence(op="away", presence=Presence.AWAY,
                                               reason=rp.AwayReason.BREAK))
    snapshot = centre.watch()
    assert next(x for x in snapshot.tiles if x.key == "queue:chat").level is sp.AlertLevel.OK
    centre.arrive("a")
    centre.arrive("b")
    centre.at(1)
    assert centre.tile("queue:chat").level is sp.AlertLevel.AMBER
    centre.arrive("c")
    centre.at(2)
    chat = centre.tile("queue:chat")
    assert (chat.level, chat.causes) == (sp.AlertLevel.RED, [sp.AlertCause.WAITING])
    assert centre.tile("centre").level is sp.AlertLevel.RED


def test_unwatching_stops_the_pushes(centre: Centre) -> None:
    centre.watch()
    answer = _decode(centre.hub.supervision.read(centre.wang, sp.UnwatchFigures(op="u")))
    assert isinstance(answer, ap.Ack)
    centre.arrive("c1")
    centre.at(10)
    assert centre.updates() == []
    assert encode_text(sp.UnwatchFigures(op="u"))  # a valid frame on the wire


def test_roster_rows_carry_the_agents_teams(centre: Centre) -> None:
    snapshot = centre.watch()
    teams = {a.agent_id: a.team for a in snapshot.agents}
    assert teams == {centre.wang: None, centre.lina: "售后 After-sales"}
    centre.command(centre.lina, ap.SetPresence(op=centre.op(), presence=Presence.AWAY))
    centre.at(1.0)
    [row] = [a for f in centre.updates() for a in f.agents if a.agent_id == centre.lina]
    assert row.team == "售后 After-sales" and row.presence is Presence.AWAY
