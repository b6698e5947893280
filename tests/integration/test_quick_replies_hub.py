"""Quick replies and suggestions through a real hub over real websockets: the demo's
replies in the snapshot, an edit reaching the agent's other connection and nobody
else's, permissions, suggestions after a customer's message, verdicts."""

from __future__ import annotations

import uuid

from core.protocol import agent as ap
from core.protocol import assist
from hub.demo.simulator import SimCustomer
from testbed.agent_probe import AgentProbe
from tests.conftest import HubProcess

TEAM, PERSONAL = assist.QuickReplyScope.TEAM, assist.QuickReplyScope.PERSONAL


def op() -> str:
    return uuid.uuid4().hex


def snapshot_replies(probe: AgentProbe) -> list[assist.QuickReply]:
    last = [f for f in probe.frames if isinstance(f, ap.Snapshot) and f.last]
    assert last and last[-1].quick_replies is not None
    return last[-1].quick_replies


def saved(probe: AgentProbe) -> list[assist.QuickReply]:
    return [b.reply for b in probe.bodies(assist.QuickReplySaved)]


async def test_the_snapshot_brings_the_demo_replies_each_agent_may_see(hub: HubProcess) -> None:
    lina = await AgentProbe.logged_in(hub.url, "lina")
    alex = await AgentProbe.logged_in(hub.url, "alex")
    await lina.wait_for(lambda: any(isinstance(f, ap.Snapshot) for f in lina.frames))
    await alex.wait_for(lambda: any(isinstance(f, ap.Snapshot) for f in alex.frames))
    mine = {r.title: r for r in snapshot_replies(lina)}
    theirs = {r.title for r in snapshot_replies(alex)}
    assert {"退货退款流程", "Refund status", "Email sign-off"} <= mine.keys() & theirs
    assert mine["稍等查询"].scope is PERSONAL and "稍等查询" not in theirs
    assert "Checking now" in theirs and "Checking now" not in mine
    await lina.close()
    await alex.close()


async def test_an_edit_reaches_the_agents_other_connection_and_nobody_else(
        hub: HubProcess) -> None:
    first = await AgentProbe.logged_in(hub.url, "lina")
    second = await AgentProbe.logged_in(hub.url, "lina")
    alex = await AgentProbe.logged_in(hub.url, "alex")
    wang = await AgentProbe.logged_in(hub.url, "wang")
    [mine] = [r for r in snapshot_replies(first) if r.title == "稍等查询"]

    ack = await first.command(assist.SaveQuickReply(
        op=op(), reply_id=mine.id, scope=PERSONAL, title="稍等查询", text="马上为您查询～",
        shortcut="ddy"))
    assert isinstance(ack, ap.Ack)
    await second.wait_body(assist.QuickReplySaved, lambda b: b.reply.text == "马上为您查询～")
    # A team reply from the supervisor afterwards: Alex hears of it, and of nothing
    # before it (Lina's personal edit never reached him).
    team = await wang.command(assist.SaveQuickReply(
        op=op(), reply_id="qr_holiday", scope=TEAM, title="节假日发货",
        text="节假日期间正常发货，物流可能延迟 1-2 天。"))
    assert isinstance(team, ap.Ack)
    await alex.wait_body(assist.QuickReplySaved, lambda b: b.reply.id == "qr_holiday")
    assert [r.id for r in saved(alex)] == ["qr_holiday"]
    for probe in (first, second):
        await probe.wait_body(assist.QuickReplySaved, lambda b: b.reply.id == "qr_holiday")

    # Lina may not touch team replies, nor Alex Lina's.
    refused = await first.command(assist.DeleteQuickReply(op=op(), reply_id="qr_holiday"))
    assert isinstance(refused, ap.Error) and refused.code == "forbidden"
    hidden = await alex.command(assist.DeleteQuickReply(op=op(), reply_id=mine.id))
    assert isinstance(hidden, ap.Error) and hidden.code == "not_found"
    for probe in (first, second, alex, wang):
        await probe.close()


async def test_a_customers_message_brings_suggestions_and_a_verdict_is_listed(
        hub: HubProcess) -> None:
    lina = await AgentProbe.logged_in(hub.url, "lina")
    customer = SimCustomer(hub.customer_ws_url, name="王芳")
    await customer.connect()
    await customer.send("你好")
    await lina.wait_body(ap.ConversationAssigned, timeout=10)
    asked = await customer.send("收到的商品有破损，怎么办？")
    suggested = await lina.wait_body(
        assist.AssistSuggestions, lambda b: b.message_id == asked.id, timeout=10)
    # The quick reply that fits, beside the knowledge base's article on the same case.
    first = next(i for i in suggested.items if i.kind is assist.SuggestionKind.QUICK_REPLY)
    assert first.title == "商品破损" and "有破损" in first.matched
    assert any(i.kind is assist.SuggestionKind.ARTICLE for i in suggested.items)
    # After the message itself, in the same stream.
    seqs = {type(e.body): e.seq for e in lina.events
            if getattr(getattr(e.body, "message", None), "id", None) == asked.id
            or getattr(e.body, "message_id", None) == asked.id}
    assert seqs[ap.MessageAdded] < seqs[assist.AssistSuggestions]

    verdict = await lina.command(assist.SuggestionFeedback(
        op=op(), conversation_id=suggested.conversation_id, message_id=asked.id,
        kind=assist.SuggestionKind.QUICK_REPLY, item_id=first.id,
        verdict=assist.FeedbackVerdict.WRONG))
    assert isinstance(verdict, ap.Ack)
    refused = await lina.command(assist.ListSuggestionFeedback(op=op()))
    assert isinstance(refused, ap.Error) and refused.code == "forbidden"
    wang = await AgentProbe.logged_in(hub.url, "wang")
    read = assist.ListSuggestionFeedback(op=op())
    await wang.send(read)
    listed = await wang.wait_for(lambda: next(
        (f for f in wang.frames if isinstance(f, assist.SuggestionFeedbackList)), None))
    assert (listed.wrong, [e.title for e in listed.entries]) == (1, ["商品破损"])
    await customer.disconnect()
    for probe in (lina, wang):
        await probe.close()
