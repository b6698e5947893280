"""A disconnected agent gets no new work; after the grace period the hub marks
them away; later their conversations go to someone who is there."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from core.protocol import agent as ap
from core.protocol.models import Presence
from hub.demo.simulator import SimCustomer
from testbed.agent_probe import AgentProbe, eventually
from tests.conftest import HubProcess
from tests.support.hub_sql import hub_rows


def _presence(hub: HubProcess, username: str) -> str:
    rows = hub_rows(hub.db_path, "select presence from agents where username = :u", u=username)
    return str(rows[0][0])


async def test_disconnected_agent_gets_no_offer_then_away_then_released(
    make_hub: Callable[..., HubProcess],
) -> None:
    hub = make_hub("--away-grace", "1", "--release-after", "3")
    lina = await AgentProbe.logged_in(hub.url, "lina")
    alex = await AgentProbe.logged_in(hub.url, "alex")
    first = SimCustomer(hub.customer_ws_url, name="First")
    await first.connect()
    await first.send("hello")
    await eventually(lambda: len(lina.bodies(ap.ConversationAssigned))
                     + len(alex.bodies(ap.ConversationAssigned)) == 1)
    # Whoever got it drops off the network.
    owner, other = (lina, alex) if lina.bodies(ap.ConversationAssigned) else (alex, lina)
    owner_name = "lina" if owner is lina else "alex"
    conv_id = owner.bodies(ap.ConversationAssigned)[0].conversation.id
    last_seq = owner.events[-1].seq
    await owner.close()

    # Immediately: new work goes to the agent who is still connected.
    second = SimCustomer(hub.customer_ws_url, name="Second")
    await second.connect()
    await second.send("anyone there?")
    await other.wait_body(ap.ConversationAssigned,
                          lambda b: b.customer.name == "Second", timeout=5)
    assert _presence(hub, owner_name) == "available"

    # After the grace period: away (with the reason in the agent's stream).
    await eventually(lambda: _presence(hub, owner_name) == "away", timeout=5)
    # After the release period: the first conversation moves to the other agent.
    moved = await other.wait_body(ap.ConversationAssigned,
                                  lambda b: b.conversation.id == conv_id, timeout=8)
    assert [m.text for m in moved.messages] == ["hello"]
    await first.wait_for(lambda: first.agent_name == ("李娜" if other is lina else "Alex Chen"))

    # The returning agent learns all of it by replay, in order, and is available again.
    back = AgentProbe(hub.url, owner.token)
    await back.connect(last_seq=last_seq)
    assert back.welcome is not None and back.welcome.mode == "replay"
    await back.wait_for(lambda: back.bodies(ap.ConversationUnassigned))
    kinds = [type(e.body) for e in back.events]
    assert kinds.index(ap.PresenceChanged) < kinds.index(ap.ConversationUnassigned)
    away = back.bodies(ap.PresenceChanged)[0]
    assert away.presence == Presence.AWAY and away.reason == "disconnected"
    unassigned = back.bodies(ap.ConversationUnassigned)[0]
    assert unassigned.conversation_id == conv_id and unassigned.reason == "agent_disconnected"
    await back.wait_body(ap.PresenceChanged, lambda b: b.reason == "reconnected")
    assert _presence(hub, owner_name) == "available"
    for c in (first, second):
        await c.disconnect()
    await back.close()
    await other.close()


async def test_quick_reconnect_keeps_presence_and_conversations(
    make_hub: Callable[..., HubProcess],
) -> None:
    hub = make_hub("--away-grace", "2", "--release-after", "4")
    lina = await AgentProbe.logged_in(hub.url, "lina")
    c = SimCustomer(hub.customer_ws_url)
    await c.connect()
    await c.send("hi")
    assigned = await lina.wait_body(ap.ConversationAssigned)
    await lina.close()
    await asyncio.sleep(0.5)  # real time: away a while, well inside the grace period
    again = AgentProbe(hub.url, lina.token)
    await again.connect(last_seq=lina.events[-1].seq)
    # Real time: both periods, counted from the disconnect, must run out; the
    # reconnect cancelled their timers, so nothing may happen when they would fire.
    await asyncio.sleep(4.5)
    # The reply's ack is the barrier: lina's events come in order, so a release (or
    # an away) made before the hub handled the reply would have reached her first.
    assert isinstance(await again.reply(assigned.conversation.id, "still here"), ap.Ack)
    assert again.bodies(ap.ConversationUnassigned) == []
    assert [b for b in again.bodies(ap.PresenceChanged) if b.presence == Presence.AWAY] == []
    assert _presence(hub, "lina") == "available"
    await c.wait_message(lambda m: m.text == "still here")
    await c.disconnect()
    await again.close()


async def test_an_agent_set_away_by_choice_stays_away_on_reconnect(hub: HubProcess) -> None:
    lina = await AgentProbe.logged_in(hub.url, "lina")
    ack = await lina.command(ap.SetPresence(op="away-by-choice", presence=Presence.AWAY))
    assert isinstance(ack, ap.Ack)
    await lina.close()
    again = AgentProbe(hub.url, lina.token)
    await again.connect(last_seq=lina.events[-1].seq)
    assert again.welcome is not None and again.welcome.presence == Presence.AWAY
    await again.close()
