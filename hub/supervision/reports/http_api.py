"""HTTP endpoint of the weekly reports: a made report's HTML page or PDF, for the
supervisor workspace to download and open.

``GET /api/reports/weekly/{week}/{file}``: ``week`` is the Monday (YYYY-MM-DD),
``file`` ``report.html`` or ``report.pdf``. The agent's bearer token is required
(401 without); supervisors and admins only (403 ``forbidden`` for an agent); 404
for a week or file the hub has not made. Always sent as a download.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from sqlalchemy.engine import Engine
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from hub.access.permissions import Permission
from hub.access.role_store import permits
from hub.supervision.reports.weekly_runs import WeeklyRuns

Bearer = Callable[[Request], "tuple[str, str] | Response"]
_TYPES = {"report.html": "text/html; charset=utf-8", "report.pdf": "application/pdf"}
# The page is self-contained; should anything render it, it may load and run nothing.
_PAGE_POLICY = "default-src 'none'; img-src data:; style-src 'unsafe-inline'"


def _error(status: int, code: str, message: str) -> JSONResponse:
    return JSONResponse({"error": {"code": code, "message": message}}, status_code=status)


class ReportsHttp:
    def __init__(self, engine: Engine, weekly: WeeklyRuns, bearer: Bearer) -> None:
        self.engine = engine
        self.weekly = weekly
        self.bearer = bearer

    def routes(self) -> list[Route]:
        return [Route("/api/reports/weekly/{week}/{name}", self.weekly_file, methods=["GET"])]

    def _allowed(self, agent_id: str) -> bool:
        with self.engine.connect() as conn:
            return permits(conn, agent_id, Permission.EXPORTS)

    async def weekly_file(self, request: Request) -> Response:
        found = self.bearer(request)
        if isinstance(found, Response):
            return found
        if not await asyncio.to_thread(self._allowed, found[1]):
            return _error(403, "forbidden", "reports are for supervisors")
        name = request.path_params["name"]
        path = self.weekly.path(request.path_params["week"], name)
        if path is None:
            return _error(404, "not_found", "no such report")
        data = await asyncio.to_thread(path.read_bytes)
        headers = {
            "Content-Disposition": f'attachment; filename="{name}"',
            "X-Content-Type-Options": "nosniff",
            "Cache-Control": "private, no-store",
        }
        if name.endswith(".html"):
            headers["Content-Security-Policy"] = _PAGE_POLICY
        return Response(data, media_type=_TYPES[name], headers=headers)
