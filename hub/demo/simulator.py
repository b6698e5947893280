"""Customer simulator: N customers chatting over the real `/customer` websocket.

Used by tests, demos and load tests. ``SimCustomer`` is one customer; the CLI
(`zuoxi-sim`) runs many of them.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import random
import sys
import time
import uuid
from collections.abc import Callable
from typing import Any

import msgspec
import websockets

from core.call.audio_io import AudioSource, RecordingSink, ToneSource, WavSource
from core.protocol import call as cl
from core.protocol import customer as cp
from core.protocol.codec import (
    PROTOCOL_VERSION,
    ErrorCode,
    customer_server_decoder,
    encode_text,
)
from core.protocol.models import Message, MessageStatus
from testbed.sim_phone import SimPhone

_decoder = customer_server_decoder()


class SimCustomer:
    """One simulated customer. Keeps what the hub told it, in arrival order."""

    def __init__(
        self,
        url: str,
        name: str | None = None,
        visitor_id: str | None = None,
        locale: str | None = None,
        topic: str | None = None,
        email: str | None = None,
        phone_number: str | None = None,
        easy: bool = False,
        local_host: str | None = None,
        seen: dict[str, tuple[str, int]] | None = None,
    ) -> None:
        self.url = url
        # The address to connect from (e.g. 127.0.0.7): load tests spread their
        # customers over several, as customers come from many.
        self.local_host = local_host
        self.easy = easy  # the widget's easy mode (适老化)
        self.topic = topic  # the widget choice, e.g. "billing"
        self.name = name
        # Contact points typed into the widget's form (claims, never proof).
        self.email = email
        self.phone_number = phone_number
        self.locale = locale
        self.visitor_id = visitor_id
        # As the widget keeps it: per conversation whose close it has not had, the
        # last message it has (id, stored at). Pass one on to a later SimCustomer of
        # the same visitor (as the widget's storage outlives a page).
        self.seen: dict[str, tuple[str, int]] = {} if seen is None else seen
        self.resumed: list[cp.Resumed] = []  # what welcomes brought of closed chats
        self._closed: set[str] = set()  # conversations whose close it had
        self.customer_name: str | None = None
        self.conversation_id: str | None = None
        self.agent_name: str | None = None
        self.messages: list[Message] = []  # everything in the conversation, both sides
        self.statuses: dict[str, MessageStatus] = {}  # own messages by hub id
        self.frames: list[cp.ServerFrame] = []
        self.errors: list[cp.Error] = []
        self.agent_typing = False
        self.closed_by: str | None = None
        self._ws: Any = None
        self._reader: asyncio.Task[None] | None = None
        self._changed = asyncio.Condition()
        self.phone: SimPhone | None = None

    def phone_with(
        self,
        source: AudioSource,
        recording: RecordingSink | None = None,
        auto_answer: bool = True,
    ) -> SimPhone:
        """Give this customer a phone (aiortc) that plays ``source`` and records."""
        self.phone = SimPhone(self._send_frame, source, recording, auto_answer=auto_answer)
        return self.phone

    async def _send_frame(self, frame: msgspec.Struct) -> None:
        await self._ws.send(encode_text(frame))

    async def connect(self, timeout: float = 10) -> cp.Welcome:
        extra: dict[str, Any] = {}
        if self.local_host is not None:
            extra["local_addr"] = (self.local_host, 0)
        self._ws = await websockets.connect(self.url, open_timeout=timeout, max_size=2**24,
                                            **extra)
        await self._ws.send(
            encode_text(
                cp.Hello(
                    v=PROTOCOL_VERSION,
                    visitor_id=self.visitor_id,
                    name=self.name,
                    locale=self.locale,
                    topic=self.topic,
                    email=self.email,
                    phone=self.phone_number,
                    easy=self.easy,
                    seen=self._seen_entries(),
                )
            )
        )
        welcome = _decoder.decode(await asyncio.wait_for(self._ws.recv(), timeout))
        if not isinstance(welcome, cp.Welcome):
            raise RuntimeError(f"expected welcome, got {welcome!r}")
        self.visitor_id = welcome.visitor_id
        self.customer_name = welcome.customer_name
        self.conversation_id = welcome.conversation_id
        self.agent_name = welcome.agent_name
        self.messages = []
        receipts: list[str] = []
        for resumed in welcome.resumed:
            self.resumed.append(resumed)
            for message in resumed.messages:
                self._add(message)
                if message.author == "agent" and message.status != MessageStatus.DELIVERED:
                    receipts.append(message.id)
            self.closed_by = resumed.closed_by
            self._closed_now(resumed.conversation_id)
        if welcome.conversation_id is not None:
            self._closed.discard(welcome.conversation_id)
        for message in welcome.messages:
            self._add(message)
        if receipts:  # shown now, as the widget confirms what it shows
            await self._ws.send(encode_text(cp.Received(message_ids=receipts[-200:])))
        self._reader = asyncio.create_task(self._read())
        return welcome

    def _seen_entries(self) -> list[cp.Seen]:
        newest = sorted(self.seen.items(), key=lambda item: item[1][1])[-cp.MAX_SEEN:]
        return [cp.Seen(conversation_id=conv, message_id=mid) for conv, (mid, _) in newest]

    async def _read(self) -> None:
        with contextlib.suppress(websockets.ConnectionClosed):
            async for data in self._ws:
                frame = _decoder.decode(data)
                await self._on_frame(frame)
        async with self._changed:
            self._changed.notify_all()

    async def _on_frame(self, frame: cp.ServerFrame) -> None:
        self.frames.append(frame)
        if isinstance(frame, cp.Ack):
            self.conversation_id = frame.message.conversation_id
            self._closed.discard(self.conversation_id)  # open (again: a reopened chat)
            self.statuses[frame.message.id] = frame.message.status
            self._add(frame.message)
        elif isinstance(frame, cp.NewMessage):
            self._add(frame.message)
            if frame.message.author == "agent":
                await self._ws.send(encode_text(cp.Received(message_ids=[frame.message.id])))
        elif isinstance(frame, cp.Status):
            self.statuses[frame.message_id] = frame.status
        elif isinstance(frame, cp.AgentJoined):
            self.agent_name = frame.agent_name
            self.conversation_id = frame.conversation_id
            self._closed.discard(frame.conversation_id)
        elif isinstance(frame, cp.TypingNotice):
            self.agent_typing = frame.active
        elif isinstance(frame, cp.Closed):
            self.closed_by = frame.closed_by
            self.conversation_id = None
            self._closed_now(frame.conversation_id)
        elif isinstance(frame, cp.Error):
            self.errors.append(frame)
        elif isinstance(frame, cl.CustomerServerFrame) and self.phone is not None:
            await self.phone.on_frame(frame)
        async with self._changed:
            self._changed.notify_all()

    def _add(self, message: Message) -> None:
        if all(m.id != message.id for m in self.messages):
            self.messages.append(message)
        if message.conversation_id in self._closed:
            return
        last = self.seen.get(message.conversation_id)
        if last is None or last[1] <= message.created_at:
            self.seen[message.conversation_id] = (message.id, message.created_at)

    def _closed_now(self, conversation_id: str) -> None:
        self._closed.add(conversation_id)
        self.seen.pop(conversation_id, None)

    async def wait_for(self, predicate: Callable[[], Any], timeout: float = 5) -> Any:
        """Wait until ``predicate()`` is truthy; returns its value."""

        async def _wait() -> Any:
            async with self._changed:
                while not (result := predicate()):
                    if self._reader is not None and self._reader.done():
                        raise ConnectionError("the hub closed the connection")
                    await self._changed.wait()
                return result

        return await asyncio.wait_for(_wait(), timeout)

    async def send_raw(self, data: str | bytes) -> None:
        await self._ws.send(data)

    async def send(self, text: str, client_id: str | None = None, timeout: float = 5) -> Message:
        """Send a message and wait for the hub's ack; returns the stored message."""
        cid = client_id or uuid.uuid4().hex
        errors_before = len(self.errors)
        await self._ws.send(encode_text(cp.Send(id=cid, text=text)))

        def acked() -> Message | None:
            for f in self.frames:
                if isinstance(f, cp.Ack) and f.id == cid:
                    return f.message
            for e in self.errors:
                if e.ref == cid:
                    raise RuntimeError(f"send refused: {e.code}: {e.message}")
            # The flood guard answers a frame it drops without naming it.
            for e in self.errors[errors_before:]:
                if e.code == ErrorCode.RATE_LIMITED and e.ref is None:
                    raise RuntimeError(f"send refused: {e.code}: {e.message}")
            return None

        result: Message = await self.wait_for(acked, timeout)
        return result

    async def wait_message(
        self, predicate: Callable[[Message], bool] | None = None, timeout: float = 5
    ) -> Message:
        """Wait for an agent message (matching ``predicate`` when given)."""

        def found() -> Message | None:
            for m in self.messages:
                if m.author == "agent" and (predicate is None or predicate(m)):
                    return m
            return None

        result: Message = await self.wait_for(found, timeout)
        return result

    async def wait_status(self, message_id: str, status: MessageStatus, timeout: float = 5) -> None:
        await self.wait_for(lambda: self.statuses.get(message_id) == status, timeout)

    async def typing(self, active: bool) -> None:
        await self._ws.send(encode_text(cp.Typing(active=active)))

    async def close_conversation(self) -> None:
        await self._ws.send(encode_text(cp.Close()))

    async def disconnect(self) -> None:
        if self.phone is not None:
            await self.phone.close()
        if self._ws is not None:
            await self._ws.close()
        if self._reader is not None:
            with contextlib.suppress(Exception):
                await self._reader

    @property
    def connected(self) -> bool:
        return self._reader is not None and not self._reader.done()


