"""Call transcripts: speed and accuracy of the hub's speech-to-text on generated calls.

The calls are testbed.speech_calls' three (Chinese, English, one side each), spoken
by espeak-ng and written as two-channel Ogg/Opus. For each: audio seconds per CPU
second of the whole transcription (decode, VAD, language, Whisper; process CPU time
over all threads), and WER (English) / CER (Chinese) per language against the
known words. ``near_live`` times what transcribing during the call would cost:
each utterance is decoded as soon as VAD closes it, so its latency is the time
from the utterance's end to its text, and the CPU per second of call is what one
live call would keep busy.
"""

from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.stats import summary
from core.protocol.call import TranscriptSpeaker
from hub.calls.transcripts import audio as call_audio
from hub.calls.transcripts.engine import EngineSettings, Transcriber
from testbed.speech_calls import CALLS, make_call, reference_text
from testbed.transcript_accuracy import chinese_chars, edit_distance, english_words


def _accuracy(results: dict[str, Any]) -> dict[str, float]:
    edits = {"zh": 0, "en": 0}
    units = {"zh": 0, "en": 0}
    for name, turns in CALLS.items():
        segments = results[name]
        for speaker in ("customer", "agent"):
            said = " ".join(s.text for s in segments if s.speaker.value == speaker)
            for lang in ("zh", "en"):
                ref = reference_text(turns, speaker, lang)
                if not ref:
                    continue
                split = chinese_chars if lang == "zh" else english_words
                edits[lang] += edit_distance(split(ref), split(said))
                units[lang] += len(split(ref))
    return {"cer_zh": round(edits["zh"] / units["zh"], 3),
            "wer_en": round(edits["en"] / units["en"], 3)}


def _batch(transcriber: Transcriber, files: dict[str, Path], runs: int) -> dict[str, Any]:
    speed: dict[str, list[float]] = {name: [] for name in files}
    last: dict[str, Any] = {}
    for _ in range(runs):
        for name, path in files.items():
            result = transcriber.transcribe_file(path)
            speed[name].append(result.audio_s / result.cpu_s)
            last[name] = result.segments
    return {
        "audio_s_per_cpu_s": {name: round(statistics.median(v), 2) for name, v in speed.items()},
        **_accuracy(last),
    }


def _near_live(transcriber: Transcriber, files: dict[str, Path]) -> dict[str, Any]:
    latencies: list[float] = []
    cpu_total = 0.0
    audio_total = 0.0
    for path in files.values():
        recording = call_audio.decode(path)
        audio_total += recording.duration_s
        for speaker, signal in ((TranscriptSpeaker.CUSTOMER, recording.customer),
                                (TranscriptSpeaker.AGENT, recording.agent)):
            spans = transcriber.utterances(signal)
            if not spans:
                continue
            cpu0 = time.process_time()
            language = transcriber.language_of(signal, spans[:1])  # from the first words
            cpu_total += time.process_time() - cpu0
            for start, end in spans:
                wall0, cpu0 = time.perf_counter(), time.process_time()
                transcriber.utterances(signal[max(0, start - 8000):end])  # VAD, as it streams
                transcriber.decode_utterance(speaker, signal[start:end], start, language)
                latencies.append(time.perf_counter() - wall0)
                cpu_total += time.process_time() - cpu0
    return {"utterance_latency_s": summary(latencies, "s"),
            "cpu_s_per_call_s": round(cpu_total / audio_total, 3)}


def run(runs: int = 3) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="zuoxi-bench-transcripts-") as tmp:
        files = {}
        for name, turns in CALLS.items():
            files[name] = Path(tmp) / f"{name}.ogg"
            make_call(files[name], turns)
        greedy = Transcriber(EngineSettings(beam_size=1))
        load0 = time.perf_counter()
        greedy.model()
        load_s = time.perf_counter() - load0
        out: dict[str, Any] = {
            "model": "whisper-base int8 (CTranslate2), Silero VAD",
            "model_load_s": round(load_s, 2),
            "audio_s": {name: round(call_audio.decode(p).duration_s, 1)
                        for name, p in files.items()},
            "greedy": _batch(greedy, files, runs),
            "beam5": _batch(Transcriber(EngineSettings(beam_size=5)), files, 1),
            "greedy_no_fallback": _batch(Transcriber(EngineSettings(temperatures=(0.0,))),
                                         files, 1),
            "beam5_no_fallback": _batch(Transcriber(EngineSettings(
                beam_size=5, temperatures=(0.0,))), files, 1),
            "near_live": _near_live(greedy, files),
            "runs": runs,
        }
    return out
