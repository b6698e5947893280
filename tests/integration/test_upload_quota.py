"""Finding 16 (uploads): an agent's unsent uploads have a quota, and uploads that
no mail used are deleted after a while; uploads a mail used stay."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from pathlib import Path

import pytest
import sqlalchemy as sa

from bench.hub_latency import login
from core.email.http_client import EmailHttpError, HubHttp
from hub.demo.seed import DEMO_PASSWORD
from hub.email.http_api import UPLOAD_QUOTA_FILES
from hub.process import HubProcess
from hub.store import schema as t
from hub.store.store import create_engine
from testbed.agent_probe import eventually


def _pending_uploads(hub: HubProcess) -> int:
    engine = create_engine(hub.db_path)
    with engine.connect() as conn:
        n = conn.execute(sa.select(sa.func.count()).select_from(t.email_attachments).where(
            t.email_attachments.c.message_id.is_(None))).scalar_one()
    engine.dispose()
    return int(n)


def test_unsent_uploads_have_a_quota_per_agent(make_hub: Callable[..., HubProcess],
                                                tmp_path: Path) -> None:
    hub = make_hub("--email-mailbox", "support@shop.example")
    lina = HubHttp(hub.url, login(hub.url, "lina", DEMO_PASSWORD))
    alex = HubHttp(hub.url, login(hub.url, "alex", DEMO_PASSWORD))
    note = tmp_path / "note.txt"
    note.write_text("x")
    for _ in range(UPLOAD_QUOTA_FILES):
        asyncio.run(lina.upload(note, note.name, "text/plain"))
    with pytest.raises(EmailHttpError) as refused:
        asyncio.run(lina.upload(note, note.name, "text/plain"))
    assert refused.value.code == "upload_quota"
    assert _pending_uploads(hub) == UPLOAD_QUOTA_FILES
    # Another agent has a quota of their own.
    asyncio.run(alex.upload(note, note.name, "text/plain"))


def test_unused_uploads_are_deleted(make_hub: Callable[..., HubProcess],
                                    tmp_path: Path) -> None:
    hub = make_hub("--email-mailbox", "support@shop.example", "--email-upload-ttl", "2")
    lina = HubHttp(hub.url, login(hub.url, "lina", DEMO_PASSWORD))
    note = tmp_path / "note.txt"
    note.write_text("x")
    upload = asyncio.run(lina.upload(note, note.name, "text/plain"))
    assert asyncio.run(lina.attachment(upload.id)) == b"x"
    started = time.monotonic()
    asyncio.run(eventually(lambda: _pending_uploads(hub) == 0, timeout=30))
    assert time.monotonic() - started >= 2
    with pytest.raises(EmailHttpError) as gone:
        asyncio.run(lina.attachment(upload.id))
    assert gone.value.code == "not_found"
