"""Notifications reach a real notification daemon (dunst on Xvfb, on its own D-Bus
session bus), which is then asked what it received; its buttons come back."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QWidget

from desktop.notifications import OPEN, NoticeKind, Notifier
from tests.ui.conftest import qloop  # noqa: F401 - the Qt-driven loop fixture

pytestmark = pytest.mark.skipif(
    not all(shutil.which(p) for p in ("Xvfb", "dbus-daemon", "dunst", "dunstctl")),
    reason="needs Xvfb, dbus-daemon and dunst (Debian: xvfb dbus-daemon dunst)")


class Session:
    """Xvfb + a D-Bus session bus (+ dunst when asked)."""

    def __init__(self, tmp: Path) -> None:
        self.procs: list[subprocess.Popen[bytes]] = []
        read_fd, write_fd = os.pipe()
        self.procs.append(subprocess.Popen(
            ["Xvfb", "-displayfd", str(write_fd), "-screen", "0", "1024x768x24",
             "-nolisten", "tcp"], pass_fds=(write_fd,), stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL))
        os.close(write_fd)
        with os.fdopen(read_fd) as pipe:
            display = f":{pipe.readline().strip()}"
        out = subprocess.run(["dbus-daemon", "--session", "--fork", "--print-address=1",
                              "--print-pid=1"], capture_output=True, text=True, check=True,
                             timeout=30).stdout.split("\n")
        self.bus_pid = int(out[1])
        self.env = {**os.environ, "DISPLAY": display, "DBUS_SESSION_BUS_ADDRESS": out[0]}
        self.config = tmp / "dunstrc"
        self.config.write_text("[global]\n")

    def start_dunst(self, qtbot: Any) -> None:
        self.procs.append(subprocess.Popen(["dunst", "-config", str(self.config)],
                                           env=self.env, stdout=subprocess.DEVNULL,
                                           stderr=subprocess.DEVNULL))
        # ready once it answers on the bus
        qtbot.waitUntil(lambda: self.dunstctl("is-paused").returncode == 0, timeout=15_000)

    def dunstctl(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(["dunstctl", *args], env=self.env, capture_output=True,
                              text=True, timeout=10)

    def history(self) -> list[dict[str, Any]]:
        data = json.loads(self.dunstctl("history").stdout)
        return [{k: v["data"] for k, v in item.items()} for item in data["data"][0]]

    def stop(self) -> None:
        for proc in reversed(self.procs):
            proc.terminate()
            with contextlib.suppress(subprocess.TimeoutExpired):
                proc.wait(10)
        with contextlib.suppress(ProcessLookupError):
            os.kill(self.bus_pid, 15)


@pytest.fixture
def session(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Session]:
    s = Session(tmp_path)
    monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", s.env["DBUS_SESSION_BUS_ADDRESS"])
    try:
        yield s
    finally:
        s.stop()


def _notifier(qtbot: Any, loop: asyncio.AbstractEventLoop,
              sounds: list[NoticeKind]) -> Notifier:
    window = QWidget()
    qtbot.addWidget(window)
    notifier = Notifier(window, spawn=loop.create_task,
                        sound=lambda kind: sounds.append(kind) or True)
    ready: list[object] = []
    notifier.bus_ready.connect(ready.append)
    qtbot.waitUntil(lambda: bool(ready), timeout=15_000)
    return notifier


def test_the_daemon_receives_the_offer_and_its_buttons_come_back(
        qtbot: Any, qloop: asyncio.AbstractEventLoop, session: Session) -> None:  # noqa: F811
    session.start_dunst(qtbot)
    sounds: list[NoticeKind] = []
    notifier = _notifier(qtbot, qloop, sounds)
    assert notifier.server is not None and notifier.server.name == "dunst"
    assert notifier.server.actions  # so Accept and Open are offered

    notice = notifier.notify("New chat offer", "王芳 <b>退货</b>", NoticeKind.OFFER, "offer-1")
    assert notice.via_bus and notice.sound and sounds == [NoticeKind.OFFER]
    qtbot.waitUntil(lambda: session.dunstctl("count", "displayed").stdout.strip() == "1",
                    timeout=10_000)
    # Clicking the bubble (dunst's default action) comes back as "open" for that offer.
    actions: list[tuple[NoticeKind, str, str]] = []
    notifier.action.connect(lambda kind, key, action: actions.append((kind, key, action)))
    assert session.dunstctl("action", "0").returncode == 0
    qtbot.waitUntil(lambda: bool(actions), timeout=10_000)
    assert actions == [(NoticeKind.OFFER, "offer-1", OPEN)]

    notifier.notify("New message from 李雷", "还在吗", NoticeKind.MESSAGE, "conv-9")

    def both_in_history() -> bool:
        session.dunstctl("close-all")  # shown ones move to the history
        return len(session.history()) == 2

    qtbot.waitUntil(both_in_history, timeout=10_000)
    received = {item["summary"]: item for item in session.history()}
    offer = received["New chat offer"]
    # dunst does not read markup here (no body-markup): the text arrives as written
    assert offer["body"] == "王芳 <b>退货</b>"
    assert offer["appname"] == "Zuoxi" and offer["category"] == "im"
    assert offer["timeout"] == 0  # an offer stays until handled
    message = received["New message from 李雷"]
    assert message["body"] == "还在吗" and message["category"] == "im.received"
    assert message["timeout"] > 0
    assert sounds == [NoticeKind.OFFER, NoticeKind.MESSAGE]


def test_without_a_notification_service_the_taskbar_still_asks(
        qtbot: Any, qloop: asyncio.AbstractEventLoop, session: Session) -> None:  # noqa: F811
    sounds: list[NoticeKind] = []
    notifier = _notifier(qtbot, qloop, sounds)  # a bus, but nobody serving notifications
    assert notifier.server is None
    notice = notifier.notify("New chat offer", "王芳", NoticeKind.OFFER, "offer-2")
    assert not notice.via_bus and notice.sound and notifier.shown[-1] == notice


def test_the_bus_can_wait_until_the_owner_starts_it(qtbot: Any) -> None:
    """The desktop connects to the notification service after the window's first
    paint (Notifier(bus_now=False), then start_bus()), once."""
    spawned: list[Any] = []

    def spawn(coro: Any) -> None:
        spawned.append(coro)
        coro.close()  # not run: only whether and when it was asked for counts here

    window = QWidget()
    qtbot.addWidget(window)
    notifier = Notifier(window, spawn=spawn, bus_now=False)
    assert spawned == []
    notice = notifier.notify("New chat offer", "hi", NoticeKind.OFFER, "offer-1")
    assert not notice.via_bus  # meanwhile: the tray or the taskbar flag
    notifier.start_bus()
    notifier.start_bus()
    assert len(spawned) == 1
