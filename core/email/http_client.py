"""The hub's email HTTP endpoints: attachment downloads, raw messages, uploads.

Attachments never travel in websocket frames (client frames are capped at 16 KiB).
urllib blocks, so every call runs in a worker thread and never stalls the GUI loop.
Failures are typed; the UI turns them into words. The token is sent, never logged.
"""

from __future__ import annotations

import asyncio
import json
import urllib.parse
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import msgspec

from core.protocol.email import MAX_UPLOAD_BYTES, Upload

if TYPE_CHECKING:
    import urllib.error

TIMEOUT_S = 60.0
_upload_decoder = msgspec.json.Decoder(Upload)


class EmailHttpError(Exception):
    """Base of the failures below; ``code`` is the hub's error code when it gave one."""

    def __init__(self, code: str, message: str = "") -> None:
        super().__init__(f"{code}: {message}" if message else code)
        self.code = code


class TooLarge(EmailHttpError):  # noqa: N818
    def __init__(self, message: str = "") -> None:
        super().__init__("too_large", message)


class Unreachable(EmailHttpError):  # noqa: N818
    def __init__(self, message: str = "") -> None:
        super().__init__("offline", message)


class FileUnreadable(EmailHttpError):  # noqa: N818
    def __init__(self, message: str = "") -> None:
        super().__init__("unreadable", message)


@dataclass(frozen=True)
class HubHttp:
    """Where to reach the hub, and as whom (thread: any; calls are async)."""

    hub_url: str
    token: str

    def _request(self, path: str, *, data: bytes | None = None,
                 content_type: str | None = None) -> bytes:
        # urllib's HTTP client loads with the first request, not with the desktop
        import urllib.error
        import urllib.request

        url = self.hub_url.rstrip("/") + path
        headers = {"Authorization": f"Bearer {self.token}"}
        if content_type:
            headers["Content-Type"] = content_type
        request = urllib.request.Request(url, data=data, headers=headers,
                                         method="POST" if data is not None else "GET")
        try:
            with urllib.request.urlopen(request, timeout=TIMEOUT_S) as response:
                body: bytes = response.read()
                return body
        except urllib.error.HTTPError as exc:
            code, message = _error_body(exc)
            if exc.code == 413:
                raise TooLarge(message) from None
            raise EmailHttpError(code, message) from None
        except (urllib.error.URLError, OSError) as exc:
            raise Unreachable(str(getattr(exc, "reason", exc))) from None

    async def attachment(self, attachment_id: str) -> bytes:
        quoted = urllib.parse.quote(attachment_id, safe="")
        return await asyncio.to_thread(self._request, f"/api/email/attachments/{quoted}")

    async def raw(self, message_id: str) -> bytes:
        quoted = urllib.parse.quote(message_id, safe="")
        return await asyncio.to_thread(self._request, f"/api/email/raw/{quoted}")

    async def upload(self, path: Path, filename: str, content_type: str) -> Upload:
        return await asyncio.to_thread(self._upload, path, filename, content_type)

    def _upload(self, path: Path, filename: str, content_type: str) -> Upload:
        try:
            size = path.stat().st_size
            if size > MAX_UPLOAD_BYTES:
                raise TooLarge(filename)
            data = path.read_bytes()
        except OSError as exc:
            raise FileUnreadable(str(exc)) from None
        query = urllib.parse.urlencode({"filename": filename})
        body = self._request(f"/api/email/uploads?{query}", data=data,
                             content_type=content_type or "application/octet-stream")
        try:
            return _upload_decoder.decode(body)
        except msgspec.DecodeError as exc:
            raise EmailHttpError("bad_answer", str(exc)) from None


def _error_body(exc: urllib.error.HTTPError) -> tuple[str, str]:
    try:
        body = json.loads(exc.read() or b"{}")
    except (ValueError, OSError):
        body = {}
    if not isinstance(body, dict):
        body = {}
    if isinstance(body.get("error"), dict):  # {"error": {"code", "message"}}
        body = body["error"]
    return str(body.get("code") or f"http_{exc.code}"), str(body.get("message") or "")
