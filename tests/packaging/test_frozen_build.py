"""The installable app: the PyInstaller one-folder build starts under Xvfb with its
local demo hub, maps its window, and quits cleanly (the hub process with it); signed
in to a hub with a system keyring (GNOME Keyring's Secret Service on the session bus)
it keeps its cache encrypted under a key that keyring holds (SQLCipher in the bundle).

Marked ``frozen_build``: CI runs it (``./dev test`` as in .ci/run); it builds the
bundle with build/build_desktop.py when build/out/dist/zuoxi is missing or older than
the sources (minutes), so a quick local run can leave it out with
``-m "not frozen_build"``. The packaging metadata is validated as well.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from bench.startup_bench import descendants, screen
from hub.process import HubProcess
from testbed.agent_probe import login

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
    with screen(tmp_path) as scr:
        env = _clean_env(scr.env, home)
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
    assert "No package metadata" not in text, text[-2000:]
    # every library whose version a compat module checks has its metadata in the bundle
    for compat in sorted((ROOT / "core" / "call").glob("compat_*.py")):
        [library] = re.findall(r'^LIBRARY = "([^"]+)"', compat.read_text(), re.MULTILINE)
        assert list((BUNDLE / "_internal").glob(f"{library}-*.dist-info")), library
    for pid in hub_seen:  # the hub went with the desktop
        assert not Path(f"/proc/{pid}").exists() or \
            Path(f"/proc/{pid}/stat").read_text().split(") ")[1].startswith("Z")


@pytest.mark.timeout(1800)
@pytest.mark.skipif(not all(shutil.which(p) for p in ("Xvfb", "xev", "xprop", "dbus-daemon",
                                                     "gnome-keyring-daemon")),
                    reason="needs Xvfb, x11-utils, dbus-daemon and gnome-keyring")
def test_the_frozen_desktop_keeps_its_cache_encrypted_under_the_system_keyring(
        tmp_path: Path, hub: HubProcess) -> None:
    executable = _bundle()
    token = login(hub.url, "lina", "zuoxi-demo")["token"]
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    # What a sign-in leaves behind: the hub, the agent, the token kept in the keyring.
    (data_dir / "settings.ini").write_text(
        f"[hub]\nurl={hub.url}\nusername=lina\ntoken_kept=lina {hub.url}\n", encoding="utf-8")
    home = tmp_path / "home"
    with screen(tmp_path) as scr:
        env = _clean_env(scr.env, home)
        keeper = {**env, "PYTHONPATH": str(ROOT)}
        with _unlocked_keyring(env):
            # The token goes in as a sign-in leaves it (retried while the daemon starts).
            deadline = time.monotonic() + 60
            while True:
                kept = subprocess.run(
                    [sys.executable, "-c", "import sys; from desktop.credentials import "
                     "CredentialStore as C; assert C().set(sys.argv[1], 'lina', sys.argv[2])",
                     hub.url, token], env=keeper, cwd=ROOT, capture_output=True, text=True,
                    timeout=60, check=False)
                if kept.returncode == 0 or time.monotonic() > deadline:
                    break
                time.sleep(0.2)  # polling the daemon's start, not a proof of anything
            assert kept.returncode == 0, kept.stderr[-2000:]
            done = subprocess.run([str(executable), "--data-dir", str(data_dir), "--lang",
                                   "en", "--exit-after-shown", "8"], env=env,
                                  capture_output=True, timeout=180, check=False)
            assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
            caches = sorted((data_dir / "cache").glob("*.sqlite3"))
            # Read back with the key from the same Secret Service, in a process of its own.
            read_back = [subprocess.run([sys.executable, "-c", READ_WITH_KEYRING, str(cache)],
                                        env=keeper, cwd=ROOT, capture_output=True, text=True,
                                        timeout=60, check=False)
                         for cache in caches]
    assert caches, "the frozen build made no cache"
    for cache, opened in zip(caches, read_back, strict=True):
        assert not cache.read_bytes()[:16].startswith(b"SQLite format 3"), cache
        assert opened.returncode == 0, opened.stderr[-2000:]
        assert int(opened.stdout.split()[-1]) > 0, opened.stdout  # its tables, read


READ_WITH_KEYRING = """
import sys
from pathlib import Path
import keyring
from core.cache.cache import open_cache
from core.cache.cipher import CacheKey
from desktop.credentials import SERVICE
path = Path(sys.argv[1])
text = keyring.get_password(SERVICE, "cache-key:" + path.name)
assert text, "no key for the cache in the keyring"
cache, _reset = open_cache(path, CacheKey.from_hex(text))
print(cache.db.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()[0])
"""


def _clean_env(screen_env: dict[str, str], home: Path) -> dict[str, str]:
    """What a user's session gives the app: the screen's display and bus, a fresh home,
    nothing of this test run's Qt, Python or Zuoxi settings."""
    home.mkdir(exist_ok=True)
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("QT_", "PYTHON", "ZUOXI_", "DBUS_", "XDG_"))}
    return {**env, **screen_env, "HOME": str(home)}


@contextlib.contextmanager
def _unlocked_keyring(env: dict[str, str]) -> Iterator[None]:
    """GNOME Keyring's Secret Service on the screen's session bus, its login keyring
    made and unlocked (as a desktop session's PAM module would); stopped afterwards."""
    daemon = subprocess.Popen(["gnome-keyring-daemon", "--foreground", "--unlock",
                               "--components=secrets"], env=env, stdin=subprocess.PIPE,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    assert daemon.stdin is not None
    daemon.stdin.write(b"zuoxi-test-keyring")
    daemon.stdin.close()
    try:
        yield
    finally:
        daemon.terminate()
        try:
            daemon.wait(10)
        except subprocess.TimeoutExpired:
            daemon.kill()
            daemon.wait()


def test_packaging_metadata_is_valid() -> None:
    if shutil.which("appstreamcli"):
        result = subprocess.run(["appstreamcli", "validate", "--no-net",
                                 "packaging/io.zuoxi.Zuoxi.metainfo.xml"], cwd=ROOT,
                                capture_output=True, text=True, timeout=60)
        assert result.returncode == 0, result.stdout + result.stderr
    entry = (ROOT / "packaging" / "zuoxi.desktop").read_text(encoding="utf-8")
    assert "Exec=zuoxi" in entry and "Icon=zuoxi" in entry and "Name[zh_TW]=坐席" in entry
    assert (ROOT / "packaging" / "zuoxi.svg").read_text(encoding="utf-8").startswith("<")
