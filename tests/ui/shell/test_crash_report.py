"""A desktop that dies leaves a crash report (Python's tracebacks from faulthandler,
Qt's and Python's last log lines) under the data directory; the next start writes
it, says where on the console, and shows it in the window.

The real desktop runs as its own process (``python -m desktop``, offscreen) against
a real hub and is killed with SIGABRT once its first window is up, as in the
side-by-side start that aborted.
"""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from desktop.app import DesktopApp, Options
from desktop.credentials import CredentialStore
from desktop.settings import Settings
from hub.process import HubProcess
from tests.ui.desktop_runner import sign_in

ROOT = Path(__file__).resolve().parents[3]


def desktop_process(hub_url: str, data_dir: Path, *extra: str) -> subprocess.Popen[str]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "QT_API": "pyside6",
           "PYTHONPATH": str(ROOT)}
    return subprocess.Popen(
        [sys.executable, "-m", "desktop", "--data-dir", str(data_dir), "--hub", hub_url,
         "--lang", "en", *extra],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def wait_shown(proc: subprocess.Popen[str]) -> None:
    assert proc.stdout is not None
    for line in proc.stdout:  # the first window (here: the sign-in dialog) is up
        if line.startswith("zuoxi: window shown after"):
            return
    raise AssertionError(f"the desktop ended before showing a window: {proc.wait()}")


def test_an_aborted_desktop_leaves_a_report_shown_at_the_next_start(
        qapp: Any, qtbot: Any, qloop: asyncio.AbstractEventLoop,
        make_hub: Callable[..., HubProcess], tmp_path: Path) -> None:
    hub = make_hub()
    data_dir = tmp_path / "data"
    first = desktop_process(hub.url, data_dir)
    try:
        wait_shown(first)
        first.send_signal(signal.SIGABRT)
        assert first.wait(timeout=20) == -signal.SIGABRT
    finally:
        if first.poll() is None:
            first.kill()
            first.wait()

    second = desktop_process(hub.url, data_dir, "--exit-after-shown", "0")
    _out, err = second.communicate(timeout=60)
    assert second.returncode == 0, err
    [report] = sorted((data_dir / "crash").glob("crash-*.txt"))
    assert f"crash report: {report}" in err  # said on the console
    text = report.read_text(encoding="utf-8")
    assert "Fatal Python error: Aborted" in text  # faulthandler's traceback
    assert "Current thread" in text or "Thread 0x" in text
    tail = text.split("log lines (Python and Qt) ==\n", 1)[1]
    assert tail.strip(), "the last log lines are in the report"
    # the clean second run left nothing to report
    assert not (data_dir / "crash" / "running").exists()

    # shown in the window at the start that found it
    app = DesktopApp(qapp, Options(hub_url=hub.url, data_dir=tmp_path / "again",
                                   language="en", crash_report=report),
                     Settings(tmp_path / "settings.ini"), CredentialStore())
    app.start()
    try:
        sign_in(qtbot, app)
        assert app.signed is not None
        bar = app.signed.window.notice_bar
        assert bar.isVisible() and str(report) in bar.label.text()
        assert "stopped unexpectedly" in bar.label.text()
    finally:
        finished: list[int] = []
        app.finished.connect(finished.append)
        app.quit()
        qtbot.waitUntil(lambda: bool(finished), timeout=15_000)
        if app.login is not None:
            app.login.deleteLater()
