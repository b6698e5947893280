"""Two hub processes on one PostgreSQL database, the agent's desktop on one and
the customer's widget on the other: the agent's reply reaches the widget live
(while it stays connected, not at its next reconnect), once; typing shows on both
sides; the agent joining and closing the conversation show at once. The bus
carries only a hint: the reply's text travels through the database, never in a
NOTIFY payload."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable, Iterator

import psycopg
import pytest
from sqlalchemy.engine import make_url

from core.protocol import agent as ap
from core.protocol import customer as cp
from core.protocol.models import ClosedBy
from hub.demo.simulator import SimCustomer
from hub.store.base import FRAMES_CHANNEL
from testbed.agent_probe import AgentProbe
from tests.conftest import HubProcess
from tests.support.databases import DatabaseMaker
from tests.support.hub_sql import hub_rows


class FrameHints:
    """Every hint on the frames channel, as another process would hear it."""

    def __init__(self, db: str) -> None:
        self.conninfo = make_url(db).set(drivername="postgresql").render_as_string(
            hide_password=False)
        self.payloads: list[str] = []
        self.listening = threading.Event()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        with psycopg.connect(self.conninfo, autocommit=True) as conn:
            conn.execute(f"LISTEN {FRAMES_CHANNEL}")
            self.listening.set()
            while not self._stop.is_set():
                self.payloads.extend(n.payload for n in conn.notifies(timeout=0.2))

    def __enter__(self) -> FrameHints:
        self._thread.start()
        assert self.listening.wait(10)
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(5)


@pytest.fixture
def two_hubs(postgres_dbs: DatabaseMaker, make_hub: Callable[..., HubProcess]
             ) -> Iterator[tuple[str, HubProcess, HubProcess]]:
    db = postgres_dbs.new("shared")
    yield db, make_hub(name="a", db=db), make_hub(name="b", db=db)


async def test_a_reply_and_typing_reach_a_customer_on_another_process_live(
    two_hubs: tuple[str, HubProcess, HubProcess],
) -> None:
    db, hub_a, hub_b = two_hubs
    lina = await AgentProbe.logged_in(hub_a.url)
    customer = SimCustomer(hub_b.customer_ws_url, name="Across")
    await customer.connect()
    with FrameHints(db) as hints:
        sent = await customer.send("hello from process b")
        assigned = await lina.wait_body(
            ap.ConversationAssigned, lambda b: b.conversation.id == sent.conversation_id,
            timeout=15)
        conversation_id = assigned.conversation.id

        # The agent types on a: the widget on b shows it, and stops showing it.
        await lina.send(ap.Typing(conversation_id=conversation_id, active=True))
        await customer.wait_for(lambda: customer.agent_typing is True, timeout=10)
        await lina.send(ap.Typing(conversation_id=conversation_id, active=False))
        await customer.wait_for(lambda: customer.agent_typing is False, timeout=10)
        typing = [f for f in customer.frames if isinstance(f, cp.TypingNotice)]
        assert typing[0].agent_name  # who is typing, as on one process

        # The customer types on b: the desktop on a shows it.
        await customer.typing(True)
        notice = await lina.wait_for(lambda: [
            f for f in lina.frames if isinstance(f, ap.TypingNotice) and f.active], timeout=10)
        assert notice[0].conversation_id == conversation_id

        # The reply sent through a reaches the widget on b while it stays connected.
        text = "an answer written on process a " + "字" * 2000  # 6 kB of UTF-8
        ack = await lina.reply(conversation_id, text)
        assert isinstance(ack, ap.Ack), ack
        got = await customer.wait_message(lambda m: m.text == text, timeout=10)
        assert customer.connected
        live = [f for f in customer.frames
                if isinstance(f, cp.NewMessage) and f.message.id == got.id]
        assert len(live) == 1, "delivered once"
        second = await lina.reply(conversation_id, "and a short second one")
        assert isinstance(second, ap.Ack), second
        await customer.wait_message(lambda m: m.text == "and a short second one", timeout=10)
        assert [m.text for m in customer.messages if m.author == "agent"] == [
            text, "and a short second one"]
        joined = [f for f in customer.frames if isinstance(f, cp.AgentJoined)]
        assert [j.conversation_id for j in joined] == [conversation_id]
        assert joined[0].agent_name

        # The agent closes the conversation on a: the widget on b hears it at once.
        closed = await lina.command(ap.CloseConversation(
            op=uuid.uuid4().hex, conversation_id=conversation_id))
        assert isinstance(closed, ap.Ack), closed
        await customer.wait_for(lambda: customer.closed_by is not None, timeout=10)
        assert customer.closed_by == ClosedBy.AGENT and customer.connected

    # The database holds the message; the bus carried only a hint of it.
    (stored,), = hub_rows(db, "SELECT text FROM messages WHERE id = :m", m=got.id)
    assert stored == text
    assert hints.payloads, "the hints went through PostgreSQL"
    assert all(len(p.encode()) < 8000 for p in hints.payloads)
    assert not any("字" in p for p in hints.payloads)
    await customer.disconnect()
    await lina.close()
