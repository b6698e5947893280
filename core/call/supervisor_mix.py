"""Mixing for a supervisor listening to a call, on the agent's call engine.

The call's own media session keeps its microphone and speaker, each wrapped once
(``MixedMicrophone``, ``MixedSpeaker``) while a supervisor listens; a second media
session (the *leg*, to the supervisor's desktop) reads ``LegSource`` and writes
``LegSink``. Per 20 ms frame:

- to the supervisor: the customer's audio + the agent's microphone;
- to the agent's speaker: the customer's audio + the supervisor's voice (coach,
  barge);
- to the customer: the agent's microphone (silence while the agent is muted) +
  the supervisor's voice (barge only; the media session applies ``to_customer``
  after its mute). In ``listen`` and ``coach`` the supervisor's frames never
  enter this path.

Everything runs on the media thread (the wrappers are called by the sessions'
tracks); the mode is one reference written from the media thread too. The four
streams run on three clocks (the call's outgoing track, the call's decoder, the
leg's decoder), so each crossing is a small ``FrameQueue`` that drops old audio
rather than grow delay. A mix is two int16 frames added in int32 and clipped:
a few microseconds, never a wait.
"""

from __future__ import annotations

import numpy as np

from core.call.audio_frames import FrameQueue, Samples
from core.call.audio_io import AudioSink, AudioSource
from core.protocol.call import ListenMode

QUEUE_FRAMES = 4  # 80 ms at most between two clocks


def mix(a: Samples, b: Samples) -> Samples:
    """Two frames added with clipping to int16."""
    total = a.astype(np.int32)
    total += b
    np.clip(total, -32768, 32767, out=total)
    return total.astype(np.int16)


class SupervisorMix:
    """The crossings between a call and its listening leg. Media thread only."""

    def __init__(self, speaker: AudioSink, mode: ListenMode = ListenMode.COACH) -> None:
        self.speaker = speaker  # the agent's real speaker (for the stalled-call path)
        self.mode = mode
        self.customer_for_supervisor = FrameQueue(QUEUE_FRAMES)
        self.agent_for_supervisor = FrameQueue(QUEUE_FRAMES)
        self.supervisor_for_agent = FrameQueue(QUEUE_FRAMES)
        self.supervisor_for_customer = FrameQueue(QUEUE_FRAMES)
        self.direct_to_speaker = 0  # supervisor frames played while no call audio came

    def set_mode(self, mode: ListenMode) -> None:
        self.mode = mode
        if mode != ListenMode.BARGE:
            self.supervisor_for_customer.clear()
        if mode == ListenMode.LISTEN:
            self.supervisor_for_agent.clear()

    # ---- the call's session ------------------------------------------------------

    def microphone_frame(self, mic: Samples) -> Samples:
        """The agent's microphone frame: a copy for the supervisor, who hears the
        agent even while the customer does not (muted: the agent may ask the coach)."""
        self.agent_for_supervisor.put(mic)
        return mic

    def to_customer(self, outgoing: Samples) -> Samples:
        """The call's outgoing frame (after mute): what the customer gets."""
        if self.mode != ListenMode.BARGE:
            return outgoing
        return mix(outgoing, self.supervisor_for_customer.get())

    def customer_frame(self, heard: Samples) -> Samples:
        """A decoded customer frame: keep a copy for the supervisor; what the agent hears."""
        self.customer_for_supervisor.put(heard)
        if self.mode == ListenMode.LISTEN or len(self.supervisor_for_agent) == 0:
            return heard
        return mix(heard, self.supervisor_for_agent.get())

    # ---- the leg's session -------------------------------------------------------

    def for_supervisor(self) -> Samples:
        """The next frame to send to the supervisor: both sides of the call."""
        return mix(self.customer_for_supervisor.get(), self.agent_for_supervisor.get())

    def supervisor_frame(self, voice: Samples) -> None:
        """A decoded frame of the supervisor's voice."""
        if self.mode == ListenMode.LISTEN:
            return
        if self.mode == ListenMode.BARGE:
            self.supervisor_for_customer.put(voice)
        queue = self.supervisor_for_agent
        queue.put(voice)
        # No customer audio is coming (the call is on hold, or the customer's
        # packets stopped): the agent still hears the supervisor, straight away.
        if len(queue) >= queue.max_frames:
            self.direct_to_speaker += 1
            self.speaker.write_frame(queue.get())


class MixedMicrophone:
    """The call's microphone while a supervisor listens (an ``AudioSource``)."""

    def __init__(self, inner: AudioSource, mix_: SupervisorMix) -> None:
        self.inner = inner
        self.mix = mix_

    @property
    def latency_ms(self) -> float:
        return self.inner.latency_ms

    def start(self) -> None:
        self.inner.start()

    def read_frame(self) -> Samples:
        return self.mix.microphone_frame(self.inner.read_frame())

    def stop(self) -> None:
        self.inner.stop()


class MixedSpeaker:
    """The call's speaker while a supervisor listens (an ``AudioSink``)."""

    def __init__(self, inner: AudioSink, mix_: SupervisorMix) -> None:
        self.inner = inner
        self.mix = mix_

    @property
    def latency_ms(self) -> float:
        return self.inner.latency_ms

    def start(self) -> None:
        self.inner.start()

    def write_frame(self, samples: Samples) -> None:
        self.inner.write_frame(self.mix.customer_frame(samples))

    def stop(self) -> None:
        self.inner.stop()


class LegSource:
    """What the leg sends to the supervisor (an ``AudioSource``)."""

    latency_ms = 0.0

    def __init__(self, mix_: SupervisorMix) -> None:
        self.mix = mix_

    def start(self) -> None:
        pass

    def read_frame(self) -> Samples:
        return self.mix.for_supervisor()

    def stop(self) -> None:
        pass


class LegSink:
    """Where the supervisor's voice arrives (an ``AudioSink``)."""

    latency_ms = 0.0

    def __init__(self, mix_: SupervisorMix) -> None:
        self.mix = mix_

    def start(self) -> None:
        pass

    def write_frame(self, samples: Samples) -> None:
        self.mix.supervisor_frame(samples)

    def stop(self) -> None:
        pass
