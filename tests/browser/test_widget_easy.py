"""Easy mode (长辈模式) in a real browser against a real hub, with a real agent socket:
the switch is remembered across a reload, a person is offered first (the bot does
not answer, even a question it knows), and no idle prompt or close comes where a
normal chat is asked and then ended (the hub's idle times made 1 s each).

Driven by easy_flow.mjs (Node's playwright-core, Debian's chromium).
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

FLOW = HERE / "easy_flow.mjs"
ROOT = HERE.parents[1]
REPLY = "您好，我是李娜。How can I help?"
pytestmark = pytest.mark.browser


@pytest.fixture
def easy_hub(make_hub: Callable[..., HubProcess], tmp_path: Path) -> HubProcess:
    text = (ROOT / "hub" / "routing.toml").read_text(encoding="utf-8")
    config = tmp_path / "routing.toml"
    config.write_text(text.replace("\n[bot]\n", "\n[bot]\nno_topic = true\n"), encoding="utf-8")
    return make_hub("--routing-config", str(config),
                    "--widget-idle-prompt", "1", "--widget-idle-close", "1")


async def answer_every_chat(agent: AgentProbe) -> None:
    """The agent replies once to each chat it is given, as a person at the desk would."""
    answered: set[str] = set()
    while True:
        new = await agent.wait_for(lambda: [
            b for b in agent.bodies(ap.ConversationAssigned)
            if b.conversation.id not in answered], timeout=3600)
        for body in new:
            answered.add(body.conversation.id)
            await agent.reply(body.conversation.id, REPLY)


async def run_flow(flow: Path, hub: HubProcess, folder: Path,
                   **env: str) -> tuple[dict[str, Any], str]:
    full_env = {**os.environ, "WIDGET_URL": f"{hub.url}/", "SCREENSHOT_DIR": str(folder),
                "CHROMIUM": CHROMIUM, **env}
    node = await asyncio.create_subprocess_exec(
        NODE or "node", str(flow), cwd=HERE, env=full_env,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
    try:
        out, err = await asyncio.wait_for(node.communicate(), 120)
    finally:
        if node.returncode is None:
            node.kill()
            await node.wait()
    lines = out.decode(errors="replace").strip().splitlines()
    assert lines, f"{flow.name} printed nothing:\n{err.decode(errors='replace')}"
    return json.loads(lines[-1]), err.decode(errors="replace")


async def test_easy_mode_remembered_person_first_and_no_idle_close(
        browser_tools: None, easy_hub: HubProcess, shots: Path) -> None:  # noqa: F811
    agent = await AgentProbe.logged_in(easy_hub.url)
    replier = asyncio.create_task(answer_every_chat(agent))
    try:
        report, stderr = await run_flow(FLOW, easy_hub, shots)
    finally:
        replier.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await replier
    context = json.dumps(report, ensure_ascii=False, indent=1) + "\n" + stderr
    print(context, file=sys.stderr)
    try:
        assert report.get("error") is None, context
        assert report["ok"] and report["console_errors"] == [] and report["page_errors"] == []
        steps = report["steps"]

        # The control: with the same 1 s + 1 s a normal chat is asked, then ended.
        control = steps["control"]
        assert control["before"]["easy"] == "off" and control["before"]["checked"] == "false"
        assert control["asked"]["prompt_visible"] and control["asked"]["idle"] == "prompt"
        assert control["asked"]["text"] == (
            "Are you still there? This chat will end in 1 second unless you answer.")
        assert control["asked"]["focused"] == "idle-stay"
        assert control["after"]["conversation_id"] is None
        assert control["notice"] == "The chat ended after a time without activity."

        zh = steps["zh"]
        assert zh["first"]["switch_label"] == "长辈模式" and zh["first"]["checked"] == "false"
        assert zh["switched"]["easy"] == "on" and zh["switched"]["stored"] == "1"
        assert zh["reloaded"]["easy"] == "on" and zh["reloaded"]["checked"] == "true"
        # Large type, fewer choices, the big action.
        assert zh["reloaded"]["font_px"] >= 20 > zh["first"]["font_px"]
        assert zh["first"]["details_visible"] and not zh["reloaded"]["details_visible"]
        assert zh["reloaded"]["person_visible"] and zh["big_button"] == "找人工客服"
        assert zh["with_person"]["bot_answers"] == 0
        assert zh["with_person"]["bot_said"] == ["人工客服马上在这里为您服务，请不用着急。"]
        # The widget's own check ran past both idle times and left the chat open.
        after = zh["after_idle"]
        assert after["idle"] == "exempt" and after["idle_quiet_ms"] >= 3000
        assert not after["prompt_visible"] and after["idle_notices"] == 0
        assert after["conversation_id"] == zh["with_person"]["conversation_id"]

        en = steps["en"]
        assert en["switched"]["easy"] == "on" and en["with_person"]["bot_answers"] == 0
        assert en["with_person"]["bot_said"] == [
            "A person will answer you here shortly. Take your time."]

        # The hub's side: a person first, with the reason; the easy chats still open.
        easy_ids = [zh["with_person"]["conversation_id"], en["with_person"]["conversation_id"]]
        assigned = {b.conversation.id: b for b in agent.bodies(ap.ConversationAssigned)}
        # Both are stored in the same millisecond: their order among themselves is open.
        assert sorted((m.author, m.text) for m in assigned[easy_ids[1]].messages[:2]) == [
            (MessageAuthor.CUSTOMER, "How do I reset my password?"),
            (MessageAuthor.SYSTEM, "bot.handoff:easy_mode")]
        with contextlib.closing(sqlite3.connect(easy_hub.db_path)) as db:
            reasons = dict(db.execute(
                "SELECT conversation_id, handoff_reason FROM bot_conversations").fetchall())
            status = dict(db.execute("SELECT id, status FROM conversations").fetchall())
        assert [reasons[c] for c in easy_ids] == ["easy_mode", "easy_mode"]
        assert reasons[control["conversation_id"]] != "easy_mode"
        assert status[control["conversation_id"]] == "closed"
        assert [status[c] for c in easy_ids] == ["open", "open"]
        for name in ("widget-easy-zh.png", "widget-easy-chat-zh.png", "widget-easy-en.png",
                     "widget-easy-chat-en.png"):
            assert (shots / name).stat().st_size > 3000
    finally:
        await agent.close()
