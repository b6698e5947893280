"""``GET /readyz`` and ``GET /metrics``: the operator's endpoints.

``/readyz`` is for load balancers and orchestrators and answers anyone (it says
only whether, and which part is not ready). ``/metrics`` is for the operator's
Prometheus: the customer side of the hub faces the internet, so it answers only a
request made on this machine straight to the hub (a loopback peer with no
forwarding header: a request relayed by a proxy on the same machine carries one),
or one that brings the configured metrics token as ``Authorization: Bearer``.
"""

from __future__ import annotations

import asyncio
import hmac
import ipaddress

from starlette.datastructures import Headers
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from hub.operations.exposition import CONTENT_TYPE
from hub.operations.hub_metrics import HubMetrics
from hub.operations.readiness import Readiness

READY_TIMEOUT_S = 3.0
FORWARDING_HEADERS = ("x-forwarded-for", "forwarded", "x-real-ip")


def _loopback(host: str | None) -> bool:
    if host is None:
        return False
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def operator_access(client_host: str | None, headers: Headers, token: str | None) -> int:
    """200 when the request may read operator figures, else 401 (a wrong token) or
    403 (neither from this machine nor with the token)."""
    scheme, _, given = headers.get("authorization", "").partition(" ")
    if token and scheme.lower() == "bearer" and given.strip():
        return 200 if hmac.compare_digest(given.strip().encode(), token.encode()) else 401
    if _loopback(client_host) and not any(h in headers for h in FORWARDING_HEADERS):
        return 200
    return 403


class OperatorEndpoints:
    def __init__(self, readiness: Readiness, metrics: HubMetrics, token: str | None) -> None:
        self.readiness = readiness
        self.metrics = metrics
        self.token = token or None

    def routes(self) -> list[Route]:
        return [Route("/readyz", self.readyz, methods=["GET"]),
                Route("/metrics", self.metrics_text, methods=["GET"])]

    async def readyz(self, request: Request) -> Response:
        try:
            problems = await asyncio.wait_for(
                asyncio.to_thread(self.readiness.problems), READY_TIMEOUT_S)
        except TimeoutError:
            problems = {"database": f"the database did not answer within {READY_TIMEOUT_S:.0f} s"}
            if (bus := self.readiness.bus_problem()) is not None:
                problems["bus"] = bus
        if problems:
            return JSONResponse({"status": "unready", "problems": problems}, status_code=503)
        return JSONResponse({"status": "ready"})

    async def metrics_text(self, request: Request) -> Response:
        host = request.client.host if request.client else None
        status = operator_access(host, request.headers, self.token)
        if status == 401:
            return JSONResponse({"error": {"code": "unauthorized",
                                           "message": "wrong metrics token"}}, status_code=401)
        if status == 403:
            return JSONResponse({"error": {"code": "forbidden", "message": (
                "the metrics are for the operator: ask from the hub's machine, straight to "
                "the hub, or bring the metrics token")}}, status_code=403)
        return Response(self.metrics.text(), media_type=CONTENT_TYPE)
