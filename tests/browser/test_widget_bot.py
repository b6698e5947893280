"""The self-service bot in a real browser against a real hub, with a real agent socket:
a question answered from the knowledge base and confirmed (no agent offered it), and
"转人工" pressed before the first message handed to the agent with its reason.

Driven by bot_flow.mjs (Node's playwright-core, Debian's chromium); set up once with
`npm ci` in tests/browser/.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import sqlite3
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from core.protocol import agent as ap
from core.protocol.models import MessageAuthor
from testbed.agent_probe import AgentProbe
from tests.browser.test_widget import (  # noqa: F401 (fixtures)
    CHROMIUM,
    HERE,
    NODE,
    browser_tools,
    shots,
)
from tests.conftest import HubProcess

FLOW = HERE / "bot_flow.mjs"
ROOT = HERE.parents[1]
pytestmark = pytest.mark.browser


@pytest.fixture
def bot_hub(make_hub: Callable[..., HubProcess], tmp_path: Path) -> HubProcess:
    text = (ROOT / "hub" / "routing.toml").read_text(encoding="utf-8")
    config = tmp_path / "routing.toml"
    config.write_text(text.replace("\n[bot]\n", "\n[bot]\nno_topic = true\n"), encoding="utf-8")
    return make_hub("--routing-config", str(config))


async def _run(hub: HubProcess, folder: Path) -> tuple[dict[str, Any], str]:
    env = {**os.environ, "WIDGET_URL": f"{hub.url}/", "SCREENSHOT_DIR": str(folder),
           "CHROMIUM": CHROMIUM}
    node = await asyncio.create_subprocess_exec(
        NODE or "node", str(FLOW), cwd=HERE, env=env,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
    try:
        out, err = await asyncio.wait_for(node.communicate(), 150)
    finally:
        if node.returncode is None:
            node.kill()
            await node.wait()
    lines = out.decode(errors="replace").strip().splitlines()
    assert lines, f"bot_flow.mjs printed nothing:\n{err.decode(errors='replace')}"
    return json.loads(lines[-1]), err.decode(errors="replace")


async def test_bot_answers_in_the_widget_and_hands_off_on_request(
        browser_tools: None, bot_hub: HubProcess, shots: Path) -> None:  # noqa: F811
    agent = await AgentProbe.logged_in(bot_hub.url)
    try:
        report, stderr = await _run(bot_hub, shots)
        context = json.dumps(report, ensure_ascii=False, indent=1) + "\n" + stderr
        print(context, file=sys.stderr)
        assert report.get("error") is None, context
        assert report["ok"] and report["console_errors"] == [] and report["page_errors"] == []

        answered = report["steps"]["answered"]
        assert answered["button"] == "Talk to a person"
        assert "password" in answered["title"].lower() and answered["answer"]
        assert answered["body_hidden_before"] and len(answered["body"]) > len(answered["answer"])
        assert answered["question"] == "Did this answer your question?"
        assert answered["yes_disabled"]
        with contextlib.closing(sqlite3.connect(bot_hub.db_path)) as db:
            row = db.execute("SELECT contained, handoff_reason FROM bot_conversations "
                             "WHERE conversation_id = ?", (answered["conversation_id"],)).fetchone()
            offers = db.execute("SELECT count(*) FROM offers WHERE conversation_id = ?",
                                (answered["conversation_id"],)).fetchone()
        assert row == (1, None) and offers == (0,)

        person = report["steps"]["person"]
        assert person["label"] == "转人工" and person["button_hidden"]
        assert person["said"] == "正在为您转接人工客服，请稍候。"
        assigned = await agent.wait_body(
            ap.ConversationAssigned,
            lambda b: b.conversation.id == person["conversation_id"], timeout=10)
        assert [(m.author, m.text) for m in assigned.messages] == [
            (MessageAuthor.CUSTOMER, "转人工"), (MessageAuthor.SYSTEM, "bot.handoff:asked")]
        for name in ("widget-bot-answer.png", "widget-bot-handoff-zh.png"):
            assert (shots / name).stat().st_size > 3000
    finally:
        await agent.close()
