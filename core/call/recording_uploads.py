"""Finished call recordings wait on disk until the hub has them.

The folder (``<cache>.recordings`` beside the agent's cache) is the outbox:
``<call id>.ogg`` is written during the call; when the call ends a
``<call id>.json`` beside it says it is complete. The uploader sends each complete
recording with ``PUT /api/calls/{call_id}/recording`` (the agent's bearer token;
docs/protocol.md, "Call recordings") and deletes both files only after the hub
answered 2xx. A hub that is down or a network error: tried again with backoff
(1 s doubling to 60 s), also after a restart (``resume`` finds what is left, and a
recording cut short by a crash, which has no ``.json``). A refusal the hub means
(400, 403, 404, 409, 413) moves the files to ``refused/`` with the reason: nothing
recorded is ever deleted unless the hub has it.

Runs on the GUI loop; file reads and HTTP go to worker threads.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from core.call.call_recording import RecordingControl
from core.call.call_state import Call
from core.protocol.recording import CONTENT_TYPE, SUFFIX
from core.session.hooks import Hook
from core.tasks import BackgroundTasks

if TYPE_CHECKING:
    from core.call.recorder import RecordingResult

log = logging.getLogger(__name__)

FIRST_RETRY_S = 1.0
MAX_RETRY_S = 60.0
TIMEOUT_S = 120.0
REFUSED = frozenset({400, 403, 404, 409, 413})


class UploadRefused(Exception):  # noqa: N818
    def __init__(self, status: int, reason: str) -> None:
        super().__init__(f"{status} {reason}")
        self.status = status
        self.reason = reason


class UploadFailed(Exception):  # noqa: N818
    """Worth trying again (the hub is down, a 5xx, a 401 before the token renews)."""


@dataclass(frozen=True)
class Hub:
    url: str
    token: str


def put_recording(hub: Hub, call_id: str, path: Path) -> None:
    """Blocking: send one recording; raises ``UploadRefused`` / ``UploadFailed``."""
    data = path.read_bytes()
    # urllib's HTTP client loads with the first upload, not with the desktop
    import urllib.error
    import urllib.parse
    import urllib.request

    quoted = urllib.parse.quote(call_id, safe="")
    request = urllib.request.Request(
        f"{hub.url.rstrip('/')}/api/calls/{quoted}/recording", data=data, method="PUT",
        headers={"Authorization": f"Bearer {hub.token}", "Content-Type": CONTENT_TYPE})
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_S) as response:
            response.read()
    except urllib.error.HTTPError as exc:
        body = exc.read()[:500].decode("utf-8", "replace")
        if exc.code in REFUSED:
            raise UploadRefused(exc.code, body) from None
        raise UploadFailed(f"{exc.code} {body}") from None
    except (urllib.error.URLError, OSError) as exc:
        raise UploadFailed(str(getattr(exc, "reason", exc))) from None


class RecordingUploads:
    """The outbox of recordings (GUI loop)."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self._hub: Hub | None = None  # memory only: the token is never written
        self._queue: list[str] = []
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._tasks = BackgroundTasks("recording-uploads", logger=log)
        self.retry_s = FIRST_RETRY_S
        self.recording_did_upload: Hook[[str]] = Hook("recording_did_upload")
        self.recording_was_refused: Hook[[str, int]] = Hook("recording_was_refused")

    def set_hub(self, hub_url: str, token: str) -> None:
        self._hub = Hub(hub_url, token)
        self._wake.set()

    @property
    def hub(self) -> Hub | None:
        """Where recordings go (and are played from), as whom; None before sign-in."""
        return self._hub

    def attach(self, control: RecordingControl) -> None:
        """Record calls into this outbox and upload each finished recording."""
        self.directory.mkdir(parents=True, exist_ok=True)
        control.directory = self.directory
        control.recording_did_finish.connect(self._finished)
        self.resume()

    def _finished(self, call: Call, result: RecordingResult) -> None:
        self.add(call.call_id, result)

    def add(self, call_id: str, result: RecordingResult) -> None:
        meta = {"call_id": call_id, "frames": result.frames, "dropped": result.dropped,
                "error": result.error}
        (self.directory / f"{call_id}.json").write_text(json.dumps(meta), encoding="utf-8")
        self._enqueue(call_id)

    def resume(self) -> None:
        """Queue what a previous run left (complete or cut short by a crash)."""
        for audio in sorted(self.directory.glob(f"*{SUFFIX}")):
            call_id = audio.name[: -len(SUFFIX)]
            meta = self.directory / f"{call_id}.json"
            if not meta.exists():
                meta.write_text(json.dumps({"call_id": call_id, "recovered": True}),
                                encoding="utf-8")
            self._enqueue(call_id)

    def pending(self) -> list[str]:
        return list(self._queue)

    def _enqueue(self, call_id: str) -> None:
        if call_id not in self._queue:
            self._queue.append(call_id)
        self._wake.set()
        if self._task is None or self._task.done():
            self._task = self._tasks.spawn(self._run())

    async def _run(self) -> None:
        while self._queue:
            hub = self._hub
            if hub is None:
                self._wake.clear()
                await self._wake.wait()
                continue
            call_id = self._queue[0]
            audio = self.directory / f"{call_id}{SUFFIX}"
            try:
                await asyncio.to_thread(put_recording, hub, call_id, audio)
            except UploadRefused as exc:
                log.warning("the hub refused the recording of call %s: %s", call_id, exc)
                self._move_refused(call_id, exc)
                self._queue.pop(0)
                self.recording_was_refused.emit(call_id, exc.status)
                continue
            except (UploadFailed, OSError) as exc:
                log.info("recording of call %s not uploaded yet: %s", call_id, exc)
                self._wake.clear()
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._wake.wait(), self.retry_s)
                self.retry_s = min(self.retry_s * 2, MAX_RETRY_S)
                continue
            self.retry_s = FIRST_RETRY_S
            self._queue.pop(0)
            audio.unlink(missing_ok=True)
            (self.directory / f"{call_id}.json").unlink(missing_ok=True)
            self.recording_did_upload.emit(call_id)

    def _move_refused(self, call_id: str, exc: UploadRefused) -> None:
        refused = self.directory / "refused"
        refused.mkdir(exist_ok=True)
        for name in (f"{call_id}{SUFFIX}", f"{call_id}.json"):
            source = self.directory / name
            if source.exists():
                source.replace(refused / name)
        (refused / f"{call_id}.reason").write_text(str(exc), encoding="utf-8")

    async def close(self) -> None:
        if self._task is not None:
            self._task.cancel()
