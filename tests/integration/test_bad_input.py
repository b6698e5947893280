"""The public /customer endpoint (and /agent) under bad input: clear error codes,
no crash, and other connections keep working."""

from __future__ import annotations

import asyncio
import json
import urllib.error
import urllib.request

import pytest
import websockets

from core.protocol import agent as ap
from core.protocol.codec import encode_text
from hub.demo.simulator import SimCustomer
from testbed.agent_probe import AgentProbe, login
from tests.conftest import HubProcess


async def _connected(hub: HubProcess) -> SimCustomer:
    c = SimCustomer(hub.customer_ws_url)
    await c.connect()
    return c


async def _error_after(c: SimCustomer, data: str | bytes) -> str:
    before = len(c.errors)
    await c.send_raw(data)
    await c.wait_for(lambda: len(c.errors) > before)
    return c.errors[-1].code


@pytest.mark.parametrize(
    ("frame", "code"),
    [
        ("{not json", "bad_json"),
        ("[1, 2, 3]", "invalid"),
        ('"just a string"', "invalid"),
        ('{"no_type": 1}', "invalid"),
        ('{"type": "launch_missiles"}', "unknown_type"),
        ('{"type": "send", "id": "x1", "text": 42}', "invalid"),
        ('{"type": "send", "id": "x1"}', "invalid"),
        ('{"type": "send", "id": "x1", "text": ""}', "invalid"),
        ('{"type": "send", "id": "bad id with spaces", "text": "hi"}', "invalid"),
        ('{"type": "send", "id": "x1", "text": "hi", "admin": true}', "invalid"),
        ('{"type": "typing", "active": "yes"}', "invalid"),
        ('{"type": "received", "message_ids": "m1"}', "invalid"),
        ('{"type": "hello", "v": 1}', "invalid"),
        (b"\x00\x01binary", "invalid"),
        ('{"type": "send", "id": "x1", "text": "' + "字" * 4001 + '"}', "invalid"),
        ("{" + " " * 20_000 + "}", "too_large"),
    ],
)
async def test_bad_frames_get_error_codes_and_the_connection_lives(
    hub: HubProcess, frame: str | bytes, code: str
) -> None:
    c = await _connected(hub)
    assert await _error_after(c, frame) == code
    # The same connection still works.
    msg = await c.send("still here")
    assert msg.text == "still here"
    await c.disconnect()


async def test_foreign_conversation_and_message_ids_are_refused(hub: HubProcess) -> None:
    agent = await AgentProbe.logged_in(hub.url)
    owner = await _connected(hub)
    await owner.send("mine")
    assigned = await agent.wait_body(ap.ConversationAssigned)
    await agent.reply(assigned.conversation.id, "agent reply")
    reply = await owner.wait_message()

    intruder = await _connected(hub)
    frame = json.dumps(
        {"type": "send", "id": "i1", "text": "hijack", "conversation_id": assigned.conversation.id}
    )
    assert await _error_after(intruder, frame) == "not_found"
    frame = json.dumps({"type": "close", "conversation_id": assigned.conversation.id})
    assert await _error_after(intruder, frame) == "no_conversation"
    # Receipts for someone else's messages change nothing.
    frame = json.dumps({"type": "received", "message_ids": [reply.id, "m_nope"]})
    assert await _error_after(intruder, frame) == "not_found"
    # The owner's conversation is untouched and still open.
    await owner.send("still mine")
    await agent.wait_body(ap.MessageAdded, lambda b: b.message.text == "still mine")
    assert all(b.message.text != "hijack" for b in agent.bodies(ap.MessageAdded))
    for c in (owner, intruder):
        await c.disconnect()
    await agent.close()


async def test_oversized_transport_frame_closes_only_that_connection(hub: HubProcess) -> None:
    bystander = await _connected(hub)
    big = await _connected(hub)
    await big.send_raw("x" * 200_000)
    await big.wait_for(lambda: not big.connected, timeout=5)
    assert big._ws.close_code == 1009  # message too big
    assert (await bystander.send("unaffected")).text == "unaffected"
    await bystander.disconnect()


