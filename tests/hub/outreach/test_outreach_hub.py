"""Outreach in a real hub over real websockets: page reports, triggers, the record,
and agents reaching out in the widget or by email."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from pathlib import Path

import pytest

from core.protocol import agent as ap
from core.protocol import customer as cp
from core.protocol import profile as pp
from core.protocol.outreach import Outreach, PageNoted, PageVisit, ReachOut
from desktop.embedded_hub import DEMO_MAILBOX, EmbeddedHub
from hub.demo.simulator import SimCustomer
from hub.email.demo_sink import kept_mail
from hub.process import HubProcess
from testbed.agent_probe import AgentProbe
from tests.support.hub_sql import hub_rows

OUTREACH = """\
[limits]
per_day = 3
agent_every_min = 60

[[triggers]]
id = "pricing"
url = "https://shop.test/pricing*"
after_s = 20
every_h = 24
message.en = "Need help choosing a plan?"
message.zh = "需要帮您挑选套餐吗？"

[[triggers]]
id = "churn"
tags = ["churn-risk"]
offer = "call"
message.en = "Shall we call you?"
"""


@pytest.fixture
def outreach_file(tmp_path: Path) -> Path:
    path = tmp_path / "outreach.toml"
    path.write_text(OUTREACH, encoding="utf-8")
    return path


@pytest.fixture
def hub(make_hub: Callable[..., HubProcess], outreach_file: Path) -> HubProcess:
    return make_hub("--outreach", str(outreach_file))


def frames_of(customer: SimCustomer, kind: type) -> list:  # type: ignore[type-arg]
    return [f for f in customer.frames if isinstance(f, kind)]


async def page(customer: SimCustomer, url: str, seconds: int, lang: str = "en",
               answers: int | None = None) -> object:
    """Report a page; the hub's answer (outreach, page_noted or an error)."""
    before = len([f for f in customer.frames
                  if isinstance(f, Outreach | PageNoted | cp.Error)])
    await customer._send_frame(PageVisit(url=url, seconds=seconds, lang=lang))  # type: ignore[arg-type]
    want = before + 1 if answers is None else answers
    await customer.wait_for(lambda: len([f for f in customer.frames if isinstance(
        f, Outreach | PageNoted | cp.Error)]) >= want)
    return [f for f in customer.frames if isinstance(f, Outreach | PageNoted | cp.Error)][-1]


async def test_url_and_time_trigger_once_within_the_limit_across_reconnects(
        hub: HubProcess) -> None:
    customer = SimCustomer(hub.customer_ws_url, locale="zh-CN")
    await customer.connect()
    early = await page(customer, "https://shop.test/pricing/pro", 5, "zh")
    assert early == PageNoted(recheck_s=15)
    elsewhere = await page(customer, "https://shop.test/about", 500, "zh")
    assert elsewhere == PageNoted(recheck_s=None)
    fired = await page(customer, "https://shop.test/pricing/pro", 20, "zh")
    assert isinstance(fired, Outreach) and fired.text == "需要帮您挑选套餐吗？"
    # A reload is a new connection of the same visitor: the hub's record says no.
    await customer.disconnect()
    again = SimCustomer(hub.customer_ws_url, visitor_id=customer.visitor_id, locale="zh-CN")
    await again.connect()
    assert await page(again, "https://shop.test/pricing/pro", 60, "zh") == \
        PageNoted(recheck_s=None)
    rows = hub_rows(hub.db_path, "SELECT source, trigger_id, channel, lang, url, text "
                    "FROM outreach_log")
    assert rows == [("trigger", "pricing", "widget", "zh", "https://shop.test/pricing/pro",
                     "需要帮您挑选套餐吗？")]
    await again.disconnect()


