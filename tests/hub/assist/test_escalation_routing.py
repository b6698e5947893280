"""Escalation in the hub on a virtual clock: the real ``HubService`` over SQLite, agents
and customers as in-memory peers. An escalated chat's priority rises, a waiting one
moves to the routing file's escalation queue (a senior skill), the agent sees each
message's sentiment and the trend, and only supervisors get the alert."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from core.protocol import agent as ap
from core.protocol import customer as cp
from core.protocol import routing as rp
from core.protocol.codec import agent_server_decoder
from core.protocol.models import Channel
from core.protocol.sentiment import (
    EscalationRaised,
    EscalationReason,
    MessageClassified,
    Sentiment,
)
from hub.assist.escalation_rules import RulesError
from hub.composition import HubParts, compose
from hub.config import HubConfig
from hub.routing.offers import VirtualClock
from hub.store import schema as t
from hub.store.schema import migrate
from hub.store.store import Store, create_engine
from hub.transport.peers import Peer
from tests.support.routing_files import routing_variant

_decode = agent_server_decoder().decode


class Inbox(Peer):
    """Stands for a connection: keeps every event body it is sent."""

    def __init__(self, owner: str) -> None:  # no socket
        self.closed = False
        self.label = owner
        self.bodies: list[Any] = []

    def send(self, frame: str) -> None:
        if self.label == "customer":
            return  # the widget's side is not under test here
        decoded = _decode(frame)
        if isinstance(decoded, ap.Events):
            self.bodies.extend(e.body for e in decoded.events)

    def of(self, kind: type) -> list[Any]:
        return [b for b in self.bodies if isinstance(b, kind)]


class Center:
    def __init__(self, tmp_path: Path) -> None:
        engine = create_engine(tmp_path / "hub.sqlite3")
        migrate(engine)
        self.store = Store(engine)
        self.clock = VirtualClock()
        routing = routing_variant(tmp_path, {"auto_accept_chat = false": "auto_accept_chat = true"})
        self.parts: HubParts = compose(self.store, HubConfig(db="", routing_config=routing),
                                       self.clock)
        self.hub = self.parts.service
        self.peers: dict[str, Inbox] = {}
        self.ids: dict[str, str] = {}
        for name, role, skills in (
            ("junior", "agent", {"chat": 3}),
            ("senior", "agent", {"chat": 3, "complaints": 4}),
            ("boss", "supervisor", {"chat": 5, "complaints": 5}),
        ):
            agent_id = self.store.create_agent(name, name.title(), "x", role)
            self.store.set_agent_queues(agent_id, list(skills))
            self.store.set_agent_skills(agent_id, skills)
            self.ids[name] = agent_id
        self.hub.started()

    def connect(self, name: str) -> Inbox:
        peer = Inbox(name)
        self.peers[name] = peer
        self.hub.agent_joined(peer, self.ids[name], ap.Hello(v=1, token="t"))
        return peer

    def customer(self, name: str) -> tuple[str, Inbox]:
        customer_id = self.store.create_customer(name)
        peer = Inbox("customer")
        self.hub.customers.add(customer_id, peer)
        return customer_id, peer

    def say(self, customer: tuple[str, Inbox], text: str, n: int) -> str:
        self.hub.customer_send(customer[1], customer[0], cp.Send(id=f"m{n}", text=text))
        conv = self.store.open_conversation_of(customer[0])
        assert conv is not None
        return conv.id

    def row(self, conversation_id: str) -> Any:
        with self.store.engine.connect() as conn:
            return conn.execute(sa.select(t.conversations).where(
                t.conversations.c.id == conversation_id)).one()


@pytest.fixture
def center(tmp_path: Path) -> Iterator[Center]:
    made = Center(tmp_path)
    yield made
    made.hub.stopped()


def test_a_waiting_chat_that_escalates_moves_up_and_to_the_senior_queue(center: Center) -> None:
    calm = center.customer("Calm")
    angry = center.customer("Angry")
    calm_conv = center.say(calm, "Hi, can you tell me when order 118 ships?", 1)
    angry_conv = center.say(angry, "Hello, my blender arrived yesterday.", 1)
    before = center.row(angry_conv)
    assert (before.queue_id, before.priority) == ("chat", 0)
    assert center.hub.routing.router.waiting[angry_conv].queue.id == "chat"

    center.say(angry, "This is the third time it broke. I'm filing a complaint.", 2)
    after = center.row(angry_conv)
    assert after.queue_id == "complaints"
    # +150 for the escalation, +80 as any chat of the complaints queue (docs/routing.md)
    assert after.priority == before.priority + 150 + 80
    assert after.escalated_at is not None
    waiting = center.hub.routing.router.waiting[angry_conv]
    assert waiting.queue.id == "complaints" and waiting.base == after.priority
    assert center.row(calm_conv).queue_id == "chat"  # the calm chat stays where it was

    # A junior agent (no complaints skill) gets only the routine chat ...
    junior = center.connect("junior")
    assert [o.conversation.id for o in junior.of(rp.OfferMade)] == [calm_conv]
    # ... a senior one gets the escalated chat.
    senior = center.connect("senior")
    assert [o.conversation.id for o in senior.of(rp.OfferMade)] == [angry_conv]
    assigned = senior.of(ap.ConversationAssigned)[0]
    trend = assigned.conversation.sentiment
    assert trend is not None and trend.escalations == [EscalationReason.COMPLAINT,
                                                         EscalationReason.REPEATED_FAILURE]
    assert len(trend.recent) == 2 and trend.last < trend.first


def test_escalated_chat_outranks_an_older_one_in_the_same_queue(tmp_path: Path) -> None:
    # Without a senior queue both stay in "chat": the escalation only raises priority.
    engine = create_engine(tmp_path / "hub.sqlite3")
    migrate(engine)
    store = Store(engine)
    routing = routing_variant(tmp_path, {'queue = "complaints"': 'queue = ""',
                                         "auto_accept_chat = false": "auto_accept_chat = true"})
    hub = compose(store, HubConfig(db="", routing_config=routing), VirtualClock()).service
    agent_id = store.create_agent("solo", "Solo", "x", "agent")
    store.set_agent_queues(agent_id, ["chat"])
    store.set_agent_skills(agent_id, {"chat": 3})
    store.set_agent_capacity(agent_id, Channel.CHAT, 1)
    hub.started()
    convs = []
    for n, text in enumerate(["Where is my parcel?", "Do you sell kettles?"]):
        customer = store.create_customer(f"c{n}")
        peer = Inbox("customer")
        hub.customers.add(customer, peer)
        hub.customer_send(peer, customer, cp.Send(id="a", text=text))
        if n == 1:
            hub.customer_send(peer, customer, cp.Send(id="b", text="转人工！！我要投诉"))
        conv = store.open_conversation_of(customer)
        assert conv is not None
        convs.append(conv.id)
    assert hub.routing.router.waiting[convs[1]].queue.id == "chat"
    assert (hub.routing.router.waiting[convs[1]].base
            > hub.routing.router.waiting[convs[0]].base)
    solo = Inbox("solo")
    hub.agent_joined(solo, agent_id, ap.Hello(v=1, token="t"))
    assert solo.of(rp.OfferMade)[0].conversation.id == convs[1]  # the later, escalated one
    hub.stopped()


def test_the_agent_sees_each_message_and_the_trend_and_only_supervisors_are_alerted(
        center: Center) -> None:
    senior = center.connect("senior")
    boss = center.connect("boss")
    junior = center.connect("junior")
    customer = center.customer("Wang Fang")
    conv = center.say(customer, "你好，我想问一下订单的物流", 1)
    owner = next(p for p in (senior, boss, junior) if p.of(ap.ConversationAssigned))
    assert owner.of(MessageClassified)[0].sentiment is Sentiment.NEUTRAL
    assert not any(p.of(EscalationRaised) for p in (senior, boss, junior))

    center.say(customer, "都第三次了还没发货，再不处理我就打12315投诉！", 2)
    classified = owner.of(MessageClassified)[-1]
    assert classified.sentiment is Sentiment.NEGATIVE
    assert set(classified.reasons) == {EscalationReason.COMPLAINT,
                                       EscalationReason.REPEATED_FAILURE}
    assert classified.priority == center.row(conv).priority >= 150
    assert classified.trend.recent == [classified.trend.first, classified.score]
    # An assigned chat is not taken from its agent: the queue stays.
    assert center.row(conv).queue_id == "chat"

    alerts = boss.of(EscalationRaised)
    assert len(alerts) == 1
    alert = alerts[0]
    assert alert.conversation_id == conv and alert.customer_name == "Wang Fang"
    assert alert.excerpt.startswith("都第三次了") and alert.priority == classified.priority
    assert set(alert.reasons) == set(classified.reasons)
    # Agents get no alert: not in what they were sent, not in their stored streams.
    assert not senior.of(EscalationRaised) and not junior.of(EscalationRaised)
    for name in ("senior", "junior"):
        stored = center.store.events_after(center.ids[name], 0, 1000)
        assert not [e for e in stored if isinstance(e.body, EscalationRaised)]
    assert [e.body for e in center.store.events_after(center.ids["boss"], 0, 1000)
            if isinstance(e.body, EscalationRaised)] == [alert]

    # The same reasons again raise neither the priority nor a second alert; a new one does.
    priority = center.row(conv).priority
    center.say(customer, "还是没发货，我要投诉", 3)
    assert center.row(conv).priority == priority and len(boss.of(EscalationRaised)) == 1
    center.say(customer, "充电宝在冒烟！", 4)
    assert [a.reasons for a in boss.of(EscalationRaised)][-1] == [EscalationReason.SAFETY]
    assert center.row(conv).priority == priority
    assert len(owner.of(MessageClassified)[-1].trend.recent) == 4


def test_a_retried_message_is_classified_once(center: Center) -> None:
    customer = center.customer("Retry")
    center.say(customer, "I want a manager", 1)
    center.say(customer, "I want a manager", 1)  # the widget retries the same id
    with center.store.engine.connect() as conn:
        count = conn.execute(sa.select(sa.func.count()).select_from(t.message_sentiment)).scalar()
    assert count == 1


def test_an_escalated_chat_keeps_its_place_when_the_router_is_rebuilt(center: Center) -> None:
    customer = center.customer("Restart")
    conv = center.say(customer, "The charger is smoking!", 1)
    before = center.hub.routing.router.waiting[conv]
    center.hub.routing.reload()  # as after a rolled-back unit of work or a restart
    after = center.hub.routing.router.waiting[conv]
    assert after is not before
    assert (after.queue.id, after.base) == ("complaints", before.base)


def test_reloading_rules_keeps_the_last_good_ones(tmp_path: Path) -> None:
    rules = tmp_path / "rules.toml"
    rules.write_text('[complaint]\nwords = ["投诉"]\n', encoding="utf-8")
    engine = create_engine(tmp_path / "hub.sqlite3")
    migrate(engine)
    parts = compose(Store(engine), HubConfig(db="", assist_rules=rules), VirtualClock())
    assist = parts.assist
    assert assist.classifier().classify("我要投诉").escalate
    assert not assist.classifier().classify("我要退一赔三").escalate

    rules.write_text('[complaint]\nwords = ["投诉", "退一赔三"\n', encoding="utf-8")
    with pytest.raises(RulesError, match=r"rules.toml:3: not valid TOML"):
        assist.reload_rules()
    assert assist.classifier().classify("我要投诉").escalate  # the rules in force stay

    rules.write_text('[complaint]\nwords = ["投诉", "退一赔三"]\n', encoding="utf-8")
    assert assist.reload_rules().source == str(rules)
    assert assist.classifier().classify("我要退一赔三").reasons == (EscalationReason.COMPLAINT,)


async def test_messages_are_classified_in_batches_and_one_failure_loses_no_other(
        center: Center, monkeypatch: pytest.MonkeyPatch) -> None:
    assist = center.parts.assist
    real = assist.message_stored

    def flaky(conversation_id: str, message_id: str, text: str) -> None:
        if text == "BROKEN":
            raise RuntimeError("cannot classify")
        real(conversation_id, message_id, text)

    monkeypatch.setattr(assist, "message_stored", flaky)
    customer = center.customer("Batch")
    # On the hub's loop the messages wait a moment, to be classified together.
    for n, text in enumerate(["Thanks, great!", "BROKEN", "I want a manager"]):
        center.say(customer, text, n)

    def stored() -> set[str]:
        with center.store.engine.connect() as conn:
            return set(conn.execute(sa.select(t.message_sentiment.c.message_id)).scalars())

    assert stored() == set()  # nothing yet: the batch waits for its moment
    center.hub.classify_pending()  # the moment (as the loop's timer would)
    conv = center.store.open_conversation_of(customer[0])
    assert conv is not None
    ids = {m.text: m.id for m in center.store.messages_of(conv.id, 10)}
    assert stored() == {ids["Thanks, great!"], ids["I want a manager"]}


def test_a_customer_mail_gets_a_sentiment_and_escalates_like_a_chat(center: Center) -> None:
    from testbed.email_corpus import simple

    boss = center.connect("boss")
    calm = center.parts.email.inbound.receive(
        "test:1", simple("Order 118", "<calm@example.com>", sender="calm@example.com",
                         body="Hello, when will order 118 ship?"))
    angry = center.parts.email.inbound.receive(
        "test:2", simple("第三次了", "<angry@example.com>", sender="angry@example.com",
                         body="第三次坏了，我要投诉，再不处理就打12315！"))
    assert calm.message_id is not None and angry.message_id is not None
    with center.store.engine.connect() as conn:
        rows = {r.message_id: r for r in conn.execute(sa.select(t.message_sentiment))}
    assert rows[calm.message_id].sentiment != Sentiment.NEGATIVE.value
    assert rows[angry.message_id].sentiment == Sentiment.NEGATIVE.value
    reasons = set(json.loads(rows[angry.message_id].reasons))
    assert {EscalationReason.COMPLAINT.value, EscalationReason.REPEATED_FAILURE.value} <= reasons
    alerts = boss.of(EscalationRaised)
    assert [a.conversation_id for a in alerts] == [angry.conversation_id]
