"""Start and memory side by side with Linphone, measured from outside the same way.

Both products are started with no arguments, each with a home directory of its
own, on one private Xvfb with one D-Bus session bus: Zuoxi as `./dev run` starts
it (a local hub with demo data, signed in as the demo agent) and Debian's
`linphone-desktop`. The clock runs from just before the process is spawned to
the X server's notice that a top-level window of that process (its _NET_WM_PID)
was mapped, read from `xev` listening on the root window: no polling, so the
measuring costs neither product anything. The resident memory is read from
/proc 8 s after that window appeared: the product's own process, and for Zuoxi
also with its local hub (a child process) added. The first start of each product
(which creates its files) is a warm-up and not counted; then the two alternate.
"""

from __future__ import annotations

import contextlib
import os
import queue
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from bench.desktop_bench import compile_bytecode
from bench.stats import summary
from hub.process import PACKAGE_ROOT

SETTLE_S = 8.0
WINDOW_TIMEOUT_S = 60.0
DEBIAN_TOOLS = ("Xvfb", "xev", "xprop", "dbus-daemon")


def rss_kb(pid: int) -> int:
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def descendants(pid: int) -> list[int]:
    """All processes below ``pid`` (from /proc/*/stat parent links)."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as stat:
                ppid = int(stat.read().rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            continue
        children.setdefault(ppid, []).append(int(entry))
    found, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


class Screen:
    """A private Xvfb, a D-Bus session bus, and `xev` reporting top-level maps."""

    def __init__(self, workdir: Path) -> None:
        self.workdir = workdir
        self.env: dict[str, str] = {}
        self._procs: list[subprocess.Popen[Any]] = []
        self._bus_pid: int | None = None
        self.maps: queue.Queue[tuple[float, str]] = queue.Queue()

    def start(self) -> None:
        read_fd, write_fd = os.pipe()
        xvfb = subprocess.Popen(
            ["Xvfb", "-displayfd", str(write_fd), "-screen", "0", "1366x768x24",
             "-nolisten", "tcp"],
            pass_fds=(write_fd,), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self._procs.append(xvfb)
        os.close(write_fd)
        with os.fdopen(read_fd) as pipe:
            display = f":{pipe.readline().strip()}"
        bus = subprocess.run(
            ["dbus-daemon", "--session", "--fork", "--print-address=1", "--print-pid=1"],
            capture_output=True, text=True, check=True, timeout=30)
        address, pid = bus.stdout.split("\n")[:2]
        self._bus_pid = int(pid)
        runtime = self.workdir / "runtime"
        runtime.mkdir(mode=0o700)
        self.env = {"DISPLAY": display, "DBUS_SESSION_BUS_ADDRESS": address.strip(),
                    "XDG_RUNTIME_DIR": str(runtime), "QT_QPA_PLATFORM": "xcb"}
        xev = subprocess.Popen(
            ["stdbuf", "-oL", "xev", "-root", "-event", "substructure"],
            env={**os.environ, **self.env}, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
            text=True)
        self._procs.append(xev)
        threading.Thread(target=self._read_maps, args=(xev,), daemon=True).start()

    def _read_maps(self, xev: subprocess.Popen[str]) -> None:
        assert xev.stdout is not None
        mapping = False
        for line in xev.stdout:
            if line.startswith("MapNotify event"):
                mapping = True
            elif mapping and "window 0x" in line and "override" in line:
                mapping = False
                fields = line.replace(",", " ").split()
                window = fields[fields.index("window") + 1]
                if "override NO" in line:
                    self.maps.put((time.monotonic(), window))

    def window_pid(self, window: str) -> int | None:
        out = subprocess.run(["xprop", "-id", window, "_NET_WM_PID"], capture_output=True,
                             text=True, env={**os.environ, **self.env}, timeout=10).stdout
        with contextlib.suppress(ValueError, IndexError):
            return int(out.split("=")[1])
        return None

    def stop(self) -> None:
        for proc in reversed(self._procs):
            proc.terminate()
            with contextlib.suppress(subprocess.TimeoutExpired):
                proc.wait(10)
        if self._bus_pid is not None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self._bus_pid, signal.SIGTERM)


@contextlib.contextmanager
def screen(workdir: Path) -> Iterator[Screen]:
    s = Screen(workdir)
    s.start()
    try:
        yield s
    finally:
        s.stop()


class Product:
    def __init__(self, name: str, args: list[str], home: Path, extra_env: dict[str, str]) -> None:
        self.name = name
        self.args = args
        self.home = home
        home.mkdir(parents=True, exist_ok=True)
        self.extra_env = extra_env


def zuoxi(workdir: Path) -> Product:
    # `./dev run` execs the `zuoxi` script, which is `desktop.main:main`: the same code.
    # An installed program has its bytecode: written by the warm-up start into the
    # bench's own folder, even where the environment says not to write any.
    return Product("zuoxi", [sys.executable, "-m", "desktop"], workdir / "home-zuoxi",
                   {"PYTHONPATH": str(PACKAGE_ROOT),
                    "PYTHONPYCACHEPREFIX": str(workdir / "pycache")})


def linphone(workdir: Path) -> Product:
    return Product("linphone", ["linphone"], workdir / "home-linphone", {})


def one_start(scr: Screen, product: Product) -> dict[str, float]:
    """Start, wait for its first mapped top-level window, read memory 8 s later, quit."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("ZUOXI_", "QT_", "XDG_", "DBUS_"))
           and k != "PYTHONDONTWRITEBYTECODE"}
    env.update(scr.env)
    env.update(product.extra_env)
    env["HOME"] = str(product.home)
    while not scr.maps.empty():  # maps of an earlier run
        scr.maps.get_nowait()
    started = time.monotonic()
    proc = subprocess.Popen(product.args, env=env, cwd=product.home,
                            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        shown_at = None
        deadline = started + WINDOW_TIMEOUT_S
        while shown_at is None:
            if proc.poll() is not None:
                raise RuntimeError(f"{product.name} exited ({proc.returncode}) before a window")
            try:
                at, window = scr.maps.get(timeout=max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                raise RuntimeError(
                    f"{product.name}: no window in {WINDOW_TIMEOUT_S:.0f} s") from None
            pid = scr.window_pid(window)
            if pid is not None and (pid == proc.pid or pid in descendants(proc.pid)):
                shown_at = at
        time.sleep(max(0.0, shown_at + SETTLE_S - time.monotonic()))
        own = rss_kb(proc.pid)
        tree = own + sum(_rss_or_zero(p) for p in descendants(proc.pid))
        return {"window_ms": (shown_at - started) * 1000, "rss_mb": own / 1024,
                "rss_with_children_mb": tree / 1024}
    finally:
        _stop_tree(proc)


def _rss_or_zero(pid: int) -> int:
    try:
        return rss_kb(pid)
    except OSError:
        return 0


def _stop_tree(proc: subprocess.Popen[bytes]) -> None:
    children = descendants(proc.pid)
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(15)
    deadline = time.monotonic() + 15
    for pid in children:  # the local hub dies with the desktop; wait until it has
        while Path(f"/proc/{pid}").exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        if Path(f"/proc/{pid}").exists():
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)


def missing_tools() -> list[str]:
    return [tool for tool in (*DEBIAN_TOOLS, "stdbuf") if shutil.which(tool) is None]


def run_startup_benchmark(runs: int) -> dict[str, Any]:
    missing = missing_tools()
    if missing:
        return {"skipped": f"missing programs: {', '.join(missing)}"}
    compile_bytecode()  # as installed: bytecode, not source compiled at each start
    with tempfile.TemporaryDirectory(prefix="zuoxi-startup-bench-") as tmp:
        workdir = Path(tmp)
        products = [zuoxi(workdir)]
        if shutil.which("linphone"):
            products.append(linphone(workdir))
        samples: dict[str, list[dict[str, float]]] = {p.name: [] for p in products}
        with screen(workdir) as scr:
            for product in products:
                one_start(scr, product)  # warm-up: first start creates its files
            for i in range(runs):
                # alternate, and alternate who goes first
                for product in products if i % 2 == 0 else list(reversed(products)):
                    samples[product.name].append(one_start(scr, product))
    result: dict[str, Any] = {
        "method": "process spawn → first top-level window of that process mapped on Xvfb "
                  "(xev on the root window); resident memory 8 s later; alternating runs "
                  "after one warm-up each",
        "runs": runs,
    }
    for name, rows in samples.items():
        result[name] = {
            "window_ms": summary([r["window_ms"] for r in rows], "ms"),
            "rss_mb": summary([r["rss_mb"] for r in rows], "MB"),
            "rss_with_children_mb": summary([r["rss_with_children_mb"] for r in rows], "MB"),
        }
    if "linphone" not in samples:
        result["linphone"] = {"skipped": "linphone is not installed (Debian: linphone-desktop)"}
    return result