_LINES = [
    "你好，我想查询一下我的订单。",
    "Hello, I need help with my account.",
    "请问退款多久能到账？",
    "Can I change my delivery address?",
    "谢谢！",
    "Thanks, that helps.",
    "我的快递显示已签收，但我没收到。",
    "Is there a discount for annual plans?",
]


def _source(tone_hz: float, wav: str | None) -> AudioSource:
    return WavSource(wav) if wav else ToneSource(tone_hz)


async def _call_one(url: str, index: int, seconds: float, tone_hz: float, wav: str | None,
                    record: str | None) -> int:
    sim = SimCustomer(url, name=f"Caller {index + 1}")
    await sim.connect()
    phone = sim.phone_with(_source(tone_hz, wav))
    await phone.call()
    await sim.wait_for(lambda: phone.answered.is_set() or phone.ended, timeout=120)
    if phone.ended is None:
        await asyncio.sleep(seconds)
        await phone.hang_up()
    if record:
        phone.recording.save_wav(record if index == 0 else f"{record}.{index}")
    await sim.disconnect()
    return 1 if phone.ended in (None, cl.CallEndReason.HUNG_UP_BY_CUSTOMER) else 0


async def _run_one(url: str, index: int, messages: int, interval: float, rng: random.Random) -> int:
    name = f"Sim {index + 1}"
    sim = SimCustomer(url, name=name)
    await sim.connect()
    for _ in range(messages):
        await sim.send(rng.choice(_LINES))
        await asyncio.sleep(interval * rng.uniform(0.5, 1.5))
    await sim.disconnect()
    return messages


