"""A call recording on disk: Opus in Ogg, 48 kHz, two channels (1 the customer,
2 the agent), written and read with PyAV (which aiortc already needs).

Opus because it is what WebRTC speaks and compresses a two-channel call to
about 9 KB per second at 48 kbit/s with Ogg framing (a 10-minute call is about
5.5 MB); FLAC of the same call would be about ten times that, WAV twenty. Ogg
because every player and ``ffprobe`` opens it, and a file cut short by a crash is
still readable up to its last complete page.

Writing is done on the recorder's encoder thread only, never on the media thread.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import numpy.typing as npt

from core.call.audio_frames import SAMPLE_RATE, SAMPLES_PER_FRAME, Samples
from core.protocol.recording import CONTENT_TYPE, SUFFIX, RecordingFileError

__all__ = ["CONTENT_TYPE", "SUFFIX", "OggOpusWriter", "RecordingFileError", "read_channels"]

CHANNELS = 2  # 1: the customer, 2: the agent
BIT_RATE = 48_000


class OggOpusWriter:
    """Stereo 20 ms frames in, an Ogg/Opus file out. One thread only."""

    def __init__(self, path: Path) -> None:
        import av  # the WebRTC stack's PyAV; loaded where recording happens

        self._av = av
        self.path = path
        self._container = av.open(str(path), "w", format="ogg")
        self._stream = self._container.add_stream("libopus", rate=SAMPLE_RATE,
                                                  layout="stereo")
        self._stream.bit_rate = BIT_RATE
        self._pts = 0
        self.frames = 0

    def write(self, customer: Samples, agent: Samples) -> None:
        both = np.empty(2 * SAMPLES_PER_FRAME, dtype=np.int16)
        both[0::2] = customer
        both[1::2] = agent
        frame = self._av.AudioFrame.from_ndarray(both.reshape(1, -1), format="s16",
                                                 layout="stereo")
        frame.sample_rate = SAMPLE_RATE
        frame.pts = self._pts
        self._pts += SAMPLES_PER_FRAME
        for packet in self._stream.encode(frame):
            self._container.mux(packet)
        self.frames += 1

    def close(self) -> None:
        try:
            for packet in self._stream.encode(None):
                self._container.mux(packet)
        finally:
            self._container.close()


def read_channels(path: Path) -> npt.NDArray[np.float32]:
    """The whole file decoded: shape (channels, samples), float32 in -1..1."""
    import av

    try:
        with av.open(str(path)) as container:
            stream = container.streams.audio[0]
            parts = [frame.to_ndarray() for frame in container.decode(stream)]
    except (av.FFmpegError, IndexError) as exc:
        raise RecordingFileError(f"cannot decode {path.name}: {exc}") from None
    if not parts:
        return np.zeros((CHANNELS, 0), dtype=np.float32)
    return np.concatenate(parts, axis=1).astype(np.float32)
