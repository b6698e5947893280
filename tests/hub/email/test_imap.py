"""The IMAP connector against a real Dovecot the test starts (IMAPS on loopback)."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import pytest

from hub.email.config import AfterImport, ImapSettings, Secret, Security
from hub.email.imap_connector import ImapConnector, ImapError
from hub.email.mailbox_lease import MailboxLease, process_holder
from testbed.dovecot import Dovecot
from testbed.email_corpus import cases, simple
from tests.hub.email.conftest import EmailHub, open_email_hub

pytestmark = pytest.mark.skipif(not Path("/usr/sbin/dovecot").exists(),
                                reason="needs Debian's dovecot-imapd")


@pytest.fixture(scope="module")
def dovecot() -> Iterator[Dovecot]:
    server = Dovecot.create()
    server.start()
    yield server
    server.close()


@pytest.fixture
def mailbox(dovecot: Dovecot, request: pytest.FixtureRequest) -> str:
    """A fresh folder per test, so tests do not see each other's mail."""
    name = "T" + request.node.name.replace("_", "")[-40:]
    client = dovecot.client()
    client.create(name)
    client.logout()
    return name


def _settings(dovecot: Dovecot, folder: str, **kw: object) -> ImapSettings:
    return ImapSettings(host="127.0.0.1", port=dovecot.port, username=dovecot.user,
                        password=Secret(dovecot.password), folder=folder,
                        security=Security.TLS, ca_file=str(dovecot.cert), **kw)  # type: ignore[arg-type]


async def _sync(hub: EmailHub, settings: ImapSettings) -> tuple[int, int]:
    connector = ImapConnector(hub.channel.inbound, hub.channel.emails, settings)
    client = await connector.connect()
    try:
        result = await connector.sync_once(client)
    finally:
        await client.logout()
    return result.fetched, result.imported


def _conversations(hub: EmailHub) -> int:
    return len(hub.store.waiting_conversations())


async def test_mail_becomes_conversations_exactly_once_across_restarts(hub_db: str,
        tmp_path: Path, dovecot: Dovecot, mailbox: str) -> None:
    db = hub_db
    settings = _settings(dovecot, mailbox)
    dovecot.deliver(*(simple(f"question {n}", f"q{n}", sender=f"c{n}@example.com")
                      for n in range(5)), folder=mailbox)
    hub = open_email_hub(db)
    assert await _sync(hub, settings) == (5, 5)
    assert _conversations(hub) == 5
    assert await _sync(hub, settings) == (0, 0)  # nothing new
    # The hub restarts; two more arrive meanwhile.
    dovecot.deliver(simple("question 5", "q5"), simple("question 6", "q6"), folder=mailbox)
    hub = open_email_hub(db)
    assert await _sync(hub, settings) == (2, 2)
    assert _conversations(hub) == 7
    # Progress lost (say the hub died after storing, before saving): fetched again,
    # stored once.
    uidvalidity, _ = _state(hub, settings)
    key = ImapConnector(hub.channel.inbound, hub.channel.emails, settings).key
    hub.channel.emails.save_mailbox_state(key, uidvalidity, 0)
    assert await _sync(hub, settings) == (7, 0)
    assert _conversations(hub) == 7
    # Processed mail is flagged \Seen (the default).
    assert all("\\Seen" in flags for flags in dovecot.flags(mailbox).values())


def _state(hub: EmailHub, settings: ImapSettings) -> tuple[int, int]:
    key = ImapConnector(hub.channel.inbound, hub.channel.emails, settings).key
    state = hub.channel.emails.mailbox_state(key)
    assert state is not None
    return state


async def test_corpus_over_imap_keeps_raw_bytes(hub_db: str, tmp_path: Path, dovecot: Dovecot,
                                                mailbox: str) -> None:
    corpus = cases()
    dovecot.deliver(*(c.raw for c in corpus), folder=mailbox)
    hub = open_email_hub(hub_db)
    assert await _sync(hub, _settings(dovecot, mailbox)) == (len(corpus), len(corpus))
    subjects = set()
    for conv_id in hub.store.waiting_conversations():
        for details in hub.channel.emails.emails_of(conv_id):
            subjects.add(details.subject)
            raw = hub.channel.emails.raw_of_message(details.message_id)
            assert raw in {c.raw for c in corpus}
    assert subjects == {c.subject for c in corpus}


async def test_move_after_import(hub_db: str, tmp_path: Path,
        dovecot: Dovecot, mailbox: str) -> None:
    settings = _settings(dovecot, mailbox, after_import=AfterImport.MOVE,
                         processed_folder=mailbox + "-done")
    dovecot.deliver(simple("move me", "mv1"), folder=mailbox)
    hub = open_email_hub(hub_db)
    assert await _sync(hub, settings) == (1, 1)
    assert dovecot.flags(mailbox) == {}
    assert len(dovecot.flags(mailbox + "-done")) == 1


