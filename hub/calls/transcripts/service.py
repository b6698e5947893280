"""Transcribing recorded calls off the hub's loop, one at a time.

``submit(call_id, path)`` is the entry point for the recorder: once a call's
recording is stored, the call is queued (a row in ``call_transcripts``, so the
queue survives a restart) and the worker is woken. The worker is one thread (the
number is configurable, one by default: a transcription keeps both of a small
hub's cores busy for a while); it takes the oldest pending call, marks it
running, transcribes, and stores the segments with the agents' events in one
transaction; the events go out on the loop afterwards. A recording that cannot be
read or a model that fails marks the call ``failed`` with the reason; the
recording itself is never touched.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

from core.protocol import agent as ap
from hub.calls.transcripts.audio import RecordingError
from hub.calls.transcripts.engine import Transcriber, TranscriptResult
from hub.calls.transcripts.model_files import ModelUnavailable
from hub.calls.transcripts.transcript_store import LeaseLostError, TranscriptJob, TranscriptStore
from hub.transport.fanout import FanOut

log = logging.getLogger(__name__)

# (agent id, event) pairs to send after the commit
Published = Callable[[list[tuple[str, ap.Event]]], None]


class TranscriptionService:
    def __init__(self, jobs: TranscriptStore, transcriber: Transcriber,
                 fanout: FanOut | None = None, workers: int = 1) -> None:
        self.jobs = jobs
        self.transcriber = transcriber
        self.fanout = fanout
        self.workers = max(1, workers)
        self._loop: asyncio.AbstractEventLoop | None = None
        self._wake = threading.Condition()
        self._stopping = False
        self._threads: list[threading.Thread] = []
        self._idle = 0
        # Called on the worker thread: each result, then each job's final state.
        self.results: list[Callable[[TranscriptResult], None]] = []
        self.job_did_finish: list[Callable[[TranscriptJob], None]] = []

    # ---- life ---------------------------------------------------------------------------

    def start(self, loop: asyncio.AbstractEventLoop | None = None) -> None:
        """Start the workers; ``loop`` is where events are published (the hub's)."""
        if self._threads:
            return
        self._loop = loop
        self._stopping = False
        self.jobs.requeue_interrupted()
        for n in range(self.workers):
            thread = threading.Thread(target=self._work, name=f"transcribe-{n}", daemon=True)
            self._threads.append(thread)
            thread.start()

    def stop(self, timeout_s: float = 30.0) -> None:
        """Stop after the running job; a job still running then is pending again at
        once (for another process, or this one's next start)."""
        with self._wake:
            self._stopping = True
            self._wake.notify_all()
        for thread in self._threads:
            thread.join(timeout_s)
        self._threads = []
        try:
            self.jobs.release()
        except Exception:  # the database is gone: the leases run out instead
            log.warning("transcription leases not released", exc_info=True)

    # ---- the recorder's entry point -----------------------------------------------------

    def submit(self, call_id: str, path: str | Path) -> TranscriptJob:
        """Queue the call's recording for transcription (thread-safe, returns at once).
        Raises ``StoreError("not_found")`` for an unknown call."""
        job = self.jobs.submit(call_id, str(path))
        with self._wake:
            self._wake.notify()
        return job

    def run_pending(self, call_id: str | None = None) -> int:
        """Work through the queue (or only ``call_id``) on this thread (the CLI,
        tests); returns the number of jobs run."""
        done = 0
        while (job := self.jobs.next_pending(call_id)) is not None:
            self._run(job)
            done += 1
        return done

    # ---- the worker ---------------------------------------------------------------------

    def _work(self) -> None:
        while True:
            with self._wake:
                if self._stopping:
                    return
            job = self.jobs.next_pending()
            if job is None:
                with self._wake:
                    if self._stopping:
                        return
                    self._wake.wait(timeout=30.0)  # also catches jobs of other processes
                continue
            self._run(job)

    def _run(self, job: TranscriptJob) -> None:
        with self._leased(job.call_id):
            self._transcribe(job)

    @contextlib.contextmanager
    def _leased(self, call_id: str) -> Iterator[None]:
        """Renew this process's lease on the job while it runs (a thread: the
        transcription holds this one for minutes)."""
        done = threading.Event()
        every_s = self.jobs.lease_ms / 3000

        def renew() -> None:
            while not done.wait(every_s):
                try:
                    if self.jobs.renew(call_id) == 0:
                        log.warning("call %s: lease on its transcription lost", call_id)
                        return
                except Exception:  # the database is briefly away: try again
                    log.warning("call %s: lease not renewed", call_id, exc_info=True)

        thread = threading.Thread(target=renew, name=f"lease-{call_id[:16]}", daemon=True)
        thread.start()
        try:
            yield
        finally:
            done.set()
            thread.join()

    def _transcribe(self, job: TranscriptJob) -> None:
        try:
            result = self.transcriber.transcribe_file(job.recording)
            events = self.jobs.finish(job.call_id, result)
        except LeaseLostError as exc:  # another process took it over: its result counts
            log.warning("transcription of call %s dropped: %s", job.call_id, exc)
            return
        except RecordingError as exc:
            self.jobs.fail(job.call_id, exc.code, str(exc))
            log.warning("call %s not transcribed: %s", job.call_id, exc)
        except ModelUnavailable as exc:
            self.jobs.fail(job.call_id, "model_unavailable", str(exc))
            log.error("call %s not transcribed: %s", job.call_id, exc)
        except Exception as exc:  # the worker outlives one bad job
            self.jobs.fail(job.call_id, "failed", f"{type(exc).__name__}: {exc}")
            log.exception("call %s not transcribed", job.call_id)
        else:
            for watcher in self.results:
                watcher(result)
            self._publish(events)
            log.info("call %s transcribed: %d segments, %.1f s audio in %.1f s CPU",
                     job.call_id, len(result.segments), result.audio_s, result.cpu_s)
        finished = self.jobs.job(job.call_id) or job
        for notify in self.job_did_finish:
            notify(finished)

    def _publish(self, events: list[tuple[str, ap.Event]]) -> None:
        fanout, loop = self.fanout, self._loop
        if fanout is None or not events:
            return

        def send() -> None:
            for agent_id, event in events:
                fanout.publish(agent_id, event)

        if loop is None:
            send()
        elif not loop.is_closed():
            loop.call_soon_threadsafe(send)
