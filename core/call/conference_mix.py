"""A three-way conference mixed on the agent's media thread: the customer's session
and a consult session (a SIP consult call, or a widget call's consult leg to a
colleague's desktop), with the crossings of a supervisor barging in
(``supervisor_mix``).

The customer's session keeps the agent's microphone and speaker (wrapped); the
consult session reads ``LegSource`` and writes ``LegSink`` instead of its own
devices, which it gets back at ``end``. The customer hears agent + colleague, the
colleague hears agent + customer, the agent hears both. Media thread only.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from core.call.audio_frames import Samples, silence
from core.call.audio_io import AudioSink, AudioSource
from core.call.supervisor_mix import (
    LegSink,
    LegSource,
    MixedMicrophone,
    MixedSpeaker,
    SupervisorMix,
)
from core.protocol.call import ListenMode

if TYPE_CHECKING:
    from core.call.media_session import MediaSession

__all__ = ["Conference", "FollowsMute"]


class FollowsMute:
    """The agent's microphone in a conference: silent while the customer's session
    is muted, so the agent's mute holds towards the colleague too."""

    def __init__(self, inner: AudioSource, session: MediaSession) -> None:
        self.inner = inner
        self.session = session

    @property
    def latency_ms(self) -> float:
        return self.inner.latency_ms

    def start(self) -> None:
        self.inner.start()

    def read_frame(self) -> Samples:
        frame = self.inner.read_frame()
        return silence() if self.session.muted else frame

    def stop(self) -> None:
        self.inner.stop()


class Conference:
    """One three-way mix and the devices it borrowed."""

    def __init__(self, customer: MediaSession, consult: MediaSession) -> None:
        self.mix = SupervisorMix(customer.sink, ListenMode.BARGE)
        self.customer = customer
        self.consult = consult
        self.saved: tuple[AudioSource, AudioSink, AudioSource, AudioSink] = (
            customer.source, customer.sink, consult.source, consult.sink)
        customer.source = MixedMicrophone(FollowsMute(customer.source, customer), self.mix)
        customer.sink = MixedSpeaker(customer.sink, self.mix)
        customer.outgoing = self.mix.to_customer
        consult.source = LegSource(self.mix)
        consult.sink = LegSink(self.mix)

    def end(self) -> None:
        (self.customer.source, self.customer.sink,
         self.consult.source, self.consult.sink) = self.saved
        self.customer.outgoing = None