async def test_idle_notices_new_mail(hub_db: str, tmp_path: Path,
        dovecot: Dovecot, mailbox: str) -> None:
    hub = open_email_hub(hub_db)
    # A long poll interval: only IDLE can bring the mail in within the wait below.
    connector = ImapConnector(hub.channel.inbound, hub.channel.emails,
                              _settings(dovecot, mailbox, poll_s=120.0))
    task = asyncio.create_task(connector.run())
    try:
        # The server has accepted IDLE: only its push can bring the next mail in now.
        await asyncio.wait_for(connector.idling.wait(), 10)
        assert connector.idle_supported and connector.passes == 1
        await asyncio.to_thread(dovecot.deliver, simple("pushed", "idle1"), folder=mailbox)
        for _ in range(200):
            if _conversations(hub) == 1:
                break
            await asyncio.sleep(0.05)
        assert _conversations(hub) == 1
    finally:
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task


async def test_polling_fallback_without_idle(hub_db: str, tmp_path: Path, dovecot: Dovecot,
                                             mailbox: str) -> None:
    hub = open_email_hub(hub_db)
    connector = ImapConnector(hub.channel.inbound, hub.channel.emails,
                              _settings(dovecot, mailbox, idle=False, poll_s=0.2))
    task = asyncio.create_task(connector.run())
    try:
        for _ in range(200):  # the first pass found the folder empty
            if connector.passes:
                break
            await asyncio.sleep(0.05)
        assert connector.passes
        await asyncio.to_thread(dovecot.deliver, simple("polled", "poll1"), folder=mailbox)
        for _ in range(200):
            if _conversations(hub) == 1:
                break
            await asyncio.sleep(0.05)
        assert _conversations(hub) == 1 and connector.idle_supported is False
        assert not connector.idling.is_set()
    finally:
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task


async def test_wrong_password_is_a_clear_error(hub_db: str, tmp_path: Path,
        dovecot: Dovecot) -> None:
    hub = open_email_hub(hub_db)
    settings = _settings(dovecot, "INBOX")
    settings.password = Secret("wrong")
    connector = ImapConnector(hub.channel.inbound, hub.channel.emails, settings)
    with pytest.raises(ImapError, match="login"):
        await connector.connect()
    assert "wrong" not in repr(settings)


async def test_starttls_is_refused_rather_than_sent_in_clear(hub_db: str, tmp_path: Path,
                                                            dovecot: Dovecot) -> None:
    hub = open_email_hub(hub_db)
    settings = _settings(dovecot, "INBOX")
    settings.security = Security.STARTTLS
    connector = ImapConnector(hub.channel.inbound, hub.channel.emails, settings)
    with pytest.raises(ImapError, match="STARTTLS"):
        await connector.connect()


async def test_a_stopping_importer_gives_the_mailbox_to_the_next(hub_db: str, tmp_path: Path,
        dovecot: Dovecot, mailbox: str) -> None:
    hub = open_email_hub(hub_db)
    settings = _settings(dovecot, mailbox, poll_s=120.0)
    key = ImapConnector.key_of(settings)
    # Two processes' connectors on one database (each its own lease holder).
    first = ImapConnector(hub.channel.inbound, hub.channel.emails, settings,
                          MailboxLease(hub.store.db, key, process_holder("a")))
    second = ImapConnector(hub.channel.inbound, hub.channel.emails, settings,
                           MailboxLease(hub.store.db, key, process_holder("b")))
    await asyncio.to_thread(dovecot.deliver, simple("first", "lease1"), folder=mailbox)
    task = asyncio.create_task(first.run())
    await asyncio.wait_for(first.idling.wait(), 20)
    assert _conversations(hub) == 1
    assert first.lease is not None and second.lease is not None
    # The second one finds the mailbox taken (the lease holds 30 s) and does not import.
    assert not second.lease.take()
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert second.lease.current_holder() is None  # given back at the stop
    later = asyncio.create_task(second.run())
    try:
        await asyncio.wait_for(second.idling.wait(), 20)  # long before 30 s ran out
        await asyncio.to_thread(dovecot.deliver, simple("second", "lease2"), folder=mailbox)
        for _ in range(200):
            if _conversations(hub) == 2:
                break
            await asyncio.sleep(0.05)
        assert _conversations(hub) == 2 and second.passes >= 1
        assert second.lease.current_holder() == second.lease.holder
    finally:
        later.cancel()
        with pytest.raises(asyncio.CancelledError):
            await later
