"""HTTP endpoints of the email channel: attachments, raw mail, uploads.

Bytes never travel in websocket frames. Every request carries the agent's bearer
token; only the agent a conversation is assigned to may read its attachments and
raw mail (anyone else gets 404, the same as for an id that does not exist), and
uploads are the uploader's until a ``send_email`` uses them.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from urllib.parse import quote

import msgspec
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from core.protocol import email as ep
from hub.email.channel import EmailChannel

Bearer = Callable[[Request], "tuple[str, str] | Response"]
_FILENAME_BAD = re.compile(r"[\x00-\x1f\x7f/\\]")
# Uploads no mail has used yet, per agent (finding 16): a compose window's worth.
UPLOAD_QUOTA_FILES = 50
UPLOAD_QUOTA_BYTES = 4 * ep.MAX_UPLOAD_BYTES


def _error(status: int, code: str, message: str) -> JSONResponse:
    return JSONResponse({"error": {"code": code, "message": message}}, status_code=status)


def _not_found() -> JSONResponse:
    return _error(404, "not_found", "no such item in your conversations")


class EmailHttp:
    def __init__(self, channel: EmailChannel, bearer: Bearer) -> None:
        self.channel = channel
        self.bearer = bearer

    def routes(self) -> list[Route]:
        return [
            Route("/api/email/attachments/{id}", self.attachment, methods=["GET"]),
            Route("/api/email/raw/{message_id}", self.raw, methods=["GET"]),
            Route("/api/email/uploads", self.upload, methods=["POST"]),
        ]

    def _agent(self, request: Request) -> str | Response:
        found = self.bearer(request)
        return found if isinstance(found, Response) else found[1]

    def _owns_message(self, agent_id: str, message_id: str | None) -> bool:
        if message_id is None:
            return False
        conversation_id = self.channel.emails.conversation_of_message(message_id)
        return conversation_id is not None and \
            self.channel.emails.agent_of(conversation_id) == agent_id

    async def attachment(self, request: Request) -> Response:
        agent_id = self._agent(request)
        if isinstance(agent_id, Response):
            return agent_id
        row = self.channel.emails.attachment_row(request.path_params["id"])
        if row is None:
            return _not_found()
        mine = (row.message_id is None and row.uploaded_by == agent_id) or \
            self._owns_message(agent_id, row.message_id)
        if not mine:
            return _not_found()
        return Response(
            bytes(row.data),
            media_type=row.content_type or "application/octet-stream",
            headers={
                # Always a download, never rendered by whatever opens the URL.
                "Content-Disposition": f"attachment; filename*=UTF-8''{quote(row.filename)}",
                "X-Content-Type-Options": "nosniff",
                "Cache-Control": "private, no-store",
            },
        )

    async def raw(self, request: Request) -> Response:
        agent_id = self._agent(request)
        if isinstance(agent_id, Response):
            return agent_id
        message_id = request.path_params["message_id"]
        if not self._owns_message(agent_id, message_id):
            return _not_found()
        data = self.channel.emails.raw_of_message(message_id)
        if data is None:
            return _not_found()
        return Response(
            bytes(data),
            media_type="message/rfc822",
            headers={
                "Content-Disposition": f'attachment; filename="{message_id}.eml"',
                "X-Content-Type-Options": "nosniff",
                "Cache-Control": "private, no-store",
            },
        )

    async def upload(self, request: Request) -> Response:
        agent_id = self._agent(request)
        if isinstance(agent_id, Response):
            return agent_id
        filename = request.query_params.get("filename", "").strip()
        if not filename or len(filename) > 255 or _FILENAME_BAD.search(filename):
            return _error(400, "invalid", "give ?filename= (no slashes or control characters)")
        content_type = request.headers.get("content-type", "application/octet-stream")
        content_type = content_type.split(";", 1)[0].strip().lower()
        if not re.fullmatch(r"[a-z0-9.+-]+/[a-z0-9.+-]+", content_type):
            content_type = "application/octet-stream"
        declared = request.headers.get("content-length")
        if declared is not None and declared.isdigit() and int(declared) > ep.MAX_UPLOAD_BYTES:
            return _error(413, "too_large", "uploads are limited to 25 MiB")
        chunks: list[bytes] = []
        size = 0
        async for chunk in request.stream():
            size += len(chunk)
            if size > ep.MAX_UPLOAD_BYTES:
                return _error(413, "too_large", "uploads are limited to 25 MiB")
            chunks.append(chunk)
        data = b"".join(chunks)
        upload_id = self.channel.emails.put_upload(
            agent_id, filename, content_type, data, (UPLOAD_QUOTA_FILES, UPLOAD_QUOTA_BYTES))
        if upload_id is None:
            return _error(429, "upload_quota", f"at most {UPLOAD_QUOTA_FILES} unsent uploads "
                          f"of {UPLOAD_QUOTA_BYTES // (1024 * 1024)} MiB in all per agent; "
                          "send or wait for older ones to expire")
        body = msgspec.json.encode(
            ep.Upload(id=upload_id, filename=filename, content_type=content_type, size=size))
        return Response(body, status_code=201, media_type="application/json")
