"""A real hub process, real websocket clients: the chat exchange end to end."""

from __future__ import annotations

import pytest

from core.protocol import agent as ap
from core.protocol.models import ClosedBy, MessageStatus, Presence
from hub.demo.simulator import SimCustomer
from testbed.agent_probe import AgentProbe, eventually
from tests.conftest import HubProcess
from tests.support.hub_sql import hub_rows

# The hub under these runs on SQLite and on PostgreSQL.
pytestmark = pytest.mark.postgresql


async def test_customer_message_reaches_agent_and_reply_returns(hub: HubProcess) -> None:
    agent = await AgentProbe.logged_in(hub.url)
    assert agent.welcome is not None and agent.welcome.mode == "snapshot"
    assert agent.welcome.presence == Presence.AVAILABLE

    customer = SimCustomer(hub.customer_ws_url, name="张伟", locale="zh-CN")
    welcome = await customer.connect()
    assert welcome.conversation_id is None and welcome.visitor_id.startswith("v_")

    sent = await customer.send("你好，我的订单还没到")
    assert sent.status == MessageStatus.SENT

    assigned = await agent.wait_body(ap.ConversationAssigned)
    assert assigned.customer.name == "张伟"
    assert [m.text for m in assigned.messages] == ["你好，我的订单还没到"]
    # The customer's visitor id is a secret of their browser: never shown to agents.
    assert all(i.kind != "visitor" for i in assigned.customer.identities)
    await customer.wait_for(lambda: customer.agent_name == "李娜")

    # The desktop confirms it stored the message: the customer sees "delivered".
    await agent.send(ap.Delivered(conversation_id=assigned.conversation.id, message_ids=[sent.id]))
    await customer.wait_status(sent.id, MessageStatus.DELIVERED)
    # ... and the hub confirms the receipt in the agent's stream.
    confirmed = await agent.wait_body(ap.MessageStatusChanged, lambda b: b.message_id == sent.id)
    assert confirmed.status == MessageStatus.DELIVERED

    ack = await agent.reply(assigned.conversation.id, "您好，我来帮您查一下。")
    assert isinstance(ack, ap.Ack) and ack.seq is not None
    reply = await customer.wait_message(lambda m: "查一下" in m.text)
    assert reply.author_name == "李娜"
    # The widget's receipt comes back to the agent as a status event.
    status = await agent.wait_body(ap.MessageStatusChanged, lambda b: b.message_id == reply.id)
    assert status.status == MessageStatus.DELIVERED

    # Seqs are contiguous for this agent.
    seqs = [e.seq for e in agent.events]
    assert seqs == list(range(seqs[0], seqs[0] + len(seqs)))

    await customer.close_conversation()
    closed = await agent.wait_body(ap.ConversationClosed)
    assert closed.closed_by == ClosedBy.CUSTOMER
    await customer.disconnect()
    await agent.close()


async def test_typing_goes_both_ways(hub: HubProcess) -> None:
    agent = await AgentProbe.logged_in(hub.url)
    customer = SimCustomer(hub.customer_ws_url)
    await customer.connect()
    await customer.send("hi")
    assigned = await agent.wait_body(ap.ConversationAssigned)
    await customer.typing(True)
    await agent.wait_for(
        lambda: any(isinstance(f, ap.TypingNotice) and f.active for f in agent.frames)
    )
    await agent.send(ap.Typing(conversation_id=assigned.conversation.id, active=True))
    await customer.wait_for(lambda: customer.agent_typing)
    await customer.disconnect()
    await agent.close()


