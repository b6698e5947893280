"""Desktop benchmarks: cold start, idle memory, customer message → agent's screen.

Each run is a real desktop process against the running hub, as a returning agent
who did not sign out (its token in the keyring, see bench/keyring_backend.py) with
an empty cache. On a machine without a display an Xvfb server is started so the
window is really drawn.
"""

from __future__ import annotations

import asyncio
import compileall
import contextlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from bench.hub_latency import login
from bench.stats import summary
from hub.demo.seed import DEMO_PASSWORD
from hub.demo.simulator import SimCustomer
from hub.process import PACKAGE_ROOT, HubProcess

AGENT = "alex"
PRODUCT_PACKAGES = ("core", "ui", "desktop", "hub")


def compile_bytecode() -> None:
    """Compile the product's modules to bytecode first, as an installation does (pip
    compiles at install, the frozen app ships bytecode, a user's first start writes
    it): a returning agent's start loads bytecode. Without this, a checkout run with
    PYTHONDONTWRITEBYTECODE=1 (or with stale bytecode) compiled every changed module
    from source at every start, a quarter of the start-up time in a profile, and more
    or less of it from run to run. Only missing or stale files are written."""
    for package in PRODUCT_PACKAGES:
        compileall.compile_dir(PACKAGE_ROOT / package, quiet=1)


