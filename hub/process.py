"""Run a hub as a child process: the desktop's embedded default, tests, benchmarks."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import IO

PACKAGE_ROOT = Path(__file__).resolve().parent.parent


class HubStartError(RuntimeError):
    """The hub process exited or did not get ready in time; ``log`` says why."""

    def __init__(self, message: str, log: str) -> None:
        super().__init__(f"{message}\n{log}" if log else message)
        self.log = log


class HubProcess:
    """A ``zuoxi-hub serve`` child bound to loopback, seeded with demo data.

    ``db_path`` is a SQLite file or a database URL such as ``postgresql://…``."""

    def __init__(
        self,
        db_path: Path | str,
        workdir: Path,
        extra_args: list[str] | None = None,
        seed_demo: bool = True,
    ) -> None:
        # A SQLite file, or a database URL (postgresql://…) kept as written.
        self.db_path: Path | str = (
            db_path if isinstance(db_path, str) and "://" in db_path else Path(db_path)
        )
        self.workdir = Path(workdir)
        self.extra_args = list(extra_args or [])
        self.seed_demo = seed_demo
        self.url = ""
        self.proc: subprocess.Popen[bytes] | None = None
        self._log: IO[bytes] | None = None

    @property
    def agent_ws_url(self) -> str:
        return "ws" + self.url[len("http") :] + "/agent"

    @property
    def customer_ws_url(self) -> str:
        return "ws" + self.url[len("http") :] + "/customer"

    @property
    def widget_url(self) -> str:
        return self.url + "/"

    @property
    def port(self) -> int:
        return int(self.url.rsplit(":", 1)[1])

    @property
    def log_path(self) -> Path:
        return self.workdir / "hub.log"

    def start(self, port: int = 0, timeout: float = 30) -> None:
        self.workdir.mkdir(parents=True, exist_ok=True)
        ready = self.workdir / "hub-ready.json"
        ready.unlink(missing_ok=True)
        if self._log is None:
            self._log = open(self.log_path, "ab")  # noqa: SIM115 - lives as long as the child
        args = [
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
            "--ready-file",
            str(ready),
        ]
        if self.seed_demo:
            args.append("--seed-demo")
        self.proc = subprocess.Popen(
            [*args, *self.extra_args],
            cwd=PACKAGE_ROOT,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + timeout
        while not ready.exists():
            if self.proc.poll() is not None:
                raise HubStartError(
                    f"the hub exited with code {self.proc.returncode}", self.log_text()
                )
            if time.monotonic() > deadline:
                self.kill()
                raise HubStartError(
                    f"the hub did not start within {timeout:.0f} s", self.log_text()
                )
            time.sleep(0.02)
        self.url = json.loads(ready.read_text())["url"]

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
        if self._log is not None:
            self._log.close()
            self._log = None

    def running(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def log_text(self) -> str:
        path = self.log_path
        return path.read_text(errors="replace")[-4000:] if path.exists() else ""
