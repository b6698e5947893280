"""Agent events between hub processes: the fan-out that reads what other processes
wrote, and the PostgreSQL listener that wakes it."""

from __future__ import annotations

import asyncio

import pytest

from core.protocol import agent as ap
from core.protocol.codec import agent_server_decoder
from core.protocol.models import Presence
from hub.store.base import create_engine
from hub.store.bus import PgListener, StreamFanOut
from hub.store.schema import migrate
from hub.store.store import Store
from hub.transport.peers import PeerRegistry
from tests.hub.test_unit_of_work import RecordingPeer
from tests.support.databases import DatabaseMaker

_decode = agent_server_decoder().decode


def _seqs(peer: RecordingPeer) -> list[int]:
    return [e.seq for f in peer.frames if isinstance(m := _decode(f), ap.Events)
            for e in m.events]


def _store(db: str) -> Store:
    engine = create_engine(db)
    migrate(engine)
    return Store(engine)


def test_sockets_get_what_other_processes_wrote_once_and_in_order(hub_db: str) -> None:
    store = _store(hub_db)
    agents = PeerRegistry()
    fanout = StreamFanOut(agents, PeerRegistry(), store)
    heard: list[int] = []
    fanout.listeners.append(lambda _agent, events: heard.extend(e.seq for e in events))
    lina = store.create_agent("lina", "Lina", "h")
    early, late = RecordingPeer("early"), RecordingPeer("late")
    early.stream_seq = 0
    agents.add(lina, early)

    # Another process appends 1 and 2; its wake-up for 1 was missed, 2 arrives.
    for presence in (Presence.AVAILABLE, Presence.AWAY):
        store.set_presence(lina, presence)
    fanout.wake(lina, 2)
    assert _seqs(early) == [1, 2]
    fanout.wake(lina, 1)  # late or repeated wake-ups change nothing
    assert _seqs(early) == [1, 2]

    # A desktop that joined at 2; then this process's own event 4 goes out while 3
    # (another process's) was never announced: 3 comes along, in order.
    late.stream_seq = 2
    agents.add(lina, late)
    store.set_presence(lina, Presence.AVAILABLE)
    four = store.set_presence(lina, Presence.AWAY)
    assert four is not None and four.seq == 4
    fanout.publish(lina, four)
    assert _seqs(early) == [1, 2, 3, 4] and _seqs(late) == [3, 4]

    # Missed wake-ups (the listening connection dropped): everyone to the head.
    store.set_presence(lina, Presence.AVAILABLE)
    fanout.wake_all()
    assert _seqs(early) == [1, 2, 3, 4, 5] and _seqs(late) == [3, 4, 5]
    assert heard == [1, 2, 3, 4, 5]  # each event told to the listeners once
    store.engine.dispose()


async def test_the_listener_wakes_on_committed_events_only(
    postgres_dbs: DatabaseMaker,
) -> None:
    db = postgres_dbs.new("bus")
    store = _store(db)
    lina = store.create_agent("lina", "Lina", "h")
    wang = store.create_agent("wang", "Wang", "h")
    woken: asyncio.Queue[tuple[str, int]] = asyncio.Queue()
    url = store.engine.url.set(drivername="postgresql").render_as_string(hide_password=False)
    listener = PgListener(url, asyncio.get_running_loop(),
                          lambda agent, seq: woken.put_nowait((agent, seq)), lambda: None)
    listener.start()
    try:
        assert await asyncio.to_thread(listener.listening.wait, 10)
        with pytest.raises(RuntimeError), store.db.unit():
            store.set_presence(wang, Presence.AVAILABLE)
            raise RuntimeError("rolled back")
        store.set_presence(lina, Presence.AWAY)
        # Wang's rolled-back event sent nothing: the first wake-up is Lina's.
        assert await asyncio.wait_for(woken.get(), 10) == (lina, 1)
        store.set_presence(wang, Presence.AWAY)
        assert await asyncio.wait_for(woken.get(), 10) == (wang, 1)
    finally:
        await asyncio.to_thread(listener.stop)
        store.engine.dispose()
