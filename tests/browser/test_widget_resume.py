"""An answer the customer's page was not open for: the agent answers and ends the
chat while the page is closed; the page opened again shows the answer and the close
once (the widget keeps its place in the conversation and says it in hello), and a
reload after that shows neither again. Real hub, real Chromium (resume_flow.mjs)."""

from __future__ import annotations

import asyncio
import json
import os
import uuid
from pathlib import Path

import pytest

from core.protocol import agent as ap
from testbed.agent_probe import AgentProbe
from tests.browser.test_widget import (  # noqa: F401 (fixtures)
    CHROMIUM,
    HERE,
    NODE,
    browser_tools,
    shots,
)
from tests.conftest import HubProcess

FLOW = HERE / "resume_flow.mjs"
FIRST = "It ships today."
SECOND = "Tracking number ZX42, arriving Friday."
CLOSED = {"en-US": "The agent ended the conversation. Send a message to start a new one.",
          "zh-CN": "客服已结束对话。发送消息即可开始新的对话。"}
pytestmark = pytest.mark.browser


@pytest.mark.parametrize("locale", ["en-US", "zh-CN"])
async def test_an_answer_and_close_made_while_the_page_was_closed_show_once(
        browser_tools: None, hub: HubProcess, shots: Path, locale: str) -> None:  # noqa: F811
    env = {**os.environ, "WIDGET_URL": f"{hub.url}/", "SCREENSHOT_DIR": str(shots),
           "CHROMIUM": CHROMIUM, "LOCALE": locale}
    node = await asyncio.create_subprocess_exec(
        NODE or "node", str(FLOW), cwd=HERE, env=env, stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
    agent = await AgentProbe.logged_in(hub.url)
    report: dict[str, object] = {}
    conversation_id = ""
    try:
        assert node.stdout is not None and node.stdin is not None
        while line := await asyncio.wait_for(node.stdout.readline(), 120):
            message = json.loads(line)
            if "report" in message:
                report = message["report"]
                node.stdin.close()
                break
            if message["step"] == "sent":
                assigned = await agent.wait_body(ap.ConversationAssigned, timeout=15)
                conversation_id = assigned.conversation.id
                assert isinstance(await agent.reply(conversation_id, FIRST), ap.Ack)
            elif message["step"] == "page_closed":
                assert isinstance(await agent.reply(conversation_id, SECOND), ap.Ack)
                closed = await agent.command(ap.CloseConversation(
                    op=uuid.uuid4().hex, conversation_id=conversation_id))
                assert isinstance(closed, ap.Ack), closed
            node.stdin.write(b"go\n")
            await node.stdin.drain()
        await asyncio.wait_for(node.wait(), 30)
    finally:
        if node.returncode is None:
            node.kill()
            await node.wait()
        await agent.close()
    stderr = (await node.stderr.read()).decode(errors="replace") if node.stderr else ""
    context = json.dumps(report, ensure_ascii=False, indent=1) + "\n" + stderr
    assert report.get("error") is None, context
    assert report["page_errors"] == [] and report["console_errors"] == [], context
    before, after, reload = (report["before_close"], report["after_reopen"],
                             report["after_reload"])
    assert isinstance(before, dict) and isinstance(after, dict) and isinstance(reload, dict)
    # Before leaving, the page kept its place: the first answer, in the open chat.
    assert before["first"] == 1 and before["second"] == 0, context
    assert [k["c"] for k in before["kept"]] == [conversation_id], context
    # Opened again: the hello named that place, the welcome brought the rest.
    hellos = report["hellos"]
    assert isinstance(hellos, list) and hellos[1] == [
        {"conversation_id": conversation_id, "message_id": before["kept"][0]["m"]}], context
    assert (after["second"], after["closed"]) == (1, 1), context
    assert after["first"] == 0, context  # shown before the page closed: not again
    assert after["closed_text"] == CLOSED[locale], context
    assert after["order"][-2:] == [f"agent:{SECOND}", "notice:closed"], context
    assert after["conversation"] == "" and after["kept"] == [], context
    assert after["rating"] == "csat", context  # the agent ended it: asked to rate
    # Shown once: the next load has nothing more.
    assert (reload["second"], reload["closed"]) == (0, 0), context
    assert hellos[2] is None, context
    welcomes = report["welcomes"]
    assert isinstance(welcomes, list) and welcomes[2] == [], context
