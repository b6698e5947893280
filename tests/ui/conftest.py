"""UI tests: one offscreen QApplication, a qasync loop, an in-memory keyring."""

from __future__ import annotations

import os

os.environ["QT_QPA_PLATFORM"] = "offscreen"  # before anything loads Qt
os.environ.setdefault("QT_API", "pyside6")

import asyncio
import gc
from collections.abc import Coroutine, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

import keyring
import pytest
import qasync
from keyring.backend import KeyringBackend
from PySide6.QtCore import QEvent
from PySide6.QtWidgets import QApplication

T = TypeVar("T")


class MemoryKeyring(KeyringBackend):
    """Keeps passwords in a dict (headless test machines have no keyring)."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.store: dict[tuple[str, str], str] = {}

    def tokens(self) -> dict[tuple[str, str], str]:
        """The sign-in tokens kept (not the caches' encryption keys)."""
        return {k: v for k, v in self.store.items() if not k[1].startswith("cache-key")}

    def get_password(self, service: str, username: str) -> str | None:
        return self.store.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.store[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        from keyring.errors import PasswordDeleteError

        if self.store.pop((service, username), None) is None:
            raise PasswordDeleteError(username)


@pytest.fixture(autouse=True)
def memory_keyring() -> Iterator[MemoryKeyring]:
    backend = MemoryKeyring()
    previous = keyring.get_keyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


@pytest.fixture(scope="session", autouse=True)
def english_plurals(qapp: QApplication) -> Iterator[None]:
    """English plural forms ("1 message", "2 messages"), installed as the desktop does."""
    from desktop.translations import install_translators

    translators = install_translators(qapp, "en")
    yield
    for translator in translators:
        qapp.removeTranslator(translator)


@pytest.fixture
def qloop(qapp: QApplication) -> Iterator[asyncio.AbstractEventLoop]:
    """An asyncio loop driven by Qt: qtbot.waitUntil() runs its callbacks too."""
    loop = qasync.QEventLoop(qapp, already_running=True)
    # Plain threads for to_thread(): qasync's QThread pool crashes at interpreter exit.
    loop.set_default_executor(ThreadPoolExecutor(max_workers=4, thread_name_prefix="test-io"))
    asyncio.set_event_loop(loop)
    yield loop
    pending = [t for t in asyncio.all_tasks(loop) if not t.done()]
    for task in pending:
        task.cancel()
    deadline = loop.time() + 5
    while any(not t.done() for t in pending) and loop.time() < deadline:
        qapp.processEvents()
    # Delete this test's widgets now, not during interpreter shutdown (where
    # PySide tears objects down in an order that can crash).
    for widget in qapp.topLevelWidgets():
        widget.close()
        widget.deleteLater()
    qapp.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    gc.collect()
    qapp.processEvents()
    asyncio.events._set_running_loop(None)
    asyncio.set_event_loop(None)
    # qasync only closes a loop it thinks is stopped; close() joins its worker threads.
    loop._QEventLoop__is_running = False  # type: ignore[attr-defined]
    loop.close()  # shuts the worker pool down


def run(qtbot: Any, loop: asyncio.AbstractEventLoop, coro: Coroutine[Any, Any, T],
        timeout_ms: int = 15_000) -> T:
    """Run a coroutine on the Qt-driven loop while Qt keeps processing events."""
    task = loop.create_task(coro)
    qtbot.waitUntil(task.done, timeout=timeout_ms)
    return task.result()

