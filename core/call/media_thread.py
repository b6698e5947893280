"""The media thread: its own asyncio loop running aiortc and the audio I/O.

The GUI thread (qasync) and this thread meet only here:

- commands go in through ``loop.call_soon_threadsafe`` (``MediaThread.call_soon``)
  or ``asyncio.run_coroutine_threadsafe`` (``MediaThread.submit``, which uses it);
- notices come out through a callback that runs on the media thread; the caller
  marshals them to its own loop (``CallManager`` does so with its loop's
  ``call_soon_threadsafe``, the desktop may wrap that in a Qt signal).

``MediaEngine`` is the GUI-side face of it: awaitable methods, one ``MediaSession``
per call id, all of them living on the media thread.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import sys
import threading
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

from core.call.audio_io import AudioSink, AudioSource, NullSink, NullSource
from core.call.media_state import MediaState
from core.call.quality import StatsSample

if TYPE_CHECKING:  # the WebRTC stack loads on the media thread, when a call needs it
    from pathlib import Path

    from core.call.conference_mix import Conference
    from core.call.media_session import MediaSession
    from core.call.recorder import CallRecorder, RecordingResult, WriterFactory
    from core.call.supervisor_mix import SupervisorMix
    from core.protocol.call import ListenMode

T = TypeVar("T")
SWITCH_INTERVAL_S = 0.001


class MediaThread:
    """A daemon thread running one asyncio loop until ``stop``."""

    def __init__(self, name: str = "zuoxi-media") -> None:
        self._name = name
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._ready = threading.Event()

    def start(self) -> None:
        """Any thread. Returns once the loop runs.

        Also shortens the interpreter's thread switch interval (5 ms by default)
        to 1 ms: a GUI thread busy in Python would otherwise keep the media thread
        waiting for the GIL long enough to delay a 20 ms frame."""
        if self._thread is not None:
            return
        sys.setswitchinterval(min(sys.getswitchinterval(), SWITCH_INTERVAL_S))
        self._thread = threading.Thread(target=self._run, name=self._name, daemon=True)
        self._thread.start()
        self._ready.wait()

    def _run(self) -> None:
        loop = asyncio.new_event_loop()
        self._loop = loop
        asyncio.set_event_loop(loop)
        loop.call_soon(self._ready.set)
        try:
            loop.run_forever()
        finally:
            pending = asyncio.all_tasks(loop)
            for task in pending:
                task.cancel()
            loop.run_until_complete(asyncio.gather(*pending, return_exceptions=True))
            loop.close()

    @property
    def running(self) -> bool:
        return self._loop is not None and self._loop.is_running()

    def is_current(self) -> bool:
        """True on the media thread itself."""
        return threading.current_thread() is self._thread

    def call_soon(self, fn: Callable[..., Any], *args: Any) -> None:
        """Any thread: run ``fn(*args)`` on the media loop soon."""
        assert self._loop is not None, "media thread not started"
        self._loop.call_soon_threadsafe(fn, *args)

    def submit(self, coro: Coroutine[Any, Any, T]) -> concurrent.futures.Future[T]:
        """Any thread: run ``coro`` on the media loop; a future for its result."""
        assert self._loop is not None, "media thread not started"
        return asyncio.run_coroutine_threadsafe(coro, self._loop)

    def stop(self, timeout: float = 5.0) -> None:
        """Any thread but the media thread: stop the loop and join."""
        if self._loop is None or self._thread is None:
            return
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout)
        self._thread = None
        self._loop = None
        self._ready.clear()


@dataclass(frozen=True)
class MediaNotice:
    """Out of the media thread: a call's media changed state."""

    call_id: str
    state: MediaState


SourceFactory = Callable[[str], AudioSource]
SinkFactory = Callable[[str], AudioSink]


