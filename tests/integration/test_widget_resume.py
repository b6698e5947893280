"""A customer's socket dies unnoticed (no close handshake: the link just stops)
while the agent answers and then ends the chat. The hub sends both to the dead
socket; the customer reconnects, and the welcome brings the answer and the close
once, because the hello says which message the widget showed last. One hub
process on SQLite, real websockets, the link a relay the test stalls; and two
processes on PostgreSQL, the customer's killed right after the answer."""

from __future__ import annotations

import signal
import uuid
from collections.abc import Callable

from core.protocol import agent as ap
from core.protocol.models import ClosedBy, MessageStatus
from hub.demo.simulator import SimCustomer
from testbed.agent_probe import AgentProbe, eventually
from tests.conftest import HubProcess
from tests.support.databases import DatabaseMaker
from tests.support.stall_proxy import StallProxy


async def test_answer_and_close_sent_to_a_dead_socket_reach_the_reconnected_customer(
        hub: HubProcess) -> None:
    agent = await AgentProbe.logged_in(hub.url)
    proxy = StallProxy("127.0.0.1", hub.port)
    await proxy.start()
    try:
        customer = SimCustomer(f"ws://127.0.0.1:{proxy.port}/customer", name="Wang Fang")
        await customer.connect()
        await customer.send("Where is my parcel?")
        assigned = await agent.wait_body(ap.ConversationAssigned)
        conversation_id = assigned.conversation.id
        first = await agent.reply(conversation_id, "Let me look it up.")
        assert isinstance(first, ap.Ack)
        await customer.wait_message(lambda m: m.text == "Let me look it up.")

        # The link dies without a word: the hub still holds the socket as live.
        proxy.stall()
        answer = await agent.reply(conversation_id, "It arrives tomorrow.")
        assert isinstance(answer, ap.Ack)
        closed = await agent.command(
            ap.CloseConversation(op=uuid.uuid4().hex, conversation_id=conversation_id))
        assert isinstance(closed, ap.Ack)
        # The hub wrote the answer and the close to the dead link; nothing arrived.
        await eventually(lambda: proxy.swallowed_down > 0, 10)
        assert [m.text for m in customer.messages if m.author == "agent"] == [
            "Let me look it up."]
        assert customer.closed_by is None

        # The customer's page reconnects (as the widget does, with what it keeps).
        again = SimCustomer(hub.customer_ws_url, visitor_id=customer.visitor_id,
                            seen=customer.seen)
        welcome = await again.connect()
        assert welcome.conversation_id is None
        assert [(r.conversation_id, r.closed_by) for r in welcome.resumed] == [
            (conversation_id, ClosedBy.AGENT)]
        assert [m.text for m in welcome.resumed[0].messages] == ["It arrives tomorrow."]
        assert again.closed_by == ClosedBy.AGENT
        # Shown now: the widget's receipt reaches the agent's stream.
        answer_id = welcome.resumed[0].messages[0].id
        status = await agent.wait_body(
            ap.MessageStatusChanged, lambda b: b.message_id == answer_id, timeout=10)
        assert status.status == MessageStatus.DELIVERED

        # Once: a later reconnect has nothing more to bring.
        third = SimCustomer(hub.customer_ws_url, visitor_id=customer.visitor_id,
                            seen=again.seen)
        later = await third.connect()
        assert later.resumed == [] and later.conversation_id is None
        # A widget that keeps nothing (an older one: no ``seen``) is welcomed as before.
        old = SimCustomer(hub.customer_ws_url, visitor_id=customer.visitor_id)
        plain = await old.connect()
        assert plain.resumed == [] and plain.conversation_id is None and plain.messages == []
        for sim in (again, third, old):
            await sim.disconnect()
            assert not sim.errors
    finally:
        await proxy.close()
        await agent.close()


async def test_answer_made_while_the_customers_process_dies_reaches_them_on_another(
        postgres_dbs: DatabaseMaker, make_hub: Callable[..., HubProcess]) -> None:
    """Two hub processes on PostgreSQL: the agent on a, the customer's widget on b.
    b freezes, the agent answers (b never passes it on), b is SIGKILLed, the agent
    ends the chat; the customer reconnects to a and gets the answer and the close."""
    db = postgres_dbs.new("shared")
    hub_a = make_hub(name="a", db=db)
    hub_b = make_hub(name="b", db=db)
    agent = await AgentProbe.logged_in(hub_a.url)
    customer = SimCustomer(hub_b.customer_ws_url, name="Li Lei")
    await customer.connect()
    await customer.send("Can I change the delivery address?")
    assigned = await agent.wait_body(ap.ConversationAssigned, timeout=15)
    conversation_id = assigned.conversation.id
    first = await agent.reply(conversation_id, "Yes, which address?")
    assert isinstance(first, ap.Ack)
    await customer.wait_message(lambda m: m.text == "Yes, which address?", timeout=10)

    assert hub_b.proc is not None
    hub_b.proc.send_signal(signal.SIGSTOP)  # b holds the widget and can do nothing more
    try:
        answer = await agent.reply(conversation_id, "Done: it goes to your office.")
        assert isinstance(answer, ap.Ack)
    finally:
        hub_b.kill()  # SIGKILL, right after the answer
    closed = await agent.command(
        ap.CloseConversation(op=uuid.uuid4().hex, conversation_id=conversation_id),
        timeout=15)
    assert isinstance(closed, ap.Ack), closed
    await customer.wait_for(lambda: not customer.connected, timeout=10)
    assert [m.text for m in customer.messages if m.author == "agent"] == [
        "Yes, which address?"]

    again = SimCustomer(hub_a.customer_ws_url, visitor_id=customer.visitor_id,
                        seen=customer.seen)
    welcome = await again.connect()
    assert welcome.conversation_id is None
    assert [(r.conversation_id, r.closed_by) for r in welcome.resumed] == [
        (conversation_id, ClosedBy.AGENT)]
    assert [m.text for m in welcome.resumed[0].messages] == ["Done: it goes to your office."]
    third = SimCustomer(hub_a.customer_ws_url, visitor_id=customer.visitor_id,
                        seen=again.seen)
    assert (await third.connect()).resumed == []
    for sim in (again, third):
        await sim.disconnect()
        assert not sim.errors
    await agent.close()
