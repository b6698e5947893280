"""The desktop's first listing of the knowledge base into its offline copy survives an
interruption: a desktop closed after the first page goes on, when started again,
after the last page it stored (not from the first), and ends with every published
article of the hub searchable offline; an article withdrawn meanwhile and one the
hub no longer has are gone, one published meanwhile is there."""

from __future__ import annotations

import asyncio
import uuid
from pathlib import Path
from typing import Any

import msgspec
import pytest

from core.assist import kb_cache, kb_listing
from core.cache.cache import Cache
from core.protocol.knowledge import (
    KbArticle,
    KbArticles,
    KbLanguage,
    KbList,
    KbSave,
    KbStatus,
)
from core.protocol.models import AgentInfo
from core.session.agent_service import AgentService
from core.sync.client import SyncClient
from testbed.agent_probe import AgentProbe, eventually, login
from tests.conftest import HubProcess

PAGE = 10  # the demo's 40 articles in four pages and a bit


class ListingClient(SyncClient):
    """The real sync client; it notes each page asked for and, once ``send_pages``
    have gone out, sends no more (a link that died just then)."""

    def __init__(self, *args: Any) -> None:
        super().__init__(*args)
        self.asked: list[str | None] = []
        self.send_pages: int | None = None

    def request(self, frame: Any) -> bool:
        if isinstance(frame, KbList):
            self.asked.append(frame.after)
            if self.send_pages is not None and len(self.asked) > self.send_pages:
                return True
        return super().request(frame)


async def signed_in(hub: HubProcess, cache: Cache, send_pages: int | None = None
                    ) -> tuple[AgentService, ListingClient]:
    data = await asyncio.to_thread(login, hub.url, "lina", "zuoxi-demo")
    service = AgentService(cache, msgspec.convert(data["agent"], AgentInfo))
    clients: list[ListingClient] = []

    def client(delegate: Any) -> ListingClient:
        clients.append(ListingClient(hub.agent_ws_url, data["token"], delegate))
        clients[0].send_pages = send_pages
        return clients[0]

    service.connect(client)
    return service, clients[0]


async def published_on_hub(editor: AgentProbe) -> dict[str, KbArticle]:
    frame = KbList(op=uuid.uuid4().hex, limit=100)
    await editor.send(frame)
    page = await editor.wait_for(lambda: next(
        (f for f in editor.frames if isinstance(f, KbArticles) and f.op == frame.op), None),
        timeout=30)
    assert page.next_after is None
    return {a.id: a for a in page.articles}


async def test_an_interrupted_listing_goes_on_where_it_stopped_and_ends_complete(
        hub: HubProcess, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(kb_listing, "PAGE", PAGE)
    path = tmp_path / "cache.sqlite3"
    cache = Cache(path)
    # An article this desktop cached once that the hub no longer has (no event says so).
    ghost = KbArticle(id="zz-gone", title="Phantom zqxghost 幽灵文章", body="# Ghost\n\nGone.",
                      language=KbLanguage.EN, tags=[], status=KbStatus.PUBLISHED, version=1,
                      author="x", updated_at=1, answer="Gone.")
    with cache.db.atomic():
        kb_cache.store(cache.db, ghost)
    assert [h.article.id for h in kb_cache.search(cache.db, "zqxghost")] == [ghost.id]

    # First sign-in: the listing stops after its first page (the desktop is closed).
    service, client = await signed_in(hub, cache, send_pages=1)

    def first_page_stored() -> bool:
        progress = kb_cache.listing(cache.db)
        return progress is not None and progress.done == PAGE

    await eventually(first_page_stored, timeout=60)
    assert len(client.asked) == 2  # the second page was asked for as the first arrived
    await service.disconnect()
    cache.close()
    assert client.asked[0] is None
    first_page_last = client.asked[1]
    assert first_page_last is not None

    # Meanwhile a supervisor withdraws an article of that first page and publishes a
    # new one whose id sorts before it (the listing will not pass there again).
    editor = await AgentProbe.logged_in(hub.url, "wang")
    before = await published_on_hub(editor)
    withdrawn = before[sorted(before)[0]]
    for frame in (
        KbSave(op=uuid.uuid4().hex, article_id=withdrawn.id, title=withdrawn.title,
               body=withdrawn.body, language=withdrawn.language, tags=withdrawn.tags,
               status=KbStatus.DRAFT),
        KbSave(op=uuid.uuid4().hex, article_id="aa-new-parking", title="门店停车优惠",
               body="# 门店停车\n\n徐汇店地下停车场前两小时免费。", language=KbLanguage.ZH,
               status=KbStatus.PUBLISHED),
    ):
        answer = await editor.command(frame, timeout=30)
        assert type(answer).__name__ == "Ack", answer
    expected = await published_on_hub(editor)
    assert withdrawn.id not in expected and "aa-new-parking" in expected

    # Started again: the cache knows where the listing stopped.
    cache = Cache(path)
    saved = kb_cache.listing(cache.db)
    assert saved is not None and saved.after == first_page_last and saved.done == PAGE
    assert saved.total == len(before)
    assert kb_cache.article(cache.db, withdrawn.id) is not None  # cached by the first page
    service, client = await signed_in(hub, cache)
    await eventually(service.knowledge.is_listed, timeout=60)
    # It went on after the page it had stored; it never began again from the first.
    assert client.asked[0] == first_page_last and None not in client.asked
    rest = sum(article_id > first_page_last for article_id in expected)
    assert len(client.asked) == max(1, -(-rest // PAGE))  # each remaining page once
    assert service.knowledge.listing_progress() is None

    kb = service.knowledge
    assert {a.id for a in kb.articles()} == set(expected)
    for article in expected.values():  # each one found offline by its title
        assert article.id in [h.article.id for h in kb.search(article.title)], article.title
    assert kb.article(withdrawn.id) is None and kb.article(ghost.id) is None
    assert withdrawn.id not in [h.article.id for h in kb.search(withdrawn.title)]
    assert kb.search("zqxghost") == []
    stored = kb.article("aa-new-parking")
    assert stored is not None and stored.title == "门店停车优惠"
    await service.disconnect()
    await editor.close()
    cache.close()