class MediaEngine:
    """Call media for the GUI side. Methods are awaited on the caller's loop;
    the work happens on the media thread."""

    def __init__(
        self,
        thread: MediaThread,
        ice_servers: list[str] | None = None,
        source_factory: SourceFactory | None = None,
        sink_factory: SinkFactory | None = None,
    ) -> None:
        self.thread = thread
        self.ice_servers = list(ice_servers or [])
        self.source_factory: SourceFactory = source_factory or (lambda _id: NullSource())
        self.sink_factory: SinkFactory = sink_factory or (lambda _id: NullSink())
        # Runs on the media thread; the receiver marshals to its own loop.
        self.notify: Callable[[MediaNotice], None] = lambda _notice: None
        self._sessions: dict[str, MediaSession] = {}  # touched on the media thread only
        # How recordings are written (None: Opus in Ogg; tests give slow writers).
        self.recording_writer: WriterFactory | None = None
        # Recordings of closed sessions until ``finish_recording`` collects them.
        self._finished: dict[str, concurrent.futures.Future[RecordingResult]] = {}
        # A supervisor's listening leg per leg id: (call id, leg session, mix).
        self._legs: dict[str, tuple[str, MediaSession, SupervisorMix]] = {}
        # Widget calls in a three-way conference: customer call id -> (leg id, mix).
        self._conferences: dict[str, tuple[str, Conference]] = {}

    async def _run(self, coro: Coroutine[Any, Any, T]) -> T:
        return await asyncio.wrap_future(self.thread.submit(coro))

    def _session(self, call_id: str, create: bool = False) -> MediaSession:
        session = self._sessions.get(call_id)
        if session is None:
            if not create:
                raise KeyError(call_id)
            from core.call.media_session import MediaSession

            source = self.source_factory(call_id)
            sink = self.sink_factory(call_id)
            source.start()
            sink.start()
            session = MediaSession(
                source,
                sink,
                self.ice_servers,
                on_state=lambda state: self.notify(MediaNotice(call_id, state)),
            )
            self._sessions[call_id] = session
        return session

    def session_on_thread(self, call_id: str) -> MediaSession:
        """Media thread: the session of ``call_id``, made now if needed (the SIP line
        has its calls' sessions made here, so they are the engine's like any other)."""
        return self._session(call_id, create=True)

    def prepare(self) -> None:
        """Load the WebRTC stack (aiortc, PyAV, codecs) on the media thread, ahead of
        a call: it costs tens of megabytes, so a desktop loads it when a call first
        rings or is placed, not at start (agents who never take calls never pay it).
        """

        def work() -> None:
            import core.call.media_session  # noqa: F401

        self.thread.call_soon(work)

    def session(self, call_id: str) -> MediaSession | None:
        """For measurements on the media thread (benches, tests)."""
        return self._sessions.get(call_id)

    async def create_offer(self, call_id: str) -> str:
        async def work() -> str:
            return await self._session(call_id, create=True).create_offer()

        return await self._run(work())

    async def accept_offer(self, call_id: str, sdp: str) -> str:
        async def work() -> str:
            return await self._session(call_id, create=True).accept_offer(sdp)

        return await self._run(work())

    async def accept_answer(self, call_id: str, sdp: str) -> None:
        async def work() -> None:
            await self._session(call_id).accept_answer(sdp)

        await self._run(work())

    async def hold(self, call_id: str) -> str:
        async def work() -> str:
            return await self._session(call_id).hold()

        return await self._run(work())

    async def resume(self, call_id: str) -> str:
        async def work() -> str:
            return await self._session(call_id).resume()

        return await self._run(work())

    def set_muted(self, call_id: str, muted: bool) -> None:
        def work() -> None:
            session = self._sessions.get(call_id)
            if session is not None:
                session.set_muted(muted)

        self.thread.call_soon(work)

    async def stats(self, call_id: str) -> StatsSample:
        async def work() -> StatsSample:
            return await self._session(call_id).stats()

        return await self._run(work())

    async def codec(self, call_id: str) -> str | None:
        async def work() -> str | None:
            session = self._sessions.get(call_id)
            return session.codec if session else None

        return await self._run(work())

    # ---- recording (recorder.py) ---------------------------------------------------

    async def start_recording(self, call_id: str, path: Path, announce: bool = False) -> None:
        """Record the call into ``path`` (continuing it after a stop); with
        ``announce`` the customer hears the announcement first."""

        async def work() -> None:
            from core.call.recorder import CallRecorder

            session = self._session(call_id)
            if session.recorder is None:
                session.recorder = CallRecorder(path, self.recording_writer)
            session.recorder.start(announce)

        await self._run(work())

    def stop_recording(self, call_id: str) -> None:
        def work() -> None:
            session = self._sessions.get(call_id)
            if session is not None and session.recorder is not None:
                session.recorder.stop()

        self.thread.call_soon(work)

    def recorder(self, call_id: str) -> CallRecorder | None:
        """For measurements (tests): the call's recorder, if it has one."""
        session = self._sessions.get(call_id)
        return session.recorder if session is not None else None

    async def finish_recording(self, call_id: str) -> RecordingResult | None:
        """End the call's recording; the finished file once the encoder closed it
        (None when the call was never recorded)."""

        async def work() -> concurrent.futures.Future[RecordingResult] | None:
            session = self._sessions.get(call_id)
            if session is None or session.recorder is None:
                return self._finished.pop(call_id, None)
            return session.recorder.finish()

        future = await self._run(work())
        if future is None:
            return None
        result: RecordingResult = await asyncio.wrap_future(future)
        return result

    # ---- a supervisor listening (on the agent's engine; supervisor_mix) -------------

    async def open_listen_leg(self, call_id: str, leg_id: str, sdp: str,
                              mode: ListenMode) -> str:
        """Answer a supervisor's offer with a second peer connection that carries
        both sides of ``call_id``; the supervisor's voice is mixed per ``mode``."""

        async def work() -> str:
            from core.call.media_session import MediaSession
            from core.call.media_state import MediaError
            from core.call.supervisor_mix import (
                LegSink,
                LegSource,
                MixedMicrophone,
                MixedSpeaker,
                SupervisorMix,
            )

            call = self._sessions.get(call_id)
            if call is None:
                raise MediaError(f"no call {call_id} on this engine")
            if leg_id in self._legs or any(c == call_id for c, _l, _m in self._legs.values()):
                raise MediaError(f"call {call_id} already has a listening leg")
            mixer = SupervisorMix(call.sink, mode)
            leg = MediaSession(LegSource(mixer), LegSink(mixer), self.ice_servers,
                               on_state=lambda state: self.notify(MediaNotice(leg_id, state)))
            try:
                answer = await leg.accept_offer(sdp)
            except Exception:
                await leg.close()
                raise
            call.source = MixedMicrophone(call.source, mixer)
            call.sink = MixedSpeaker(call.sink, mixer)
            call.outgoing = mixer.to_customer
            self._legs[leg_id] = (call_id, leg, mixer)
            return answer

        return await self._run(work())

    def set_listen_mode(self, leg_id: str, mode: ListenMode) -> None:
        def work() -> None:
            found = self._legs.get(leg_id)
            if found is not None:
                found[2].set_mode(mode)

        self.thread.call_soon(work)

    def listen_mix(self, leg_id: str) -> SupervisorMix | None:
        """For measurements on the media thread (tests)."""
        found = self._legs.get(leg_id)
        return found[2] if found else None

    async def close_listen_leg(self, leg_id: str) -> None:
        async def work() -> None:
            await self._drop_leg(leg_id)

        await self._run(work())

    async def _drop_leg(self, leg_id: str) -> None:
        """Media thread: close the leg and give the call its own devices back."""
        from core.call.supervisor_mix import MixedMicrophone, MixedSpeaker

        found = self._legs.pop(leg_id, None)
        if found is None:
            return
        call_id, leg, _mixer = found
        await leg.close()
        call = self._sessions.get(call_id)
        if call is not None:
            call.outgoing = None
            if isinstance(call.source, MixedMicrophone):
                call.source = call.source.inner
            if isinstance(call.sink, MixedSpeaker):
                call.sink = call.sink.inner

    # ---- a widget call's conference with a consult leg (conference_mix) -----------

    async def start_conference(self, call_id: str, leg_id: str) -> None:
        """Mix the customer's call ``call_id`` with the consult leg ``leg_id`` (both
        sessions of this engine): the three hear each other."""

        async def work() -> None:
            from core.call.conference_mix import Conference
            from core.call.media_state import MediaError

            call = self._sessions.get(call_id)
            leg = self._sessions.get(leg_id)
            if call is None or leg is None:
                raise MediaError(f"no call {call_id} or no leg {leg_id} on this engine")
            if call_id not in self._conferences:
                self._conferences[call_id] = (leg_id, Conference(call, leg))

        await self._run(work())

    async def end_conference(self, call_id: str) -> None:
        """Each session gets its own devices back."""

        async def work() -> None:
            self._end_conference(call_id)

        await self._run(work())

    def conference_mix(self, call_id: str) -> Conference | None:
        """For measurements on the media thread (tests)."""
        found = self._conferences.get(call_id)
        return found[1] if found else None

    def _end_conference(self, call_id: str) -> None:
        """Media thread: end the conference ``call_id`` is in (either side of it)."""
        for customer_id, (leg_id, conference) in list(self._conferences.items()):
            if call_id in (customer_id, leg_id):
                del self._conferences[customer_id]
                conference.end()

    async def _drop_legs_of(self, call_id: str) -> None:
        for leg_id in [k for k, (c, _l, _m) in self._legs.items() if c == call_id]:
            await self._drop_leg(leg_id)

    async def close(self, call_id: str) -> None:
        async def work() -> None:
            await self._drop_legs_of(call_id)
            self._end_conference(call_id)
            session = self._sessions.pop(call_id, None)
            if session is not None:
                if session.recorder is not None:
                    self._finished[call_id] = session.recorder.finish()
                await session.close()
                session.source.stop()
                session.sink.stop()

        await self._run(work())

    async def close_all(self) -> None:
        async def work() -> None:
            for leg_id in list(self._legs):
                await self._drop_leg(leg_id)
            for call_id in list(self._conferences):
                self._end_conference(call_id)
            for call_id in list(self._sessions):
                session = self._sessions.pop(call_id)
                if session.recorder is not None:
                    self._finished[call_id] = session.recorder.finish()
                await session.close()
                session.source.stop()
                session.sink.stop()

        await self._run(work())
