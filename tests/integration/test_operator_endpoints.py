"""The operator's view of a running hub process: /metrics following a conversation
through routing, /readyz following the database and the LISTEN connection, and
JSON log lines with secrets still blanked."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.engine import make_url

from core.protocol import agent as ap
from hub.demo.simulator import SimCustomer
from testbed.agent_probe import AgentProbe, eventually
from tests.conftest import HubProcess
from tests.support.databases import DatabaseMaker, PostgresDatabases
from tests.support.metrics_text import scrape, value


def _get(url: str) -> tuple[int, Any]:
    try:
        with urllib.request.urlopen(url, timeout=10) as resp:
            return resp.status, json.loads(resp.read())
    except urllib.error.HTTPError as err:
        return err.code, json.loads(err.read())


@pytest.mark.postgresql
async def test_metrics_follow_a_conversation_through_routing(
    make_hub: Callable[..., HubProcess]
) -> None:
    hub = make_hub("--process-name", "hub-m")
    customer = SimCustomer(hub.customer_ws_url, name="Counted")
    await customer.connect()
    await customer.send("is anyone there?")
    text = scrape(hub.url)  # nobody is online: the conversation waits in its queue
    assert value(text, "zuoxi_queue_depth", process="hub-m", queue="chat") == 1
    assert value(text, "zuoxi_connections", side="customer") == 1
    assert "zuoxi_offer_latency_seconds_count" not in text

    lina = await AgentProbe.logged_in(hub.url)
    await lina.wait_body(ap.ConversationAssigned)
    text = scrape(hub.url)
    assert value(text, "zuoxi_queue_depth", queue="chat") == 0
    assert value(text, "zuoxi_connections", side="agent") == 1
    assert value(text, "zuoxi_agents_connected") == 1
    assert value(text, "zuoxi_offers_total", channel="chat") == 1
    assert value(text, "zuoxi_offer_latency_seconds_count", channel="chat") == 1
    # It waited at least from the customer's line to lina's sign-in.
    assert value(text, "zuoxi_offer_latency_seconds_sum", channel="chat") > 0
    assert value(text, "zuoxi_agent_events_total") >= len(lina.events) > 0
    assert value(text, "zuoxi_db_pool_checked_out") >= 0
    await lina.close()
    await customer.disconnect()
    await eventually(lambda: value(scrape(hub.url), "zuoxi_connections", side="agent") == 0)


async def test_readyz_follows_the_database_and_the_listen_connection(
    postgres_dbs: DatabaseMaker, postgres_databases: PostgresDatabases,
    make_hub: Callable[..., HubProcess],
) -> None:
    db = postgres_dbs.new("ready")
    name = make_url(db).database
    hub = make_hub(name="ready", db=db)
    # Unready until the database watch's first check (within a second of the start).
    await eventually(lambda: _get(hub.url + "/readyz") == (200, {"status": "ready"}),
                     timeout=10)
    cluster = postgres_databases.ensure_started()
    # The database stops taking connections and drops those it had (the hub's pool
    # and its LISTEN connection): as a network cut or a database restart would.
    cluster.execute(f"ALTER DATABASE {name} ALLOW_CONNECTIONS false")
    cluster.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    f"WHERE datname = '{name}' AND pid <> pg_backend_pid()")
    # The database's part comes from the hub's database watch (checked every second).
    status, body = await eventually(
        lambda: (got := _get(hub.url + "/readyz"))[0] == 503
        and {"bus", "database"} <= set(got[1]["problems"]) and got, timeout=10)
    assert (status, body["status"]) == (503, "unready")
    assert "not currently accepting connections" in body["problems"]["database"]
    assert "LISTEN" in body["problems"]["bus"]
    assert _get(hub.url + "/healthz")[0] == 503  # it cannot write either

    cluster.execute(f"ALTER DATABASE {name} ALLOW_CONNECTIONS true")
    await eventually(lambda: _get(hub.url + "/readyz") == (200, {"status": "ready"}),
                     timeout=10)


async def test_json_log_lines_name_the_process_and_keep_secrets_out(
    make_hub: Callable[..., HubProcess], tmp_path: Path
) -> None:
    token = "metrics-token-0123456789abcdef"
    token_file = tmp_path / "metrics-token"
    token_file.write_text(token + "\n")
    hub = make_hub("--log-format", "json", "--log-level", "info", "--process-name", "hub-j",
                   "--metrics-token-file", str(token_file))
    secret = "desktop-token-fedcba9876543210"
    for path in (f"/api/digest?token={secret}", f"/readyz?echo={token}"):
        _get(hub.url + path)

    def logged() -> list[dict[str, Any]]:
        lines = hub.log_path.read_text().splitlines()
        return [json.loads(line) for line in lines if line.startswith("{")]

    lines = await eventually(lambda: (found := logged()) and any(
        "/readyz" in str(line["message"]) for line in found) and found)
    text = hub.log_path.read_text()
    assert secret not in text and token not in text
    # Every line the hub logged is one JSON object (the rest are its start-up banner).
    banner = [line for line in text.splitlines() if not line.startswith("{")]
    assert all(line.startswith(("Zuoxi hub", "Customer web widget")) for line in banner), banner
    access = [line for line in lines if line["logger"] == "uvicorn.access"]
    assert {"time", "level", "logger", "message", "pid", "process"} <= set(access[0])
    assert {line["process"] for line in lines} == {"hub-j"}
    assert {line["pid"] for line in lines} == {hub.proc.pid if hub.proc else None}
    assert any("token=***" in str(line["message"]) for line in access)
    assert any("echo=***" in str(line["message"]) for line in access)
