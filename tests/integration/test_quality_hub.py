"""Quality inspection through a real hub over real websockets: a conversation the
agent closes is scored by the hub's worker, with evidence; the agent reads only
their own scores; only a supervisor works the review queue."""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

from core.protocol import agent as ap
from core.protocol import quality as qp
from hub.demo.simulator import SimCustomer
from testbed.agent_probe import AgentProbe
from tests.conftest import HubProcess


def op() -> str:
    return uuid.uuid4().hex


async def read(probe: AgentProbe, frame: qp.QaRead, kind: type) -> Any:
    await probe.send(frame)
    return await probe.wait_for(lambda: next(
        (f for f in probe.frames if isinstance(f, kind | ap.Error)
         and getattr(f, "op", None) == frame.op), None))


async def score_of(probe: AgentProbe, conversation_id: str) -> qp.QaScoreDetail:
    """Asks until the hub's worker has scored the conversation."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + 15
    while True:
        answer = await read(probe, qp.QaFetchScore(op=op(), conversation_id=conversation_id),
                            qp.QaScoreDetail)
        if isinstance(answer, qp.QaScoreDetail):
            return answer
        assert answer.code == "not_found", answer
        assert loop.time() < deadline, "the hub did not score the closed conversation"
        await asyncio.sleep(0.1)


async def test_a_closed_conversation_is_scored_and_reviewed(hub: HubProcess) -> None:
    lina = await AgentProbe.logged_in(hub.url, "lina")
    customer = SimCustomer(hub.customer_ws_url, name="王芳")
    await customer.connect()
    await customer.send("我的订单还没到")
    assigned = await lina.wait_body(ap.ConversationAssigned, timeout=10)
    conversation_id = assigned.conversation.id
    rude = await lina.reply(conversation_id, "闭嘴，等着吧")
    assert isinstance(rude, ap.Ack)
    closed = await lina.command(ap.CloseConversation(op=op(), conversation_id=conversation_id))
    assert isinstance(closed, ap.Ack)

    detail = await score_of(lina, conversation_id)
    assert detail.summary.score == 0 and detail.summary.fatal
    assert detail.summary.review is qp.ReviewState.PENDING
    abuse = next(r for r in detail.results if r.rule_id == "abuse")
    assert abuse.verdict is qp.Verdict.FAIL and abuse.params["phrase"] == "闭嘴"
    [evidence] = abuse.evidence
    assert evidence.message_id is not None
    greeting = next(r for r in detail.results if r.rule_id == "greeting")
    assert greeting.code == "greeting_missing"

    mine = await read(lina, qp.QaListScores(op=op()), qp.QaScores)
    assert isinstance(mine, qp.QaScores) and conversation_id in {
        s.conversation_id for s in mine.scores}
    assert {s.agent_id for s in mine.scores} == {detail.summary.agent_id}
    others = await read(lina, qp.QaListScores(op=op(), agent_id="someone-else"), qp.QaScores)
    assert isinstance(others, ap.Error) and others.code == "forbidden"
    queue = await read(lina, qp.QaReviewQueue(op=op()), qp.QaScores)
    assert isinstance(queue, ap.Error) and queue.code == "forbidden"
    review = qp.QaReview(op=op(), conversation_id=conversation_id,
                         decision=qp.ReviewDecision.CONFIRM, comment="ok")
    refused = await lina.command(review)
    assert isinstance(refused, ap.Error) and refused.code == "forbidden"

    wang = await AgentProbe.logged_in(hub.url, "wang")
    queue = await read(wang, qp.QaReviewQueue(op=op()), qp.QaScores)
    assert isinstance(queue, qp.QaScores)
    assert conversation_id in {s.conversation_id for s in queue.scores}
    review = qp.QaReview(op=op(), conversation_id=conversation_id,
                         decision=qp.ReviewDecision.CONFIRM, comment="辱骂客户，维持 0 分")
    assert isinstance(await wang.command(review), ap.Ack)
    detail = await score_of(lina, conversation_id)
    assert detail.summary.review is qp.ReviewState.CONFIRMED
    assert detail.audit[-1].actor_id == (await wang.wait_for(
        lambda: next(f for f in wang.frames if isinstance(f, ap.Welcome)))).agent.id
    await customer.disconnect()
    for probe in (lina, wang):
        await probe.close()
