"""The widget's topic choice in a real browser against a real hub: the topics come
from the hub's routing file (en and zh labels), the chosen one travels in the
customer hello, and the chat is offered to the agent in that topic's queue.

Driven by topic_flow.mjs (Node's playwright-core, Debian's chromium); set up once
with `npm ci` in tests/browser/.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import sqlite3
import sys
import urllib.request
import uuid
from pathlib import Path
from typing import Any

import pytest
from websockets.asyncio.client import connect

from core.protocol import agent as ap
from core.protocol import routing as rp
from core.protocol.codec import PROTOCOL_VERSION, agent_server_decoder, encode_text
from core.protocol.models import Presence
from tests.browser.test_widget import (  # noqa: F401 (fixtures)
    CHROMIUM,
    HERE,
    NODE,
    _login,
    browser_tools,
    shots,
)

FLOW = HERE / "topic_flow.mjs"
pytestmark = pytest.mark.browser


def test_hub_serves_the_widget_topics_from_the_routing_file(hub: Any) -> None:
    with urllib.request.urlopen(f"{hub.url}/api/widget/topics", timeout=10) as response:
        assert response.headers["Content-Type"].startswith("application/json")
        body = json.load(response)
    assert body == {"topics": [
        {"id": "billing", "labels": {"en": "Billing and payments", "zh": "账单与付款"}},
        {"id": "complaint", "labels": {"en": "A complaint", "zh": "投诉"}},
    ]}


async def _offers_while_the_widget_runs(hub: Any, folder: Path
                                        ) -> tuple[dict[str, Any], list[rp.OfferMade], str]:
    token = await asyncio.to_thread(_login, hub.url)
    offers: list[rp.OfferMade] = []
    async with connect(hub.agent_ws_url) as ws:
        await ws.send(encode_text(ap.Hello(v=PROTOCOL_VERSION, token=token, client="topic-test")))
        decoder = agent_server_decoder()
        welcome = decoder.decode(await asyncio.wait_for(ws.recv(), 10))
        assert isinstance(welcome, ap.Welcome), welcome
        if welcome.presence != Presence.AVAILABLE:
            await ws.send(encode_text(ap.SetPresence(op=uuid.uuid4().hex,
                                                     presence=Presence.AVAILABLE)))

        async def listen() -> None:
            async for data in ws:
                frame = decoder.decode(data)
                if isinstance(frame, ap.Events):
                    for event in frame.events:
                        if isinstance(event.body, rp.OfferMade):
                            offers.append(event.body)
                            await ws.send(encode_text(rp.AcceptOffer(
                                op=uuid.uuid4().hex, offer_id=event.body.offer_id)))

        listener = asyncio.create_task(listen())
        env = {**os.environ, "WIDGET_URL": f"{hub.url}/", "SCREENSHOT_DIR": str(folder),
               "CHROMIUM": CHROMIUM, "TOPIC": "billing"}
        node = await asyncio.create_subprocess_exec(
            NODE or "node", str(FLOW), cwd=HERE, env=env,
            stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
        try:
            out, err = await asyncio.wait_for(node.communicate(), 120)
            for _ in range(50):  # the offer follows the ack the page waited for
                if offers:
                    break
                await asyncio.sleep(0.1)
        finally:
            if node.returncode is None:
                node.kill()
                await node.wait()
            listener.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await listener
    lines = out.decode(errors="replace").strip().splitlines()
    assert lines, f"topic_flow.mjs printed nothing:\n{err.decode(errors='replace')}"
    return json.loads(lines[-1]), offers, err.decode(errors="replace")


async def test_the_chosen_topic_lands_the_chat_in_its_queue(
        browser_tools: None, hub: Any, shots: Path) -> None:  # noqa: F811
    report, offers, stderr = await _offers_while_the_widget_runs(hub, shots)
    context = json.dumps(report, ensure_ascii=False, indent=1) + "\n" + stderr
    print(context, file=sys.stderr)
    assert report.get("error") is None, context
    assert report["ok"] and report["console_errors"] == [], context

    offered = report["steps"]["offered"]
    assert offered["label"] == "Topic"
    assert offered["options"] == [["", "Something else"], ["billing", "Billing and payments"],
                                  ["complaint", "A complaint"]]
    assert offered["first_hello_topic"] is None, "no topic until the visitor chooses one"

    sent = report["steps"]["sent"]
    assert sent["chosen"] == "billing" and sent["last_hello_topic"] == "billing", sent
    assert sent["topic_hidden"], "the choice is only offered before the first message"
    conversation_id = sent["conversation_id"]

    # The message has no billing keyword for the classifier: the choice alone did it.
    assert [(o.conversation.id, o.queue) for o in offers] == [(conversation_id, "billing")]
    with contextlib.closing(sqlite3.connect(hub.db_path)) as db:
        queue = db.execute("SELECT queue_id FROM conversations WHERE id = ?",
                           (conversation_id,)).fetchone()
    assert queue == ("billing",)

    zh = report["steps"]["chinese"]
    assert zh["label"] == "咨询类型"
    assert zh["options"] == [["", "其他问题"], ["billing", "账单与付款"], ["complaint", "投诉"]]
    for name in ("widget-topic.png", "widget-topic-zh.png"):
        assert (shots / name).stat().st_size > 3000
