"""The knowledge base in the desktop's cache: events keep it current, a listing fills
it, offline search finds Chinese and English by their words, drafts stay with editors
and edits go through the outbox."""

from __future__ import annotations

from typing import Any

import pytest

from core.assist.kb_search import merged_words, terms
from core.assist.knowledge_base import ArticleDraft, KnowledgeEditError, parse_tags
from core.cache.cache import Cache
from core.protocol import routing as rp
from core.protocol.knowledge import (
    KbArticle,
    KbArticleDrafted,
    KbArticlePublished,
    KbArticles,
    KbArticleWithdrawn,
    KbLanguage,
    KbList,
    KbSave,
    KbStatus,
)
from core.protocol.models import AgentInfo
from core.session.agent_service import AgentService
from tests.core.factories import event

ME = AgentInfo(id="a-lina", username="lina", display_name="李娜")
ZH, EN = KbLanguage.ZH, KbLanguage.EN


def service_as(role: rp.AgentRole) -> AgentService:
    service = AgentService(Cache(":memory:"), ME)
    service.routing_frame_received(rp.RoutingConfig(
        role=role, queues=[], all_queues=[], away_reasons=[], offer_timeout_s={}))
    return service


def article(aid: str, title: str, body: str, language: KbLanguage = ZH, version: int = 1,
            status: KbStatus = KbStatus.PUBLISHED, tags: list[str] | None = None) -> KbArticle:
    return KbArticle(id=aid, title=title, body=body, language=language, tags=tags or [],
                     status=status, version=version, author="wang", updated_at=1,
                     answer=body.splitlines()[-1])


RETURNS = article("zh-returns", "退货退款流程",
                  "# 退货退款流程\n\n在“我的订单”中点击“申请售后”，七天内可退货。", tags=["售后"])
BATTERY = article("zh-battery", "电池鼓包怎么办",
                  "# 电池鼓包\n\n请立即停止使用和充电，联系门店更换。")
GIFT = article("en-gift-cards", "Using a gift card",
               "# Gift cards\n\nGift cards are redeemed at checkout under Payment.", EN)


def ids(hits: list[Any]) -> list[str]:
    return [h.article.id for h in hits]


def test_events_fill_the_cache_and_offline_search_finds_chinese_and_english() -> None:
    service = service_as(rp.AgentRole.AGENT)
    changed: list[str] = []
    service.knowledge_base_did_change.connect(lambda: changed.append("x"))
    service.events_received([event(1, KbArticlePublished(RETURNS)),
                             event(2, KbArticlePublished(BATTERY)),
                             event(3, KbArticlePublished(GIFT))])
    assert changed == ["x"]
    kb = service.knowledge
    hits = kb.search("我想退货，怎么申请？")
    assert ids(hits)[0] == "zh-returns"
    assert "退货" in hits[0].matched and 0 < hits[0].score <= 1
    assert ids(kb.search("手机电池鼓起来了")) == ["zh-battery"]
    assert ids(kb.search("how do I use my GIFT card")) == ["en-gift-cards"]
    assert kb.search("天气预报") == [] and kb.search("the weather") == []
    assert kb.search("售后")[0].article.id == "zh-returns"  # tags are searched too
    assert kb.article("zh-returns") == RETURNS

    # An older version never replaces a newer one; a withdrawal removes the article.
    newer = article("zh-returns", "退货流程（新）", "# 新\n\n十五天内可退货。", version=3)
    service.events_received([event(4, KbArticlePublished(newer)),
                             event(5, KbArticlePublished(RETURNS))])
    assert kb.article("zh-returns") == newer
    service.events_received([event(6, KbArticleWithdrawn("zh-battery"))])
    assert kb.article("zh-battery") is None and kb.search("电池鼓包") == []


def test_drafts_are_for_editors_and_an_agent_may_not_edit() -> None:
    draft = article("zh-parking", "门店停车", "# 停车\n\n前两小时免费。", status=KbStatus.DRAFT)
    boss = service_as(rp.AgentRole.SUPERVISOR)
    boss.events_received([event(1, KbArticleDrafted(draft))])
    assert ids(boss.knowledge.search("停车收费吗")) == ["zh-parking"]
    assert boss.knowledge.article("zh-parking") == draft

    agent = service_as(rp.AgentRole.AGENT)
    # Even if a draft were in an agent's cache, it would not be shown.
    agent.events_received([event(1, KbArticleDrafted(draft))])
    assert agent.knowledge.search("停车") == [] and agent.knowledge.article("zh-parking") is None
    assert agent.knowledge.articles() == []
    with pytest.raises(KnowledgeEditError) as refused:
        agent.knowledge.save(ArticleDraft("标题", "正文", ZH))
    assert refused.value.code == "forbidden"
    assert agent.pending_commands() == []


def test_an_editor_saves_through_the_outbox_and_too_long_text_is_refused_whole() -> None:
    boss = service_as(rp.AgentRole.SUPERVISOR)
    kb = boss.knowledge
    with pytest.raises(KnowledgeEditError) as empty:
        kb.save(ArticleDraft("  ", "正文", ZH))
    assert empty.value.code == "empty"
    with pytest.raises(KnowledgeEditError) as long:
        kb.save(ArticleDraft("标题", "字" * 12_001, ZH))
    assert long.value.code == "too_long"
    new_id = kb.save(ArticleDraft(" 门店  停车 ", "# 停车\n\n免费。", ZH,
                                  parse_tags("门店，停车; parking")), publish=True)
    (command,) = boss.pending_commands()
    assert isinstance(command, KbSave) and command.article_id == new_id
    assert (command.title, command.status, command.tags) == (
        "门店 停车", KbStatus.PUBLISHED, ["门店", "停车", "parking"])
    assert kb.pending_edits(new_id) == 1


class Requests:
    def __init__(self) -> None:
        self.sent: list[Any] = []

    def __call__(self, frame: Any) -> bool:
        self.sent.append(frame)
        return True


def test_a_listing_fills_the_cache_page_by_page_and_drops_what_the_hub_no_longer_has() -> None:
    service = service_as(rp.AgentRole.AGENT)
    kb, requests = service.knowledge, Requests()
    kb.attach(requests)
    service.events_received([event(1, KbArticlePublished(
        article("zh-old", "旧文章", "# 旧\n\n已删除。")))])
    kb.went_live()
    (first,) = requests.sent
    assert isinstance(first, KbList) and first.drafts is False and first.after is None
    service.profile_frame_received(KbArticles(op=first.op, articles=[RETURNS],
                                              next_after="zh-returns"))
    second = requests.sent[-1]
    assert isinstance(second, KbList) and second.after == "zh-returns"
    service.profile_frame_received(KbArticles(op=second.op, articles=[GIFT, BATTERY]))
    assert sorted(a.id for a in kb.articles()) == ["en-gift-cards", "zh-battery", "zh-returns"]
    kb.went_live()  # listed once: not again until a snapshot says events were missed
    assert len(requests.sent) == 2


def test_terms_pair_chinese_characters_and_merge_them_back() -> None:
    words = terms("怎么申请退货退款? Gift-card")
    assert [t.text for t in words] == ["申请", "请退", "退货", "货退", "退款", "gift", "card"]
    assert merged_words(words[:5]) == ("申请退货退款",)
