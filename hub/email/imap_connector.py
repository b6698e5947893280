"""IMAP connector (aioimaplib): an existing support mailbox feeds the hub.

Over TLS (implicit, or STARTTLS-less plain only for loopback tests). Progress is
the mailbox's UIDVALIDITY and the last UID imported, saved after every batch; each
mail is stored under the source key "imap:<mailbox>:<uidvalidity>:<uid>", so a
crash between storing and saving progress cannot import a mail twice, and
nothing below the saved UID is skipped. If the server changes UIDVALIDITY (the
UIDs were renumbered), mail whose Message-ID is already known is not imported
again. New mail is noticed with IDLE where the server has it, else by polling.

With a ``MailboxLease`` (the hub always gives one) the connector imports only while
it holds the mailbox's lease: it waits for the lease, renews it every third of its
length while importing, stops importing when it is lost and gives it back when it
is cancelled, so of several hub processes on one database one imports at a time.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
import ssl
from collections.abc import Callable
from dataclasses import dataclass

import aioimaplib

from hub.email.config import AfterImport, ImapSettings, Security, check_transport
from hub.email.email_store import EmailStore
from hub.email.inbound import InboundMail
from hub.email.mailbox_lease import MailboxLease

log = logging.getLogger(__name__)

_UIDVALIDITY = re.compile(rb"UIDVALIDITY (\d+)")
_FETCH_UID = re.compile(rb"UID (\d+)")
_MESSAGE_ID = re.compile(rb"(?im)^message-id:[ \t]*(<[^>\r\n]+>)")


class ImapError(Exception):
    """The server refused a command; the message has its answer."""


@dataclass
class SyncResult:
    fetched: int = 0
    imported: int = 0
    last_uid: int = 0


def _check(response: aioimaplib.Response, what: str) -> aioimaplib.Response:
    if response.result != "OK":
        lines = b" ".join(bytes(x) for x in response.lines[-1:]).decode(errors="replace")
        raise ImapError(f"{what}: {response.result} {lines}"[:300])
    return response


def _fetched(lines: list[bytes | bytearray]) -> list[tuple[int, bytes]]:
    """(uid, message bytes) from the lines of a UID FETCH (UID BODY.PEEK[]) answer."""
    out: list[tuple[int, bytes]] = []
    uid: int | None = None
    pending: bytes | None = None
    for line in lines:
        if isinstance(line, bytearray):
            pending = bytes(line)
            if uid is not None:
                out.append((uid, pending))
                uid, pending = None, None
            continue
        found = _FETCH_UID.search(line)
        if found and b"FETCH" in line:
            uid = int(found.group(1))
        elif found and pending is not None:  # UID after the literal: ") UID 7)"
            out.append((int(found.group(1)), pending))
            uid, pending = None, None
    return out


def _uid_sets(uids: list[int], size: int) -> list[list[int]]:
    return [uids[i : i + size] for i in range(0, len(uids), size)]


class LeaseLostError(Exception):
    """Another hub process took the mailbox's lease over: this one stops importing."""


