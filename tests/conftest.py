"""Shared fixtures: a real hub process on a free loopback port."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@dataclass
class HubProcess:
    db_path: Path
    workdir: Path
    extra_args: list[str] = field(default_factory=list)
    url: str = ""
    proc: subprocess.Popen[bytes] | None = None

    @property
    def agent_ws_url(self) -> str:
        return "ws" + self.url[len("http") :] + "/agent"

    @property
    def customer_ws_url(self) -> str:
        return "ws" + self.url[len("http") :] + "/customer"

    def start(self, port: int = 0, timeout: float = 20) -> None:
        ready = self.workdir / "ready.json"
        ready.unlink(missing_ok=True)
        log = open(self.workdir / "hub.log", "ab")  # noqa: SIM115 - kept open for the child
        self.proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "hub",
                "serve",
                "--db",
                str(self.db_path),
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
                "--seed-demo",
                "--ready-file",
                str(ready),
                *self.extra_args,
            ],
            cwd=ROOT,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + timeout
        while not ready.exists():
            if self.proc.poll() is not None:
                raise RuntimeError(f"hub exited: {self.log_text()}")
            if time.monotonic() > deadline:
                self.kill()
                raise RuntimeError(f"hub did not start in {timeout} s: {self.log_text()}")
            time.sleep(0.05)
        self.url = json.loads(ready.read_text())["url"]

    @property
    def port(self) -> int:
        return int(self.url.rsplit(":", 1)[1])

    def restart(self) -> None:
        """Kill the hub hard and start it again on the same port and database."""
        port = self.port
        self.kill()
        self.start(port=port)

    def kill(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait(10)

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.kill()

    def log_text(self) -> str:
        path = self.workdir / "hub.log"
        return path.read_text(errors="replace")[-4000:] if path.exists() else ""


@pytest.fixture
def hub(tmp_path: Path) -> Iterator[HubProcess]:
    proc = HubProcess(db_path=tmp_path / "hub.sqlite3", workdir=tmp_path)
    proc.start()
    yield proc
    proc.stop()
    if os.environ.get("ZUOXI_SHOW_HUB_LOG"):
        print(proc.log_text())
