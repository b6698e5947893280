"""`zuoxi-hub transcribe`: a call's recording to text, from the command line.

    zuoxi-hub transcribe --file call.ogg [--json]             print, store nothing
    zuoxi-hub transcribe --db DB CALL_ID --file call.ogg      transcribe and store
    zuoxi-hub transcribe --db DB CALL_ID                      again, from the stored path

Stored transcripts reach the call's agents (``call_transcribed``) when they next
sync. Exit status: 0 done, 1 the recording could not be transcribed (the reason
is printed and, with --db, stored on the call), 2 bad arguments.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from hub.calls.transcripts.audio import RecordingError
from hub.calls.transcripts.engine import Segment, Transcriber, TranscriptResult
from hub.calls.transcripts.model_files import ModelUnavailable
from hub.calls.transcripts.service import TranscriptionService
from hub.calls.transcripts.transcript_store import TranscriptStatus, TranscriptStore
from hub.store.base import StoreError


def add_parser(sub: Any) -> None:
    p = sub.add_parser("transcribe", help="transcribe a call's two-channel recording")
    p.add_argument("call_id", nargs="?", metavar="CALL_ID",
                   help="the call (with --db): stores the transcript on it")
    p.add_argument("--db", help="SQLite file or postgresql:// URL")
    p.add_argument("--file", metavar="PATH",
                   help="the recording (channel 1 customer, channel 2 agent)")
    p.add_argument("--json", action="store_true", help="print JSON instead of lines")


def _clock(ms: int) -> str:
    minutes, rest = divmod(ms, 60_000)
    return f"{minutes:02d}:{rest / 1000:04.1f}"


def _print(segments: list[Segment] | tuple[Segment, ...], result: TranscriptResult | None,
           as_json: bool) -> None:
    if as_json:
        out: dict[str, Any] = {"segments": [
            {"speaker": s.speaker.value, "start_ms": s.start_ms, "end_ms": s.end_ms,
             "text": s.text, "language": s.language} for s in segments]}
        if result is not None:
            out.update(audio_s=round(result.audio_s, 2), speech_s=round(result.speech_s, 2),
                       cpu_s=round(result.cpu_s, 2), model=result.model)
        print(json.dumps(out, ensure_ascii=False, indent=1))
        return
    for s in segments:
        print(f"[{_clock(s.start_ms)}-{_clock(s.end_ms)}] {s.speaker.value} ({s.language}): "
              f"{s.text}")
    if result is not None:
        print(f"# {result.audio_s:.1f} s of audio, {result.speech_s:.1f} s of speech, "
              f"{result.cpu_s:.1f} s CPU ({result.model})", file=sys.stderr)


def run(args: argparse.Namespace) -> int:
    transcriber = Transcriber()
    try:
        if args.call_id is None:
            if args.file is None:
                print("zuoxi-hub transcribe: give --file PATH, or --db DB and a CALL_ID",
                      file=sys.stderr)
                return 2
            result = transcriber.transcribe_file(args.file)
            _print(result.segments, result, args.json)
            return 0
        if args.db is None:
            print("zuoxi-hub transcribe: a CALL_ID needs --db", file=sys.stderr)
            return 2
        return _stored(args, transcriber)
    except RecordingError as exc:
        print(f"zuoxi-hub transcribe: {exc}", file=sys.stderr)
        return 1
    except ModelUnavailable as exc:
        print(f"zuoxi-hub transcribe: the speech model is not usable: {exc}", file=sys.stderr)
        return 1


def _stored(args: argparse.Namespace, transcriber: Transcriber) -> int:
    from hub.store.base import create_engine
    from hub.store.schema import migrate
    from hub.store.store import Store

    engine = create_engine(args.db)
    migrate(engine)
    jobs = TranscriptStore(Store(engine))
    path = args.file
    if path is None:
        job = jobs.job(args.call_id)
        if job is None:
            print(f"zuoxi-hub transcribe: call {args.call_id} has no recording on file; "
                  "give --file PATH", file=sys.stderr)
            return 2
        path = job.recording
    try:
        jobs.submit(args.call_id, path)
    except StoreError as exc:
        print(f"zuoxi-hub transcribe: {exc.message}", file=sys.stderr)
        return 2
    service = TranscriptionService(jobs, transcriber)
    finished: list[TranscriptResult] = []
    service.results.append(finished.append)
    service.run_pending(args.call_id)
    job = jobs.job(args.call_id)
    if job is None or job.status is not TranscriptStatus.DONE:
        reason = f"{job.error_code}: {job.error}" if job else "not stored"
        print(f"zuoxi-hub transcribe: call {args.call_id} not transcribed ({reason})",
              file=sys.stderr)
        return 1
    result = finished[-1] if finished else None
    _print(result.segments if result else (), result, args.json)
    return 0
