"""Monitoring and coaching against a real hub process over real websockets: the
supervisor (王伟) watches 李娜's chat, whispers to her (the customer's widget never
receives it), barges in (the customer sees 王伟's name), reassigns the chat to Alex
and sets 李娜 away with a reason; every step is audited; an agent is forbidden all of it."""

from __future__ import annotations

import uuid
from typing import Any

import msgspec
import pytest

from core.protocol import agent as ap
from core.protocol import coaching as cop
from core.protocol import routing as rp
from core.protocol.models import MessageAuthor, Presence
from hub.demo.simulator import SimCustomer
from testbed.agent_probe import AgentProbe
from tests.conftest import HubProcess
from tests.support.hub_sql import hub_rows

pytestmark = pytest.mark.postgresql


def _op() -> str:
    return uuid.uuid4().hex


async def _lina_has_a_chat(hub: HubProcess) -> tuple[AgentProbe, SimCustomer, str]:
    """Only 李娜 is online when the customer writes: the chat is hers."""
    lina = await AgentProbe.logged_in(hub.url, "lina")
    customer = SimCustomer(hub.customer_ws_url, name="赵敏", locale="zh-CN")
    await customer.connect()
    await customer.send("我的订单还没到")
    assigned = await lina.wait_body(ap.ConversationAssigned, timeout=10)
    return lina, customer, assigned.conversation.id


async def _live(probe: AgentProbe) -> cop.LiveConversations | ap.Error:
    op = _op()
    await probe.send(cop.FetchLiveConversations(op=op))

    def answered() -> Any:
        return next((f for f in probe.frames
                     if isinstance(f, cop.LiveConversations | ap.Error) and f.op == op), None)

    result: cop.LiveConversations | ap.Error = await probe.wait_for(answered)
    return result


def _audit(hub: HubProcess) -> list[tuple[Any, ...]]:
    return hub_rows(hub.db_path,
                    "SELECT g.username, s.action, s.conversation_id, t.username, s.reason "
                    "FROM supervision_audit s JOIN agents g ON g.id = s.actor_id "
                    "LEFT JOIN agents t ON t.id = s.target_agent_id ORDER BY s.id")


async def test_monitor_whisper_and_barge_in(hub: HubProcess) -> None:
    lina, customer, conv_id = await _lina_has_a_chat(hub)
    wang = await AgentProbe.logged_in(hub.url, "wang", accept_offers=False)

    live = await _live(wang)
    assert isinstance(live, cop.LiveConversations)
    [row] = [c for c in live.conversations if c.conversation_id == conv_id]
    assert row.agent_name == "李娜" and row.customer_name == "赵敏"

    ack = await wang.command(cop.MonitorConversation(op=_op(), conversation_id=conv_id))
    assert isinstance(ack, ap.Ack)
    started = await wang.wait_body(cop.MonitorStarted)
    assert started.agent_name == "李娜" and started.conversation.agent_id == lina.welcome.agent.id
    assert [m.text for m in started.messages] == ["我的订单还没到"]
    assert not wang.bodies(ap.ConversationAssigned)  # watching is not being assigned

    # Live events of the conversation reach the supervisor too, both directions.
    await customer.send("能帮我查一下吗？")
    await wang.wait_body(ap.MessageAdded, lambda b: b.message.text == "能帮我查一下吗？")
    assert isinstance(await lina.reply(conv_id, "好的，我查一下"), ap.Ack)
    await wang.wait_body(ap.MessageAdded, lambda b: b.message.text == "好的，我查一下")

    secret = "先道歉，再提供免运费 coaching-7f3a"
    whisper = cop.Whisper(op=_op(), conversation_id=conv_id, note_id=_op(), text=secret)
    first = await wang.command(whisper)
    assert isinstance(first, ap.Ack) and first.seq is not None
    noted = await lina.wait_body(cop.CoachingNoteAdded)
    assert noted.note.text == secret and noted.note.author_name == "王伟"
    assert (await wang.wait_body(cop.CoachingNoteAdded)).note.id == whisper.note_id
    again = await wang.command(whisper)  # the same op: answered as before, stored once
    assert isinstance(again, ap.Ack) and again.seq == first.seq

    # Barge in; the supervisor's message reaches the customer under his name.
    assert isinstance(await wang.command(cop.BargeIn(op=_op(), conversation_id=conv_id)),
                      ap.Ack)
    joined = await lina.wait_body(cop.SupervisorJoined)
    assert joined.supervisor_name == "王伟"
    said = await wang.command(cop.BargeMessage(op=_op(), conversation_id=conv_id,
                                               message_id=_op(), text="您好，我是主管王伟"))
    assert isinstance(said, ap.Ack)
    got = await customer.wait_message(lambda m: m.text == "您好，我是主管王伟")
    assert got.author is MessageAuthor.AGENT and got.author_name == "王伟"
    await lina.wait_body(ap.MessageAdded, lambda b: b.message.text == "您好，我是主管王伟")

    # The barrier: the widget's socket delivers in order, and the barge message went
    # out after the whisper; whatever the whisper sent the widget has arrived by now.
    widget_bytes = b"".join(msgspec.json.encode(f) for f in customer.frames)
    assert b"coaching-7f3a" not in widget_bytes
    assert all("coaching-7f3a" not in m.text for m in customer.messages)
    # A widget that connects afresh is not told of it either.
    again_customer = SimCustomer(hub.customer_ws_url, visitor_id=customer.visitor_id)
    welcome = await again_customer.connect()
    assert "coaching-7f3a" not in msgspec.json.encode(welcome).decode()
    await again_customer.disconnect()

    audit = _audit(hub)
    assert [(a[0], a[1], a[2], a[3]) for a in audit] == [
        ("wang", "monitor", conv_id, None),
        ("wang", "whisper", conv_id, "lina"),
        ("wang", "barge_in", conv_id, "lina"),
        ("wang", "barge_message", conv_id, None),
    ]
    await customer.disconnect()
    for probe in (lina, wang):
        await probe.close()


