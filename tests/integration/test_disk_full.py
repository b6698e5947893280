"""Finding 14: the hub's database on a real disk that fills up (a small tmpfs the
test mounts), then has room again; and on a read-only disk at start.

While writes fail: commands get an ``unavailable`` error frame (the socket stays),
HTTP answers are JSON, ``/healthz`` says unhealthy. Once space is back: healthy,
and the same agent's next reply goes through. A read-only database at start is
one clear line and exit status 2, no traceback."""

from __future__ import annotations

import errno
import json
import os
import subprocess
import sys
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import websockets

from core.protocol import agent as ap
from hub.demo.simulator import SimCustomer
from hub.process import PACKAGE_ROOT, HubProcess
from testbed.agent_probe import AgentProbe, eventually

pytestmark = pytest.mark.skipif(os.geteuid() != 0, reason="mounting a tmpfs needs root")


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    mount = tmp_path / "disk"
    mount.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=24m", "tmpfs", str(mount)],
                          capture_output=True, text=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.strip()}")
    yield mount
    subprocess.run(["umount", "-l", str(mount)], check=False)


def _fill(disk: Path) -> Path:
    filler = disk / "filler"
    with open(filler, "wb") as f:
        try:
            while True:
                f.write(b"\0" * 65536)
                f.flush()
        except OSError as exc:
            assert exc.errno == errno.ENOSPC
    return filler


def _http(url: str, body: dict[str, str] | None = None) -> tuple[int, str, Any]:
    request = urllib.request.Request(
        url, data=json.dumps(body).encode() if body else None,
        headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=15) as response:
            return response.status, response.headers["content-type"], json.loads(response.read())
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers["content-type"], json.loads(exc.read())


async def test_a_full_disk_is_reported_and_survived(small_disk: Path, tmp_path: Path) -> None:
    hub = HubProcess(db_path=small_disk / "hub.sqlite3", workdir=tmp_path / "hub")
    hub.start()
    try:
        lina = await AgentProbe.logged_in(hub.url, "lina")
        customer = SimCustomer(hub.customer_ws_url, name="Disk")
        await customer.connect()
        await customer.send("before the disk fills")
        assigned = await lina.wait_body(ap.ConversationAssigned)
        conversation = assigned.conversation.id

        filler = _fill(small_disk)
        refused = None
        for _ in range(400):
            answer = await lina.reply(conversation, "x" * 4000)
            if isinstance(answer, ap.Error):
                refused = answer
                break
        assert refused is not None, "the full disk never refused a write"
        assert refused.code == "unavailable"
        assert lina.close_code is None  # the socket stays

        status, kind, body = _http(hub.url + "/healthz")
        assert (status, body["status"]) == (503, "unhealthy") and kind == "application/json"
        assert "full" in body["storage"]
        status, kind, body = _http(hub.url + "/api/login",
                                   {"username": "alex", "password": "zuoxi-demo"})
        assert kind == "application/json"
        assert status == 200 or (status, body["error"]["code"]) == (503, "unavailable")
        # A new visitor gets an answer, never a silently dropped socket.
        async with websockets.connect(hub.customer_ws_url) as ws:
            await ws.send(json.dumps({"type": "hello", "v": 1}))
            first = json.loads(await ws.recv())
            if first["type"] == "error":
                assert first["code"] == "unavailable"
                with pytest.raises(websockets.ConnectionClosed):
                    await ws.recv()
                assert ws.close_code == 1013
            else:
                assert first["type"] == "welcome"

        filler.unlink()
        await eventually(lambda: _http(hub.url + "/healthz")[0] == 200, timeout=30, interval=0.5)
        again = await lina.reply(conversation, "after the disk has room " + uuid.uuid4().hex)
        assert isinstance(again, ap.Ack)
        await customer.wait_message(lambda m: m.text.startswith("after the disk has room"))
        assert "Traceback" not in hub.log_text()
        await customer.disconnect()
        await lina.close()
    finally:
        hub.stop()


def test_a_read_only_database_at_start_is_one_clear_line(small_disk: Path,
                                                           tmp_path: Path) -> None:
    hub = HubProcess(db_path=small_disk / "hub.sqlite3", workdir=tmp_path / "hub")
    hub.start()
    hub.stop()
    subprocess.run(["mount", "-o", "remount,ro", str(small_disk)], check=True)
    done = subprocess.run(
        [sys.executable, "-m", "hub", "serve", "--db", str(small_disk / "hub.sqlite3"),
         "--port", "0"], cwd=PACKAGE_ROOT, capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    assert "cannot use the database" in done.stderr
    assert "Traceback" not in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1
