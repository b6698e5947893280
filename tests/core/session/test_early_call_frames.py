"""Call frames that arrive before the desktop attaches its call machinery (it does
so once the window is up and the catch-up applied) are handed over in order when
it attaches: the hub's call settings and who is online, sent right after
``welcome``, and a call that rang meanwhile, are not lost."""

from __future__ import annotations

import asyncio

from core.cache.cache import Cache
from core.call.media_thread import MediaEngine, MediaThread
from core.protocol import call as cl
from core.session import agent_service
from core.session.agent_service import AgentService


def test_frames_before_attach_are_handed_over_in_order() -> None:
    asyncio.run(_frames_before_attach())  # the manager binds to the running loop


async def _frames_before_attach() -> None:
    service = AgentService(Cache(":memory:"))
    service.call_frame_received(cl.CallConfig(
        dispositions=[cl.Disposition(code="solved", label="Solved")],
        ice_servers=["stun:10.0.0.1:3478"]))
    service.call_frame_received(cl.CustomerOnline(customer_id="c_1", online=True))
    service.call_frame_received(cl.CustomerOnline(customer_id="c_2", online=True))
    service.call_frame_received(cl.CustomerOnline(customer_id="c_2", online=False))
    assert service.calls is None

    manager = service.attach_calls(MediaEngine(MediaThread()))  # the thread is not started
    assert [d.code for d in manager.dispositions] == ["solved"]
    assert manager.media.ice_servers == ["stun:10.0.0.1:3478"]
    assert manager.online_customers == {"c_1"}  # c_2 came and went, in that order
    # handed over once: a second attach (the same manager) replays nothing
    assert service.attach_calls(MediaEngine(MediaThread())) is manager


def test_the_waiting_frames_are_bounded() -> None:
    asyncio.run(_bounded())


async def _bounded() -> None:
    service = AgentService(Cache(":memory:"))
    for i in range(agent_service.EARLY_CALL_FRAMES + 10):
        service.call_frame_received(cl.CustomerOnline(customer_id=f"c_{i}", online=True))
    manager = service.attach_calls(MediaEngine(MediaThread()))
    assert len(manager.online_customers) == agent_service.EARLY_CALL_FRAMES
