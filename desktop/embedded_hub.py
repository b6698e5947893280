"""The local hub the desktop runs when no remote hub is configured.

It is a separate process (``python -m hub serve``) so a hub crash cannot take the
desktop down and the desktop's start-up does not pay for the hub's imports. It
listens on a free loopback port and reports its URL through a ready file.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

log = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parent.parent


def _die_with_parent() -> None:
    """In the child, before exec: get SIGTERM when the desktop dies, even by SIGKILL."""
    import ctypes
    import signal

    pr_set_pdeathsig = 1
    ctypes.CDLL("libc.so.6", use_errno=True).prctl(pr_set_pdeathsig, signal.SIGTERM)


class EmbeddedHubError(Exception):
    """The local hub did not start."""


DEMO_MAILBOX = "support@zuoxi.localhost"
# The demo's proactive outreach triggers (docs/outreach.md).
DEMO_OUTREACH = ROOT / "hub" / "outreach.toml"


@dataclass(frozen=True)
class HubAddress:
    url: str
    widget_url: str
    # The demo mailbox: where to send mail (the embedded SMTP receiver, "host:port"),
    # and the Maildir where the demo sink keeps the replies ("" when not running).
    smtp_receiver: str = ""
    demo_sink_dir: str = ""

    def banner(self) -> list[str]:
        """The start-up lines telling where customers reach the local hub."""
        lines = [f"zuoxi: customers chat at {self.widget_url}"]
        if self.smtp_receiver:
            lines.append(f"zuoxi: customers email {DEMO_MAILBOX} via SMTP {self.smtp_receiver}")
        if self.demo_sink_dir:
            lines.append(f"zuoxi: demo mailbox: replies are kept in {self.demo_sink_dir}, "
                         "not delivered")
        return lines


class EmbeddedHub:
    def __init__(self, data_dir: Path, *, python: str = sys.executable) -> None:
        self.db_path = data_dir / "hub.sqlite3"
        self.log_path = data_dir / "hub.log"
        # Replies of the demo are kept here by the hub's demo sink, never delivered.
        self.sent_mail_dir = data_dir / "demo-sent-mail"
        self._python = python
        self._proc: subprocess.Popen[bytes] | None = None
        self._ready_dir = tempfile.TemporaryDirectory(prefix="zuoxi-hub-")
        self.ready_file = Path(self._ready_dir.name) / "ready.json"
        self.address: HubAddress | None = None

    def start(self) -> None:
        """Spawn the hub; returns at once (see ``wait_ready``)."""
        self.db_path.parent.mkdir(parents=True, exist_ok=True)
        log_file = open(self.log_path, "ab")  # noqa: SIM115 - handed to the child
        env = dict(os.environ)
        env.pop("QT_QPA_PLATFORM", None)
        self._proc = subprocess.Popen(
            [self._python, "-m", "hub", "serve", "--db", str(self.db_path), "--host",
             "127.0.0.1", "--port", "0", "--seed-demo", "--ready-file", str(self.ready_file),
             # The demo mailbox: mail in on a loopback port, replies kept on disk.
             "--email-mailbox", DEMO_MAILBOX, "--smtp-receiver-port", "0",
             "--email-demo-sink", str(self.sent_mail_dir),
             "--outreach", str(DEMO_OUTREACH)],
            cwd=ROOT,
            stdin=subprocess.DEVNULL,
            stdout=log_file,
            stderr=subprocess.STDOUT,
            env=env,
            preexec_fn=_die_with_parent if sys.platform == "linux" else None,
        )
        log_file.close()

    async def wait_ready(self, timeout_s: float = 30) -> HubAddress:
        deadline = time.monotonic() + timeout_s
        while True:
            if self.ready_file.exists():
                try:
                    data = json.loads(self.ready_file.read_text())
                    url = str(data["url"])
                    email = data.get("email") or {}
                    self.address = HubAddress(
                        url, str(data.get("widget_url") or url + "/"),
                        smtp_receiver=str(email.get("smtp_receiver", "")),
                        demo_sink_dir=str(email.get("demo_sink_dir", "")))
                    return self.address
                except (ValueError, KeyError):
                    pass  # written but not complete yet
            if self._proc is None or self._proc.poll() is not None:
                raise EmbeddedHubError(f"the local hub exited; see {self.log_path}")
            if time.monotonic() > deadline:
                raise EmbeddedHubError(f"the local hub did not start in {timeout_s:.0f} s")
            await asyncio.sleep(0.05)

    def stop(self, timeout_s: float = 5) -> None:
        proc, self._proc = self._proc, None
        if proc is not None and proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(timeout_s)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout_s)
        with contextlib.suppress(OSError):
            self._ready_dir.cleanup()

    @property
    def running(self) -> bool:
        return self._proc is not None and self._proc.poll() is None
