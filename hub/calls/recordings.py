"""Call recordings on the hub: upload after the call, who may play them, the audit.

The agent's desktop records a call (two channels, Opus in Ogg; docs/telephony.md,
"Recording") and uploads it after the call with ``PUT /api/calls/{id}/recording``
and its bearer token. The hub stores the file under its recordings folder, one row
per agent leg in ``call_recordings``, and calls every ``on_recording_stored``
callback (transcription attaches there). A repeated upload of the same leg
replaces the file: the desktop retries until it has an answer.

Who may fetch a recording (``may_access``, the one rule):

- the agent who handled the call (their own calls, e.g. for a dispute);
- an admin;
- a supervisor of the handling agent's team, or a supervisor without a team
  (center-wide).

Everyone else gets 403; a request without a valid token 401. Every playback and
download is written to ``recording_access`` (who, which recording, when), and so
is every refused attempt. (A general hash-chained audit log is being built; until
then this table is the audit of recordings.)
"""

from __future__ import annotations

import asyncio
import logging
import os
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

import msgspec
import platformdirs
import sqlalchemy as sa
from sqlalchemy.engine import Engine
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, Response
from starlette.routing import Route

from core.protocol.call import RecordingMode, RecordingPolicy
from core.protocol.recording import (
    CONTENT_TYPE,
    RecordingFileError,
    RecordingInfo,
    ogg_opus_info,
)
from hub.store import schema as t
from hub.store.base import now_ms

log = logging.getLogger(__name__)

Bearer = Callable[[Request], "tuple[str, str] | Response"]
# (call id, the stored file, its channels): a recording is stored (transcripts hook here).
RecordingStored = Callable[[str, Path, int], None]
PolicyOf = Callable[[str | None], "tuple[RecordingPolicy, int]"]
MAX_RECORDING_BYTES = 256 * 1024 * 1024  # about 11 hours of two-channel Opus at 48 kbit/s
DAY_MS = 86_400_000
SUPERVISOR_ROLES = ("supervisor", "admin")


class AccessAction:
    PLAY = "play"
    DOWNLOAD = "download"
    REFUSED = "refused"


def default_recordings_dir(db: str | os.PathLike[str]) -> Path:
    """Beside a SQLite file; for a database server, in the user's data folder."""
    text = str(db)
    if "://" not in text:
        return Path(f"{text}.recordings")
    return Path(platformdirs.user_data_dir("zuoxi")) / "recordings"


def _error(status: int, code: str, message: str) -> JSONResponse:
    return JSONResponse({"error": {"code": code, "message": message}}, status_code=status)


@dataclass(frozen=True)
class Leg:
    conversation_id: str
    queue_id: str | None