async def test_returning_visitor_is_same_customer_and_resumes(hub: HubProcess) -> None:
    agent = await AgentProbe.logged_in(hub.url)
    first = SimCustomer(hub.customer_ws_url, name="Emma Smith")
    await first.connect()
    await first.send("first visit")
    assigned = await agent.wait_body(ap.ConversationAssigned)
    await agent.reply(assigned.conversation.id, "Welcome!")
    await first.wait_message()
    await first.disconnect()

    again = SimCustomer(hub.customer_ws_url, visitor_id=first.visitor_id)
    welcome = await again.connect()
    assert welcome.customer_name == "Emma Smith"
    assert welcome.conversation_id == assigned.conversation.id
    assert [m.text for m in welcome.messages] == ["first visit", "Welcome!"]
    assert welcome.agent_name == "李娜"
    await again.send("back again")
    added = await agent.wait_body(ap.MessageAdded, lambda b: b.message.text == "back again")
    assert added.message.conversation_id == assigned.conversation.id
    await again.disconnect()

    # An id the hub never issued is not adopted: a new customer is made.
    stranger = SimCustomer(hub.customer_ws_url, visitor_id="v_made-up-by-someone")
    welcome = await stranger.connect()
    assert welcome.visitor_id != "v_made-up-by-someone"
    assert welcome.conversation_id is None
    await stranger.disconnect()
    await agent.close()


async def test_agent_close_reaches_customer(hub: HubProcess) -> None:
    agent = await AgentProbe.logged_in(hub.url)
    customer = SimCustomer(hub.customer_ws_url)
    await customer.connect()
    await customer.send("bye soon")
    assigned = await agent.wait_body(ap.ConversationAssigned)
    ack = await agent.command(
        ap.CloseConversation(op="close-1", conversation_id=assigned.conversation.id)
    )
    assert isinstance(ack, ap.Ack)
    await customer.wait_for(lambda: customer.closed_by == ClosedBy.AGENT)
    # A reply to a closed conversation is refused with a code.
    refused = await agent.reply(assigned.conversation.id, "too late")
    assert isinstance(refused, ap.Error) and refused.code == "conflict"
    # The customer's next message, within the reopen window, continues the same
    # conversation: it is open again and offered to the agent who had it.
    await customer.send("one more thing")
    await agent.wait_for(lambda: len(agent.bodies(ap.ConversationAssigned)) == 2)
    second = agent.bodies(ap.ConversationAssigned)[1]
    assert second.conversation.id == assigned.conversation.id
    assert second.conversation.status == "open" and second.conversation.closed_at is None
    assert [m.text for m in second.messages][-1] == "one more thing"
    assert isinstance(await agent.reply(second.conversation.id, "still here"), ap.Ack)
    await customer.disconnect()
    await agent.close()


async def test_round_robin_between_available_agents(hub: HubProcess) -> None:
    lina = await AgentProbe.logged_in(hub.url, "lina")
    alex = await AgentProbe.logged_in(hub.url, "alex")
    customers = [SimCustomer(hub.customer_ws_url) for _ in range(4)]
    for c in customers:
        await c.connect()
        await c.send("hello")
    await eventually(
        lambda: (
            len(lina.bodies(ap.ConversationAssigned)) + len(alex.bodies(ap.ConversationAssigned))
            == 4
        )
    )
    assert len(lina.bodies(ap.ConversationAssigned)) == 2
    assert len(alex.bodies(ap.ConversationAssigned)) == 2

    # Away agents get no work; it waits and goes to them when they are back.
    for probe, op in ((lina, "away-1"), (alex, "away-2")):
        ack = await probe.command(ap.SetPresence(op=op, presence=Presence.AWAY))
        assert isinstance(ack, ap.Ack)
    late = SimCustomer(hub.customer_ws_url)
    await late.connect()
    await late.send("anyone?")
    back = await alex.command(ap.SetPresence(op="back-1", presence=Presence.AVAILABLE))
    assert isinstance(back, ap.Ack)
    await alex.wait_for(lambda: len(alex.bodies(ap.ConversationAssigned)) == 3)
    assert len(lina.bodies(ap.ConversationAssigned)) == 2

    # Presence reached the hub's store.
    rows = dict(hub_rows(hub.db_path, "select username, presence from agents"))
    assert rows["lina"] == "away" and rows["alex"] == "available"
    for c in [*customers, late]:
        await c.disconnect()
    await lina.close()
    await alex.close()