async def test_flood_is_rate_limited_then_closed(hub: HubProcess) -> None:
    bystander = await _connected(hub)
    flooder = await _connected(hub)
    frame = '{"type": "typing", "active": true}'
    with pytest.raises((websockets.ConnectionClosed, ConnectionError)):
        for _ in range(2000):
            await flooder.send_raw(frame)
        await flooder.wait_for(lambda: not flooder.connected, timeout=10)
        raise ConnectionError("closed as expected")
    await flooder.wait_for(lambda: not flooder.connected, timeout=10)
    assert any(e.code == "rate_limited" for e in flooder.errors)
    assert flooder._ws.close_code == 1008  # policy violation
    assert (await bystander.send("fine")).text == "fine"
    await bystander.disconnect()


async def test_duplicate_send_is_stored_once(hub: HubProcess) -> None:
    agent = await AgentProbe.logged_in(hub.url)
    c = await _connected(hub)
    first = await c.send("only once", client_id="dup-1")
    c.frames.clear()
    again = await c.send("only once", client_id="dup-1")
    assert again.id == first.id
    # A later message is a marker: the hub handles a customer's frames in order and
    # the agent's events come in order, so a duplicate would reach the agent first.
    await c.send("marker")

    def texts() -> list[str]:
        assigned = agent.bodies(ap.ConversationAssigned)
        added = [b.message.text for b in agent.bodies(ap.MessageAdded)]
        return [m.text for m in assigned[0].messages] + added if assigned else []

    await agent.wait_for(lambda: "marker" in texts())
    assert texts() == ["only once", "marker"]
    await c.disconnect()
    await agent.close()


async def test_hello_must_come_first_and_version_must_match(hub: HubProcess) -> None:
    async with websockets.connect(hub.customer_ws_url) as ws:
        await ws.send('{"type": "send", "id": "a", "text": "no hello"}')
        err = json.loads(await ws.recv())
        assert err["type"] == "error" and err["code"] == "not_authenticated"
        with pytest.raises(websockets.ConnectionClosed):
            await ws.recv()
    async with websockets.connect(hub.customer_ws_url) as ws:
        await ws.send('{"type": "hello", "v": 99}')
        err = json.loads(await ws.recv())
        assert err["code"] == "unsupported_version"


async def test_agent_bad_token_and_revoked_token(hub: HubProcess) -> None:
    async with websockets.connect(hub.agent_ws_url) as ws:
        await ws.send(encode_text(ap.Hello(v=1, token="forged")))
        err = json.loads(await ws.recv())
        assert err["code"] == "unauthorized"
        with pytest.raises(websockets.ConnectionClosed) as closed:
            await ws.recv()
        assert closed.value.rcvd is not None and closed.value.rcvd.code == 4401

    data = await asyncio.to_thread(login, hub.url, "lina", "zuoxi-demo")
    req = urllib.request.Request(
        hub.url + "/api/logout", method="POST", headers={"Authorization": f"Bearer {data['token']}"}
    )
    status = await asyncio.to_thread(lambda: urllib.request.urlopen(req, timeout=5).status)
    assert status == 204
    probe = AgentProbe(hub.url, data["token"])
    await probe.connect()
    assert probe.welcome is None and probe.close_code == 4401
    assert probe.errors()[0].code == "unauthorized"


async def test_agent_commands_validate_ownership_and_dedupe(hub: HubProcess) -> None:
    lina = await AgentProbe.logged_in(hub.url, "lina")
    c = await _connected(hub)
    await c.send("hello")
    assigned = await lina.wait_body(ap.ConversationAssigned)
    alex = await AgentProbe.logged_in(hub.url, "alex")
    stolen = await alex.reply(assigned.conversation.id, "not my conversation")
    assert isinstance(stolen, ap.Error) and stolen.code == "not_found"

    cmd = ap.SendMessage(
        op="op-dup",
        conversation_id=assigned.conversation.id,
        message_id="m-dup",
        text="exactly once",
    )
    first = await lina.command(cmd)
    lina.frames.clear()
    second = await lina.command(cmd)
    assert isinstance(first, ap.Ack) and isinstance(second, ap.Ack)
    assert first.seq == second.seq
    # A later reply is a marker: lina's commands are handled in order and the
    # customer's frames go out in order, so a duplicate would arrive first.
    assert isinstance(await lina.reply(assigned.conversation.id, "marker"), ap.Ack)
    await c.wait_message(lambda m: m.text == "marker")
    assert [m.text for m in c.messages if m.author == "agent"] == ["exactly once", "marker"]

    assert await _agent_error(lina, '{"type": "send_message", "op": "x"}') == "invalid"
    assert await _agent_error(lina, "nonsense") == "bad_json"
    for c_ in (c,):
        await c_.disconnect()
    await lina.close()
    await alex.close()


