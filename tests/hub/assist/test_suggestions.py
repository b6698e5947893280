"""Suggestions on the hub: after a customer's message (chat) or mail has gone out to
the agent, the quick replies that answer it follow as an ``assist_suggestions``
event; the agent's verdicts are stored and listed for supervisors only."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from core.protocol import agent as ap
from core.protocol import assist
from core.protocol import customer as cp
from core.protocol.codec import agent_server_decoder
from core.protocol.models import Channel
from hub.assist.suggestions import ArticleHit, ArticleSource, Inquiry, QuickReplySource
from hub.composition import HubParts, compose
from hub.routing.offers import VirtualClock
from hub.store.schema import migrate
from hub.store.store import Store, create_engine
from tests.hub.test_unit_of_work import RecordingPeer, events_of

_decode = agent_server_decoder().decode
TEAM = assist.QuickReplyScope.TEAM


@dataclass
class Desk:
    parts: HubParts
    store: Store
    lina: str
    wang: str
    customer: str
    conversation: str
    lina_peer: RecordingPeer
    customer_peer: RecordingPeer

    def write(self, key: str, text: str) -> None:
        self.parts.service.customer_send(self.customer_peer, self.customer,
                                         cp.Send(id=key, text=text))

    def suggestions(self) -> list[assist.AssistSuggestions]:
        return [e.body for e in events_of(self.lina_peer, assist.AssistSuggestions)
                if isinstance(e.body, assist.AssistSuggestions)]


@pytest.fixture
def desk(tmp_path: Path) -> Iterator[Desk]:
    engine = create_engine(tmp_path / "hub.sqlite3")
    migrate(engine)
    store = Store(engine)
    parts = compose(store, clock=VirtualClock())
    lina = store.create_agent("lina", "李娜", "h")
    wang = store.create_agent("wang", "王伟", "h", "supervisor")
    store.set_agent_queues(lina, ["chat"])
    customer = store.create_customer("Mei")
    conversation = store.create_conversation(customer, queue="chat").id
    store.assign(conversation, lina)
    parts.routing.load()
    lina_peer, customer_peer = RecordingPeer("lina"), RecordingPeer("mei")
    parts.service.agent_joined(lina_peer, lina, ap.Hello(v=1, token="t"))
    parts.service.agent_joined(RecordingPeer("wang"), wang, ap.Hello(v=1, token="t"))
    parts.service.customers.add(customer, customer_peer)
    for op, rid, title, text in (
        ("s1", "qr-return", "退货流程", "退货请在“我的订单”中申请售后，快递员会上门取件。"),
        ("s2", "qr-refund", "Refund status",
         "Your refund for order [[order number]] was issued; it takes 3-5 business days."),
        ("s3", "qr-invoice", "开具发票", "电子发票会在确认收货后发到您的邮箱。"),
    ):
        parts.service.agent_command(wang, assist.SaveQuickReply(
            op=op, reply_id=rid, scope=TEAM, title=title, text=text))
    yield Desk(parts, store, lina, wang, customer, conversation, lina_peer, customer_peer)
    parts.service.stopped()
    engine.dispose()


def test_a_chat_message_gets_the_quick_replies_that_answer_it_after_itself(desk: Desk) -> None:
    desk.write("w1", "我想退货，怎么申请？")
    [suggested] = desk.suggestions()
    added = [e for e in events_of(desk.lina_peer, ap.MessageAdded)]
    [event] = events_of(desk.lina_peer, assist.AssistSuggestions)
    assert event.seq == added[-1].seq + 1  # right after the message, in its own unit
    assert suggested.conversation_id == desk.conversation
    assert suggested.message_id == added[-1].body.message.id  # type: ignore[union-attr]
    assert [i.id for i in suggested.items] == ["qr-return"]
    item = suggested.items[0]
    assert item.kind is assist.SuggestionKind.QUICK_REPLY and 0 < item.score <= 1
    assert "退货" in item.matched and "申请" in item.matched


def test_english_and_nothing_confident(desk: Desk) -> None:
    desk.write("w1", "Hi, where is my refund for order SO-4821?")
    desk.write("w2", "好的")
    [suggested] = desk.suggestions()  # "好的" matched nothing: no event for it
    assert [i.id for i in suggested.items] == ["qr-refund"]
    assert "refund" in suggested.items[0].matched


def test_a_broken_source_does_not_silence_the_others(desk: Desk) -> None:
    def broken(question: str, language: str | None, limit: int) -> list[ArticleHit]:
        raise RuntimeError("index missing")

    service = desk.parts.service.suggestions
    service.sources.append(ArticleSource(broken))
    inquiry = Inquiry(desk.lina, desk.conversation, "m1", Channel.CHAT, "我想退货")
    assert [i.id for i in service.items_for(inquiry)] == ["qr-return"]


def test_article_hits_become_suggestions_beside_quick_replies(desk: Desk) -> None:
    def search(question: str, language: str | None, limit: int) -> list[ArticleHit]:
        return [ArticleHit("kb-returns", "退货政策", "收到商品 7 天内可无理由退货。", 0.9,
                           ("退货",))] if "退货" in question else []

    service = desk.parts.service.suggestions
    service.sources.append(ArticleSource(search))
    inquiry = Inquiry(desk.lina, desk.conversation, "m1", Channel.CHAT, "我想退货，怎么申请")
    items = service.items_for(inquiry)
    assert [(i.kind, i.id) for i in items] == [
        (assist.SuggestionKind.ARTICLE, "kb-returns"),
        (assist.SuggestionKind.QUICK_REPLY, "qr-return")]
    assert isinstance(service.sources[0], QuickReplySource)
    # A verdict on the article is listed with the title it was suggested under.
    desk.write("w1", "我想退货，怎么申请？")
    [suggested] = desk.suggestions()
    assert suggested.items[0].id == "kb-returns"
    desk.parts.service.agent_command(desk.lina, assist.SuggestionFeedback(
        op="f1", conversation_id=desk.conversation, message_id=suggested.message_id,
        kind=assist.SuggestionKind.ARTICLE, item_id="kb-returns",
        verdict=assist.FeedbackVerdict.HELPFUL))
    listed = _decode(desk.parts.service.list_suggestion_feedback(
        desk.wang, assist.ListSuggestionFeedback(op="l1")))
    assert isinstance(listed, assist.SuggestionFeedbackList)
    assert [(e.kind, e.title) for e in listed.entries] == [
        (assist.SuggestionKind.ARTICLE, "退货政策")]


def test_feedback_is_stored_once_per_suggestion_and_listed_for_supervisors(desk: Desk) -> None:
    desk.write("w1", "我想退货，怎么申请？")
    [suggested] = desk.suggestions()
    service = desk.parts.service

    def verdict(op: str, v: assist.FeedbackVerdict) -> ap.Ack | ap.Error:
        frame = _decode(service.agent_command(desk.lina, assist.SuggestionFeedback(
            op=op, conversation_id=desk.conversation, message_id=suggested.message_id,
            kind=assist.SuggestionKind.QUICK_REPLY, item_id="qr-return", verdict=v)))
        assert isinstance(frame, ap.Ack | ap.Error)
        return frame

    assert isinstance(verdict("f1", assist.FeedbackVerdict.WRONG), ap.Ack)
    assert isinstance(verdict("f2", assist.FeedbackVerdict.HELPFUL), ap.Ack)  # changed mind
    assert isinstance(verdict("f2", assist.FeedbackVerdict.HELPFUL), ap.Ack)  # a retry

    listed = _decode(service.list_suggestion_feedback(
        desk.wang, assist.ListSuggestionFeedback(op="l1")))
    assert isinstance(listed, assist.SuggestionFeedbackList)
    assert (listed.helpful, listed.wrong) == (1, 0)
    [entry] = listed.entries
    assert (entry.item_id, entry.verdict, entry.agent_name, entry.title) == (
        "qr-return", assist.FeedbackVerdict.HELPFUL, "李娜", "退货流程")

    refused = _decode(service.list_suggestion_feedback(
        desk.lina, assist.ListSuggestionFeedback(op="l2")))
    assert isinstance(refused, ap.Error) and refused.code == "forbidden"


def test_feedback_on_someone_elses_conversation_is_refused(desk: Desk) -> None:
    frame = _decode(desk.parts.service.agent_command(desk.wang, assist.SuggestionFeedback(
        op="f1", conversation_id=desk.conversation, message_id="m1",
        kind=assist.SuggestionKind.QUICK_REPLY, item_id="qr-return",
        verdict=assist.FeedbackVerdict.WRONG)))
    assert isinstance(frame, ap.Error) and frame.code == "not_found"
