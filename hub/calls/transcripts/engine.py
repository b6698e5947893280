"""Speech to text of a two-channel call: who said what, when, in which language.

Each channel is cut into utterances by Silero VAD (the ONNX model faster-whisper
ships; silence is never decoded), the channel's language is chosen among the
center's languages (Chinese, English) by Whisper's own language detection, and
each utterance is decoded in that language. Channel 1 is the customer, channel 2 the
agent, so attribution needs no diarisation.

Not thread-safe per instance beyond one call at a time: ``TranscriptionService``
runs it on its single worker thread.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from core.protocol.call import TranscriptSpeaker
from hub.calls.transcripts import audio as call_audio
from hub.calls.transcripts.model_files import MODEL_NAME, model_dir

if TYPE_CHECKING:
    from faster_whisper import WhisperModel

LANGUAGES = ("zh", "en")
# A nudge towards simplified characters and punctuation for Mandarin.
_PROMPTS = {"zh": "以下是普通话的句子。"}
_MAX_UTTERANCE_S = 28.0  # under Whisper's 30 s window
_JOIN_GAP_S = 0.6  # VAD regions closer than this are one utterance


@dataclass(frozen=True)
class Segment:
    speaker: TranscriptSpeaker
    start_ms: int
    end_ms: int
    text: str
    language: str


@dataclass(frozen=True)
class TranscriptResult:
    segments: tuple[Segment, ...]
    audio_s: float  # the recording's length
    speech_s: float  # what VAD kept, over both channels
    cpu_s: float  # process CPU time spent (all threads)
    model: str


@dataclass(frozen=True)
class EngineSettings:
    cpu_threads: int = 2
    beam_size: int = 1  # greedy: bench/transcripts_bench.py compares beam 5
    # Whisper's fallback re-decodes an utterance at higher temperatures (sampling)
    # when the text looks like a repetition loop or is improbable. On the test calls
    # it costs Chinese twice the CPU for slightly better text; without it beam search
    # fell into a loop (bench: CER 1.39). Kept, although results then vary a little
    # from run to run.
    temperatures: tuple[float, ...] = (0.0, 0.2, 0.4, 0.6, 0.8, 1.0)
    compute_type: str = "int8"
    vad_threshold: float = 0.5
    languages: Sequence[str] = LANGUAGES


class Transcriber:
    """Loads the model on first use (about a second) and keeps it."""

    def __init__(self, settings: EngineSettings | None = None,
                 cache_root: Path | None = None) -> None:
        self.settings = settings or EngineSettings()
        self._cache_root = cache_root
        self._model: WhisperModel | None = None
        self._lock = threading.Lock()

    def model(self) -> WhisperModel:
        with self._lock:
            if self._model is None:
                from faster_whisper import WhisperModel

                self._model = WhisperModel(
                    str(model_dir(self._cache_root)), device="cpu",
                    compute_type=self.settings.compute_type,
                    cpu_threads=self.settings.cpu_threads, local_files_only=True)
            return self._model

    def transcribe_file(self, path: str | Path) -> TranscriptResult:
        started = time.process_time()
        recording = call_audio.decode(path)
        segments, speech = self.transcribe_audio(recording)
        return TranscriptResult(tuple(segments), recording.duration_s, speech,
                                time.process_time() - started, MODEL_NAME)

    def transcribe_audio(self, recording: call_audio.CallAudio) -> tuple[list[Segment], float]:
        out: list[Segment] = []
        speech = 0.0
        for speaker, signal in ((TranscriptSpeaker.CUSTOMER, recording.customer),
                                (TranscriptSpeaker.AGENT, recording.agent)):
            spans = self.utterances(signal)
            if not spans:
                continue
            language = self.language_of(signal, spans)
            for start, end in spans:
                speech += (end - start) / call_audio.SAMPLE_RATE
                out.extend(self.decode_utterance(speaker, signal[start:end], start, language))
        out.sort(key=lambda s: (s.start_ms, s.speaker.value))
        return out, speech

    def utterances(self, signal: np.ndarray) -> list[tuple[int, int]]:
        """Speech regions (sample offsets), joined across short pauses."""
        from faster_whisper.vad import VadOptions, get_speech_timestamps

        if len(signal) < call_audio.SAMPLE_RATE // 10:
            return []
        regions = get_speech_timestamps(signal, VadOptions(
            threshold=self.settings.vad_threshold, min_silence_duration_ms=300,
            speech_pad_ms=200, max_speech_duration_s=_MAX_UTTERANCE_S))
        rate = call_audio.SAMPLE_RATE
        joined: list[tuple[int, int]] = []
        for region in regions:
            start, end = int(region["start"]), int(region["end"])
            if joined and start - joined[-1][1] < _JOIN_GAP_S * rate \
                    and end - joined[-1][0] < _MAX_UTTERANCE_S * rate:
                joined[-1] = (joined[-1][0], end)
            else:
                joined.append((start, end))
        return joined

    def language_of(self, signal: np.ndarray, spans: Sequence[tuple[int, int]]) -> str:
        """The channel's language: the most likely allowed one (Whisper's detector
        ranks about a hundred) over the first 30 s of its speech, silence cut out.
        One language per side of a call: a single utterance is too short to tell
        Chinese from English reliably (espeak's Mandarin was taken for English)."""
        allowed = list(self.settings.languages)
        if len(allowed) == 1:
            return allowed[0]
        speech = np.concatenate([signal[a:b] for a, b in spans])[: 30 * call_audio.SAMPLE_RATE]
        _lang, _p, ranked = self.model().detect_language(audio=speech)
        probs = dict(ranked)
        return max(allowed, key=lambda code: probs.get(code, 0.0))

    def decode_utterance(self, speaker: TranscriptSpeaker, chunk: np.ndarray, offset: int,
                         language: str) -> list[Segment]:
        """One utterance (``offset`` samples into its channel) in ``language``."""
        pieces, _info = self.model().transcribe(
            chunk, language=language, beam_size=self.settings.beam_size,
            vad_filter=False, condition_on_previous_text=False,
            initial_prompt=_PROMPTS.get(language), without_timestamps=False,
            temperature=list(self.settings.temperatures))
        rate = call_audio.SAMPLE_RATE
        base_ms = offset * 1000 // rate
        chunk_ms = len(chunk) * 1000 // rate
        out = []
        for piece in pieces:
            text = piece.text.strip()
            if not text:
                continue
            start = base_ms + min(int(piece.start * 1000), chunk_ms)
            end = base_ms + min(int(piece.end * 1000), chunk_ms)
            out.append(Segment(speaker, start, max(end, start), text, language))
        return out