async def test_tag_trigger_offers_a_call_and_reaches_the_timeline(hub: HubProcess) -> None:
    customer = SimCustomer(hub.customer_ws_url, name="Risky")
    await customer.connect()
    assert await page(customer, "https://shop.test/", 0) == PageNoted(recheck_s=None)
    await customer.send("hello")
    supervisor = await AgentProbe.logged_in(hub.url, "wang", accept_offers=False)
    customer_id = hub_rows(hub.db_path, "SELECT customer_id FROM conversations WHERE id = "
                           ":c", c=customer.messages[-1].conversation_id)[0][0]
    ack = await supervisor.command(pp.UpdateCustomer(op=uuid.uuid4().hex,
                                                     customer_id=customer_id,
                                                     tags=["churn-risk"]))
    assert isinstance(ack, ap.Ack)
    fired = await page(customer, "https://shop.test/", 0)
    assert isinstance(fired, Outreach) and fired.offer == "call"
    assert fired.text == "Shall we call you?"
    op = uuid.uuid4().hex
    await supervisor.send(pp.FetchTimeline(op=op, customer_id=customer_id))
    timeline = await supervisor.wait_for(lambda: next(
        (f for f in supervisor.frames if isinstance(f, pp.Timeline) and f.op == op), None))
    items = [i for i in timeline.items if i.kind == "outreach"]
    assert [(i.code, i.params.get("trigger"), i.preview) for i in items] == [
        ("outreach.trigger", "churn", "Shall we call you?")]
    await customer.disconnect()
    await supervisor.close()


async def test_bad_and_flooding_page_reports(hub: HubProcess) -> None:
    customer = SimCustomer(hub.customer_ws_url)
    await customer.connect()
    refused = await page(customer, "javascript:alert(1)", 0)
    assert isinstance(refused, cp.Error) and refused.ref == "page" and refused.code == "invalid"
    await customer.send_raw('{"type": "page", "url": "' + "x" * 3000 + '"}')
    await customer.wait_for(lambda: any(e.code == "too_large" or e.code == "invalid"
                                        for e in customer.errors[1:]))
    # More reports than their budget (but not a flood of frames): refused, and the
    # connection keeps working.
    for _ in range(12):
        await customer._send_frame(PageVisit(url="https://shop.test/", seconds=0))
    await customer.wait_for(lambda: any(e.code == "rate_limited" and e.ref == "page"
                                        for e in customer.errors))
    message = await customer.send("still here")
    assert message.text == "still here"
    await customer.disconnect()


async def test_agent_reaches_out_in_the_widget(hub: HubProcess) -> None:
    lina = await AgentProbe.logged_in(hub.url)
    customer = SimCustomer(hub.customer_ws_url, name="Online Olga")
    await customer.connect()
    await customer.send("My order is late")
    assigned = await lina.wait_body(ap.ConversationAssigned, timeout=10)
    customer_id = assigned.conversation.customer_id
    closed = await lina.command(ap.CloseConversation(op=uuid.uuid4().hex,
                                                     conversation_id=assigned.conversation.id))
    assert isinstance(closed, ap.Ack)
    await customer.wait_for(lambda: customer.closed_by is not None)

    ack = await lina.command(ReachOut(op=uuid.uuid4().hex, customer_id=customer_id,
                                      text="Your parcel left the depot today."))
    assert isinstance(ack, ap.Ack), ack
    opened = await lina.wait_body(
        ap.ConversationAssigned, lambda b: b.conversation.id != assigned.conversation.id)
    assert opened.conversation.agent_id == assigned.conversation.agent_id is not None
    await lina.wait_body(ap.MessageAdded,
                         lambda b: b.message.text == "Your parcel left the depot today.")
    shown = await customer.wait_message(lambda m: m.text == "Your parcel left the depot today.")
    assert shown.conversation_id == opened.conversation.id
    await customer.wait_for(lambda: frames_of(customer, Outreach))
    outreach = frames_of(customer, Outreach)[0]
    assert (outreach.source, outreach.conversation_id, outreach.agent_name) == (
        "agent", opened.conversation.id, "李娜")
    # The customer answers in the agent's chat.
    await customer.send("Great, thanks")
    await lina.wait_body(ap.MessageAdded, lambda b: b.message.text == "Great, thanks")
    # Rate-limited per customer, whoever asks.
    again = await lina.command(ReachOut(op=uuid.uuid4().hex, customer_id=customer_id,
                                        text="One more thing"))
    assert isinstance(again, ap.Error) and again.code == "rate_limited"
    rows = hub_rows(hub.db_path, "SELECT source, channel, conversation_id FROM outreach_log")
    assert rows == [("agent", "widget", opened.conversation.id)]
    await customer.disconnect()
    await lina.close()