async def run_many(url: str, customers: int, messages: int, interval: float, seed: int) -> int:
    rng = random.Random(seed)
    results = await asyncio.gather(
        *(_run_one(url, i, messages, interval, rng) for i in range(customers))
    )
    return sum(results)


async def _call_many(url: str, customers: int, seconds: float, tone_hz: float,
                     wav: str | None, record: str | None) -> int:
    results = await asyncio.gather(
        *(_call_one(url, i, seconds, tone_hz, wav, record) for i in range(customers))
    )
    return sum(results)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="zuoxi-sim", description="simulated customers")
    parser.add_argument("--hub", default="http://127.0.0.1:8765", help="hub base URL")
    parser.add_argument("--customers", type=int, default=3)
    parser.add_argument("--messages", type=int, default=3, help="messages per customer")
    parser.add_argument("--interval", type=float, default=1.0, help="seconds between messages")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--call", type=float, metavar="SECONDS",
                        help="place calls instead of chatting, talking this long once answered")
    parser.add_argument("--tone", type=float, default=440.0, help="tone to send, in Hz")
    parser.add_argument("--wav", help="48 kHz 16-bit WAV file to send instead of a tone")
    parser.add_argument("--record", help="save what the (first) caller heard to this WAV")
    args = parser.parse_args(argv)
    if args.customers < 1 or args.messages < 0 or args.interval < 0:
        parser.error("--customers must be >= 1; --messages and --interval >= 0")
    base = args.hub.rstrip("/")
    if not base.startswith(("http://", "https://")):
        parser.error("--hub must be an http:// or https:// URL")
    url = "ws" + base[len("http") :] + "/customer"
    start = time.monotonic()
    if args.call is not None:
        try:
            source = _source(args.tone, args.wav)  # checks the file or tone up front
            del source
            done = asyncio.run(_call_many(url, args.customers, args.call, args.tone, args.wav,
                                          args.record))
        except (OSError, ValueError) as exc:
            print(f"zuoxi-sim: {exc}", file=sys.stderr)
            return 2
        print(f"{done} of {args.customers} calls were answered and completed")
        return 0 if done == args.customers else 1
    try:
        sent = asyncio.run(run_many(url, args.customers, args.messages, args.interval, args.seed))
    except OSError as exc:
        print(f"zuoxi-sim: cannot reach the hub at {base}: {exc}", file=sys.stderr)
        return 2
    print(f"{args.customers} customers sent {sent} messages in {time.monotonic() - start:.1f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
