"""Email in the cache (schema v7): details, thread order, drafts, sending through the
outbox, and mails that wait for their attachments."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
import sqlite_utils

from core.cache.cache import SCHEMA_VERSION, Cache
from core.cache.schema import MIGRATIONS
from core.email import cache as email_cache
from core.email.compose import Draft, FileToSend
from core.email.service import DraftInvalid, EmailService
from core.protocol.email import (
    EmailFailure,
    EmailKind,
    EmailReceived,
    EmailStatus,
    EmailStatusChanged,
    SendEmail,
)
from core.protocol.models import AgentInfo, MessageStatus
from core.records import Changes
from core.sync.outbox import Outbox
from tests.core.email_factories import email_assigned, inbound
from tests.core.factories import T0, event

AGENT = AgentInfo(id="a1", username="zhang", display_name="小张")


class Service:
    def __init__(self, cache: Cache) -> None:
        self.announced: list[Changes] = []
        self.woken = 0
        self.outbox = Outbox(cache)
        self.email = EmailService(cache, self.outbox, self.announced.append, self.wake,
                                  lambda: AGENT)

    def wake(self) -> None:
        self.woken += 1


@pytest.fixture
def cache() -> Cache:
    cache = Cache(":memory:")
    cache.apply_events([event(1, email_assigned("e1", messages=[]))])
    return cache


def test_schema_7_tables_on_a_migrated_v5_file(tmp_path: Path) -> None:
    path = tmp_path / "v5.sqlite3"
    db = sqlite_utils.Database(sqlite3.connect(path))
    db.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT)")
    for version, step in MIGRATIONS:
        if version <= 5:
            step(db)
    db.execute("INSERT INTO meta VALUES ('schema_version', '5')")
    db.conn.commit()
    db.conn.close()
    cache = Cache(path)
    assert cache.schema_version() == SCHEMA_VERSION >= 7
    assert {"emails", "email_drafts", "email_sends"} <= set(cache.db.table_names())


def test_received_mails_thread_in_date_order(cache: Cache) -> None:
    later = inbound("m2", at=T0 + 60_000, html="<p>second</p>")
    first = inbound("m1", at=T0, text="first")
    changes = cache.apply_events([event(2, EmailReceived(*later)), event(3, EmailReceived(*first))])
    assert ("e1", "m2") in changes.messages
    assert [d.message_id for d in email_cache.thread(cache.db, "e1")] == ["m1", "m2"]
    assert email_cache.details(cache.db, "m2").html == "<p>second</p>"  # type: ignore[union-attr]
    assert [m.id for m in cache.messages("e1")] == ["m1", "m2"]


def test_drafts_survive_reopening_the_file(tmp_path: Path) -> None:
    path = tmp_path / "cache.sqlite3"
    cache = Cache(path)
    draft = Draft("e1", EmailKind.REPLY_ALL, "m1", to="a@b.example", cc="c@d.example",
                  subject="Re: x", text="半句话",
                  files=[FileToSend("/tmp/a.pdf", "a.pdf", "application/pdf", 3)])
    email_cache.save_draft(cache.db, draft)
    cache.close()  # as if the app died here
    reopened = Cache(path)
    assert email_cache.load_draft(reopened.db, "e1") == draft
    email_cache.delete_draft(reopened.db, "e1")
    assert email_cache.load_draft(reopened.db, "e1") is None


def test_send_goes_out_through_the_outbox_and_is_acked(cache: Cache) -> None:
    service = Service(cache)
    email_cache.save_draft(cache.db, Draft("e1", to="x@y.example"))
    mid = service.email.send(Draft("e1", EmailKind.REPLY, "m1", to="王芳 <wang@mail.example>",
                                   bcc="boss@shop.example", subject="Re: 订单", text="已发货"))
    [command] = service.outbox.pending()
    assert isinstance(command, SendEmail)
    assert (command.to, command.bcc, command.in_reply_to) == (
        ["wang@mail.example"], ["boss@shop.example"], "m1")
    assert cache.message(mid).status is MessageStatus.PENDING  # type: ignore[union-attr]
    queued = email_cache.details(cache.db, mid)
    assert queued is not None and queued.status is EmailStatus.QUEUED
    assert email_cache.load_draft(cache.db, "e1") is None  # the draft became the mail
    assert service.woken == 1
    service.outbox.resolve(command.op)
    assert cache.message(mid).status is MessageStatus.SENT  # type: ignore[union-attr]
    cache.apply_events([event(2, EmailStatusChanged("e1", mid, EmailStatus.FAILED,
                                                    EmailFailure.BOUNCE, "550 no such user"))])
    failed = email_cache.details(cache.db, mid)
    assert failed is not None and failed.failure is EmailFailure.BOUNCE
    assert failed.failure_detail == "550 no such user"
    assert cache.message(mid).status is MessageStatus.FAILED  # type: ignore[union-attr]


def test_a_refused_send_fails_with_the_code(cache: Cache) -> None:
    service = Service(cache)
    mid = service.email.send(Draft("e1", to="a@b.example", subject="s", text="t"))
    [command] = service.outbox.pending()
    service.outbox.reject(command.op, "too_large")
    details = email_cache.details(cache.db, mid)
    assert details is not None and details.status is EmailStatus.FAILED
    assert details.failure_detail == "too_large"
    assert cache.message(mid).status is MessageStatus.FAILED  # type: ignore[union-attr]


def test_invalid_draft_is_refused_and_nothing_stored(cache: Cache) -> None:
    service = Service(cache)
    with pytest.raises(DraftInvalid) as caught:
        service.email.send(Draft("e1", to="a@b.example", subject="x\r\nBcc: v@w.example"))
    assert caught.value.issues
    assert len(service.outbox) == 0 and cache.messages("e1") == []


def test_mail_with_files_waits_for_uploads_and_survives_restart(tmp_path: Path) -> None:
    path = tmp_path / "cache.sqlite3"
    cache = Cache(path)
    cache.apply_events([event(1, email_assigned("e1", messages=[]))])
    service = Service(cache)
    attachment = tmp_path / "报价.pdf"
    attachment.write_bytes(b"%PDF-1.4 ...")
    item = EmailService.file_to_send(attachment)
    assert (item.filename, item.content_type, item.size) == ("报价.pdf", "application/pdf", 12)
    mid = service.email.send(Draft("e1", to="a@b.example", subject="s", text="t", files=[item]))
    assert len(service.outbox) == 0  # nothing to the hub before the file is up
    cache.close()
    reopened = Cache(path)
    [pending] = email_cache.pending_sends(reopened.db)
    assert pending.message_id == mid and pending.files == [item]