class CallRecordingStore:
    """The rows (any thread; each method is one short transaction)."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def leg(self, call_id: str, agent_id: str) -> Leg | None:
        """The agent's finished leg of the call (its record is stored at the end)."""
        c, v = t.calls.c, t.conversations.c
        with self.engine.connect() as conn:
            row = conn.execute(
                sa.select(c.conversation_id, v.queue_id)
                .select_from(t.calls.join(t.conversations, v.id == c.conversation_id))
                .where(c.call_id == call_id, c.agent_id == agent_id)).first()
        return None if row is None else Leg(row[0], row[1])

    def sip_call_in_progress(self, call_id: str, agent_id: str) -> bool:
        """A telephone call of the agent's that the hub still has as in progress."""
        c = t.sip_calls.c
        with self.engine.connect() as conn:
            return conn.execute(sa.select(c.call_id).where(
                c.call_id == call_id, c.agent_id == agent_id)).first() is not None

    def save(self, call_id: str, agent_id: str, leg: Leg, path: str, channels: int,
             size: int, duration_s: float, delete_after: int | None) -> bool:
        """Store (or replace) the leg's row; True when it is new."""
        r = t.call_recordings.c
        values: dict[str, Any] = dict(
            conversation_id=leg.conversation_id, queue_id=leg.queue_id, path=path,
            content_type=CONTENT_TYPE, channels=channels, size=size, duration_s=duration_s,
            stored_at=now_ms(), delete_after=delete_after)
        with self.engine.begin() as conn:
            found = conn.execute(sa.select(r.call_id).where(
                r.call_id == call_id, r.agent_id == agent_id)).first()
            if found is None:
                conn.execute(t.call_recordings.insert().values(
                    call_id=call_id, agent_id=agent_id, **values))
                return True
            conn.execute(t.call_recordings.update().where(
                r.call_id == call_id, r.agent_id == agent_id).values(**values))
            return False

    def recordings_of_call(self, call_id: str) -> list[sa.Row[Any]]:
        r = t.call_recordings.c
        with self.engine.connect() as conn:
            return list(conn.execute(sa.select(t.call_recordings).where(r.call_id == call_id)
                                     .order_by(r.stored_at.desc())).all())

    def recordings_of_conversation(self, conversation_id: str) -> list[sa.Row[Any]]:
        r = t.call_recordings.c
        with self.engine.connect() as conn:
            return list(conn.execute(sa.select(t.call_recordings)
                                     .where(r.conversation_id == conversation_id)
                                     .order_by(r.stored_at)).all())

    def may_access(self, requester: str, handling_agent: str) -> bool:
        """The rule in the module docstring."""
        if requester == handling_agent:
            return True
        a = t.agents.c
        with self.engine.connect() as conn:
            me = conn.execute(sa.select(a.role, a.team).where(a.id == requester)).first()
            if me is None or me.role not in SUPERVISOR_ROLES:
                return False
            if me.role == "admin" or not me.team:
                return True
            theirs = conn.execute(sa.select(a.team).where(a.id == handling_agent)).scalar()
        return bool(theirs) and theirs == me.team

    def audit(self, call_id: str, recording_agent_id: str, by: str, action: str) -> None:
        with self.engine.begin() as conn:
            conn.execute(t.recording_access.insert().values(
                call_id=call_id, recording_agent_id=recording_agent_id, by_agent_id=by,
                action=action, at=now_ms()))

    def access_log(self, call_id: str) -> list[tuple[str, str]]:
        """(who, action) of every access to the call's recordings, oldest first."""
        x = t.recording_access.c
        with self.engine.connect() as conn:
            return [(row[0], row[1]) for row in conn.execute(
                sa.select(x.by_agent_id, x.action).where(x.call_id == call_id)
                .order_by(x.id)).all()]