async def test_agent_may_not_reach_out_to_a_customer_they_cannot_see(hub: HubProcess) -> None:
    customer = SimCustomer(hub.customer_ws_url, name="Stranger")
    await customer.connect()
    await customer.send("hi")
    conversation_id = customer.messages[-1].conversation_id
    # Move the conversation's queue to one alex does not serve: he may not see them.
    customer_id = hub_rows(hub.db_path, "SELECT customer_id FROM conversations WHERE id = :c",
                           c=conversation_id)[0][0]
    alex = await AgentProbe.logged_in(hub.url, "alex", accept_offers=False)
    queues = hub_rows(hub.db_path, "SELECT queue_id FROM conversations WHERE customer_id = :c",
                      c=customer_id)
    assert queues == [("chat",)]
    hidden = SimCustomer(hub.customer_ws_url, name="Nobody's")
    await hidden.connect()
    hidden_id = hub_rows(hub.db_path, "SELECT customer_id FROM identities WHERE value = :v",
                         v=hidden.visitor_id)[0][0]
    refused = await alex.command(ReachOut(op=uuid.uuid4().hex, customer_id=hidden_id,
                                          text="Hello there"))
    assert isinstance(refused, ap.Error) and refused.code == "forbidden"
    assert not frames_of(hidden, Outreach) and not hidden.messages
    assert hub_rows(hub.db_path, "SELECT count(*) FROM outreach_log") == [(0,)]
    await hidden.disconnect()
    await customer.disconnect()
    await alex.close()


async def test_agent_reaches_out_by_email_when_the_customer_is_not_online(
        make_hub: Callable[..., HubProcess], outreach_file: Path, tmp_path: Path) -> None:
    sink = tmp_path / "sent"
    hub = make_hub("--outreach", str(outreach_file), "--email-mailbox", DEMO_MAILBOX,
                   "--smtp-receiver-port", "0", "--email-demo-sink", str(sink), name="mail")
    lina = await AgentProbe.logged_in(hub.url)
    customer_id, address = hub_rows(
        hub.db_path, "SELECT i.customer_id, i.value FROM identities i JOIN conversations v "
        "ON v.customer_id = i.customer_id WHERE i.kind = 'email' AND v.queue_id = 'email' "
        "ORDER BY i.value LIMIT 1")[0]
    ack = await lina.command(ReachOut(op=uuid.uuid4().hex, customer_id=customer_id,
                                      text="We have news about your refund.",
                                      subject="Your refund"))
    assert isinstance(ack, ap.Ack), ack
    opened = await lina.wait_body(ap.ConversationAssigned,
                                  lambda b: b.conversation.channel == "email")
    assert opened.conversation.customer_id == customer_id

    def sent() -> list[bytes]:
        return kept_mail(sink) if sink.exists() else []

    await lina.wait_for(lambda: any(b"Your refund" in m for m in sent()), timeout=60)
    mail = next(m for m in sent() if b"Your refund" in m)
    assert address.encode() in mail
    rows = hub_rows(hub.db_path, "SELECT source, channel, conversation_id FROM outreach_log")
    assert rows == [("agent", "email", opened.conversation.id)]
    await lina.close()


async def test_the_embedded_demo_hub_reaches_out(tmp_path: Path) -> None:
    """`./dev run`'s local hub starts with the demo's outreach file: a customer who
    comes back while their conversation is open is welcomed back."""
    embedded = EmbeddedHub(tmp_path / "data")
    embedded.start()
    try:
        address = await embedded.wait_ready()
        ws_url = "ws" + address.url[len("http"):] + "/customer"
        first = SimCustomer(ws_url, name="Lena", locale="en-GB")
        await first.connect()
        await first.send("Is my order on its way?")
        await first.disconnect()
        again = SimCustomer(ws_url, name="Lena", locale="en-GB")
        again.visitor_id = first.visitor_id
        await again.connect()
        answer = await page(again, "https://shop.test/orders", 5)
        assert isinstance(answer, Outreach)
        assert answer.text == "Welcome back! Your conversation with us is still open."
        await again.disconnect()
    finally:
        embedded.stop()