async def _agent_error(probe: AgentProbe, data: str) -> str:
    before = len(probe.errors())
    await probe.send_raw(data)
    await probe.wait_for(lambda: len(probe.errors()) > before)
    return probe.errors()[-1].code


def _post(url: str, body: bytes) -> tuple[int, dict[str, object]]:
    req = urllib.request.Request(url, data=body, method="POST")
    try:
        with urllib.request.urlopen(req, timeout=10) as resp:
            return resp.status, json.loads(resp.read())
    except urllib.error.HTTPError as err:
        return err.code, json.loads(err.read())


def _get(url: str) -> tuple[int, object]:
    try:
        with urllib.request.urlopen(url, timeout=10) as resp:
            return resp.status, json.loads(resp.read())
    except urllib.error.HTTPError as err:
        return err.code, json.loads(err.read())


def test_login_bad_input_and_throttle(hub: HubProcess) -> None:
    status, body = _post(hub.url + "/api/login", b"not json")
    assert status == 400 and body["error"]["code"] == "invalid"  # type: ignore[index]
    status, body = _post(hub.url + "/api/login", b'{"username": 1, "password": []}')
    assert status == 400
    status, body = _post(hub.url + "/api/login", b"x" * 10_000)
    assert status == 413

    wrong = json.dumps({"username": "alex", "password": "wrong"}).encode()
    codes = [_post(hub.url + "/api/login", wrong)[0] for _ in range(6)]
    assert codes[:5] == [401] * 5 and codes[5] == 429
    # Another user is not locked out.
    ok = json.dumps({"username": "lina", "password": "zuoxi-demo"}).encode()
    assert _post(hub.url + "/api/login", ok)[0] == 200


async def test_customer_reconnect_resumes_and_retry_is_deduplicated(hub: HubProcess) -> None:
    agent = await AgentProbe.logged_in(hub.url)
    c = await _connected(hub)
    await c.send("before the drop", client_id="k1")
    assigned = await agent.wait_body(ap.ConversationAssigned)
    await c.disconnect()
    await agent.reply(assigned.conversation.id, "while you were away")

    back = SimCustomer(hub.customer_ws_url, visitor_id=c.visitor_id)
    welcome = await back.connect()
    assert [m.text for m in welcome.messages] == ["before the drop", "while you were away"]
    # The widget resends what it never saw acked: same id, stored once.
    again = await back.send("before the drop", client_id="k1")
    assert again.id == welcome.messages[0].id
    await back.disconnect()
    await agent.close()


@pytest.mark.postgresql
async def test_nul_is_refused_wherever_text_comes_in(hub: HubProcess) -> None:
    """PostgreSQL cannot store NUL in text, and nobody means one: a frame, a login
    or an address holding it gets a clear error on either database."""
    c = await _connected(hub)
    frame = '{"type": "send", "id": "x1", "text": "nul \\u0000 inside"}'
    assert await _error_after(c, frame) == "invalid"
    typed = await c.send("\\u0000 typed as text")
    assert typed.text == "\\u0000 typed as text"
    await c.disconnect()
    login_nul = b'{"username": "lina\\u0000", "password": "p"}'
    status, _ = await asyncio.to_thread(_post, hub.url + "/api/login", login_nul)
    assert status == 400
    status, body = await asyncio.to_thread(_get, hub.url + "/api/email/attachments/a%00b")
    assert status == 400 and body["error"]["code"] == "invalid"  # type: ignore[index]
    # The hub is fine, and so is the next customer.
    after = await _connected(hub)
    assert (await after.send("still fine")).text == "still fine"
    await after.disconnect()
