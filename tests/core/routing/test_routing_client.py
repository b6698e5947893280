"""The client's routing state: offers, SLA fields, breaches, queue statistics and
presence detail are applied from the hub's stream into the cache (hooks tell the
views), and routing intents go through the outbox."""

from __future__ import annotations

from pathlib import Path

import msgspec
import pytest

from core.cache.cache import Cache
from core.protocol import routing as rp
from core.protocol.agent import CloseConversation, ConversationClosed, SetPresence
from core.protocol.models import AgentInfo, Channel, ClosedBy, Presence
from core.session.agent_service import AgentService
from tests.core.factories import T0, assigned, event

AGENT = AgentInfo(id="a1", username="lina", display_name="李娜")


def offer(offer_id: str = "of1", conv_id: str = "c1") -> rp.OfferMade:
    body = assigned(conv_id)
    conv = msgspec.structs.replace(body.conversation, priority=140, sla_due_at=T0 + 60_000,
                                   queue="complaints", transfer_note="called twice")
    return rp.OfferMade(offer_id=offer_id, conversation=conv, customer=body.customer,
                        expires_at=T0 + 30_000, priority=140, queue="complaints",
                        messages=body.messages, history=body.history,
                        transfer_note="called twice", transferred_by="Alex")


@pytest.fixture
def service() -> AgentService:
    return AgentService(Cache(":memory:"), AGENT)


def test_offer_rings_with_its_customer_then_accepting_assigns(service: AgentService) -> None:
    seen: list[str] = []
    service.offers_did_change.connect(lambda: seen.append("offers"))
    service.events_received([event(1, offer())])
    [item] = service.routing.offers()
    assert (item.conversation_id, item.queue, item.priority) == ("c1", "complaints", 140)
    assert item.transfer_note == "called twice" and item.transferred_by == "Alex"
    # The screen pop can show the customer before the offer is accepted ...
    assert service.customer_profile("cu1") is not None
    # ... but the conversation is not in the inbox yet.
    assert service.inbox() == []
    assert seen == ["offers"]
    assert service.routing.accept_offer("of1")
    assert service.routing.offers() == []  # stops ringing at once
    assert not service.routing.accept_offer("of1")  # answered already
    [command] = service.pending_commands()
    assert isinstance(command, rp.AcceptOffer) and command.offer_id == "of1"
    body = assigned("c1")
    conv = msgspec.structs.replace(body.conversation, priority=140, sla_due_at=T0 + 60_000,
                                   transfer_note="called twice", queue="complaints")
    service.events_received([event(2, msgspec.structs.replace(body, conversation=conv))])
    assert [i.conversation_id for i in service.inbox()] == ["c1"]
    info = service.routing.info("c1")
    assert info is not None and info.sla_due_at == T0 + 60_000
    assert info.transfer_note == "called twice" and info.breached == ()
    assert info.transferred_by == "Alex" and info.queue == "complaints"
    assert service.routing.infos(["c1", "nope"]) == {"c1": info}


def test_withdrawn_offer_and_routing_events(service: AgentService) -> None:
    service.events_received([event(1, offer("of1")), event(2, rp.OfferWithdrawn(
        offer_id="of1", conversation_id="c1", reason=rp.WithdrawReason.TIMEOUT))])
    assert service.routing.offers() == []
    service.events_received([event(3, assigned("c2"))])
    changed: list[str] = []
    service.conversation_did_change.connect(changed.append)
    service.events_received([
        event(4, rp.ConversationRouting(conversation_id="c2", queue="billing", priority=30,
                                        sla_due_at=T0 + 1000, first_reply_at=T0 + 500)),
        event(5, rp.SlaBreached(conversation_id="c2", sla=rp.SlaKind.FIRST_REPLY, at=T0 + 9)),
        event(6, ConversationClosed(conversation_id="c2", closed_by=ClosedBy.AGENT,
                                    closed_at=T0 + 10, disposition="resolved", note="ok")),
    ])
    info = service.routing.info("c2")
    assert info is not None
    assert (info.queue, info.priority, info.first_reply_at) == ("billing", 30, T0 + 500)
    assert info.breached == ("first_reply",) and info.disposition == "resolved"
    assert "c2" in changed
    assert service.last_seq() == 6


