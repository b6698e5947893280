"""The customer's side of a full disk (security review: the widget showed "Something
went wrong (unavailable)" and marked the message failed, so it was lost). Real hub with
its database on a small tmpfs the test fills, real Chromium (disk_full_flow.mjs): the
message stays "sending" with a plain notice in the customer's language, the widget
sends it again by itself, and once there is room it arrives at the agent once."""

from __future__ import annotations

import asyncio
import json
import os
from pathlib import Path

import pytest

from core.protocol import agent as ap
from hub.process import HubProcess
from testbed.agent_probe import AgentProbe
from tests.browser.test_widget import (  # noqa: F401 (fixtures)
    CHROMIUM,
    HERE,
    NODE,
    browser_tools,
    shots,
)
from tests.integration.test_disk_full import _fill, small_disk  # noqa: F401 (fixture)
from tests.support.routing_files import routing_variant

FLOW = HERE / "disk_full_flow.mjs"
pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(os.geteuid() != 0, reason="mounting a tmpfs needs root")]

NOTICE = {
    "en-US": "We can't save messages right now. Yours is kept and will be sent shortly.",
    "zh-CN": "暂时无法保存消息。您的消息已保留，稍后会自动发送。",
}


@pytest.mark.parametrize("locale", ["en-US", "zh-CN"])
async def test_a_message_the_hub_cannot_store_is_kept_and_sent_again(
        browser_tools: None, small_disk: Path, tmp_path: Path,  # noqa: F811
        shots: Path, locale: str) -> None:  # noqa: F811
    # Closed but for one minute a week (a file without any day means always open):
    # the widget's welcome offers to leave a message, which must go once a person
    # takes the chat anyway.
    closed = routing_variant(tmp_path, {
        'mon = ["09:00", "18:00"]': 'mon = ["00:00", "00:01"]',
        **{f'{day} = ["09:00", "18:00"]': f"# {day}: closed"
           for day in ("tue", "wed", "thu", "fri")}})
    hub = HubProcess(db_path=small_disk / "hub.sqlite3", workdir=tmp_path / "hub",
                     extra_args=["--routing-config", str(closed)])
    hub.start(timeout=90)
    env = {**os.environ, "WIDGET_URL": f"{hub.url}/", "SCREENSHOT_DIR": str(shots),
           "CHROMIUM": CHROMIUM, "LOCALE": locale}
    node = await asyncio.create_subprocess_exec(
        NODE or "node", str(FLOW), cwd=HERE, env=env, stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
    lina = await AgentProbe.logged_in(hub.url, "lina")
    filler: Path | None = None
    report: dict[str, object] = {}
    try:
        assert node.stdout is not None and node.stdin is not None
        while line := await asyncio.wait_for(node.stdout.readline(), 120):
            message = json.loads(line)
            if "report" in message:
                report = message["report"]
                node.stdin.close()
                break
            if message["step"] == "first_sent":
                assigned = await lina.wait_body(ap.ConversationAssigned, timeout=15)
                conversation = assigned.conversation.id
                filler = _fill(small_disk)
                for _ in range(400):  # until the database itself refuses a write
                    if isinstance(await lina.reply(conversation, "x" * 4000), ap.Error):
                        break
            elif message["step"] == "refused" and filler is not None:
                filler.unlink()
                filler = None
            node.stdin.write(b"go\n")
            await node.stdin.drain()
        await asyncio.wait_for(node.wait(), 30)
        assert report.get("error") is None, report
        assert report["page_errors"] == [] and report["console_errors"] == []
        assert report["leave_offer_at_welcome"] is True  # closed: nobody to answer
        assert report["leave_offer_hidden"] is True  # then a person took the chat
        assert report["notice"] == NOTICE[locale] and report["notice_code"] == "unavailable"
        # Refused, yet kept as "sending" (it was marked failed and dropped before).
        assert report["status_at_refusal"] == "pending"
        assert isinstance(report["refusals_while_full"], int)
        assert report["status_after"] in ("sent", "delivered") and report["failed_items"] == 0
        refused = str(report["refused_text"])
        arrived = await lina.wait_body(
            ap.MessageAdded, lambda b: b.message.text == refused, timeout=30)
        assert arrived.message.author == "customer"
        texts = [b.message.text for b in lina.bodies(ap.MessageAdded)]
        assert texts.count(refused) == 1
        assert "Traceback" not in hub.log_text()
    finally:
        if node.returncode is None:
            node.kill()
            await node.wait()
        if filler is not None:
            filler.unlink()
        await lina.close()
        hub.stop()
