"""An agent desktop's call engine for tests: a logged-in agent connection feeding a
real ``CallManager`` whose media runs on a real ``MediaThread``.

The agent plays a tone (or anything else) and records each call's audio.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable
from typing import Any

import msgspec

from core.call.audio_io import AudioSource, RecordingSink, ToneSource
from core.call.call_manager import Call, CallManager, CallState
from core.call.media_thread import MediaEngine, MediaThread
from testbed.agent_probe import AgentProbe


class CallAgent:
    def __init__(self, probe: AgentProbe, thread: MediaThread,
                 source: Callable[[str], AudioSource]) -> None:
        self.probe = probe
        self.recordings: dict[str, RecordingSink] = {}
        self.sources: dict[str, AudioSource] = {}
        self.engine = MediaEngine(thread, [], source_factory=self._source(source),
                                  sink_factory=self._sink)
        self.manager = CallManager(self._send, self.engine)
        self._out: asyncio.Queue[msgspec.Struct] = asyncio.Queue()
        self._writer = asyncio.create_task(self._write())
        self.rung: list[Call] = []
        self.ended: list[Call] = []
        self.manager.call_did_ring.connect(self.rung.append)
        self.manager.call_did_end.connect(self.ended.append)
        probe.on_frame = self.manager.handle_frame

    @classmethod
    async def logged_in(cls, base_url: str, thread: MediaThread, username: str = "lina",
                        tone_hz: float = 880.0, accept_offers: bool = True) -> CallAgent:
        probe = await AgentProbe.logged_in(base_url, username, accept_offers=accept_offers)
        return cls(probe, thread, lambda _id: ToneSource(tone_hz))

    def _source(self, make: Callable[[str], AudioSource]) -> Callable[[str], AudioSource]:
        def factory(call_id: str) -> AudioSource:
            self.sources[call_id] = make(call_id)
            return self.sources[call_id]

        return factory

    def _sink(self, call_id: str) -> RecordingSink:
        self.recordings[call_id] = RecordingSink()
        return self.recordings[call_id]

    def _send(self, frame: msgspec.Struct) -> None:
        self._out.put_nowait(frame)  # one writer keeps the frames in order

    def send(self, frame: msgspec.Struct) -> None:
        """Queue a frame for the hub behind the call manager's (e.g. SIP call reports)."""
        self._send(frame)

    async def _write(self) -> None:
        while True:
            frame = await self._out.get()
            await self.probe.send(frame)

    async def wait(self, predicate: Callable[[], Any], timeout: float = 10) -> Any:
        async def poll() -> Any:
            while not (result := predicate()):  # noqa: ASYNC110 - state set by another thread
                await asyncio.sleep(0.02)
            return result

        return await asyncio.wait_for(poll(), timeout)

    async def wait_ringing(self, timeout: float = 10) -> Call:
        call: Call = await self.wait(
            lambda: next((c for c in self.rung if c.state == CallState.RINGING_IN), None), timeout
        )
        return call

    async def wait_state(self, call_id: str, state: CallState, timeout: float = 10) -> Call:
        call: Call = await self.wait(
            lambda: (c := self.manager.calls.get(call_id)) is not None and c.state == state and c,
            timeout,
        )
        return call

    async def close(self) -> None:
        await self.manager.close()
        await self.engine.close_all()
        self._writer.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self._writer
        await self.probe.close()