class ImapConnector:
    def __init__(self, inbound: InboundMail, emails: EmailStore, settings: ImapSettings,
                 lease: MailboxLease | None = None) -> None:
        self.inbound = inbound
        self.lease = lease
        self.emails = emails
        self.settings = settings
        self.key = self.key_of(settings)
        self.idle_supported: bool | None = None
        # Import passes completed since start (for /healthz), and whether the server
        # has accepted IDLE and the connector now waits for its word of new mail.
        self.passes = 0
        self.idling = asyncio.Event()
        # Set while this process holds the mailbox's lease and imports (always, without one).
        self.importing = asyncio.Event()

    @staticmethod
    def key_of(s: ImapSettings) -> str:
        """The mailbox's name in the hub's tables (progress, lease, source keys)."""
        return f"{s.username}@{s.host}:{s.port}/{s.folder}"

    def _ssl(self) -> ssl.SSLContext:
        return ssl.create_default_context(cafile=self.settings.ca_file)

    async def connect(self) -> aioimaplib.IMAP4:
        s = self.settings
        client: aioimaplib.IMAP4
        if s.security is Security.STARTTLS:
            # Never fall back to clear text: the password would cross the network.
            raise ImapError("IMAP STARTTLS is not supported: use implicit TLS (port 993)")
        if s.security is Security.TLS:
            client = aioimaplib.IMAP4_SSL(host=s.host, port=s.port, ssl_context=self._ssl(),
                                          timeout=60)
        else:
            check_transport("IMAP", s.host, s.security, s.allow_plain_remote)
            client = aioimaplib.IMAP4(host=s.host, port=s.port, timeout=60)
        await client.wait_hello_from_server()
        password = s.password.reveal() if s.password else ""
        _check(await client.login(s.username, password), "login")
        if s.after_import is AfterImport.MOVE:
            await client.create(s.processed_folder)  # fails harmlessly if it exists
        _check(await client.select(s.folder), f"select {s.folder}")
        self.idle_supported = s.idle and client.has_capability("IDLE")
        return client

    async def sync_once(self, client: aioimaplib.IMAP4) -> SyncResult:
        """Import every mail above the saved UID; returns what happened."""
        response = _check(await client.select(self.settings.folder), "select")
        uidvalidity = 0
        for line in response.lines:
            found = _UIDVALIDITY.search(bytes(line))
            if found:
                uidvalidity = int(found.group(1))
        state = self.emails.mailbox_state(self.key)
        renumbered = state is not None and state[0] != uidvalidity
        last_uid = state[1] if state is not None and not renumbered else 0
        if renumbered:
            log.warning("mailbox %s changed UIDVALIDITY: checking Message-IDs", self.key)
        search = _check(await client.uid_search(f"UID {last_uid + 1}:*"), "uid search")
        uids = sorted(
            int(u) for line in search.lines[:-1] for u in bytes(line).split()
            if u.isdigit() and int(u) > last_uid
        )
        result = SyncResult(last_uid=last_uid)
        for batch in _uid_sets(uids, self.settings.batch):
            # Renewed before each batch too: a process that was frozen past its lease
            # finds it taken over here and leaves the mailbox to the new holder.
            if self.lease is not None and not self.lease.renew():
                raise LeaseLostError(self.key)
            uid_set = ",".join(map(str, batch))
            fetched = _check(
                await client.uid("fetch", uid_set, "(UID BODY.PEEK[])"), "uid fetch")
            with self.inbound.batch():
                for uid, data in _fetched(fetched.lines):
                    result.fetched += 1
                    if renumbered and self._known(data):
                        continue
                    received = await self.inbound.receive_async(
                        f"imap:{self.key}:{uidvalidity}:{uid}", data)
                    if received.raw_id is not None:
                        result.imported += 1
            await self._after_import(client, uid_set)
            result.last_uid = max(batch)
            self.emails.save_mailbox_state(self.key, uidvalidity, result.last_uid)
        if not uids and (state is None or renumbered):
            self.emails.save_mailbox_state(self.key, uidvalidity, last_uid)
        return result

    def _known(self, data: bytes) -> bool:
        found = _MESSAGE_ID.search(data[:65536])
        if found is None:
            return False
        return self.emails.details_by_header(found.group(1).decode(errors="replace")) is not None

    async def _after_import(self, client: aioimaplib.IMAP4, uid_set: str) -> None:
        action = self.settings.after_import
        if action is AfterImport.FLAG:
            _check(await client.uid("store", uid_set, "+FLAGS.SILENT", r"(\Seen)"), "flag")
        elif action is AfterImport.MOVE:
            if client.has_capability("MOVE"):
                _check(await client.uid("move", uid_set, self.settings.processed_folder), "move")
            else:
                _check(await client.uid("copy", uid_set, self.settings.processed_folder), "copy")
                _check(await client.uid("store", uid_set, "+FLAGS.SILENT", r"(\Deleted)"),
                       "delete")
                _check(await client.expunge(), "expunge")

    async def wait_for_mail(self, client: aioimaplib.IMAP4) -> None:
        """Until the server reports a change (IDLE) or the poll interval passed."""
        if not self.idle_supported:
            await asyncio.sleep(self.settings.poll_s)
            return
        idle = await client.idle_start(timeout=self.settings.poll_s)
        self.idling.set()
        try:
            await client.wait_server_push(timeout=self.settings.poll_s + 5)
        except TimeoutError:
            pass
        finally:
            self.idling.clear()
            client.idle_done()
            await asyncio.wait_for(idle, timeout=10)

    async def run(self) -> None:
        """Import while this process holds the mailbox's lease (always, without one)."""
        if self.lease is None:
            self.importing.set()
            await self._import_loop()
            return
        lease = self.lease
        every_s = lease.lease_ms / 3000
        said_waiting = False
        try:
            while True:
                if not await self._try(lease.take):
                    if not said_waiting:
                        log.info("imap %s: another hub process imports it; this one (%s) "
                                 "takes over if its lease runs out", self.key, lease.holder)
                        said_waiting = True
                    await asyncio.sleep(every_s)
                    continue
                said_waiting = False
                log.info("imap %s: this process (%s) imports it", self.key, lease.holder)
                self.importing.set()
                importer = asyncio.create_task(self._import_loop(), name="imap-import")
                try:
                    while not importer.done():
                        await asyncio.wait({importer}, timeout=every_s)
                        if not importer.done() and not await self._try(lease.renew):
                            log.warning("imap %s: lease lost (renewal failed or another "
                                        "process holds it); this process stops importing",
                                        self.key)
                            break
                finally:
                    self.importing.clear()
                    importer.cancel()
                    with contextlib.suppress(asyncio.CancelledError, Exception):
                        await importer
        finally:
            with contextlib.suppress(Exception):  # the database gone: the lease runs out
                lease.release()

    async def _try(self, step: Callable[[], bool]) -> bool:
        """A lease step; a database error counts as not holding the lease."""
        try:
            return step()
        except Exception as exc:
            log.warning("imap %s: mailbox lease: %s", self.key, exc)
            return False

    async def _import_loop(self) -> None:
        """Connect, import, wait, import… reconnecting with backoff on trouble."""
        if self.lease is not None:
            # Mail the previous holder stored but did not process before it died: the
            # source key makes fetching it again a no-op, so it is processed here.
            left = await self.inbound.resume_source_async(f"imap:{self.key}:")
            if left:
                log.info("imap %s: processed %d mail(s) stored by the previous importer",
                         self.key, left)
        delay = 1.0
        while True:
            client: aioimaplib.IMAP4 | None = None
            try:
                client = await self.connect()
                delay = 1.0
                while True:
                    result = await self.sync_once(client)
                    self.passes += 1
                    if result.imported:
                        log.info("imported %d mail(s) from %s", result.imported, self.key)
                    await self.wait_for_mail(client)
            except (asyncio.CancelledError, LeaseLostError):
                raise
            except Exception as exc:  # network trouble, server restarts, refused logins
                log.warning("imap %s: %s; retrying in %.0f s", self.key, exc, delay)
            finally:
                if client is not None:
                    try:
                        await asyncio.wait_for(client.logout(), timeout=5)
                    except Exception:
                        log.debug("imap logout failed", exc_info=True)
            await asyncio.sleep(delay)
            delay = min(delay * 2, 300.0)
