"""Two hub processes on one PostgreSQL database, both started with the same IMAP
mailbox (a real Dovecot): one imports, the other waits; SIGKILL of the importer in
the middle of an import hands the mailbox to the other within a bounded time, which
goes on from the stored UIDVALIDITY/UID. Every mail, delivered before, during and
after the kill, is stored exactly once."""

from __future__ import annotations

import asyncio
import json
import shutil
import time
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from testbed.agent_probe import eventually
from testbed.dovecot import Dovecot
from testbed.email_corpus import simple
from tests.conftest import HubProcess
from tests.support.databases import DatabaseMaker
from tests.support.hub_sql import hub_rows

pytestmark = pytest.mark.skipif(
    shutil.which("dovecot") is None and not Path("/usr/sbin/dovecot").exists(),
    reason="needs Debian's dovecot-imapd")

LEASE_S = 2.0
FOLDER = "Shared"


@pytest.fixture
def dovecot() -> Iterator[Dovecot]:
    server = Dovecot.create()
    server.start()
    client = server.client()
    client.create(FOLDER)
    client.logout()
    yield server
    server.close()


def _health(hub: HubProcess) -> dict[str, Any]:
    with urllib.request.urlopen(hub.url + "/healthz", timeout=5) as answer:
        return dict(json.loads(answer.read())["email"])


def _imported(db: str) -> list[str]:
    """The Message-IDs of the mails stored from the mailbox, one entry per stored mail."""
    return [r[0] for r in hub_rows(
        db, "SELECT m.header_message_id FROM email_messages m JOIN email_raw r "
            "ON r.id = m.raw_id WHERE r.source_key LIKE 'imap:%'")]


def _log(hub: HubProcess) -> str:
    return hub.log_path.read_text(errors="replace")


def _mails(first: int, count: int) -> list[bytes]:
    return [simple(f"question {i}", f"shared{i}", sender=f"c{i}@example.com",
                   body=f"mail number {i}") for i in range(first, first + count)]


async def test_one_process_imports_and_the_other_takes_over_after_sigkill(
    postgres_dbs: DatabaseMaker, make_hub: Callable[..., HubProcess], dovecot: Dovecot,
    tmp_path: Path,
) -> None:
    db = postgres_dbs.new("shared")
    secret = tmp_path / "imap-password"
    secret.write_text(dovecot.password)
    secret.chmod(0o600)
    imap = ["--email-mailbox", "support@example.com", "--imap-host", "127.0.0.1",
            "--imap-port", str(dovecot.port), "--imap-user", dovecot.user,
            "--imap-password-file", str(secret), "--imap-ca-file", str(dovecot.cert),
            "--imap-folder", FOLDER, "--imap-lease", str(LEASE_S), "--imap-poll", "1",
            "--log-level", "info", "--log-format", "json"]
    # Delivered before either process starts.
    await asyncio.to_thread(dovecot.deliver, *_mails(0, 10), folder=FOLDER)
    hubs = {name: make_hub(*imap, "--process-name", name, name=name, db=db)
            for name in ("a", "b")}

    await eventually(lambda: len(_imported(db)) == 10, timeout=60, interval=0.1)
    health = {name: _health(hub) for name, hub in hubs.items()}
    importers = [name for name, h in health.items() if h["imap_importing"]]
    assert len(importers) == 1, health
    holder_name = importers[0]
    other_name = "b" if holder_name == "a" else "a"
    holder, other = hubs[holder_name], hubs[other_name]
    # Both say which process imports; the waiting one has not made a single pass.
    assert health[holder_name]["imap_holder"] == health[holder_name]["imap_process"]
    assert health[other_name]["imap_holder"] == health[holder_name]["imap_process"]
    assert health[other_name]["imap_passes"] == 0
    assert f"this process ({health[holder_name]['imap_process']}) imports it" \
        in _log(holder)
    assert "another hub process imports it" in _log(other)

    # Delivered while the importer works through them: killed in the middle.
    await asyncio.to_thread(dovecot.deliver, *_mails(10, 40), folder=FOLDER)
    await eventually(lambda: len(_imported(db)) > 10, timeout=60, interval=0.01)
    at_kill = len(_imported(db))
    killed_at = time.monotonic()
    await asyncio.to_thread(holder.kill)  # SIGKILL
    # Delivered after the kill, before anyone imports again.
    await asyncio.to_thread(dovecot.deliver, *_mails(50, 10), folder=FOLDER)

    await eventually(lambda: _health(other)["imap_importing"], timeout=60, interval=0.05)
    took_over_s = time.monotonic() - killed_at
    print(f"imported {at_kill} of 50 at the SIGKILL; the other process imports "
          f"{took_over_s:.2f} s after it (lease {LEASE_S} s)")
    # The lease runs out LEASE_S after the last renewal (at most LEASE_S before the
    # kill) and the waiting process tries every third of it; the rest is slack for
    # a loaded machine.
    assert took_over_s < LEASE_S + LEASE_S / 3 + 10

    await eventually(lambda: len(_imported(db)) >= 60, timeout=60, interval=0.1)
    # A barrier: a full pass of the new importer after the last mail was stored.
    passes = _health(other)["imap_passes"]
    await eventually(lambda: _health(other)["imap_passes"] > passes + 1, timeout=60,
                     interval=0.1)
    ids = _imported(db)
    expected = {f"<shared{i}@mail.example.com>" for i in range(60)}
    assert sorted(ids) == sorted(expected)  # each once, none missing
    (state,) = hub_rows(db, "SELECT last_uid FROM email_mailboxes")
    assert state[0] == 60
    (lease,) = hub_rows(db, "SELECT holder FROM email_mailbox_leases")
    assert lease[0] == _health(other)["imap_process"]
    assert f"this process ({lease[0]}) imports it" in _log(other)
