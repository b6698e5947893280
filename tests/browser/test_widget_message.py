"""Leave a message with nobody available, in a real browser against a real hub: the
widget offers it (no agent of the queue online), validates the form, the hub queues
the message and mails a confirmation (captured by the test SMTP server); when an
agent logs in the conversation is offered to them with the message, and taking it
makes them the owner of its follow-up, which carries the callback request; solving
the follow-up tells the customer in the widget. Driven by message_flow.mjs.
"""

from __future__ import annotations

import asyncio
import json
import os
import sys
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from core.protocol import agent as ap
from core.protocol import followups as fp
from testbed.agent_probe import AgentProbe, eventually
from tests.browser.test_widget import (  # noqa: F401 (fixtures)
    CHROMIUM,
    HERE,
    NODE,
    browser_tools,
    shots,
)
from tests.conftest import HubProcess
from tests.support.routing_files import routing_variant
from tests.support.smtp_server import SmtpServer

FLOW = HERE / "message_flow.mjs"
pytestmark = pytest.mark.browser


@pytest.fixture
def relay() -> Iterator[SmtpServer]:
    server = SmtpServer().start()
    yield server
    server.stop()


@pytest.fixture
def message_hub(make_hub: Callable[..., HubProcess], relay: SmtpServer,
                tmp_path: Path) -> HubProcess:
    # Nobody on duty decides, whatever the hour the test runs at.
    routing = routing_variant(tmp_path, {"use_business_hours = true":
                                         "use_business_hours = false"})
    return make_hub(
        "--routing-config", str(routing), "--email-mailbox", "support@example.com",
        "--smtp-host", "127.0.0.1", "--smtp-port", str(relay.port), "--smtp-security", "plain",
        "--smtp-backoff", "0.2",
    )


@pytest.mark.parametrize("locale", ["en-US", "zh-CN"])
async def test_leave_a_message_then_an_agent_logs_in_and_solves_it(
        browser_tools: None, message_hub: HubProcess, relay: SmtpServer, shots: Path,  # noqa: F811
        locale: str) -> None:
    env = {**os.environ, "WIDGET_URL": f"{message_hub.url}/", "SCREENSHOT_DIR": str(shots),
           "CHROMIUM": CHROMIUM, "LOCALE": locale}
    node = await asyncio.create_subprocess_exec(
        NODE or "node", str(FLOW), cwd=HERE, env=env,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
    agent: AgentProbe | None = None
    try:
        # The confirmation mail says the message is stored: now an agent logs in.
        mail = (await eventually(lambda: relay.deliveries, 30))[0]
        assert mail.recipients == ["fang@example.com"]
        body = mail.message.get_body(("plain",))
        assert body is not None and "My parcel 42 never arrived" in body.get_content()
        agent = await AgentProbe.logged_in(message_hub.url)  # takes every offer
        assigned = await agent.wait_body(ap.ConversationAssigned, timeout=10)
        assert [m.text for m in assigned.messages] == [
            "My parcel 42 never arrived. 我的包裹没有到。"]
        changed = await agent.wait_body(fp.FollowUpChanged, timeout=10)
        followup = changed.followup
        assert followup.conversation_id == assigned.conversation.id
        assert (followup.source, followup.kind, followup.status) == (
            fp.FollowUpSource.MESSAGE, fp.FollowUpKind.CALLBACK, fp.FollowUpStatus.OPEN)
        assert agent.welcome is not None and followup.owner_id == agent.welcome.agent.id
        assert (followup.contact_email, followup.contact_phone) == (
            "fang@example.com", "+86 150 1234 5678")
        assert followup.callback_at is not None and followup.due_at == followup.callback_at
        answer = await agent.command(fp.UpdateFollowUp(
            op=uuid.uuid4().hex, followup_id=followup.id, status=fp.FollowUpStatus.SOLVED,
            note="Found it: it arrives tomorrow."))
        assert isinstance(answer, ap.Ack), answer
        out, err = await asyncio.wait_for(node.communicate(), 60)
    finally:
        if node.returncode is None:
            node.kill()
            await node.wait()
        if agent is not None:
            await agent.close()
    lines = out.decode(errors="replace").strip().splitlines()
    assert lines, f"message_flow.mjs printed nothing:\n{err.decode(errors='replace')}"
    report = json.loads(lines[-1])
    context = json.dumps(report, ensure_ascii=False, indent=1) + "\n" + err.decode()
    print(context, file=sys.stderr)
    assert report.get("error") is None, context
    assert report["ok"] and report["console_errors"] == [], context
    zh = locale == "zh-CN"
    welcome = report["received"][0]
    assert welcome["type"] == "welcome" and welcome["unavailable"] == "no_agent"
    steps = report["steps"]
    assert steps["offer"]["why"].startswith("目前暂无客服在线" if zh else "Nobody is available")
    # the header says the same, never "we're online" beside the offer
    assert steps["offer"]["presence"] == ("目前暂无客服在线，请给我们留言" if zh else
                                          "Nobody available: leave us a message")
    assert steps["form"]["focused"] == "leave-text"
    assert steps["bad_email"]["status"] == ("电子邮箱格式不正确。" if zh
                                            else "This email address does not look right.")
    # Refused in the page: only the corrected form went to the hub.
    assert len(report["sent"]) == 1 and report["sent"][0]["email"] == "fang@example.com"
    left = [f for f in report["received"] if f["type"] == "message_left"]
    assert len(left) == 1 and left[0]["email"] is True
    assert "fang@example.com" in (steps["done"]["email"] or "")
    assert steps["done"]["horizontal_scroll"] is False
    solved = [f for f in report["received"] if f["type"] == "followup_solved"]
    assert [f["followup_id"] for f in solved] == [followup.id]
    assert "Found it: it arrives tomorrow." in steps["solved"]["notice"]
    assert steps["solved"]["notice"].startswith("您的问题已解决" if zh
                                                else "Your request was solved")
