"""Frames to a customer held by another hub process, through ``relay_frames``: two
fan-outs over one real PostgreSQL database stand for two processes; the hints are
the ones PostgreSQL delivers to a real listener."""

from __future__ import annotations

import asyncio

import pytest

from core.protocol import call as cl
from core.protocol import customer as cp
from core.protocol.codec import customer_server_decoder
from core.protocol.models import MessageStatus
from hub.store.base import create_engine
from hub.store.bus import PgListener, StreamFanOut
from hub.store.relay_frames import RelayFrames
from hub.store.schema import migrate
from hub.store.store import Store
from hub.transport.peers import PeerRegistry
from tests.hub.test_unit_of_work import RecordingPeer
from tests.support.databases import DatabaseMaker

_decode = customer_server_decoder().decode


def _status_ids(peer: RecordingPeer) -> list[str]:
    return [f.message_id for f in map(_decode, peer.frames) if isinstance(f, cp.Status)]


async def test_frames_cross_once_any_size_and_a_gap_is_caught_up(
    postgres_dbs: DatabaseMaker,
) -> None:
    db = postgres_dbs.new("relay")
    engine = create_engine(db)
    migrate(engine)
    store = Store(engine)
    relay = RelayFrames(store.db)
    here = StreamFanOut(PeerRegistry(), PeerRegistry(), store, relay)  # makes the frames
    there = StreamFanOut(PeerRegistry(), PeerRegistry(), store, relay)  # holds the widget
    widget = RecordingPeer("widget")
    there.customers.add("cust-1", widget)
    hints: asyncio.Queue[str] = asyncio.Queue()
    url = engine.url.set(drivername="postgresql").render_as_string(hide_password=False)
    listener = PgListener(url, asyncio.get_running_loop(), lambda _a, _s: None,
                          lambda: None, hints.put_nowait)
    listener.start()
    try:
        assert await asyncio.to_thread(listener.listening.wait, 10)

        def status(n: int) -> cp.Status:
            return cp.Status(message_id=f"m{n}", status=MessageStatus.DELIVERED)

        # A frame made in a unit that commits: its hint arrives after the commit.
        with here.held(), store.db.unit():
            here.to_customer("cust-1", status(1))
        first = await asyncio.wait_for(hints.get(), 10)
        there.frame_hint(first)
        there.frame_hint(first)  # a repeated hint sends nothing again
        assert _status_ids(widget) == ["m1"]

        # A unit that rolls back leaves no row and sends no hint.
        with pytest.raises(RuntimeError), here.held(), store.db.unit():
            here.to_customer("cust-1", status(99))
            raise RuntimeError("rolled back")

        # Larger than a NOTIFY payload may be: the hint stays small.
        sdp = "v=0\r\n" + "a=x-filler:" + "0" * 11_900 + "\r\n"
        here.to_customer("cust-1", cl.CallOfferNotice(call_id="c1", sdp=sdp,
                                                      purpose=cl.OfferPurpose.CALL))
        big = await asyncio.wait_for(hints.get(), 10)
        assert len(big.encode()) < 300
        there.frame_hint(big)
        offers = [f for f in map(_decode, widget.frames) if isinstance(f, cl.CallOfferNotice)]
        assert [o.sdp for o in offers] == [sdp]

        # A listening gap: frames 2 and 3 are announced while "there" does not hear.
        there.listening_lost()
        here.to_customer("cust-1", status(2))
        here.to_customer("cust-1", status(3))
        missed = [await asyncio.wait_for(hints.get(), 10) for _ in range(2)]
        there.wake_all()  # listening again: caught up from the database, in order
        assert _status_ids(widget) == ["m1", "m2", "m3"]
        for hint in missed:  # the hints arriving late change nothing
            there.frame_hint(hint)
        there.wake_all()  # nor does another catch-up without a gap
        assert _status_ids(widget) == ["m1", "m2", "m3"]
        assert "m99" not in _status_ids(widget)
        assert hints.empty()  # the rolled-back frame was never announced
    finally:
        await asyncio.to_thread(listener.stop)
        engine.dispose()
