"""The canary (issue 11) and finding 16's log redaction: after a session with a
sign-in, a chat, an email and DEBUG logging everywhere (qasync, websockets, the
hub), neither the password nor the token appears in the desktop's cache and WAL,
its settings, its log, the hub's database and WAL, or the hub's log."""

from __future__ import annotations

import asyncio
import json
import logging
import smtplib
import sqlite3
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
import qasync

from core import redaction
from core.protocol.models import MessageAuthor
from hub.demo.simulator import SimCustomer
from hub.process import HubProcess
from testbed.email_corpus import simple
from tests.ui.conftest import run
from tests.ui.desktop_runner import running_desktop, sign_in
from tests.ui.routing_helpers import accept_offer

PASSWORD = "zuoxi-demo"


@pytest.fixture
def debug_log(tmp_path: Path) -> Iterator[Path]:
    """Everything at DEBUG into a file, with the filter the desktop installs."""
    path = tmp_path / "desktop.log"
    handler = logging.FileHandler(path, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    level = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    redaction.install()
    yield path
    root.removeHandler(handler)
    root.setLevel(level)
    handler.close()


def _files(*folders: Path) -> list[Path]:
    return [p for folder in folders for p in folder.rglob("*") if p.is_file()]


def test_no_secret_reaches_a_file(qapp: Any, qloop: asyncio.AbstractEventLoop, qtbot: Any,
                                  make_hub: Callable[..., HubProcess], tmp_path: Path,
                                  debug_log: Path, memory_keyring: Any) -> None:
    # The desktop's own executor: qasync's threads, which log every call and result
    # at DEBUG (the sign-in's password, the token it returns).
    qthreads = qasync.QThreadExecutor(2)
    qloop.set_default_executor(qthreads)
    try:
        _session(qapp, qloop, qtbot, make_hub, tmp_path, debug_log, memory_keyring)
    finally:
        qloop.set_default_executor(ThreadPoolExecutor(max_workers=2))
        qthreads.shutdown(wait=True)


def _session(qapp: Any, qloop: asyncio.AbstractEventLoop, qtbot: Any,
             make_hub: Callable[..., HubProcess], tmp_path: Path, debug_log: Path,
             memory_keyring: Any) -> None:
    hub = make_hub("--log-level", "debug", "--email-mailbox", "support@example.com",
                   "--smtp-receiver-port", "0")
    ready = json.loads((hub.workdir / "hub-ready.json").read_text())
    host, port = ready["email"]["smtp_receiver"].rsplit(":", 1)
    with running_desktop(qapp, qtbot, hub.url, tmp_path) as app:
        sign_in(qtbot, app, "lina", PASSWORD)
        assert app.signed is not None
        [token] = memory_keyring.tokens().values()
        [cache_key] = [v for k, v in memory_keyring.store.items()
                       if k[1].startswith("cache-key")]

        customer = SimCustomer(hub.customer_ws_url, name="Canary")
        run(qtbot, qloop, customer.connect())
        run(qtbot, qloop, customer.send("hello, is anyone there?"))
        accept_offer(qtbot, app.signed.window, customer.conversation_id)
        assert customer.conversation_id is not None
        app.signed.service.send_message(customer.conversation_id, "yes, how can I help?")
        run(qtbot, qloop, customer.wait_message(
            lambda m: m.author is MessageAuthor.AGENT, timeout=15))
        run(qtbot, qloop, customer.disconnect())

        def mail() -> None:
            with smtplib.SMTP(host, int(port), timeout=30) as client:
                client.sendmail("canary@example.com", ["support@example.com"],
                                simple("Canary mail", "canary", sender="canary@example.com"))

        # The receiver answers only once the mail is stored as a message.
        run(qtbot, qloop, asyncio.to_thread(mail))
        with sqlite3.connect(hub.db_path) as db:
            stored = db.execute("SELECT count(*) FROM messages WHERE text LIKE "
                                "'Canary mail%'").fetchone()[0]
        assert stored == 1
    hub.stop()

    # The whole secrets, and any 12 characters of the token (a log line cut short).
    secrets = {"password": PASSWORD.encode(), "token": token.encode()}
    secrets |= {f"token[{i}:{i + 12}]": token[i:i + 12].encode()
                for i in range(len(token) - 11)}
    # The cache's encryption key, as text, in pieces, and as the raw bytes.
    secrets |= {"cache key": cache_key.encode(), "cache key bytes": bytes.fromhex(cache_key)}
    secrets |= {f"cache key[{i}:{i + 12}]": cache_key[i:i + 12].encode()
                for i in range(len(cache_key) - 11)}
    files = [*_files(tmp_path / "data", hub.workdir), tmp_path / "settings.ini", debug_log]
    kinds = {p.name for p in files}
    assert any(name.endswith("-wal") for name in kinds) or any(
        name.endswith(".sqlite3") for name in kinds)
    found = [(name, str(path)) for path in files for name, secret in secrets.items()
             if secret in path.read_bytes()]
    assert found == []

    # The log is not empty of what could have held them: the libraries logged at
    # DEBUG, and the filter blanked what it had to.
    log_text = debug_log.read_text(encoding="utf-8")
    assert "DEBUG qasync" in log_text and "DEBUG websockets" in log_text
    assert redaction.MASK in log_text