def test_presence_detail_config_and_queue_stats(service: AgentService) -> None:
    hooks: list[str] = []
    service.presence_detail_did_change.connect(lambda: hooks.append("detail"))
    service.routing_config_did_change.connect(lambda: hooks.append("config"))
    service.queue_stats_did_change.connect(lambda: hooks.append("stats"))
    service.offers_did_change.connect(lambda: hooks.append("offers"))
    queue = rp.QueueInfo(id="chat", name="Web chat", channel="chat",
                         dispositions=[rp.Disposition("resolved", "Resolved")])
    config = rp.RoutingConfig(
        role=rp.AgentRole.PICKER, queues=[queue], all_queues=[queue],
        away_reasons=list(rp.AwayReason), offer_timeout_s={"chat": 30},
        presence=rp.PresenceDetail(presence=Presence.AWAY, away_reason=rp.AwayReason.LUNCH),
        offers=[offer("of9", "c9")])
    service.routing_frame_received(config)
    assert hooks == ["offers", "config", "detail"]
    assert service.routing.can_pick()
    assert [d.code for d in service.routing.dispositions("chat")] == ["resolved"]
    assert [o.offer_id for o in service.routing.offers()] == ["of9"]
    detail = service.routing.presence_detail()
    assert detail is not None and detail.away_reason == rp.AwayReason.LUNCH
    # The same config again changes nothing; one without the offer ends it.
    hooks.clear()
    service.routing_frame_received(config)
    assert hooks == []
    service.routing_frame_received(msgspec.structs.replace(config, offers=[]))
    assert hooks == ["offers"] and service.routing.offers() == []
    service.routing_frame_received(rp.QueueStats(at=T0, queues=[rp.QueueStat(
        queue="chat", waiting=2, oldest_wait_ms=9000, sla_state=rp.SlaState.AT_RISK,
        waiting_ids=["w1", "w2"], oldest_enqueued_at=T0 - 9000, waiting_list=[
            rp.WaitingConversation("w1", "王芳", Channel.CHAT, T0 - 2000, 90),
            rp.WaitingConversation("w2", "Tom", Channel.EMAIL, T0 - 9000, 12)])]))
    [stat] = service.routing.queue_stats()
    assert stat.waiting == 2 and stat.waiting_ids == ["w1", "w2"]
    # Kept with the hub's times: a wait read later still counts from the hub's enqueue.
    assert stat.oldest_enqueued_at == T0 - 9000
    assert [(w.conversation_id, w.customer_name, w.channel, w.enqueued_at, w.priority)
            for w in stat.waiting_list] == [("w1", "王芳", Channel.CHAT, T0 - 2000, 90),
                                             ("w2", "Tom", Channel.EMAIL, T0 - 9000, 12)]
    service.events_received([event(1, rp.PresenceDetail(
        presence=Presence.AFTER_CALL_WORK, ends_at=T0 + 60_000))])
    detail = service.routing.presence_detail()
    assert detail is not None and detail.ends_at == T0 + 60_000


def test_intents_are_queued_commands(service: AgentService) -> None:
    service.events_received([event(1, assigned("c1"))])
    service.set_presence(Presence.AWAY, rp.AwayReason.MEETING)
    service.close_conversation("c1", "resolved", "done")
    service.routing.transfer("c1", to_queue="billing", note=" see notes ")
    service.routing.pick_conversation("w7")
    service.routing.set_auto_accept_chat(True)
    commands = service.pending_commands()
    assert isinstance(commands[0], SetPresence) and commands[0].reason == rp.AwayReason.MEETING
    assert isinstance(commands[1], CloseConversation)
    assert (commands[1].disposition, commands[1].note) == ("resolved", "done")
    assert isinstance(commands[2], rp.Transfer) and commands[2].note == "see notes"
    assert isinstance(commands[3], rp.PickConversation)
    assert isinstance(commands[4], rp.SetAgentOptions) and commands[4].auto_accept_chat
    info = service.routing.info("c1")
    assert info is not None and info.disposition == "resolved"
    with pytest.raises(ValueError):
        service.routing.transfer("c1", to_agent="a2", to_queue="billing")
    with pytest.raises(ValueError):
        service.routing.transfer("c1", to_queue="billing", note="x" * 1001)


def test_routing_state_survives_reopening_the_cache(tmp_path: Path) -> None:
    path = tmp_path / "cache.sqlite3"
    first = AgentService(Cache(path), AGENT)
    first.events_received([event(1, offer())])
    first.routing.decline_offer("of1", rp.DeclineReason.LANGUAGE)
    again = AgentService(Cache(path), AGENT)
    [command] = again.pending_commands()
    assert isinstance(command, rp.DeclineOffer) and command.reason == rp.DeclineReason.LANGUAGE
    assert again.routing.offers() == []
