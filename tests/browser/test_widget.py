"""The customer widget in a real browser against a real hub, with a real agent socket.

Chromium (Debian's /usr/bin/chromium) is driven by widget_flow.mjs through Node's
playwright-core; this test plays the agent on /agent and checks both sides.
Set up once with `npm ci` in tests/browser/.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import shutil
import sqlite3
import sys
import urllib.request
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from websockets.asyncio.client import ClientConnection, connect

from core.protocol import agent as ap
from core.protocol import routing as rp
from core.protocol.codec import PROTOCOL_VERSION, agent_server_decoder, encode_text
from core.protocol.models import ClosedBy, MessageAuthor, MessageStatus, Presence

HERE = Path(__file__).parent
CHROMIUM = os.environ.get("ZUOXI_CHROMIUM", "/usr/bin/chromium")
NODE = shutil.which("node")
FLOW = HERE / "widget_flow.mjs"
PLAYWRIGHT = HERE / "node_modules" / "playwright-core"
REPLY = "您好，我是李娜。Let me check order 42 for you."
EMAIL = "Wang.Fang@Example.com"  # as widget_flow.mjs types them
PHONE = "150 1234 5678"

pytestmark = pytest.mark.browser


@pytest.fixture
def browser_tools() -> None:
    """Skip on a developer machine without the tools; on CI a missing tool is a failure."""
    missing = []
    if not Path(CHROMIUM).exists():
        missing.append(f"chromium ({CHROMIUM}; apt-get install chromium)")
    if NODE is None:
        missing.append("node (apt-get install nodejs npm)")
    if not PLAYWRIGHT.is_dir():
        missing.append(f"playwright-core (run `npm ci` in {HERE})")
    if not missing:
        return
    reason = "browser test needs " + ", ".join(missing)
    if os.environ.get("CI"):
        pytest.fail(reason)
    pytest.skip(reason)


@dataclass
class AgentSide:
    """What the agent's socket saw while the customer used the widget."""

    conversation_ids: list[str] = field(default_factory=list)  # in assignment order
    customer_name: str | None = None
    customer_texts: dict[str, list[str]] = field(default_factory=dict)
    reply_id: str | None = None
    reply_statuses: list[MessageStatus] = field(default_factory=list)
    customer_typing: list[bool] = field(default_factory=list)
    closed_by: ClosedBy | None = None
    errors: list[str] = field(default_factory=list)


