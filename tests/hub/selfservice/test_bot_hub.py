"""A real hub with the bot on for chats without a topic, real websocket clients."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
import sqlalchemy as sa

from core.protocol import agent as ap
from core.protocol import customer as cp
from core.protocol.models import MessageAuthor
from hub.demo.simulator import SimCustomer
from hub.store.base import create_engine
from testbed.agent_probe import AgentProbe
from tests.conftest import HubProcess
from tests.support.hub_sql import hub_rows

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture
def bot_hub(make_hub: Callable[..., HubProcess], tmp_path: Path) -> HubProcess:
    text = (ROOT / "hub" / "routing.toml").read_text(encoding="utf-8")
    assert "\n[bot]\n" in text
    config = tmp_path / "routing.toml"
    config.write_text(text.replace("\n[bot]\n", "\n[bot]\nno_topic = true\n"), encoding="utf-8")
    return make_hub("--routing-config", str(config))


def bot_frames(customer: SimCustomer, code: str | None = None) -> list[cp.BotReply]:
    return [f for f in customer.frames
            if isinstance(f, cp.BotReply) and (code is None or f.code == code)]


async def wait_bot(customer: SimCustomer, code: str, count: int = 1,
                   timeout: float = 15) -> cp.BotReply:
    await customer.wait_for(lambda: len(bot_frames(customer, code)) >= count, timeout)
    return bot_frames(customer, code)[count - 1]


def db_rows(hub: HubProcess, sql: str) -> list[tuple[object, ...]]:
    return hub_rows(hub.db_path, sql)


async def test_answered_from_the_kb_and_confirmed(bot_hub: HubProcess) -> None:
    agent = await AgentProbe.logged_in(bot_hub.url)
    customer = SimCustomer(bot_hub.customer_ws_url, name="Emma", locale="en-GB")
    welcome = await customer.connect()
    assert welcome.bot is True
    await customer.send("How do I reset my password?")
    answer = await wait_bot(customer, "answer")
    assert answer.article is not None and answer.article.id == "en-password-reset"
    assert answer.article.answer and answer.article.body.startswith("# ")
    await customer._send_frame(cp.BotFeedback(article_id=answer.article.id, answered=True))
    await wait_bot(customer, "glad")
    await customer.close_conversation()
    await customer.wait_for(lambda: any(isinstance(f, cp.Closed) for f in customer.frames))
    rows = db_rows(bot_hub, "SELECT contained, answers, handoff_reason FROM bot_conversations")
    assert rows == [(1, 1, None)]
    # No agent was ever offered it, though one was available all along.
    assert agent.bodies(ap.ConversationAssigned) == []
    assert db_rows(bot_hub, "SELECT count(*) FROM offers WHERE conversation_id = "
                   f"'{answer.conversation_id}'") == [(0,)]
    stored = db_rows(bot_hub, "SELECT author FROM messages WHERE conversation_id = "
                     f"'{answer.conversation_id}' ORDER BY created_at")
    assert [r[0] for r in stored] == ["customer", "bot"]
    await customer.disconnect()
    await agent.close()


async def test_unanswerable_question_reaches_agent_with_transcript_and_reason(
    bot_hub: HubProcess,
) -> None:
    agent = await AgentProbe.logged_in(bot_hub.url)
    customer = SimCustomer(bot_hub.customer_ws_url, name="Emma", locale="en-GB")
    await customer.connect()
    await customer.send("How do I reset my password?")
    answer = await wait_bot(customer, "answer")
    assert answer.article is not None
    await customer.send("Can your drone film whales in Antarctica at night?")
    handoff = await wait_bot(customer, "handoff")
    assert handoff.reason == cp.HandoffReason.NO_ANSWER
    assigned = await agent.wait_body(ap.ConversationAssigned, timeout=10)
    authors = [m.author for m in assigned.messages]
    assert authors == [MessageAuthor.CUSTOMER, MessageAuthor.BOT, MessageAuthor.CUSTOMER,
                       MessageAuthor.SYSTEM]
    assert assigned.messages[-1].text == "bot.handoff:no_answer"
    assert "password" in assigned.messages[1].text.lower()

    # The person took it: the bot is silent from now on.
    await customer.send("How do I reset my password?")
    added = await agent.wait_body(
        ap.MessageAdded, lambda b: b.message.text == "How do I reset my password?"
        and b.message.id != assigned.messages[0].id)
    ack = await agent.reply(assigned.conversation.id, "Let me help you with that.")
    assert isinstance(ack, ap.Ack)
    await customer.wait_message(lambda m: m.text == "Let me help you with that.")
    assert added is not None
    assert len(bot_frames(customer, "answer")) == 1
    rows = db_rows(bot_hub, "SELECT text FROM bot_unanswered")
    assert rows == [("Can your drone film whales in Antarctica at night?",)]
    await customer.disconnect()
    await agent.close()


async def test_ask_for_person_by_words_and_by_button(bot_hub: HubProcess) -> None:
    agent = await AgentProbe.logged_in(bot_hub.url)
    first = SimCustomer(bot_hub.customer_ws_url, name="王芳", locale="zh-CN")
    await first.connect()
    await first.send("转人工")
    assert (await wait_bot(first, "handoff")).reason == cp.HandoffReason.ASKED
    assigned = await agent.wait_body(ap.ConversationAssigned, timeout=10)
    assert assigned.messages[-1].text == "bot.handoff:asked"

    second = SimCustomer(bot_hub.customer_ws_url, name="Tom", locale="en-GB")
    await second.connect()
    await second.send("How do I reset my password?")
    await wait_bot(second, "answer")
    await second._send_frame(cp.AskPerson())
    assert (await wait_bot(second, "handoff")).reason == cp.HandoffReason.ASKED
    await agent.wait_body(
        ap.ConversationAssigned, lambda b: b.customer.name == "Tom", timeout=10)
    await first.disconnect()
    await second.disconnect()
    await agent.close()


async def test_declined_answers_then_a_person(bot_hub: HubProcess) -> None:
    agent = await AgentProbe.logged_in(bot_hub.url)
    customer = SimCustomer(bot_hub.customer_ws_url, name="Tom", locale="en-GB")
    await customer.connect()
    await customer.send("How do I reset my password?")
    first = await wait_bot(customer, "answer")
    assert first.article is not None
    await customer._send_frame(cp.BotFeedback(article_id=first.article.id, answered=False))
    await wait_bot(customer, "rephrase")
    await customer.send("I forgot my password and cannot log in")
    second = await wait_bot(customer, "answer", 2)
    assert second.article is not None
    await customer._send_frame(cp.BotFeedback(article_id=second.article.id, answered=False))
    assert (await wait_bot(customer, "handoff")).reason == cp.HandoffReason.DECLINED
    await agent.wait_body(ap.ConversationAssigned, timeout=10)
    await customer.disconnect()
    await agent.close()


async def test_angry_complaint_goes_to_a_person_at_once(bot_hub: HubProcess) -> None:
    agent = await AgentProbe.logged_in(bot_hub.url)
    customer = SimCustomer(bot_hub.customer_ws_url, name="李雷", locale="zh-CN")
    await customer.connect()
    await customer.send("你们太垃圾了，退款拖了一个月，我要投诉到消费者协会！")
    handoff = await wait_bot(customer, "handoff")
    assert handoff.reason == cp.HandoffReason.SENTIMENT
    assert bot_frames(customer, "answer") == []
    await agent.wait_body(ap.ConversationAssigned, timeout=10)
    await customer.disconnect()
    await agent.close()

    report = await asyncio.to_thread(
        subprocess.run,
        [sys.executable, "-m", "hub", "bot", "report", "--db", str(bot_hub.db_path), "--json"],
        capture_output=True, text=True, timeout=60, cwd=ROOT, check=True)
    data = json.loads(report.stdout)
    assert data["conversations"] == 1 and data["handoffs"] == {"sentiment": 1}


@pytest.mark.parametrize("profile", [
    "UPDATE customers SET tier = 'vip' WHERE name = 'Grace'",
    "UPDATE customers SET attributes = '{\"elderly\": \"yes\"}' WHERE name = 'Grace'",
])
async def test_vip_or_elderly_customer_goes_straight_to_a_person(
    bot_hub: HubProcess, profile: str,
) -> None:
    agent = await AgentProbe.logged_in(bot_hub.url)
    customer = SimCustomer(bot_hub.customer_ws_url, name="Grace", locale="en-GB")
    await customer.connect()
    engine = create_engine(bot_hub.db_path)
    try:
        with engine.begin() as conn:
            assert conn.execute(sa.text(profile)).rowcount == 1
    finally:
        engine.dispose()
    await customer.send("How do I reset my password?")
    handoff = await wait_bot(customer, "handoff")
    assert handoff.reason == cp.HandoffReason.PROFILE
    assigned = await agent.wait_body(ap.ConversationAssigned, timeout=10)
    assert [m.text for m in assigned.messages] == [
        "How do I reset my password?", "bot.handoff:profile"]
    assert bot_frames(customer, "answer") == []
    await customer.disconnect()
    await agent.close()


async def test_easy_mode_goes_straight_to_a_person(bot_hub: HubProcess) -> None:
    agent = await AgentProbe.logged_in(bot_hub.url)
    customer = SimCustomer(bot_hub.customer_ws_url, name="Lao Wang", locale="zh-CN", easy=True)
    welcome = await customer.connect()
    assert welcome.bot is False  # the widget shows no bot buttons
    assert welcome.idle_prompt_s == 600 and welcome.idle_close_s == 120
    await customer.send("How do I reset my password?")  # one the bot would answer
    handoff = await wait_bot(customer, "handoff")
    assert handoff.reason == cp.HandoffReason.EASY_MODE
    assigned = await agent.wait_body(ap.ConversationAssigned, timeout=10)
    # Both are stored in the same millisecond: their order among themselves is open.
    assert sorted(m.text for m in assigned.messages) == [
        "How do I reset my password?", "bot.handoff:easy_mode"]
    assert bot_frames(customer, "answer") == []
    assert db_rows(bot_hub, "SELECT handoff_reason FROM bot_conversations") == [("easy_mode",)]
    await customer.disconnect()
    await agent.close()


async def test_a_bot_chat_goes_on_after_the_hub_is_killed(bot_hub: HubProcess) -> None:
    """What the bot holds is stored, not kept in the process: after SIGKILL and a
    restart the bot counts the customer's earlier No, answers the next question,
    and "Talk to a person" still brings a person (before, the chat was nobody's:
    neither the bot nor routing would take it)."""
    customer = SimCustomer(bot_hub.customer_ws_url, name="Tom", locale="en-GB")
    await customer.connect()
    await customer.send("How do I reset my password?")
    first = await wait_bot(customer, "answer")
    assert first.article is not None
    await customer._send_frame(cp.BotFeedback(article_id=first.article.id, answered=False))
    await wait_bot(customer, "rephrase")
    await customer.disconnect()

    bot_hub.restart()
    again = SimCustomer(bot_hub.customer_ws_url, name="Tom", locale="en-GB")
    again.visitor_id = customer.visitor_id
    welcome = await again.connect()
    assert welcome.conversation_id == first.conversation_id
    assert welcome.bot is True  # the widget still shows the bot's buttons
    await again.send("I forgot my password and cannot log in")
    second = await wait_bot(again, "answer")
    assert second.conversation_id == first.conversation_id and second.article is not None
    assert db_rows(bot_hub, "SELECT answers, declined, handoff_reason FROM bot_conversations"
                   ) == [(2, 1, None)]
    agent = await AgentProbe.logged_in(bot_hub.url)
    await again._send_frame(cp.AskPerson())
    assert (await wait_bot(again, "handoff")).reason == cp.HandoffReason.ASKED
    assigned = await agent.wait_body(ap.ConversationAssigned, timeout=10)
    assert assigned.conversation.id == first.conversation_id
    assert [m.text for m in assigned.messages if m.author is MessageAuthor.CUSTOMER] == [
        "How do I reset my password?", "I forgot my password and cannot log in"]
    # Handed off: the bot is silent from now on, after another restart too.
    await again.disconnect()
    bot_hub.restart()
    third = SimCustomer(bot_hub.customer_ws_url, name="Tom", locale="en-GB")
    third.visitor_id = customer.visitor_id
    assert (await third.connect()).bot is False
    await third.disconnect()
    await agent.close()


async def test_held_chats_wait_for_a_person_when_the_bot_is_switched_off(
    bot_hub: HubProcess, tmp_path: Path,
) -> None:
    customer = SimCustomer(bot_hub.customer_ws_url, name="Emma", locale="en-GB")
    await customer.connect()
    await customer.send("How do I reset my password?")
    answer = await wait_bot(customer, "answer")
    await customer.disconnect()
    config = tmp_path / "routing.toml"
    config.write_text(config.read_text(encoding="utf-8").replace(
        "\n[bot]\nno_topic = true\n", "\n[bot]\n"), encoding="utf-8")
    bot_hub.restart()
    agent = await AgentProbe.logged_in(bot_hub.url)
    assigned = await agent.wait_body(ap.ConversationAssigned, timeout=15)
    assert assigned.conversation.id == answer.conversation_id
    assert [m.author for m in assigned.messages] == [MessageAuthor.CUSTOMER, MessageAuthor.BOT]
    assert db_rows(bot_hub, "SELECT handoff_reason, released_at IS NOT NULL "
                   "FROM bot_conversations") == [(None, 1)]
    await agent.close()
