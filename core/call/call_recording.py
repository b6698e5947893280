"""Recording on the agent's desktop: what the queue's policy asks for, per call.

The hub sends the policy with the call (``call_ringing``, or ``call_accepted`` for
the agent's own calls). ``always``: recording starts when the call's media
connects, after the announcement when the policy requires one. ``on_demand``: the
call panel's Start/Stop (``start``/``stop``), and the hub hears of each so the
widget can say so. ``never``: nothing. When the call ends the finished file is
handed to ``recording_did_finish`` (the upload outbox listens).

Runs on the call manager's loop (the GUI thread); the audio work is the media
thread's (``MediaEngine.start_recording``, ``recorder.py``).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import msgspec

from core.call.call_state import Call, CallError, CallState
from core.protocol import call as cl
from core.protocol.recording import SUFFIX
from core.session.hooks import Hook

if TYPE_CHECKING:  # the media engine and the encoder (numpy) load with the calls
    from core.call.media_thread import MediaEngine
    from core.call.recorder import RecordingResult

log = logging.getLogger(__name__)


class RecordingControl:
    def __init__(self, media: MediaEngine, send: Callable[[msgspec.Struct], object],
                 op: Callable[[str], str]) -> None:
        self.media = media
        self._send = send
        self._op = op
        # Where recordings are made before upload (the outbox's folder); None: this
        # engine does not record (a policy asking for it is logged and ignored).
        self.directory: Path | None = None
        self.policies: dict[str, cl.RecordingPolicy] = {}
        self.recording: set[str] = set()  # call ids being recorded now
        self.recorded: set[str] = set()  # call ids with something recorded
        self.recording_did_change: Hook[[Call]] = Hook("recording_did_change")
        self.recording_did_finish: Hook[[Call, RecordingResult]] = Hook("recording_did_finish")

    def policy(self, call_id: str) -> cl.RecordingPolicy:
        return self.policies.get(call_id, cl.NO_RECORDING)

    def set_policy(self, call_id: str, policy: cl.RecordingPolicy) -> None:
        self.policies[call_id] = policy

    def can_toggle(self, call: Call) -> bool:
        """The panel's Start/Stop is offered: an on-demand queue's connected call."""
        return (self.directory is not None and call.live
                and self.policy(call.call_id).mode == cl.RecordingMode.ON_DEMAND
                and call.state in (CallState.ACTIVE, CallState.HELD))

    def is_recording(self, call_id: str) -> bool:
        return call_id in self.recording

    def _path(self, call_id: str) -> Path:
        assert self.directory is not None
        return self.directory / f"{call_id}{SUFFIX}"

    async def call_connected(self, call: Call) -> None:
        """The call's media connected for the first time."""
        policy = self.policy(call.call_id)
        if policy.mode != cl.RecordingMode.ALWAYS:
            return
        if self.directory is None:
            log.warning("call %s should be recorded, but this desktop has no recording "
                        "folder", call.call_id)
            return
        await self._start(call, policy.announce)

    async def _start(self, call: Call, announce: bool) -> None:
        await self.media.start_recording(call.call_id, self._path(call.call_id), announce)
        self.recording.add(call.call_id)
        self.recorded.add(call.call_id)
        self.recording_did_change.emit(call)

    async def start(self, call: Call) -> None:
        """On demand: start (or continue) recording; the hub is told."""
        if not self.can_toggle(call):
            raise CallError(f"call {call.call_id} cannot be recorded on demand")
        if call.call_id in self.recording:
            return
        # The announcement plays each time recording starts: the customer hears of it.
        await self._start(call, self.policy(call.call_id).announce)
        if call.sip_number is None:  # the hub tells the widget; a phone has no widget
            self._send(cl.SetCallRecording(op=self._op(call.call_id), call_id=call.call_id,
                                           recording=True))

    def stop(self, call: Call) -> None:
        """On demand: stop recording (what was recorded is kept)."""
        if call.call_id not in self.recording:
            return
        self.media.stop_recording(call.call_id)
        self.recording.discard(call.call_id)
        if call.sip_number is None:
            self._send(cl.SetCallRecording(op=self._op(call.call_id), call_id=call.call_id,
                                           recording=False))
        self.recording_did_change.emit(call)

    async def call_ended(self, call: Call) -> None:
        """After the media closed: the finished file goes to ``recording_did_finish``."""
        self.policies.pop(call.call_id, None)
        self.recording.discard(call.call_id)
        if call.call_id not in self.recorded:
            return
        self.recorded.discard(call.call_id)
        result = await self.media.finish_recording(call.call_id)
        if result is None or result.path is None:
            return
        if result.error:
            log.warning("recording of call %s ended early: %s", call.call_id, result.error)
        self.recording_did_finish.emit(call, result)
