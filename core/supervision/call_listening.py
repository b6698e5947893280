"""A supervisor listening to an agent's call, on the supervisor's desktop.

The supervisor's engine makes an offer for a *leg* (its own peer connection, with
the supervisor's microphone and speaker); ``listen_call`` takes it to the hub,
which relays it to the agent's desktop; the answer comes back as
``call_listen_answered``. The agent's engine sends both sides of the call on the
leg and mixes the supervisor's voice per mode (core/call/supervisor_mix.py):
``listen`` (nobody hears the supervisor), ``coach`` (only the agent), ``barge``
(a three-way call). See docs/telephony.md, "Listening in".

Runs on the caller's loop (the GUI thread); media work is awaited from the
``MediaEngine``. No Qt here: the desktop turns the hook into a signal.
"""

from __future__ import annotations

import enum
import itertools
import logging
import uuid
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import msgspec

from core.call.media_state import MediaState
from core.protocol import agent as ap
from core.protocol import call as cl
from core.session.hooks import Hook
from core.tasks import BackgroundTasks

if TYPE_CHECKING:  # the media engine (aiortc, numpy) loads with the call machinery
    from core.call.media_thread import MediaEngine, MediaNotice

log = logging.getLogger(__name__)


class ListenState(enum.Enum):
    OFFERING = "offering"  # the offer went to the hub; no answer yet
    CONNECTING = "connecting"  # the agent's engine answered; media is connecting
    LISTENING = "listening"  # both sides of the call arrive
    ENDED = "ended"
    FAILED = "failed"


FINAL = {ListenState.ENDED, ListenState.FAILED}


class ListenError(Exception):
    """A listening action is not possible (unknown leg, leg over)."""


@dataclass
class ListenLeg:
    leg_id: str
    conversation_id: str
    mode: cl.ListenMode
    state: ListenState = ListenState.OFFERING
    call_id: str | None = None
    end_reason: cl.ListenEndReason | None = None
    refused: str | None = None  # the hub's error code when it said no

    @property
    def live(self) -> bool:
        return self.state not in FINAL