def _login(base_url: str) -> str:
    body = json.dumps({"username": "lina", "password": "zuoxi-demo"}).encode()
    request = urllib.request.Request(
        f"{base_url}/api/login", data=body, headers={"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        return str(json.load(response)["token"])


class Agent:
    """A minimal agent desktop: accepts offers, acknowledges customer messages and
    answers the first."""

    def __init__(self, ws: ClientConnection) -> None:
        self.ws = ws
        self.seen = AgentSide()
        self.decoder = agent_server_decoder()
        self._replied = False

    async def send(self, frame: Any) -> None:
        await self.ws.send(encode_text(frame))

    async def run(self) -> None:
        async for data in self.ws:
            frame = self.decoder.decode(data)
            if isinstance(frame, ap.Snapshot):
                for assigned in frame.conversations:
                    await self._assigned(assigned)
            elif isinstance(frame, ap.Events):
                for event in frame.events:
                    await self._event(event.body)
            elif isinstance(frame, ap.TypingNotice):
                self.seen.customer_typing.append(frame.active)
            elif isinstance(frame, ap.Error):
                self.seen.errors.append(f"{frame.code}: {frame.message}")

    async def _assigned(self, assigned: ap.ConversationAssigned) -> None:
        self.seen.conversation_ids.append(assigned.conversation.id)
        self.seen.customer_name = assigned.customer.name
        await self._customer_messages(assigned.conversation.id, assigned.messages)

    async def _event(self, body: ap.EventBody) -> None:
        if isinstance(body, rp.OfferMade):
            await self.send(rp.AcceptOffer(op=uuid.uuid4().hex, offer_id=body.offer_id))
        elif isinstance(body, ap.ConversationAssigned):
            await self._assigned(body)
        elif isinstance(body, ap.MessageAdded):
            await self._customer_messages(body.message.conversation_id, [body.message])
        elif isinstance(body, ap.MessageStatusChanged) and body.message_id == self.seen.reply_id:
            self.seen.reply_statuses.append(body.status)
        elif isinstance(body, ap.ConversationClosed):
            self.seen.closed_by = body.closed_by

    async def _customer_messages(self, conversation_id: str, messages: list[Any]) -> None:
        mine = [m for m in messages if m.author == MessageAuthor.CUSTOMER]
        if not mine:
            return
        self.seen.customer_texts.setdefault(conversation_id, []).extend(m.text for m in mine)
        await self.send(
            ap.Delivered(conversation_id=conversation_id, message_ids=[m.id for m in mine])
        )
        if not self._replied:
            self._replied = True
            await self.send(ap.Typing(conversation_id=conversation_id, active=True))
            await asyncio.sleep(0.8)  # long enough for the widget to show the indicator
            self.seen.reply_id = uuid.uuid4().hex
            await self.send(
                ap.SendMessage(
                    op=uuid.uuid4().hex,
                    conversation_id=conversation_id,
                    message_id=self.seen.reply_id,
                    text=REPLY,
                )
            )


async def _run_flow(hub: Any, shots: Path) -> tuple[dict[str, Any], AgentSide, str]:
    token = await asyncio.to_thread(_login, hub.url)
    async with connect(hub.agent_ws_url) as ws:
        await ws.send(
            encode_text(
                ap.Hello(v=PROTOCOL_VERSION, token=token, last_seq=None, client="browser-test")
            )
        )
        welcome = agent_server_decoder().decode(await asyncio.wait_for(ws.recv(), 10))
        assert isinstance(welcome, ap.Welcome), welcome
        agent = Agent(ws)
        if welcome.presence != Presence.AVAILABLE:
            await agent.send(ap.SetPresence(op=uuid.uuid4().hex, presence=Presence.AVAILABLE))
        listener = asyncio.create_task(agent.run())
        env = {
            **os.environ,
            "WIDGET_URL": f"{hub.url}/",
            "SCREENSHOT_DIR": str(shots),
            "CHROMIUM": CHROMIUM,
            "AGENT_REPLY": REPLY,
        }
        node = await asyncio.create_subprocess_exec(
            NODE or "node",
            str(FLOW),
            cwd=HERE,
            env=env,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )
        try:
            out, err = await asyncio.wait_for(node.communicate(), 150)
        finally:
            if node.returncode is None:
                node.kill()
                await node.wait()
            if node.returncode == 0:  # the widget closed last: wait for that to arrive
                with contextlib.suppress(TimeoutError):
                    async with asyncio.timeout(10):
                        while agent.seen.closed_by is None:  # noqa: ASYNC110 - set by the listener
                            await asyncio.sleep(0.05)
            listener.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await listener
    stderr = err.decode(errors="replace")
    lines = out.decode(errors="replace").strip().splitlines()
    assert lines, f"widget_flow.mjs printed nothing (exit {node.returncode}):\n{stderr}"
    return json.loads(lines[-1]), agent.seen, stderr


@pytest.fixture
def shots(tmp_path: Path) -> Path:
    """Where the screenshots go: ZUOXI_SCREENSHOT_DIR keeps them after the run."""
    folder = Path(os.environ.get("ZUOXI_SCREENSHOT_DIR", tmp_path))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


async def test_customer_widget_in_chromium(browser_tools: None, hub: Any, shots: Path) -> None:
    report, agent, stderr = await _run_flow(hub, shots)
    steps = {s["name"]: s for s in report["steps"]}
    context = json.dumps(report, ensure_ascii=False, indent=1) + "\n" + stderr
    print(context, file=sys.stderr)

    assert report["errors"] == [], context
    assert report["page_errors"] == [], context
    assert report["console_errors"] == [], context  # CSP violations land here
    assert report["ok"], context

    assert steps["loaded"]["lang"] == "en" and steps["loaded"]["send_label"] == "Send"
    assert steps["loaded"]["visitor_id"], "the hub-issued visitor id is kept in localStorage"

    details = steps["details"]
    bad = details["bad_phone"]
    assert bad["hint"] == "That phone number doesn't look right, so it won't be sent.", bad
    assert (bad["phone_invalid"], bad["email_invalid"]) == ("true", None), bad
    assert bad["hello_has_phone"] is False, "an invalid phone is not sent"
    assert details["hint_hidden"], "the hint goes once the phone is fixed"
    hello = details["last_hello"]
    assert (hello["name"], hello["email"], hello["phone"]) == ("Wang Fang", EMAIL, PHONE), hello
    assert details["stored"] == ["Wang Fang", EMAIL, PHONE], "kept in localStorage"

    first = steps["first_message"]
    assert first["statuses"] == ["pending", "sent", "delivered"], first
    assert first["conversation_id"] == agent.conversation_ids[0]
    assert first["details_hidden"], "the details are asked for only before a conversation"

    # The hub added the typed contact points to the visitor's customer as claims
    # (unverified: they resolve nothing and block no one).
    with contextlib.closing(sqlite3.connect(hub.db_path)) as db:
        rows = db.execute(
            "SELECT i.kind, i.value FROM identity_claims i"
            " JOIN conversations c ON c.customer_id = i.customer_id"
            " WHERE c.id = ? ORDER BY i.kind",
            (first["conversation_id"],),
        ).fetchall()
    assert rows == [("email", "wang.fang@example.com"), ("phone", "+8615012345678")], rows

    reply = steps["agent_reply"]
    assert reply["text"] == REPLY
    assert reply["who"] == "李娜"
    assert reply["typing_text"] == "李娜 is typing…"
    assert reply["joined_notice"] == ["李娜 joined the chat"]
    assert reply["presence"] == "Chatting with 李娜"
    assert agent.reply_statuses == [MessageStatus.DELIVERED], "the widget confirmed the reply"

    second = steps["second_message"]
    assert second["statuses"] == ["pending", "sent", "delivered"], second
    # Markup in a message is shown as text, never parsed.
    assert second["rendered_html"] == (
        "Thanks!\nCan it go to &lt;Room 502&gt; &amp; not the front desk?"
    )
    assert True in agent.customer_typing, "the widget sent typing frames"

    lost = steps["lost_ack"]
    assert lost["status_without_ack"] == "pending" and lost["dropped_acks"] >= 1
    assert lost["copies"] == 1

    offline = steps["offline_send"]
    assert offline["status_while_down"] == "pending"
    assert offline["presence_while_down"] in ("Reconnecting…", "Connecting…")

    texts = [
        "Hello, my order 42 has not arrived. 我的订单还没到。",
        "Thanks!\nCan it go to <Room 502> & not the front desk?",
        "I'm home after 6 pm.",
        "My phone is 138 0013 8000.",
    ]
    conversation_id = first["conversation_id"]
    assert agent.customer_texts[conversation_id] == texts, "each reached the agent once, in order"
    assert agent.customer_name == "Wang Fang"

    reload = steps["reload"]
    assert reload["conversation_id"] == first["conversation_id"]
    assert [(m["author"], m["text"]) for m in reload["after"]] == [
        ("customer", texts[0]),
        ("agent", REPLY),
        ("customer", texts[1]),
        ("customer", texts[2]),
        ("customer", texts[3]),
    ]
    assert [m["id"] for m in reload["after"]] == [m["id"] for m in reload["before"]]
    assert all(m["status"] == "delivered" for m in reload["after"] if m["author"] == "customer")
    assert reload["outbox"] == "[]"

    closed = steps["closed"]
    assert closed["conversation_id"] == "" and closed["close_disabled"]
    assert closed["notice"].startswith("You ended the conversation.")
    assert agent.closed_by == ClosedBy.CUSTOMER

    flood = steps["flood"]
    assert flood["banner"] == "You're sending messages too fast. We'll retry in a moment."
    burst = [f"Burst {i}" for i in range(1, 41)]
    assert sorted(text for text, _ in flood["shown"]) == sorted(burst)
    assert {status for _, status in flood["shown"]} <= {"sent", "delivered"}
    assert len(agent.conversation_ids) == 2, "the burst opened a new conversation"
    stored = agent.customer_texts[agent.conversation_ids[1]]
    assert sorted(stored) == sorted(burst), "refused messages were resent, none twice"

    zh = steps["chinese_ui"]
    assert (zh["lang"], zh["title"], zh["send_label"]) == ("zh-CN", "在线客服", "发送")
    assert zh["name_label"] == "您的称呼（选填）"
    assert (zh["email_label"], zh["phone_label"]) == ("邮箱（选填）", "电话（选填）")
    assert agent.errors == []
    for name in ("widget.png", "widget-mobile.png", "widget-zh.png"):
        assert (shots / name).stat().st_size > 5000
