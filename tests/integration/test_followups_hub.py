"""Follow-ups against a real hub over real sockets: an agent makes a follow-up of a
chat, the hub reminds them before it is due (a reminder lead from the routing file,
no long wait), and solving it mails the customer, who has left the widget, at the
address they gave (the test SMTP server captures it)."""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from core.protocol import agent as ap
from core.protocol import followups as fp
from hub.demo.simulator import SimCustomer
from testbed.agent_probe import AgentProbe, eventually
from tests.conftest import HubProcess
from tests.support.routing_files import routing_variant
from tests.support.smtp_server import SmtpServer

LEAD_S = 3600  # due in an hour and a second: the reminder comes in about a second


@pytest.fixture
def relay() -> Iterator[SmtpServer]:
    server = SmtpServer().start()
    yield server
    server.stop()


@pytest.fixture
def followup_hub(make_hub: Callable[..., HubProcess], relay: SmtpServer,
                 tmp_path: Path) -> HubProcess:
    routing = routing_variant(tmp_path, {
        "remind_before_s = 900        # the owner is reminded this long before a follow-up "
        "is due": f"remind_before_s = {LEAD_S}",
    })
    return make_hub(
        "--routing-config", str(routing), "--email-mailbox", "support@example.com",
        "--smtp-host", "127.0.0.1", "--smtp-port", str(relay.port), "--smtp-security", "plain",
        "--smtp-backoff", "0.2",
    )


async def test_a_follow_up_of_a_chat_reminds_its_owner_and_mails_the_customer_when_solved(
        followup_hub: HubProcess, relay: SmtpServer) -> None:
    agent = await AgentProbe.logged_in(followup_hub.url)
    other = await AgentProbe.logged_in(followup_hub.url, "alex")
    customer = SimCustomer(followup_hub.customer_ws_url, name="王芳", locale="zh-CN",
                           email="fang@example.com")
    try:
        await customer.connect()
        await customer.send("退款还没到账")
        assigned = await eventually(lambda: agent.bodies(ap.ConversationAssigned)
                                or other.bodies(ap.ConversationAssigned), 10)
        owner = agent if agent.bodies(ap.ConversationAssigned) else other
        bystander = other if owner is agent else agent
        conversation = assigned[0].conversation
        due = int(time.time() * 1000) + LEAD_S * 1000 + 1000
        made = await owner.command(fp.CreateFollowUp(
            op=uuid.uuid4().hex, followup_id="fu-refund", conversation_id=conversation.id,
            kind=fp.FollowUpKind.INVESTIGATION, due_at=due, note="退款查询"))
        assert isinstance(made, ap.Ack), made
        started = time.monotonic()
        reminder = await owner.wait_body(fp.FollowUpReminder, timeout=10)
        assert reminder.followup.id == "fu-refund" and reminder.followup.reminded_at
        assert time.monotonic() - started < 5
        # Another agent may not solve it.
        refused = await bystander.command(fp.UpdateFollowUp(
            op=uuid.uuid4().hex, followup_id="fu-refund", status=fp.FollowUpStatus.SOLVED))
        assert isinstance(refused, ap.Error) and refused.code == "forbidden"
        # The chat ends and the customer leaves; the follow-up outlives both.
        closed = await owner.command(ap.CloseConversation(op=uuid.uuid4().hex,
                                                          conversation_id=conversation.id))
        assert isinstance(closed, ap.Ack), closed
        await customer.disconnect()
        solved = await owner.command(fp.UpdateFollowUp(
            op=uuid.uuid4().hex, followup_id="fu-refund", status=fp.FollowUpStatus.SOLVED,
            note="退款已于今日退回原卡。"))
        assert isinstance(solved, ap.Ack), solved
        mail = (await eventually(lambda: relay.deliveries, 10))[0]
        assert mail.recipients == ["fang@example.com"]
        assert mail.message["Subject"] == "您的问题已解决"
        body = mail.message.get_body(("plain",))
        assert body is not None and "退款已于今日退回原卡。" in body.get_content()
    finally:
        await agent.close()
        await other.close()
