"""Attachments over the hub's email HTTP endpoints, as the desktop core uses them: a
real hub, uploads that wait while offline and go out once the hub is reachable."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path

import pytest

from bench.hub_latency import login
from core.cache.cache import Cache
from core.email import cache as email_cache
from core.email.compose import Draft
from core.email.http_client import EmailHttpError, HubHttp, TooLarge
from core.email.service import EmailService
from core.protocol.email import MAX_UPLOAD_BYTES, EmailStatus, SendEmail
from core.protocol.models import AgentInfo
from core.sync.outbox import Outbox
from hub.demo.seed import DEMO_PASSWORD
from hub.process import HubProcess
from tests.core.email_factories import email_assigned
from tests.core.factories import event


@pytest.fixture
def email_hub(make_hub: Callable[..., HubProcess]) -> HubProcess:
    return make_hub("--email-mailbox", "support@shop.example")


def test_upload_and_errors(email_hub: HubProcess, tmp_path: Path) -> None:
    http = HubHttp(email_hub.url, login(email_hub.url, "lina", DEMO_PASSWORD))
    report = tmp_path / "报告.txt"
    report.write_text("月度报告", encoding="utf-8")
    upload = asyncio.run(http.upload(report, report.name, "text/plain"))
    assert (upload.filename, upload.content_type, upload.size) == (
        "报告.txt", "text/plain", len("月度报告".encode()))
    with pytest.raises(EmailHttpError) as missing:
        asyncio.run(http.attachment("no-such-attachment"))
    assert missing.value.code == "not_found"
    with pytest.raises(EmailHttpError) as refused:
        asyncio.run(HubHttp(email_hub.url, "not-a-token").attachment("x"))
    assert refused.value.code not in ("", "not_found")
    huge = tmp_path / "huge.bin"
    with huge.open("wb") as f:
        f.truncate(MAX_UPLOAD_BYTES + 1)
    with pytest.raises(TooLarge):  # refused here, before a byte is sent
        asyncio.run(http.upload(huge, huge.name, "application/octet-stream"))


def test_mail_waits_offline_then_uploads_and_queues(email_hub: HubProcess,
                                                     tmp_path: Path) -> None:
    cache = Cache(tmp_path / "cache.sqlite3")
    cache.apply_events([event(1, email_assigned("e1", messages=[]))])
    outbox = Outbox(cache)
    agent = AgentInfo(id="a1", username="lina", display_name="李娜")
    service = EmailService(cache, outbox, lambda _c: None, lambda: None, lambda: agent)
    kept = tmp_path / "invoice.pdf"
    kept.write_bytes(b"%PDF-1.4\n" * 10)
    gone = tmp_path / "gone.pdf"
    gone.write_bytes(b"x")
    first = service.send(Draft("e1", to="a@b.example", subject="s", text="t",
                               files=[service.file_to_send(kept)]))
    second = service.send(Draft("e1", to="a@b.example", subject="s2", text="t2",
                                files=[service.file_to_send(gone)]))
    gone.unlink()
    assert asyncio.run(service.upload_pending()) == 0  # offline: nothing happens
    assert len(outbox) == 0 and len(email_cache.pending_sends(cache.db)) == 2
    service.set_hub(email_hub.url, login(email_hub.url, "lina", DEMO_PASSWORD))
    assert asyncio.run(service.upload_pending()) == 1
    [command] = outbox.pending()
    assert isinstance(command, SendEmail) and command.message_id == first
    assert len(command.attachment_ids) == 1
    failed = email_cache.details(cache.db, second)
    assert failed is not None and failed.status is EmailStatus.FAILED
    assert failed.failure_detail == "unreadable"
    assert email_cache.pending_sends(cache.db) == []
