"""Widget accessibility in a real browser against a real hub: keyboard only through
every state (bot answer, hand-off, chat with an agent, rating, call error, offline,
easy mode), axe-core (npm) in each with no serious or critical violation, and no
sideways scrolling at 320 CSS px (a 640 px window at 200 % zoom), in English and
Chinese.

Driven by a11y_flow.mjs (Node's playwright-core and axe-core, Debian's chromium).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import sys
import uuid
from collections.abc import Callable
from pathlib import Path

import pytest

from core.protocol import agent as ap
from core.protocol import routing as rp
from testbed.agent_probe import AgentProbe, eventually
from tests.browser.test_widget import (  # noqa: F401 (fixtures)
    HERE,
    browser_tools,
    shots,
)
from tests.browser.test_widget_easy import REPLY, run_flow
from tests.conftest import HubProcess

FLOW = HERE / "a11y_flow.mjs"
ROOT = HERE.parents[1]
AXE = HERE / "node_modules" / "axe-core"
pytestmark = pytest.mark.browser


@pytest.fixture
def bot_hub(make_hub: Callable[..., HubProcess], tmp_path: Path) -> HubProcess:
    text = (ROOT / "hub" / "routing.toml").read_text(encoding="utf-8")
    config = tmp_path / "routing.toml"
    config.write_text(text.replace("\n[bot]\n", "\n[bot]\nno_topic = true\n"), encoding="utf-8")
    return make_hub("--routing-config", str(config))


async def take_after_gate(agent: AgentProbe, gate: Path) -> None:
    """Accept the hand-off only once the page's waiting state was checked, then reply."""
    offer = await agent.wait_body(rp.OfferMade, timeout=3600)
    await eventually(gate.exists, timeout=120)  # the flow writes it once it has checked
    await agent.send(rp.AcceptOffer(op=uuid.uuid4().hex, offer_id=offer.offer_id))
    assigned = await agent.wait_body(ap.ConversationAssigned, timeout=10)
    await agent.reply(assigned.conversation.id, REPLY)


@pytest.mark.parametrize("locale", ["en-US", "zh-CN"])
async def test_widget_keyboard_axe_and_reflow(
        browser_tools: None, bot_hub: HubProcess, shots: Path, tmp_path: Path,  # noqa: F811
        locale: str) -> None:
    assert AXE.is_dir(), f"axe-core is missing: run `npm ci` in {HERE}"
    agent = await AgentProbe.logged_in(bot_hub.url, accept_offers=False)
    gate = tmp_path / "gate"
    taker = asyncio.create_task(take_after_gate(agent, gate))
    try:
        report, stderr = await run_flow(FLOW, bot_hub, shots, LOCALE=locale,
                                        GATE_FILE=str(gate))
    finally:
        if not taker.done():
            taker.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await taker
        await agent.close()
    context = json.dumps(report, ensure_ascii=False, indent=1) + "\n" + stderr
    print(context, file=sys.stderr)
    assert report.get("error") is None, context
    assert report["ok"] and report["console_errors"] == [] and report["page_errors"] == []
    zh = locale.startswith("zh")

    states = report["states"]
    assert set(states) == {"first", "bot_answer", "handoff_waiting", "agent_chat", "rating",
                           "error_banner", "offline", "easy"}
    for name, state in states.items():
        bad = [v for v in state["violations"] if v["impact"] in ("serious", "critical")]
        assert bad == [], f"{name}: {json.dumps(bad, ensure_ascii=False, indent=1)}"
        assert state["scroll_width"] <= state["client_width"], f"{name} scrolls sideways"
        assert state["client_width"] == 320
        assert state["live_log"] == ["log", "polite", "对话内容" if zh else "Conversation"]

    steps = report["steps"]
    # The first screen's tab order reaches every control, the easy-mode switch early.
    order = steps["tab_order"]
    for control in ("talk-to-person", "easy-switch", "call", "text", "send"):
        assert control in order, order
    assert order.index("easy-switch") < order.index("text")
    assert steps["bot"] == {"read_more_before": "false",
                            "expanded": {"aria": "true", "body_visible": True}}
    assert steps["waiting"]["presence"] == ("正在为您接入客服…" if zh else "Waiting for an agent…")
    assert steps["rating"]["focus"]["id"] == "csat-1"
    assert steps["rating"]["next"] in ("nps", "done")
    assert steps["error"]["role"] == "alert" and steps["error"]["text"]
    assert steps["error"]["dismissed"] is True
    assert steps["offline"]["presence"].startswith("网络已断开" if zh else "Offline")
    assert steps["easy"]["checked"] == "true"
    assert steps["easy"]["person"]["id"] == "easy-person"