async def test_reassign_to_an_agent_and_set_state_with_a_reason(hub: HubProcess) -> None:
    lina, customer, conv_id = await _lina_has_a_chat(hub)
    alex = await AgentProbe.logged_in(hub.url, "alex")
    wang = await AgentProbe.logged_in(hub.url, "wang", accept_offers=False)
    alex_id = alex.welcome.agent.id

    moved = await wang.command(cop.Reassign(op=_op(), conversation_id=conv_id,
                                            to_agent=alex_id, note="VIP, 请优先"))
    assert isinstance(moved, ap.Ack)
    gone = await lina.wait_body(ap.ConversationUnassigned)
    assert gone.conversation_id == conv_id and gone.reason == ap.UnassignReason.TRANSFERRED
    offer = await alex.wait_body(rp.OfferMade)  # through routing's offer machinery
    assert offer.transfer_note == "VIP, 请优先" and offer.transferred_by == "王伟"
    await alex.wait_body(ap.ConversationAssigned, lambda b: b.conversation.id == conv_id)

    lina_id = lina.welcome.agent.id
    op = _op()
    state = cop.SetAgentState(op=op, agent_id=lina_id, presence=Presence.AWAY,
                              away_reason=rp.AwayReason.TRAINING, reason="产品培训 14:00")
    assert isinstance(await wang.command(state), ap.Ack)
    told = await lina.wait_body(cop.AgentStateSet)
    assert told.by_name == "王伟" and told.reason == "产品培训 14:00"
    await lina.wait_body(ap.PresenceChanged, lambda b: b.presence is Presence.AWAY)
    detail = await lina.wait_body(rp.PresenceDetail, lambda b: b.presence is Presence.AWAY)
    assert detail.away_reason is rp.AwayReason.TRAINING
    assert isinstance(await wang.command(state), ap.Ack)  # a retry changes nothing more
    assert len(lina.bodies(cop.AgentStateSet)) == 1

    audit = _audit(hub)
    assert [(a[0], a[1], a[3], a[4]) for a in audit] == [
        ("wang", "reassign", "lina", "VIP, 请优先"),
        ("wang", "set_agent_state", "lina", "产品培训 14:00"),
    ]
    await customer.disconnect()
    for probe in (lina, alex, wang):
        await probe.close()


async def test_an_agent_is_forbidden_every_supervisor_command(hub: HubProcess) -> None:
    lina, customer, conv_id = await _lina_has_a_chat(hub)
    alex = await AgentProbe.logged_in(hub.url, "alex")
    commands: list[Any] = [
        cop.MonitorConversation(op=_op(), conversation_id=conv_id),
        cop.StopMonitoring(op=_op(), conversation_id=conv_id),
        cop.Whisper(op=_op(), conversation_id=conv_id, note_id=_op(), text="psst"),
        cop.BargeIn(op=_op(), conversation_id=conv_id),
        cop.BargeMessage(op=_op(), conversation_id=conv_id, message_id=_op(), text="hi"),
        cop.Reassign(op=_op(), conversation_id=conv_id, to_queue="chat"),
        cop.SetAgentState(op=_op(), agent_id=lina.welcome.agent.id, presence=Presence.OFFLINE,
                          reason="because"),
    ]
    for command in commands:
        answer = await alex.command(command)
        assert isinstance(answer, ap.Error) and answer.code == "forbidden", command
    listed = await _live(alex)
    assert isinstance(listed, ap.Error) and listed.code == "forbidden"
    # Nothing happened: the chat is still 李娜's, she is not offline, nothing audited.
    assert not lina.bodies(ap.ConversationUnassigned)
    assert not lina.bodies(cop.AgentStateSet) and not lina.bodies(cop.CoachingNoteAdded)
    assert _audit(hub) == []
    await customer.disconnect()
    for probe in (lina, alex):
        await probe.close()
