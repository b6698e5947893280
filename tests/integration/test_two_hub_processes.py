"""Two hub processes on one PostgreSQL database writing one agent's stream at once:
sequence numbers stay gap-free and in order, and a command sent to both is
applied once."""

from __future__ import annotations

import asyncio
import uuid
from collections import Counter
from collections.abc import Callable

import msgspec

from core.protocol import agent as ap
from core.protocol.models import MessageAuthor
from hub.demo.simulator import SimCustomer
from testbed.agent_probe import AgentProbe
from tests.conftest import HubProcess
from tests.support.databases import DatabaseMaker
from tests.support.hub_sql import hub_rows

# Kept under the customer connection's frame burst (its receipts count too).
REPLIES_PER_PROCESS = 10
VISITS_PER_PROCESS = 30
CUSTOMER_MESSAGES = 8
SHARED_OPS = 5

Command = ap.SendMessage | ap.RecordVisit


def _reply(conversation_id: str, op: str | None = None) -> ap.SendMessage:
    op = op or uuid.uuid4().hex
    return ap.SendMessage(op=op, conversation_id=conversation_id, message_id=f"m-{op}",
                          text=f"reply {op}")


def _visit(customer_id: str, op: str | None = None) -> ap.RecordVisit:
    op = op or uuid.uuid4().hex
    return ap.RecordVisit(op=op, conversation_id=f"v-{op}", customer_id=customer_id,
                          note=f"visit {op}", visited_at=1_700_000_000_000)


def _key(frame: Command) -> tuple[str, str]:
    """The event a command makes: its type and the id it carries."""
    if isinstance(frame, ap.SendMessage):
        return "message_added", frame.message_id
    return "conversation_assigned", frame.conversation_id


def _event_key(event: ap.EventBody) -> tuple[str, str] | None:
    if isinstance(event, ap.MessageAdded):
        return "message_added", event.message.id
    if isinstance(event, ap.ConversationAssigned):
        return "conversation_assigned", event.conversation.id
    return None


async def _burst(probe: AgentProbe, frames: list[Command]) -> list[ap.Ack | ap.Error]:
    """Send every frame at once, then wait for every answer."""
    for frame in frames:
        await probe.send(frame)
    return [await probe.command_answer(f.op, timeout=30) for f in frames]


