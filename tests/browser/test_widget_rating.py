"""CSAT and NPS in a real browser against a real hub: after the customer (first
chat) or the agent (second chat) ends a chat, the widget asks a rating (keyboard
only, ARIA-labelled, en and zh), then NPS once; the next chat's rating does not
ask NPS again. The agent then reads the ratings in the customer's timeline and
profile figures over a real agent websocket. Driven by rating_flow.mjs (set up
with `npm ci` in tests/browser/).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import sqlite3
import sys
import uuid
from pathlib import Path
from typing import Any

import msgspec
import pytest
from websockets.asyncio.client import connect

from core.protocol import agent as ap
from core.protocol import profile as pp
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

FLOW = HERE / "rating_flow.mjs"
pytestmark = pytest.mark.browser


async def _run(hub: Any, folder: Path, locale: str) -> tuple[dict[str, Any], list[Any], str]:
    """Runs the page while an agent takes every offer; returns the page's report, the
    agent's replies to the profile reads made afterwards, and the page's stderr."""
    token = await asyncio.to_thread(_login, hub.url)
    replies: asyncio.Queue[Any] = asyncio.Queue()
    async with connect(hub.agent_ws_url) as ws:
        await ws.send(encode_text(ap.Hello(v=PROTOCOL_VERSION, token=token, client="rating")))
        decoder = agent_server_decoder()
        welcome = decoder.decode(await asyncio.wait_for(ws.recv(), 10))
        assert isinstance(welcome, ap.Welcome), welcome
        if welcome.presence != Presence.AVAILABLE:
            await ws.send(encode_text(ap.SetPresence(op=uuid.uuid4().hex,
                                                     presence=Presence.AVAILABLE)))

        assigned: list[str] = []

        async def listen() -> None:
            async for data in ws:
                frame = decoder.decode(data)
                if isinstance(frame, ap.Events):
                    for event in frame.events:
                        if isinstance(event.body, rp.OfferMade):
                            await ws.send(encode_text(rp.AcceptOffer(
                                op=uuid.uuid4().hex, offer_id=event.body.offer_id)))
                        elif isinstance(event.body, ap.ConversationAssigned):
                            conv_id = event.body.conversation.id
                            if conv_id not in assigned:
                                assigned.append(conv_id)
                                if len(assigned) == 2:  # the agent ends the second chat
                                    await ws.send(encode_text(ap.CloseConversation(
                                        op=uuid.uuid4().hex, conversation_id=conv_id)))
                elif isinstance(frame, pp.Timeline | pp.CustomerFrame):
                    await replies.put(frame)

        listener = asyncio.create_task(listen())
        env = {**os.environ, "WIDGET_URL": f"{hub.url}/", "SCREENSHOT_DIR": str(folder),
               "CHROMIUM": CHROMIUM, "LOCALE": locale}
        node = await asyncio.create_subprocess_exec(
            NODE or "node", str(FLOW), cwd=HERE, env=env,
            stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
        try:
            out, err = await asyncio.wait_for(node.communicate(), 120)
            lines = out.decode(errors="replace").strip().splitlines()
            assert lines, f"rating_flow.mjs printed nothing:\n{err.decode(errors='replace')}"
            report = json.loads(lines[-1])
            got: list[Any] = []
            first = report.get("steps", {}).get("first")
            if first:
                with contextlib.closing(sqlite3.connect(hub.db_path)) as db:
                    (customer_id,) = db.execute(
                        "SELECT customer_id FROM conversations WHERE id = ?",
                        (first["conversation_id"],)).fetchone()
                await ws.send(encode_text(pp.FetchTimeline(op="tl", customer_id=customer_id)))
                await ws.send(encode_text(pp.FetchCustomer(op="cu", customer_id=customer_id)))
                got = [await asyncio.wait_for(replies.get(), 10) for _ in range(2)]
        finally:
            if node.returncode is None:
                node.kill()
                await node.wait()
            listener.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await listener
    return report, got, err.decode(errors="replace")


@pytest.mark.parametrize("locale", ["en-US", "zh-CN"])
async def test_rating_after_close_then_nps_once_and_the_agent_sees_them(
        browser_tools: None, hub: Any, shots: Path, locale: str) -> None:  # noqa: F811
    report, replies, stderr = await _run(hub, shots, locale)
    context = json.dumps(report, ensure_ascii=False, indent=1) + "\n" + stderr
    print(context, file=sys.stderr)
    assert report.get("error") is None, context
    assert report["ok"] and report["console_errors"] == [], context
    zh = locale == "zh-CN"

    first, second = report["steps"]["first"], report["steps"]["second"]
    asked = first["asked"]
    assert asked["stage"] == "csat" and not asked["hidden"]
    assert asked["title"] == ("您对本次对话满意吗？" if zh else "How was this conversation?")
    assert asked["labelled_by"] == "rating-title" and asked["focused"] == "csat-1"
    assert asked["labels"][:5] == (
        ["1 分（满分 5 分）：非常不满意", "2 分（满分 5 分）：不满意", "3 分（满分 5 分）：一般",
         "4 分（满分 5 分）：满意", "5 分（满分 5 分）：非常满意"] if zh else
        ["1 of 5: Very poor", "2 of 5: Poor", "3 of 5: Okay", "4 of 5: Good", "5 of 5: Excellent"])
    assert asked["comment_visible"] is False, "no comment box before a low score"
    assert first["low"]["comment_visible"] is True and first["low"]["focused"] == "csat-2"
    assert first["nps"]["stage"] == "nps" and len(first["nps"]["labels"]) == 11
    assert first["nps"]["legends"] == (["您的评分（0–10）"] if zh else ["Your score (0–10)"])
    assert first["nps"]["labels"][9] == ("9 分（满分 10 分）" if zh else "9 of 10")
    assert first["thanks"] == ("感谢您的反馈！" if zh else "Thank you for your feedback!")
    assert second["mid"]["comment_visible"] is False and second["high"]["focused"] == "csat-5"

    # What the widget sent and what the hub answered: NPS due once, not the second time.
    assert report["sent"] == [
        {"type": "rate", "conversation_id": first["conversation_id"], "score": 2,
         "solved": False, "comment": "Nobody told me about the delay."},
        {"type": "answer_nps", "score": 9, "reason": "Good people, slow delivery.",
         "conversation_id": first["conversation_id"]},
        {"type": "rate", "conversation_id": second["conversation_id"], "score": 5,
         "solved": True, "comment": None},
    ]
    closed = [(f["conversation_id"], f["closed_by"]) for f in report["received"]
              if f["type"] == "closed"]
    assert closed == [(first["conversation_id"], "customer"),
                      (second["conversation_id"], "agent")]
    rated = [f for f in report["received"] if f["type"] == "rated"]
    assert [(f["conversation_id"], f["nps_due"]) for f in rated] == [
        (first["conversation_id"], True), (second["conversation_id"], False)]
    assert not [f for f in report["received"] if f["type"] == "error"], context

    # Stored on the conversations, credited to the agent who took them.
    with contextlib.closing(sqlite3.connect(hub.db_path)) as db:
        rows = db.execute(
            "SELECT r.conversation_id, r.score, r.solved, r.comment, a.username "
            "FROM conversation_ratings r JOIN agents a ON a.id = r.agent_id "
            "ORDER BY r.rated_at").fetchall()
    assert rows == [(first["conversation_id"], 2, 0, "Nobody told me about the delay.", "lina"),
                    (second["conversation_id"], 5, 1, None, "lina")]

    # The agent's desktop reads them: timeline entries and the profile's figures.
    timeline = next(r for r in replies if isinstance(r, pp.Timeline))
    customer = next(r for r in replies if isinstance(r, pp.CustomerFrame)).customer
    feedback = [(i.kind, i.score, i.solved, i.agent_name, i.preview)
                for i in timeline.items if i.kind in ("rating", "nps")]
    assert feedback == [
        ("rating", 5, True, "李娜", None),
        ("nps", 9, None, "李娜", "Good people, slow delivery."),
        ("rating", 2, False, "李娜", "Nobody told me about the delay."),
    ], msgspec.json.encode(timeline).decode()
    assert customer.stats is not None
    assert (customer.stats.avg_csat, customer.stats.last_nps) == (3.5, 9)
    for name in (f"widget-csat-{locale}.png", f"widget-nps-{locale}.png"):
        assert (shots / name).stat().st_size > 3000