@contextlib.contextmanager
def display() -> Iterator[dict[str, str]]:
    """Environment for a drawn window: the current display, or a private Xvfb."""
    if os.environ.get("DISPLAY") or not shutil.which("Xvfb"):
        platform = "xcb" if os.environ.get("DISPLAY") else "offscreen"
        yield {"QT_QPA_PLATFORM": platform}
        return
    read_fd, write_fd = os.pipe()
    xvfb = subprocess.Popen(
        ["Xvfb", "-displayfd", str(write_fd), "-screen", "0", "1280x800x24", "-nolisten", "tcp"],
        pass_fds=(write_fd,), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    os.close(write_fd)
    with os.fdopen(read_fd) as pipe:
        number = pipe.readline().strip()
    try:
        yield {"DISPLAY": f":{number}", "QT_QPA_PLATFORM": "xcb"}
    finally:
        xvfb.terminate()
        xvfb.wait(10)


class DesktopRun:
    """One desktop process signed in to ``hub`` as a returning agent."""

    def __init__(self, hub: HubProcess, token: str, env: dict[str, str], workdir: Path,
                 username: str = AGENT) -> None:
        self.data_dir = workdir / f"desktop-{uuid.uuid4().hex[:8]}"
        self.data_dir.mkdir()
        # What a sign-in leaves behind: the hub, the agent, and the note that the
        # agent's token is in the keyring (desktop/settings.py, token_kept).
        (self.data_dir / "settings.ini").write_text(
            f"[hub]\nurl={hub.url}\nusername={username}\ntoken_kept={username} {hub.url}\n",
            encoding="utf-8",
        )
        self.report = self.data_dir / "startup.json"
        self.trace = self.data_dir / "trace.tsv"
        self.env = {
            **os.environ,
            **env,
            "PYTHON_KEYRING_BACKEND": "bench.keyring_backend.BenchKeyring",
            "ZUOXI_BENCH_TOKEN": token,
            "ZUOXI_TRACE": str(self.trace),
            "PYTHONPATH": str(PACKAGE_ROOT),
        }
        self.proc: subprocess.Popen[bytes] | None = None
        self.started_at = 0.0

    def start(self, exit_after_shown: float | None = None) -> None:
        args = [sys.executable, "-m", "desktop", "--data-dir", str(self.data_dir),
                "--report-startup", str(self.report), "--lang", "en"]
        if exit_after_shown is not None:
            args += ["--exit-after-shown", str(exit_after_shown)]
        self.started_at = time.monotonic()
        self.proc = subprocess.Popen(args, cwd=PACKAGE_ROOT, env=self.env,
                                     stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)

    def trace_lines(self) -> list[list[str]]:
        if not self.trace.exists():
            return []
        return [line.split("\t") for line in self.trace.read_text(encoding="utf-8").splitlines()]

    def online_at(self) -> float | None:
        for fields in self.trace_lines():
            if fields[0] == "online":
                return float(fields[-1])
        return None

    def wait(self, timeout: float = 60) -> dict[str, Any]:
        assert self.proc is not None
        _, err = self.proc.communicate(timeout=timeout)
        if self.proc.returncode != 0 or not self.report.exists():
            raise RuntimeError(f"desktop failed ({self.proc.returncode}): {err.decode()[-2000:]}")
        report: dict[str, Any] = json.loads(self.report.read_text())
        return report

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                self.proc.kill()


def _cold_starts(hub: HubProcess, token: str, env: dict[str, str], runs: int,
                 workdir: Path) -> dict[str, Any]:
    shown, since_start, online, rss_shown, rss_idle = [], [], [], [], []
    modules: list[int] = []
    for _ in range(runs):
        run = DesktopRun(hub, token, env, workdir)
        # Stay up 5 s after showing: the idle memory is read at exit.
        run.start(exit_after_shown=5.0)
        report = run.wait()
        shown.append(float(report["window_shown_ms"]))
        if report.get("modules_at_shown") is not None:
            modules.append(int(report["modules_at_shown"]))
        if report.get("since_process_start_ms") is not None:
            since_start.append(float(report["since_process_start_ms"]))
        online_at = run.online_at()
        if online_at is not None:
            online.append((online_at - run.started_at) * 1000)
        rss_shown.append(report["rss_kb_at_shown"] / 1024)
        rss_idle.append(report["rss_kb_at_exit"] / 1024)
    return {
        "desktop_cold_start_ms": summary(since_start or shown, "ms"),
        "desktop_window_shown_after_main_ms": summary(shown, "ms"),
        "desktop_online_after_spawn_ms": summary(online, "ms") if online else None,
        "desktop_rss_at_shown_mb": summary(rss_shown, "MB"),
        "desktop_idle_rss_mb": summary(rss_idle, "MB"),
        # Python modules loaded when the window was shown: what start-up imports,
        # independent of the machine's load
        "desktop_modules_at_shown": max(modules) if modules else None,
        "bytecode": "compiled before the runs (bench.desktop_bench.compile_bytecode)",
    }


async def _chat_to_screen(run: DesktopRun, hub: HubProcess, messages: int) -> list[float]:
    customer = SimCustomer(hub.customer_ws_url, name="Bench Customer")
    await customer.connect()
    await customer.send("warm-up: opens the conversation")
    await asyncio.sleep(1.0)
    sent_at: dict[str, float] = {}
    for i in range(messages):
        text = f"bench {i} {uuid.uuid4().hex[:8]}"
        sent_at[text] = time.monotonic()
        await customer.send(text)
        await asyncio.sleep(0.15)  # under the hub's per-customer rate limit
    deadline = time.monotonic() + 15
    seen: dict[str, float] = {}
    while time.monotonic() < deadline and len(seen) < messages:
        for fields in run.trace_lines():
            if fields[0] == "message" and fields[1] in sent_at:
                seen.setdefault(fields[1], float(fields[-1]))
        await asyncio.sleep(0.1)
    await customer.disconnect()
    if len(seen) < messages:
        raise RuntimeError(f"only {len(seen)} of {messages} messages reached the screen")
    return [(seen[t] - sent_at[t]) * 1000 for t in seen]


def run_desktop_benchmarks(hub: HubProcess, runs: int, messages: int) -> dict[str, Any]:
    compile_bytecode()
    token = login(hub.url, AGENT, DEMO_PASSWORD)
    with tempfile.TemporaryDirectory(prefix="zuoxi-desktop-bench-") as tmp, display() as env:
        workdir = Path(tmp)
        results = _cold_starts(hub, token, env, runs, workdir)
        run = DesktopRun(hub, token, env, workdir)
        run.start()
        try:
            deadline = time.monotonic() + 30
            while run.online_at() is None:
                if time.monotonic() > deadline or (run.proc and run.proc.poll() is not None):
                    raise RuntimeError("the desktop did not come online")
                time.sleep(0.05)
            samples = asyncio.run(_chat_to_screen(run, hub, messages))
        finally:
            run.stop()
        results["chat_to_screen_ms"] = summary(samples, "ms")
        # stamped when the chat view finished the paint that drew the bubble
        results["clock_stops"] = "painted"
        results["display"] = env.get("QT_QPA_PLATFORM", "")
        results["runs"] = runs
    return results
