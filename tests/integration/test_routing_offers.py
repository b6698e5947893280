"""Offers over real websockets against a real hub process: decline passes the
conversation to the next agent, a missed offer is re-routed, a transfer carries
its internal note to the receiver and a short message to the customer, and a
close records its disposition."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from core.protocol import agent as ap
from core.protocol import routing as rp
from hub.demo.simulator import SimCustomer
from testbed.agent_probe import AgentProbe
from tests.conftest import HubProcess
from tests.support.hub_sql import hub_rows
from tests.support.routing_files import routing_variant

# The hub under these runs on SQLite and on PostgreSQL.
pytestmark = pytest.mark.postgresql


async def _two_agents(hub: HubProcess) -> tuple[AgentProbe, AgentProbe]:
    lina = await AgentProbe.logged_in(hub.url, "lina", accept_offers=False)
    alex = await AgentProbe.logged_in(hub.url, "alex", accept_offers=False)
    return lina, alex


def _first_offered(lina: AgentProbe, alex: AgentProbe) -> tuple[AgentProbe, rp.OfferMade] | None:
    for probe in (lina, alex):
        offers = probe.bodies(rp.OfferMade)
        if offers:
            return probe, offers[0]
    return None


async def test_decline_goes_to_the_next_agent_who_accepts(hub: HubProcess) -> None:
    lina, alex = await _two_agents(hub)
    config = await lina.wait_for(lambda: lina.routing_config)
    assert config.role == rp.AgentRole.AGENT
    assert {q.id for q in config.queues} >= {"chat", "complaints"}
    assert {a.username for a in config.agents} == {"alex", "wang"}  # transfer targets
    customer = SimCustomer(hub.customer_ws_url, name="Offer Test")
    await customer.connect()
    await customer.send("hello, anyone?")
    first, offer = await lina.wait_for(lambda: _first_offered(lina, alex))
    other = alex if first is lina else lina
    # The screen pop works before accepting: customer and messages come with it.
    assert offer.customer.name == "Offer Test" and offer.queue == "chat"
    assert [m.text for m in offer.messages] == ["hello, anyone?"]
    assert offer.expires_at > offer.conversation.created_at
    assert offer.conversation.sla_due_at is not None
    assert first.bodies(ap.ConversationAssigned) == []  # nothing assigned yet
    declined = await first.command(rp.DeclineOffer(op="d1", offer_id=offer.offer_id,
                                                   reason=rp.DeclineReason.BUSY))
    assert isinstance(declined, ap.Ack)
    withdrawn = await first.wait_body(rp.OfferWithdrawn)
    assert withdrawn.reason == rp.WithdrawReason.DECLINED
    # The agent's reason is kept.
    assert hub_rows(hub.db_path, "SELECT status, reason FROM offers WHERE id = :id",
                    id=offer.offer_id) == [("declined", "busy")]
    second = await other.wait_body(rp.OfferMade)
    assert second.conversation.id == offer.conversation.id
    # Accepting a foreign or answered offer is refused with a code.
    foreign = await first.command(rp.AcceptOffer(op="a0", offer_id=second.offer_id))
    assert isinstance(foreign, ap.Error) and foreign.code == "not_found"
    again = await first.command(rp.AcceptOffer(op="a00", offer_id=offer.offer_id))
    assert isinstance(again, ap.Error) and again.code == "conflict"
    accepted = await other.command(rp.AcceptOffer(op="a1", offer_id=second.offer_id))
    assert isinstance(accepted, ap.Ack) and accepted.seq is not None
    assigned = await other.wait_body(ap.ConversationAssigned)
    assert assigned.conversation.id == offer.conversation.id
    await customer.wait_for(lambda: customer.agent_name is not None)
    # Closing with a code of the queue is recorded; an unknown code is refused.
    bad = await other.command(ap.CloseConversation(
        op="c0", conversation_id=assigned.conversation.id, disposition="made_up"))
    assert isinstance(bad, ap.Error) and bad.code == "invalid" and "made_up" in bad.message
    ok = await other.command(ap.CloseConversation(
        op="c1", conversation_id=assigned.conversation.id, disposition="resolved",
        note="answered"))
    assert isinstance(ok, ap.Ack)
    closed = await other.wait_body(ap.ConversationClosed)
    assert closed.disposition == "resolved" and closed.note == "answered"
    await customer.disconnect()
    for probe in (lina, alex):
        await probe.close()


async def test_missed_offer_is_rerouted_and_repeated_misses_stop_offers(
    make_hub: Callable[..., HubProcess], tmp_path: Path
) -> None:
    config = routing_variant(tmp_path, {
        "timeout_s = { voice = 20, chat = 30, email = 60 }":
            "timeout_s = { voice = 20, chat = 1, email = 60 }",
        "max_missed = 3": "max_missed = 1",
    })
    hub = make_hub("--routing-config", str(config))
    lina, alex = await _two_agents(hub)
    customer = SimCustomer(hub.customer_ws_url, name="Timeout Test")
    await customer.connect()
    await customer.send("hello?")
    first, offer = await lina.wait_for(lambda: _first_offered(lina, alex))
    other = alex if first is lina else lina
    withdrawn = await first.wait_body(rp.OfferWithdrawn, timeout=5)
    assert withdrawn.reason == rp.WithdrawReason.TIMEOUT
    # One miss is the limit here: the hub stops offering to that agent.
    detail = await first.wait_body(
        rp.PresenceDetail, lambda d: d.presence == "not_responding", timeout=5)
    assert detail.missed_offers == 1
    rerouted = await other.wait_body(rp.OfferMade, timeout=5)
    assert rerouted.conversation.id == offer.conversation.id
    ack = await other.command(rp.AcceptOffer(op="a1", offer_id=rerouted.offer_id))
    assert isinstance(ack, ap.Ack)
    # Back to available: offers come again.
    back = await first.command(ap.SetPresence(op="p1", presence="available"))
    assert isinstance(back, ap.Ack)
    refused = await first.command(ap.SetPresence(op="p2", presence="busy"))
    assert isinstance(refused, ap.Error) and refused.code == "invalid"
    await customer.disconnect()
    for probe in (lina, alex):
        await probe.close()


async def test_transfer_to_an_agent_carries_the_note_and_tells_the_customer(
    hub: HubProcess,
) -> None:
    lina = await AgentProbe.logged_in(hub.url, "lina")  # accepts what she is offered
    customer = SimCustomer(hub.customer_ws_url, name="Transfer Test")
    await customer.connect()
    await customer.send("my order is late")
    assigned = await lina.wait_body(ap.ConversationAssigned)
    alex = await AgentProbe.logged_in(hub.url, "alex", accept_offers=False)
    alex_id = alex.welcome.agent.id if alex.welcome else ""
    bad = await lina.command(rp.Transfer(op="t0", conversation_id=assigned.conversation.id))
    assert isinstance(bad, ap.Error) and bad.code == "invalid"
    ack = await lina.command(rp.Transfer(
        op="t1", conversation_id=assigned.conversation.id, to_agent=alex_id,
        note="VIP, promised a callback today"))
    assert isinstance(ack, ap.Ack)
    gone = await lina.wait_body(ap.ConversationUnassigned)
    assert gone.reason == ap.UnassignReason.TRANSFERRED
    offer = await alex.wait_body(rp.OfferMade)
    assert offer.transfer_note == "VIP, promised a callback today"
    assert offer.transferred_by == "李娜"
    assert offer.conversation.transfer_note == "VIP, promised a callback today"
    await customer.wait_for(lambda: any(m.author == "system" for m in customer.messages))
    system = [m.text for m in customer.messages if m.author == "system"]
    assert "transferred" in system[0] and "VIP" not in system[0]  # the note stays internal
    ack = await alex.command(rp.AcceptOffer(op="a1", offer_id=offer.offer_id))
    assert isinstance(ack, ap.Ack)
    taken = await alex.wait_body(ap.ConversationAssigned)
    assert taken.conversation.transfer_note == "VIP, promised a callback today"
    await customer.disconnect()
    await lina.close()
    await alex.close()


async def test_queue_stats_and_picking_by_role(hub: HubProcess) -> None:
    wang = await AgentProbe.logged_in(hub.url, "wang", accept_offers=False)
    config = await wang.wait_for(lambda: wang.routing_config)
    assert config.role.can_pick
    await wang.command(ap.SetPresence(op="away", presence="away", reason="meeting"))
    lina = await AgentProbe.logged_in(hub.url, "lina", accept_offers=False)
    await lina.command(ap.SetPresence(op="away", presence="away", reason="lunch"))
    customer = SimCustomer(hub.customer_ws_url, name="Pick Test")
    await customer.connect()
    await customer.send("I want to complain about my bill")

    def waiting() -> rp.QueueStat | None:
        for frame in reversed(wang.frames):
            if isinstance(frame, rp.QueueStats):
                return next((q for q in frame.queues if q.waiting), None)
        return None

    stat = await wang.wait_for(waiting, timeout=5)
    assert stat.queue == "complaints" and len(stat.waiting_ids) == 1
    refused = await lina.command(rp.PickConversation(op="p0",
                                                     conversation_id=stat.waiting_ids[0]))
    assert isinstance(refused, ap.Error) and refused.code == "forbidden"
    ack = await wang.command(rp.PickConversation(op="p1", conversation_id=stat.waiting_ids[0]))
    assert isinstance(ack, ap.Ack)
    picked = await wang.wait_body(ap.ConversationAssigned)
    assert picked.conversation.id == stat.waiting_ids[0]
    assert picked.conversation.queue == "complaints" and picked.conversation.priority >= 80
    await customer.disconnect()
    await wang.close()
    await lina.close()


async def test_widget_choice_routes_to_its_queue(hub: HubProcess) -> None:
    alex = await AgentProbe.logged_in(hub.url, "alex", accept_offers=False)
    customer = SimCustomer(hub.customer_ws_url, name="Topic Test", topic="billing")
    await customer.connect()
    await customer.send("hello")  # no keyword: the widget choice decides
    offer = await alex.wait_body(rp.OfferMade)
    assert offer.queue == "billing" and offer.conversation.queue == "billing"
    await customer.disconnect()
    await alex.close()
