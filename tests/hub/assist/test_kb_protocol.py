"""The knowledge base over the agent protocol, on a real hub over websockets: an agent
searches and reads; only a supervisor creates, sees drafts and publishes; published
articles reach every desktop as events."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

import pytest

from core.protocol import agent as ap
from core.protocol import knowledge as kp
from hub.process import HubProcess
from testbed.agent_probe import AgentProbe

pytestmark = pytest.mark.timeout(900)

FIRST_SEARCH_S = 300.0  # the first search loads the model and embeds the demo articles


def op() -> str:
    return uuid.uuid4().hex


async def ask(probe: AgentProbe, frame: Any, timeout: float = 30.0) -> Any:
    """Send a read or command; its answer (results, article, page, ack or error)."""
    await probe.send(frame)

    def answered() -> Any:
        for f in probe.frames:
            if isinstance(f, kp.KbResults | kp.KbArticleFrame | kp.KbArticles | ap.Ack
                          | kp.KbVersionList
                          | ap.Error) and f.op == frame.op:
                return f
        return None

    return await probe.wait_for(answered, timeout)


def kb_events(probe: AgentProbe) -> list[Any]:
    kinds = (kp.KbArticlePublished, kp.KbArticleDrafted, kp.KbArticleWithdrawn)
    return [e.body for e in probe.events if isinstance(e.body, kinds)]


async def test_agents_search_and_read_supervisors_edit_and_publish(
    make_hub: Callable[..., HubProcess],
) -> None:
    hub = make_hub()
    lina = await AgentProbe.logged_in(hub.url, "lina")
    wang = await AgentProbe.logged_in(hub.url, "wang")
    try:
        # Everyone searches (cross-lingual) and reads published articles.
        results = await ask(lina, kp.KbSearch(op=op(), text="礼品卡怎么用"), FIRST_SEARCH_S)
        assert isinstance(results, kp.KbResults), results
        assert results.hits[0].id == "en-gift-cards"
        assert results.hits[0].answer.startswith("Gift cards are redeemed")
        assert 0.5 <= results.hits[0].score <= 1
        nothing = await ask(lina, kp.KbSearch(op=op(), text="who won the football match"))
        assert isinstance(nothing, kp.KbResults) and nothing.hits == []
        article = await ask(lina, kp.KbFetch(op=op(), article_id="zh-battery-safety"))
        assert isinstance(article, kp.KbArticleFrame)
        assert article.article.status is kp.KbStatus.PUBLISHED
        assert article.article.answer.startswith("请立即停止使用和充电")

        # An agent may not edit; nothing is created.
        save = kp.KbSave(
            op=op(), article_id="zh-parking", title="门店停车",
            body="# 门店停车\n\n徐汇店地下停车场前两小时免费，凭购物小票在服务台盖章。",
            language=kp.KbLanguage.ZH, tags=["门店", "停车"],
        )
        refused = await ask(lina, save)
        assert isinstance(refused, ap.Error) and refused.code == "forbidden"
        missing = await ask(wang, kp.KbFetch(op=op(), article_id="zh-parking"))
        assert isinstance(missing, ap.Error) and missing.code == "not_found"

        # A supervisor saves a draft: only editors see it.
        saved = await ask(wang, kp.KbSave(**{**_fields(save), "op": op()}))
        assert isinstance(saved, ap.Ack) and saved.seq is not None
        drafted = await wang.wait_body(kp.KbArticleDrafted)
        assert drafted.article.id == "zh-parking" and drafted.article.author == "wang"
        hidden = await ask(lina, kp.KbFetch(op=op(), article_id="zh-parking"))
        assert isinstance(hidden, ap.Error) and hidden.code == "not_found"
        no_drafts = await ask(lina, kp.KbSearch(op=op(), text="停车", drafts=True))
        assert isinstance(no_drafts, ap.Error) and no_drafts.code == "forbidden"
        question = "去门店买东西停车收费吗"
        assert "zh-parking" not in [h.id for h in (await ask(
            lina, kp.KbSearch(op=op(), text=question))).hits]
        with_drafts = await ask(wang, kp.KbSearch(op=op(), text=question, drafts=True))
        assert "zh-parking" in [h.id for h in with_drafts.hits]

        # Publishing reaches every desktop as an event; the agent's stream shows the
        # published article as its first knowledge-base event (the draft never came).
        publish = kp.KbPublish(op=op(), article_id="zh-parking")
        published = await ask(wang, publish)
        assert isinstance(published, ap.Ack) and published.seq is not None
        event = await lina.wait_body(kp.KbArticlePublished)
        assert event.article.id == "zh-parking" and event.article.version == 2
        assert [type(b) for b in kb_events(lina)] == [kp.KbArticlePublished]
        found = await ask(lina, kp.KbSearch(op=op(), text=question))
        assert found.hits[0].id == "zh-parking"

        # The same op again is answered from the ops table and changes nothing.
        await wang.send(publish)
        again = await wang.wait_for(lambda: [
            f for f in wang.frames if isinstance(f, ap.Ack) and f.op == publish.op
        ][1:])
        assert again[0].seq == published.seq
        versions_seen = [b.article.version for b in kb_events(wang)]
        assert versions_seen == [1, 2]

        # Pages of published articles, for a desktop's offline copy.
        ids: list[str] = []
        after: str | None = None
        while True:
            page = await ask(lina, kp.KbList(op=op(), after=after, limit=15))
            assert isinstance(page, kp.KbArticles)
            ids += [a.id for a in page.articles]
            if page.next_after is None:
                break
            after = page.next_after
        assert "zh-parking" in ids and "en-gift-cards" in ids
        assert len(ids) == len(set(ids)) == 41

        # Drafts and version histories are for editors only.
        await ask(wang, kp.KbSave(**{**_fields(save), "op": op(), "article_id": "zh-draft"}))
        drafts = await ask(lina, kp.KbList(op=op(), drafts=True))
        assert isinstance(drafts, ap.Error) and drafts.code == "forbidden"
        every = await ask(wang, kp.KbList(op=op(), after="zh-c", limit=100, drafts=True))
        assert isinstance(every, kp.KbArticles)
        assert "zh-draft" in [a.id for a in every.articles]
        history = await ask(lina, kp.KbVersions(op=op(), article_id="zh-parking"))
        assert isinstance(history, ap.Error) and history.code == "forbidden"
        history = await ask(wang, kp.KbVersions(op=op(), article_id="zh-parking"))
        assert isinstance(history, kp.KbVersionList)
        assert [(v.version, v.status, v.author) for v in history.versions] == [
            (1, kp.KbStatus.DRAFT, "wang"), (2, kp.KbStatus.PUBLISHED, "wang")]
        unknown = await ask(wang, kp.KbVersions(op=op(), article_id="zh-nothing"))
        assert isinstance(unknown, ap.Error) and unknown.code == "not_found"
    finally:
        await lina.close()
        await wang.close()


def _fields(frame: kp.KbSave) -> dict[str, Any]:
    return {f: getattr(frame, f) for f in frame.__struct_fields__}
