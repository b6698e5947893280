"""The installable app: the PyInstaller one-folder build starts under Xvfb with its
local demo hub, maps its window, and quits cleanly (the hub process with it).

Marked ``frozen_build``: CI runs it (``./dev test`` as in .ci/run); it builds the
bundle with build/build_desktop.py when build/out/dist/zuoxi is missing or older than
the sources (minutes), so a quick local run can leave it out with
``-m "not frozen_build"``. The packaging metadata is validated as well.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from bench.startup_bench import descendants, screen

ROOT = Path(__file__).resolve().parents[2]
BUNDLE = ROOT / "build" / "out" / "dist" / "zuoxi"

pytestmark = pytest.mark.frozen_build


def _newest_source() -> float:
    return max(p.stat().st_mtime for d in ("core", "ui", "desktop", "hub", "packaging",
                                           "resources")
               for p in (ROOT / d).rglob("*") if p.is_file() and "__pycache__" not in p.parts)


def _bundle() -> Path:
    """The bundle, rebuilt when any source is newer (a stale one would test old code)."""
    executable = BUNDLE / "zuoxi"
    if not executable.exists() or executable.stat().st_mtime < _newest_source():
        subprocess.run([sys.executable, "build/build_desktop.py"], cwd=ROOT, check=True,
                       timeout=1800)
    return executable


@pytest.mark.timeout(1800)  # a fresh checkout builds the bundle first (minutes)
@pytest.mark.skipif(not all(shutil.which(p) for p in ("Xvfb", "xev", "xprop", "dbus-daemon")),
                    reason="needs Xvfb, x11-utils and dbus-daemon")
def test_the_frozen_desktop_shows_its_window_and_quits_cleanly(tmp_path: Path) -> None:
    executable = _bundle()
    report = tmp_path / "startup.json"
    home = tmp_path / "home"
    home.mkdir()
    with screen(tmp_path) as scr:
        env = {k: v for k, v in os.environ.items()
               if not k.startswith(("QT_", "PYTHON", "ZUOXI_", "DBUS_", "XDG_"))}
        env.update(scr.env)
        env["HOME"] = str(home)
        started = time.monotonic()
        proc = subprocess.Popen([str(executable), "--lang", "en", "--exit-after-shown", "45",
                                 "--report-startup", str(report)], env=env,
                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        try:
            mapped = None
            hub_seen: list[int] = []
            while mapped is None and time.monotonic() < started + 120:
                try:
                    _at, window = scr.maps.get(timeout=1)
                except Exception:  # queue.Empty: keep waiting while it runs
                    if proc.poll() is not None:
                        break
                    continue
                pid = scr.window_pid(window)
                if pid == proc.pid:
                    mapped = window
            assert mapped is not None, "no window of the frozen build appeared"
            # the local demo hub: the same program as a child, `zuoxi -m hub serve`
            deadline = time.monotonic() + 60
            while not hub_seen and time.monotonic() < deadline and proc.poll() is None:
                hub_seen = [p for p in descendants(proc.pid)
                            if b"hub" in Path(f"/proc/{p}/cmdline").read_bytes()]
                time.sleep(0.1)
            out, _ = proc.communicate(timeout=120)
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
    text = out.decode(errors="replace")
    assert proc.returncode == 0, text[-3000:]
    data = json.loads(report.read_text())
    assert data["embedded"] is True and data["window_shown_ms"] > 0
    assert hub_seen, "the frozen build did not start its local hub"
    assert "customers chat at http://127.0.0.1:" in text, text[-2000:]
    for pid in hub_seen:  # the hub went with the desktop
        assert not Path(f"/proc/{pid}").exists() or \
            Path(f"/proc/{pid}/stat").read_text().split(") ")[1].startswith("Z")


def test_packaging_metadata_is_valid() -> None:
    if shutil.which("appstreamcli"):
        result = subprocess.run(["appstreamcli", "validate", "--no-net",
                                 "packaging/io.zuoxi.Zuoxi.metainfo.xml"], cwd=ROOT,
                                capture_output=True, text=True, timeout=60)
        assert result.returncode == 0, result.stdout + result.stderr
    entry = (ROOT / "packaging" / "zuoxi.desktop").read_text(encoding="utf-8")
    assert "Exec=zuoxi" in entry and "Icon=zuoxi" in entry and "Name[zh_TW]=坐席" in entry
    assert (ROOT / "packaging" / "zuoxi.svg").read_text(encoding="utf-8").startswith("<")
