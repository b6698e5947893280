"""Two hub processes on one PostgreSQL database: every frame the hub sends a
customer reaches the widget whichever process holds its socket. The agent's
desktop is on process a, the customer's widget on b (and for a while a second tab
of the same visitor on a, where the customer acts): the call queue's notice, the
bot's reply, a delivery receipt and a follow-up's notice, each made on a, reach the
widget on b live and once. A process whose listening connection dropped sends its
customers what was announced in the gap when it listens again, without the
widget reconnecting."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.engine import make_url

from core.protocol import agent as ap
from core.protocol import call as cl
from core.protocol import customer as cp
from core.protocol import followups as fp
from core.protocol.models import MessageStatus, Presence
from core.protocol.outreach import Outreach, ReachOut
from hub.demo.simulator import SimCustomer
from hub.store.bus import LISTENER_NAME
from testbed.agent_probe import AgentProbe, eventually
from tests.conftest import HubProcess
from tests.integration.test_customer_frames_across_processes import FrameHints
from tests.support.databases import DatabaseMaker, PostgresDatabases
from tests.support.hub_sql import hub_rows
from tests.support.routing_files import routing_variant

# A minimal offer: the hub relays SDP without reading it, and no agent answers here.
SDP = "v=0\r\no=- 1 1 IN IP4 10.0.0.1\r\ns=-\r\nt=0 0\r\n"


def _readyz(hub: HubProcess) -> tuple[int, dict[str, Any]]:
    try:
        with urllib.request.urlopen(hub.url + "/readyz", timeout=5) as resp:
            return resp.status, json.loads(resp.read())
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read())


@pytest.fixture
def two_hubs(postgres_dbs: DatabaseMaker, make_hub: Callable[..., HubProcess],
             tmp_path: Path) -> Iterator[tuple[str, HubProcess, HubProcess]]:
    # The bot answers chats whose visitor chose no topic.
    routing = routing_variant(tmp_path, {"# no_topic = true            # also chats whose "
                                         "visitor chose no topic": "no_topic = true"})
    db = postgres_dbs.new("shared")
    hub_a = make_hub("--routing-config", str(routing), name="a", db=db)
    hub_b = make_hub("--routing-config", str(routing), name="b", db=db)
    yield db, hub_a, hub_b


def _of(customer: SimCustomer, kind: type) -> list[Any]:
    return [f for f in customer.frames if isinstance(f, kind)]


async def test_queue_bot_receipt_and_follow_up_reach_a_widget_on_another_process(
    two_hubs: tuple[str, HubProcess, HubProcess],
) -> None:
    db, hub_a, hub_b = two_hubs
    lina = await AgentProbe.logged_in(hub_a.url)
    away = await lina.command(ap.SetPresence(op=uuid.uuid4().hex, presence=Presence.AWAY))
    assert isinstance(away, ap.Ack), away
    widget = SimCustomer(hub_b.customer_ws_url, name="Across")  # the widget on b
    await widget.connect()
    tab = SimCustomer(hub_a.customer_ws_url, visitor_id=widget.visitor_id)  # same visitor, a
    await tab.connect()
    with FrameHints(db) as hints:
        # The call waits in the queue (the only agent is away): "please hold" is
        # made on a and reaches the widget on b.
        await tab.send_raw(json.dumps({"type": "call_start", "call_id": "c1", "sdp": SDP}))
        queued = await widget.wait_for(lambda: _of(widget, cl.CallQueuedNotice), timeout=10)
        assert queued[0].call_id == "c1" and queued[0].max_wait_s > 0
        await tab.send_raw(json.dumps({"type": "call_hangup", "call_id": "c1"}))
        back = await lina.command(ap.SetPresence(op=uuid.uuid4().hex,
                                                 presence=Presence.AVAILABLE))
        assert isinstance(back, ap.Ack), back

        # The bot's reply to words typed on a: a person is coming.
        asked = await tab.send("转人工")
        bot = await widget.wait_for(lambda: _of(widget, cp.BotReply), timeout=10)
        assert [(b.code, b.reason) for b in bot] == [("handoff", "asked")]
        assert bot[0].conversation_id == asked.conversation_id
        assigned = await lina.wait_body(
            ap.ConversationAssigned, lambda b: b.conversation.id == asked.conversation_id,
            timeout=15)
        conversation_id = assigned.conversation.id

        # A delivery receipt: the desktop on a stored the line written on b.
        line = await widget.send("my parcel has not arrived")
        await lina.wait_body(ap.MessageAdded, lambda b: b.message.id == line.id, timeout=10)
        await lina.send(ap.Delivered(conversation_id=conversation_id, message_ids=[line.id]))
        await widget.wait_status(line.id, MessageStatus.DELIVERED, timeout=10)
        receipts = [s for s in _of(widget, cp.Status) if s.message_id == line.id]
        assert len(receipts) == 1, "delivered once"

        # The tab on a closes: the follow-up's notice still goes to the widget, now
        # open on b only (not a mail: the customer is online on another process).
        await tab.disconnect()
        created = await lina.command(fp.CreateFollowUp(
            op=uuid.uuid4().hex, followup_id="fu-1", conversation_id=conversation_id,
            kind=fp.FollowUpKind.INVESTIGATION, due_at=assigned.conversation.created_at
            + 86_400_000, note="check the parcel"))
        assert isinstance(created, ap.Ack), created
        solved = await lina.command(fp.UpdateFollowUp(
            op=uuid.uuid4().hex, followup_id="fu-1", status=fp.FollowUpStatus.SOLVED,
            note="parcel found"))
        assert isinstance(solved, ap.Ack), solved
        notice = await widget.wait_for(lambda: _of(widget, fp.FollowUpSolved), timeout=10)
        assert [(n.followup_id, n.note) for n in notice] == [("fu-1", "parcel found")]

    assert widget.connected and not widget.errors
    assert len(_of(widget, cl.CallQueuedNotice)) == 1
    assert len(_of(widget, cp.BotReply)) == 1
    assert len([j for j in _of(widget, cp.AgentJoined)
                if j.conversation_id == conversation_id]) == 1
    # Hints only: every frame crossed through the database.
    assert all(len(p.encode()) < 8000 for p in hints.payloads)
    assert not any("parcel found" in p or "check the parcel" in p for p in hints.payloads)
    await widget.disconnect()
    await lina.close()


async def test_a_listening_gap_is_caught_up_for_customers_without_a_reconnect(
    two_hubs: tuple[str, HubProcess, HubProcess], postgres_databases: PostgresDatabases,
) -> None:
    db, hub_a, hub_b = two_hubs
    name = make_url(db).database
    lina = await AgentProbe.logged_in(hub_a.url)
    widget = SimCustomer(hub_b.customer_ws_url, name="Gap")
    welcome = await widget.connect()
    assert welcome.conversation_id is None
    sent = await widget.send("hello before the gap")
    assigned = await lina.wait_body(
        ap.ConversationAssigned, lambda b: b.conversation.id == sent.conversation_id,
        timeout=15)
    conversation_id = assigned.conversation.id
    first = await lina.reply(conversation_id, "first answer")
    assert isinstance(first, ap.Ack), first
    await widget.wait_message(lambda m: m.text == "first answer", timeout=10)

    # The listening connections drop and cannot come back for now; everything else
    # the processes hold stays open.
    cluster = postgres_databases.ensure_started()
    cluster.execute(f"ALTER DATABASE {name} ALLOW_CONNECTIONS false")
    try:
        cluster.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                        f"WHERE datname = '{name}' AND application_name = '{LISTENER_NAME}'")
        await eventually(lambda: (got := _readyz(hub_b))[0] == 503
                         and "bus" in got[1]["problems"], timeout=15)
        # Made and announced on a while b is not listening.
        reply = await lina.reply(conversation_id, "an answer during the gap")
        assert isinstance(reply, ap.Ack), reply
        closed = await lina.command(ap.CloseConversation(
            op=uuid.uuid4().hex, conversation_id=conversation_id))
        assert isinstance(closed, ap.Ack), closed
        assert not any(m.text == "an answer during the gap" for m in widget.messages)
    finally:
        cluster.execute(f"ALTER DATABASE {name} ALLOW_CONNECTIONS true")

    # b listens again and sends its customer what the gap hid, in order, once.
    await widget.wait_message(lambda m: m.text == "an answer during the gap", timeout=15)
    await widget.wait_for(lambda: widget.closed_by is not None, timeout=10)
    assert widget.connected, "no reconnect needed"
    answers = [f.message.text for f in _of(widget, cp.NewMessage)
               if f.message.author == "agent"]
    assert answers == ["first answer", "an answer during the gap"]
    assert len(_of(widget, cp.Closed)) == 1
    await eventually(lambda: _readyz(hub_b)[0] == 200, timeout=15)
    (count,), = hub_rows(db, "SELECT count(*) FROM messages WHERE text = :t",
                         t="an answer during the gap")
    assert count == 1
    await widget.disconnect()
    await lina.close()


async def test_an_agent_reaches_out_to_a_widget_open_on_another_process(
    two_hubs: tuple[str, HubProcess, HubProcess],
) -> None:
    _db, hub_a, hub_b = two_hubs
    lina = await AgentProbe.logged_in(hub_a.url)
    widget = SimCustomer(hub_b.customer_ws_url, name="Online Olga")
    await widget.connect()
    await widget.send("人工, my order is late")  # straight to a person
    assigned = await lina.wait_body(ap.ConversationAssigned, timeout=15)
    closed = await lina.command(ap.CloseConversation(
        op=uuid.uuid4().hex, conversation_id=assigned.conversation.id))
    assert isinstance(closed, ap.Ack), closed
    await widget.wait_for(lambda: widget.closed_by is not None, timeout=10)

    # Online on b, so the reach-out from a goes to the widget (not by mail).
    ack = await lina.command(ReachOut(op=uuid.uuid4().hex,
                                      customer_id=assigned.conversation.customer_id,
                                      text="Your parcel left the depot today."))
    assert isinstance(ack, ap.Ack), ack
    shown = await widget.wait_message(lambda m: m.text == "Your parcel left the depot today.",
                                      timeout=10)
    outreach = await widget.wait_for(lambda: _of(widget, Outreach), timeout=10)
    assert [(o.source, o.conversation_id) for o in outreach] == [
        ("agent", shown.conversation_id)]
    assert widget.connected and not widget.errors
    await widget.disconnect()
    await lina.close()