async def test_one_agent_written_from_two_processes_keeps_one_gap_free_stream(
    postgres_dbs: DatabaseMaker, make_hub: Callable[..., HubProcess]
) -> None:
    # (The databases fixture comes first, so it outlives the hubs on it.)
    db = postgres_dbs.new("shared")
    hub_a = make_hub(name="a", db=db)
    hub_b = make_hub(name="b", db=db)  # finds the demo data hub a seeded

    lina_a = await AgentProbe.logged_in(hub_a.url)
    customer = SimCustomer(hub_a.customer_ws_url, name="Two Processes")
    await customer.connect()
    await customer.send("hello from one process")
    assigned = await lina_a.wait_body(ap.ConversationAssigned)
    conv = assigned.conversation.id
    lina_b = await AgentProbe.logged_in(hub_b.url)

    # Replies and visits through both processes and customer messages through a,
    # all at once; and commands sent to both processes under the same op ids.
    customer_id = assigned.customer.id
    shared: list[Command] = [
        *(_reply(conv, f"shared-r{n}") for n in range(SHARED_OPS)),
        *(_visit(customer_id, f"shared-v{n}") for n in range(SHARED_OPS)),
    ]

    def own() -> list[Command]:
        return [*(_reply(conv) for _ in range(REPLIES_PER_PROCESS)),
                *(_visit(customer_id) for _ in range(VISITS_PER_PROCESS))]

    # The shared ones first: both processes meet them at the same moment.
    from_a, from_b = shared + own(), shared + own()

    async def customer_writes() -> None:
        for n in range(CUSTOMER_MESSAGES):
            await customer.send(f"customer line {n}", timeout=30)

    answers_a, answers_b, _ = await asyncio.gather(
        _burst(lina_a, from_a), _burst(lina_b, from_b), customer_writes()
    )
    assert all(isinstance(a, ap.Ack) for a in answers_a + answers_b), [
        a for a in answers_a + answers_b if isinstance(a, ap.Error)]
    acks_a = {f.op: a.seq for f, a in zip(from_a, answers_a, strict=True)}
    acks_b = {f.op: a.seq for f, a in zip(from_b, answers_b, strict=True)}
    # An op id sent to both processes got one answer: the same seq from each.
    assert all(acks_a[f.op] == acks_b[f.op] for f in shared)

    agent_id = assigned.conversation.agent_id
    # The head first: work that follows the commands in units of their own (mood,
    # suggestions) may still add events, which then come after it, gap-free too.
    (head,), = hub_rows(db, "SELECT head_seq FROM agents WHERE id = :a", a=agent_id)
    rows = hub_rows(db, "SELECT seq, body FROM agent_events WHERE agent_id = :a ORDER BY seq",
                    a=agent_id)
    seqs = [seq for seq, _ in rows]
    assert len(seqs) >= head and seqs == list(range(1, len(seqs) + 1)), "gap-free and in order"

    events = {seq: msgspec.json.decode(body, type=ap.EventBody) for seq, body in rows}
    made = Counter(_event_key(e) for e in events.values())
    commands = {f.op: f for f in from_a + from_b}
    assert {_key(f): made[_key(f)] for f in commands.values()} == {
        _key(f): 1 for f in commands.values()}, "each command's event once"
    for op, seq in {**acks_a, **acks_b}.items():
        assert _event_key(events[seq]) == _key(commands[op]), "the ack names its event"
    customer_lines = [e for e in events.values() if isinstance(e, ap.MessageAdded)
                      and e.message.author == MessageAuthor.CUSTOMER]
    # (The first line came before the assignment, inside its event.)
    assert len(customer_lines) == CUSTOMER_MESSAGES
    (stored,), = hub_rows(db, "SELECT count(*) FROM messages WHERE conversation_id = :c",
                          c=conv)
    replies = sum(isinstance(f, ap.SendMessage) for f in commands.values())
    assert stored == replies + CUSTOMER_MESSAGES + 1

    # A desktop resuming on either process replays exactly the stored stream.
    for hub in (hub_a, hub_b):
        resumed = await AgentProbe.logged_in(hub.url, last_seq=0)
        await resumed.wait_for(lambda r=resumed: len(r.events) >= len(seqs), timeout=30)
        assert [e.seq for e in resumed.events][:len(seqs)] == seqs
        await resumed.close()
    await customer.disconnect()
    await lina_a.close()
    await lina_b.close()


def _in_order(probe: AgentProbe) -> bool:
    seqs = [e.seq for e in probe.events]
    return seqs == list(range(seqs[0], seqs[0] + len(seqs))) if seqs else True


async def test_events_made_on_one_process_reach_desktops_on_the_other(
    postgres_dbs: DatabaseMaker, make_hub: Callable[..., HubProcess]
) -> None:
    """An agent on process a receives a customer's message sent through process b
    (woken by NOTIFY, read from the database); a desktop of the agent on b receives
    the reply sent through a. Each once, in order."""
    db = postgres_dbs.new("shared")
    hub_a = make_hub(name="a", db=db)
    hub_b = make_hub(name="b", db=db)
    lina_a = await AgentProbe.logged_in(hub_a.url)
    on_a = SimCustomer(hub_a.customer_ws_url, name="Moving Customer")
    await on_a.connect()
    await on_a.send("first, through a")
    assigned = await lina_a.wait_body(ap.ConversationAssigned)
    await on_a.disconnect()
    lina_b = await AgentProbe.logged_in(hub_b.url)

    on_b = SimCustomer(hub_b.customer_ws_url, visitor_id=on_a.visitor_id)
    welcome = await on_b.connect()
    assert welcome.conversation_id == assigned.conversation.id
    sent = await on_b.send("second, through b")
    got = await lina_a.wait_body(ap.MessageAdded, lambda b: b.message.id == sent.id)
    assert got.message.text == "second, through b"

    reply = await lina_a.reply(assigned.conversation.id, "answer, through a")
    assert isinstance(reply, ap.Ack)
    await lina_b.wait_for(lambda: any(e.seq == reply.seq for e in lina_b.events))

    for probe in (lina_a, lina_b):
        added = [b.message.id for b in probe.bodies(ap.MessageAdded)]
        assert added.count(sent.id) == 1 and len(added) == len(set(added))
        assert _in_order(probe), [e.seq for e in probe.events]
    await on_b.disconnect()
    await lina_a.close()
    await lina_b.close()
