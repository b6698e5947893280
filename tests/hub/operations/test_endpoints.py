"""Who may read /metrics, and what /readyz says, through the hub's own ASGI app."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from starlette.datastructures import Headers

from hub.app import Hub
from hub.config import HubConfig
from hub.operations.endpoints import operator_access
from tests.support.metrics_text import value

TOKEN = "a-metrics-token-of-some-length"
REMOTE = ("203.0.113.7", 50123)  # an address on the internet (documentation range)
LOCAL = ("127.0.0.1", 50124)


async def _get(hub: Hub, path: str, client: tuple[str, int],
               headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], str]:
    """One GET through the app as uvicorn would hand it over: status, headers, body."""
    scope = {
        "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "GET",
        "scheme": "http", "path": path, "raw_path": path.encode(), "query_string": b"",
        "root_path": "", "client": client, "server": ("127.0.0.1", 8765),
        "headers": [(k.lower().encode(), v.encode()) for k, v in (headers or {}).items()],
    }
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    await hub.app(scope, receive, send)
    start = next(m for m in sent if m["type"] == "http.response.start")
    body = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    return (start["status"], {k.decode(): v.decode() for k, v in start["headers"]},
            body.decode())


@pytest.fixture
def hub(tmp_path: Path) -> Hub:
    return Hub(HubConfig(db=tmp_path / "hub.sqlite3", process_name="hub-a",
                         metrics_token=TOKEN))


async def test_a_remote_request_without_the_token_is_refused(hub: Hub) -> None:
    status, _, body = await _get(hub, "/metrics", REMOTE)
    assert status == 403 and '"forbidden"' in body and "zuoxi_" not in body
    status, _, body = await _get(hub, "/metrics", REMOTE, {"Authorization": "Bearer wrong"})
    assert status == 401 and "zuoxi_" not in body


async def test_a_remote_scraper_with_the_token_gets_the_figures(hub: Hub) -> None:
    status, headers, body = await _get(hub, "/metrics", REMOTE,
                                       {"Authorization": f"Bearer {TOKEN}"})
    assert status == 200
    assert headers["content-type"].startswith("text/plain; version=0.0.4")
    assert value(body, "zuoxi_connections", process="hub-a", side="agent") == 0
    assert value(body, "zuoxi_queue_depth", process="hub-a", queue="chat") == 0
    assert value(body, "zuoxi_db_pool_size", process="hub-a") >= 1
    assert value(body, "zuoxi_hub_info", process="hub-a", database="sqlite") == 1


async def test_loopback_is_trusted_only_when_no_proxy_relayed_the_request(hub: Hub) -> None:
    status, _, body = await _get(hub, "/metrics", LOCAL)
    assert status == 200 and "zuoxi_agent_events_total" in body
    # nginx on the same machine relays internet requests from loopback.
    for header in ("X-Forwarded-For", "Forwarded", "X-Real-IP"):
        status, _, _ = await _get(hub, "/metrics", LOCAL, {header: "198.51.100.4"})
        assert status == 403, header


def test_access_rule_without_a_configured_token() -> None:
    bearer = Headers({"authorization": "Bearer anything"})
    assert operator_access("203.0.113.7", bearer, None) == 403
    assert operator_access("::1", Headers({}), None) == 200
    assert operator_access("localhost-ish", Headers({}), None) == 403
    assert operator_access(None, Headers({}), None) == 403


async def test_readyz_answers_anyone_and_says_ready(hub: Hub) -> None:
    status, _, body = await _get(hub, "/readyz", REMOTE)
    assert (status, body) == (200, '{"status":"ready"}')
