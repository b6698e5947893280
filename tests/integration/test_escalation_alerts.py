"""A real hub process, real websockets: a customer's message is classified for its
agent, and an escalation alerts the supervisor's socket and no agent's."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest

from core.protocol import agent as ap
from core.protocol.sentiment import (
    EscalationRaised,
    EscalationReason,
    MessageClassified,
    Sentiment,
    SentimentTrend,
)
from hub.demo.simulator import SimCustomer
from hub.process import HubStartError
from testbed.agent_probe import AgentProbe
from tests.conftest import HubProcess


async def _pinged(probe: AgentProbe, nonce: int) -> None:
    """A barrier: frames on one socket arrive in order, so whatever the hub sent this
    agent before answering the ping has arrived once the pong has."""
    await probe.send(ap.Ping(nonce=nonce))
    await probe.wait_for(lambda: any(isinstance(f, ap.Pong) and f.nonce == nonce
                                     for f in probe.frames))


def _stored_kinds(db: Path, username: str) -> list[str]:
    with sqlite3.connect(db) as conn:
        rows = conn.execute(
            "SELECT e.body FROM agent_events e JOIN agents a ON a.id = e.agent_id "
            "WHERE a.username = ?", [username]).fetchall()
    return [json.loads(body)["kind"] for (body,) in rows]


async def test_escalation_alerts_the_supervisor_only(hub: HubProcess) -> None:
    lina = await AgentProbe.logged_in(hub.url, "lina")
    alex = await AgentProbe.logged_in(hub.url, "alex")
    wang = await AgentProbe.logged_in(hub.url, "wang")  # the demo's supervisor
    customer = SimCustomer(hub.customer_ws_url, name="赵敏", locale="zh-CN")
    await customer.connect()
    opening = await customer.send("你好，请问我的订单什么时候发货？")
    probes = {"lina": lina, "alex": alex, "wang": wang}

    def owner_of() -> str | None:
        return next((n for n, p in probes.items() if p.bodies(ap.ConversationAssigned)), None)

    await lina.wait_for(lambda: owner_of() is not None, timeout=10)
    name = owner_of()
    assert name is not None
    owner = probes[name]
    # Classified after the agent accepted: an event; before: the assignment carries it.
    def first_trend() -> SentimentTrend | None:
        for body in owner.bodies(MessageClassified):
            if body.message_id == opening.id:
                assert body.sentiment is Sentiment.NEUTRAL and body.reasons == []
                return body.trend
        return owner.bodies(ap.ConversationAssigned)[0].conversation.sentiment
    start = await owner.wait_for(first_trend, timeout=10)
    assert start.recent == [start.first] and not start.escalated
    assert abs(start.first) < 0.2  # a neutral question

    sent = await customer.send("已经第三次问了还是没发货，再不处理我就去12315投诉你们！")
    classified: MessageClassified = await owner.wait_body(
        MessageClassified, lambda b: b.message_id == sent.id, timeout=10)
    assert classified.sentiment is Sentiment.NEGATIVE
    assert EscalationReason.COMPLAINT in classified.reasons
    assert classified.priority is not None and classified.priority >= 150
    assert classified.trend.first == start.first and classified.trend.last == classified.score

    alert: EscalationRaised = await wang.wait_body(EscalationRaised, timeout=10)
    assert alert.message_id == sent.id and alert.customer_name == "赵敏"
    assert alert.conversation_id == classified.conversation_id
    assert owner.welcome is not None and alert.agent_id == owner.welcome.agent.id
    assert EscalationReason.COMPLAINT in alert.reasons and alert.priority == classified.priority

    # No agent's socket carried it (checked behind a ping barrier), nor its stream.
    for n, probe in probes.items():
        if n != "wang":
            await _pinged(probe, 7)
            assert not probe.bodies(EscalationRaised), n
            assert "escalation_raised" not in _stored_kinds(hub.db_path, n)
    assert _stored_kinds(hub.db_path, "wang").count("escalation_raised") == 1

    await customer.disconnect()
    for probe in probes.values():
        await probe.close()


async def test_a_bad_rules_file_stops_the_hub_with_file_and_line(
        make_hub: Callable[..., HubProcess], tmp_path: Path) -> None:
    rules = tmp_path / "rules.toml"
    rules.write_text('[complaint]\nwords = ["投诉"]\npatterns = ["(oops"]\n', encoding="utf-8")
    with pytest.raises(HubStartError) as caught:  # it exits before it is ready
        make_hub("--assist-rules", str(rules))
    assert "exited with code 2" in str(caught.value)
    assert f"{rules}:3:" in caught.value.log
    assert "not a valid regular expression" in caught.value.log