class CallListener:
    """Use from one asyncio loop (the GUI thread's)."""

    def __init__(self, send: Callable[[msgspec.Struct], object], media: MediaEngine) -> None:
        self._send = send
        self.media = media
        self.legs: dict[str, ListenLeg] = {}
        self._ops = (f"listen-{uuid.uuid4().hex[:8]}-{n}" for n in itertools.count())
        # op -> (leg id, the mode it asks for, or None for other commands)
        self._pending: dict[str, tuple[str, cl.ListenMode | None]] = {}
        self._tasks = BackgroundTasks("listening", logger=log)
        self.leg_did_change: Hook[[ListenLeg]] = Hook("leg_did_change")

    def _op(self, leg_id: str, mode: cl.ListenMode | None = None) -> str:
        op = next(self._ops)
        self._pending[op] = (leg_id, mode)
        return op

    def leg(self, leg_id: str) -> ListenLeg:
        found = self.legs.get(leg_id)
        if found is None or not found.live:
            raise ListenError(f"no live listening leg {leg_id}")
        return found

    def leg_of(self, conversation_id: str) -> ListenLeg | None:
        """The live leg on the call of ``conversation_id``, if listening."""
        return next((g for g in self.legs.values()
                     if g.conversation_id == conversation_id and g.live), None)

    # ---- actions ---------------------------------------------------------------------

    async def listen(self, conversation_id: str,
                     mode: cl.ListenMode = cl.ListenMode.COACH) -> str:
        """Listen to the connected call of ``conversation_id``; returns the leg id."""
        if self.leg_of(conversation_id) is not None:
            raise ListenError("already listening to that call")
        leg_id = f"leg-{uuid.uuid4().hex}"
        leg = ListenLeg(leg_id, conversation_id, mode)
        self.legs[leg_id] = leg
        self.leg_did_change.emit(leg)
        try:
            offer = await self.media.create_offer(leg_id)
        except Exception:
            log.exception("cannot make an offer to listen")
            await self._finish(leg, cl.ListenEndReason.FAILED)
            return leg_id
        self._send(cl.ListenToCall(op=self._op(leg_id, mode), conversation_id=conversation_id,
                                   leg_id=leg_id, sdp=offer, mode=mode))
        return leg_id

    def set_mode(self, leg_id: str, mode: cl.ListenMode) -> None:
        """Ask for another mode; the leg's mode changes when the hub agrees."""
        self.leg(leg_id)
        self._send(cl.SetListenMode(op=self._op(leg_id, mode), leg_id=leg_id, mode=mode))

    async def stop(self, leg_id: str) -> None:
        leg = self.legs.get(leg_id)
        if leg is None or not leg.live:
            return
        self._send(cl.StopListening(op=self._op(leg_id), leg_id=leg_id))
        await self._finish(leg, cl.ListenEndReason.STOPPED)

    async def close(self) -> None:
        for leg in list(self.legs.values()):
            await self.stop(leg.leg_id)

    # ---- from the hub and the media thread -------------------------------------------

    def handle_frame(self, frame: object) -> bool:
        """True when the frame was this listener's (consumed)."""
        if isinstance(frame, ap.Ack | ap.Error):
            if frame.op is None or frame.op not in self._pending:
                return False
            leg_id, mode = self._pending.pop(frame.op)
            leg = self.legs.get(leg_id)
            if leg is None or not leg.live:
                return True
            if isinstance(frame, ap.Error):
                log.warning("the hub refused listening leg %s: %s %s", leg_id, frame.code,
                            frame.message)
                if leg.state == ListenState.OFFERING:
                    leg.refused = frame.code
                    self._spawn(self._finish(leg, cl.ListenEndReason.FAILED))
            elif mode is not None and mode != leg.mode:
                leg.mode = mode
                self.leg_did_change.emit(leg)
            return True
        if isinstance(frame, cl.ListenAnswered | cl.ListenEnded):
            leg = self.legs.get(frame.leg_id)
            if leg is None:
                return False  # not a leg of this desktop (the agent side's, maybe)
            if leg.live and isinstance(frame, cl.ListenAnswered):
                self._spawn(self._answered(leg, frame))
            elif leg.live and isinstance(frame, cl.ListenEnded):
                self._spawn(self._finish(leg, frame.reason))
            return True
        return False

    def media_notice(self, notice: MediaNotice) -> bool:
        """A media notice of one of our legs (already on this loop)."""
        leg = self.legs.get(notice.call_id)
        if leg is None:
            return False
        if not leg.live:
            return True
        if notice.state == MediaState.CONNECTED:
            leg.state = ListenState.LISTENING
            self.leg_did_change.emit(leg)
        elif notice.state == MediaState.FAILED:
            self._send(cl.StopListening(op=self._op(leg.leg_id), leg_id=leg.leg_id))
            self._spawn(self._finish(leg, cl.ListenEndReason.FAILED))
        return True

    async def _answered(self, leg: ListenLeg, frame: cl.ListenAnswered) -> None:
        leg.call_id = frame.call_id
        try:
            await self.media.accept_answer(leg.leg_id, frame.sdp)
        except Exception:
            log.exception("cannot apply the answer of listening leg %s", leg.leg_id)
            self._send(cl.StopListening(op=self._op(leg.leg_id), leg_id=leg.leg_id))
            await self._finish(leg, cl.ListenEndReason.FAILED)
            return
        if leg.state == ListenState.OFFERING:
            leg.state = ListenState.CONNECTING
            self.leg_did_change.emit(leg)

    async def _finish(self, leg: ListenLeg, reason: cl.ListenEndReason) -> None:
        if not leg.live:
            return
        leg.end_reason = reason
        leg.state = ListenState.FAILED if reason == cl.ListenEndReason.FAILED \
            else ListenState.ENDED
        try:
            await self.media.close(leg.leg_id)
        except Exception:
            log.exception("cannot close listening leg %s", leg.leg_id)
        self.leg_did_change.emit(leg)

    def _spawn(self, coro: Coroutine[Any, Any, None]) -> None:
        self._tasks.spawn(coro)