class CallRecordings:
    """The HTTP side and the stored-recording hook (the hub's event loop)."""

    def __init__(self, engine: Engine, directory: Path, policy_of: PolicyOf,
                 bearer: Bearer | None = None) -> None:
        self.store = CallRecordingStore(engine)
        self.directory = directory
        self.policy_of = policy_of  # queue id -> (policy, retention days)
        self.bearer = bearer
        # Called after a recording is stored, in order; a failing one is logged.
        self.on_recording_stored: list[RecordingStored] = []

    def routes(self, bearer: Bearer) -> list[Route]:
        self.bearer = bearer
        return [
            Route("/api/calls/{call_id}/recording", self.upload, methods=["PUT"]),
            Route("/api/calls/{call_id}/recording", self.fetch, methods=["GET"]),
            Route("/api/recordings", self.listing, methods=["GET"]),
        ]

    def _agent(self, request: Request) -> str | Response:
        assert self.bearer is not None
        found = self.bearer(request)
        return found if isinstance(found, Response) else found[1]

    # ---- upload --------------------------------------------------------------------

    async def upload(self, request: Request) -> Response:
        agent_id = self._agent(request)
        if isinstance(agent_id, Response):
            return agent_id
        call_id = request.path_params["call_id"]
        leg = self.store.leg(call_id, agent_id)
        if leg is None and self.store.sip_call_in_progress(call_id, agent_id):
            # The desktop's end-of-call report (its outbox, another connection) is
            # still on its way: the upload is tried again, as for a hub that is down.
            response = _error(503, "not_ended", "the call's end has not been reported yet")
            response.headers["Retry-After"] = "1"
            return response
        if leg is None:
            return _error(404, "not_found", "no finished call of yours with that id")
        policy, days = self.policy_of(leg.queue_id)
        if policy.mode == RecordingMode.NEVER:
            return _error(409, "not_recorded", "this call's queue does not record calls")
        declared = request.headers.get("content-length")
        if declared is not None and declared.isdigit() and int(declared) > MAX_RECORDING_BYTES:
            return _error(413, "too_large", "a recording is limited to 256 MiB")
        self.directory.mkdir(parents=True, exist_ok=True)
        partial = self.directory / f".{uuid.uuid4().hex}.part"
        size = 0
        try:
            with partial.open("wb") as out:
                async for chunk in request.stream():
                    size += len(chunk)
                    if size > MAX_RECORDING_BYTES:
                        return _error(413, "too_large", "a recording is limited to 256 MiB")
                    out.write(chunk)
            try:
                info = await asyncio.to_thread(_info, partial)
            except RecordingFileError as exc:
                return _error(400, "invalid", f"not a call recording: {exc}")
            if info.channels != 2:
                return _error(400, "invalid", f"a recording has 2 channels, not {info.channels}")
            name = f"{_safe(call_id)}--{_safe(agent_id)}.ogg"
            await asyncio.to_thread(os.replace, partial, self.directory / name)
        finally:
            partial.unlink(missing_ok=True)
        delete_after = now_ms() + days * DAY_MS if days > 0 else None
        new = self.store.save(call_id, agent_id, leg, name, info.channels, size,
                              info.duration_s, delete_after)
        log.info("stored the recording of call %s (%d bytes, %.1f s)", call_id, size,
                 info.duration_s)
        for stored in list(self.on_recording_stored):
            try:
                stored(call_id, self.directory / name, info.channels)
            except Exception:
                log.exception("an on_recording_stored callback failed for %s", call_id)
        body = msgspec.json.encode(RecordingInfo(
            call_id=call_id, agent_id=agent_id, conversation_id=leg.conversation_id,
            channels=info.channels, duration_s=info.duration_s, size=size, stored_at=now_ms()))
        return Response(body, status_code=201 if new else 200, media_type="application/json")

    # ---- access --------------------------------------------------------------------

    async def fetch(self, request: Request) -> Response:
        """The file (``?agent=`` picks a leg; ``?download=1`` saves instead of plays)."""
        requester = self._agent(request)
        if isinstance(requester, Response):
            return requester
        call_id = request.path_params["call_id"]
        rows = self.store.recordings_of_call(call_id)
        leg_agent = request.query_params.get("agent")
        if leg_agent:
            rows = [r for r in rows if r.agent_id == leg_agent]
        if not rows:
            return _error(404, "not_found", "no recording of that call")
        row = rows[0]
        if not self.store.may_access(requester, row.agent_id):
            self.store.audit(call_id, row.agent_id, requester, AccessAction.REFUSED)
            return _error(403, "forbidden", "only the call's agent, their supervisors and "
                          "admins may fetch its recording")
        path = self.directory / row.path
        if not path.exists():
            log.error("the recording file of call %s is missing: %s", call_id, path)
            return _error(404, "not_found", "the recording file is missing")
        download = request.query_params.get("download") in ("1", "true")
        self.store.audit(call_id, row.agent_id, requester,
                         AccessAction.DOWNLOAD if download else AccessAction.PLAY)
        disposition = "attachment" if download else "inline"
        return FileResponse(path, media_type=row.content_type, headers={
            "Content-Disposition": f"{disposition}; filename*=UTF-8''{quote(row.path)}",
            "X-Content-Type-Options": "nosniff",
            "Cache-Control": "private, no-store",
        })

    async def listing(self, request: Request) -> Response:
        """``?conversation_id=``: the recordings of a conversation the requester may fetch."""
        requester = self._agent(request)
        if isinstance(requester, Response):
            return requester
        conversation_id = request.query_params.get("conversation_id", "")
        if not conversation_id:
            return _error(400, "invalid", "give ?conversation_id=")
        rows = [r for r in self.store.recordings_of_conversation(conversation_id)
                if self.store.may_access(requester, r.agent_id)]
        body = msgspec.json.encode([RecordingInfo(
            call_id=r.call_id, agent_id=r.agent_id, conversation_id=r.conversation_id,
            channels=r.channels, duration_s=r.duration_s, size=r.size, stored_at=r.stored_at)
            for r in rows])
        return Response(body, media_type="application/json")


def _info(path: Path) -> Any:
    with path.open("rb") as f:
        head = f.read(4096)
        f.seek(max(0, path.stat().st_size - 65536))
        tail = f.read()
    return ogg_opus_info(head, tail)


def _safe(text: str) -> str:
    return "".join(ch if ch.isalnum() or ch in "-_" else "_" for ch in text)[:100]
