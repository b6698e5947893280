"""Agent events between hub processes on one PostgreSQL database.

The database is the log; the bus only wakes the process that holds a socket.
Every appended event sends ``NOTIFY zuoxi_events, '<agent id> <seq>'`` inside its
own transaction (hub.store.base), so PostgreSQL delivers it when, and only if, the
event commits. Each process listens on its own connection (``PgListener``, a
thread); on a wake-up for an agent with sockets here, ``StreamFanOut`` reads what
those sockets have not had from the database and sends it in order. The payload
is only a hint: a process that missed one (its listening connection dropped)
catches every local agent up from the database when it listens again, and the
next event of an agent brings along whatever came before it.

Each agent socket carries the last sequence number it was sent
(``Peer.stream_seq``), so a desktop never gets an event twice or out of order,
whichever process made it.

Frames outside the agents' streams travel the same way on ``zuoxi_frames``: a
message sent to a customer is announced as ``{"kind": "message", "customer": …,
"message": …}`` in the transaction that stored it, and the process holding the
customer's widget reads the message and sends it; typing (never stored, so the
hint carries it: a flag and a name of at most 120 characters) is announced as it
happens. A conversation's agent joining or its close (ids, the agent's name, who
closed it) travels whole in the hint. Every payload is a few hundred bytes at
most, far under NOTIFY's 8,000, and names the process that sent it, which
ignores its own.
"""

from __future__ import annotations

import asyncio
import json
import logging
import secrets
import threading
from collections.abc import Callable
from typing import Protocol

import msgspec
import psycopg

from core.protocol import agent as ap
from core.protocol import customer as cp
from core.protocol.codec import encode_text
from core.protocol.models import Message
from hub.store.base import EVENTS_CHANNEL, FRAMES_CHANNEL
from hub.transport.fanout import SocketFanOut
from hub.transport.peers import Peer, PeerRegistry

log = logging.getLogger(__name__)

READ_BATCH = 1000
RECONNECT_S = 1.0
MAX_PAYLOAD = 8000  # PostgreSQL's limit on a NOTIFY payload (bytes)
# Customer frames small enough to travel whole in a hint (they mirror stored facts).
_small_frames = msgspec.json.Decoder(cp.AgentJoined | cp.Closed)


class StreamReader(Protocol):
    def events_after(self, agent_id: str, seq: int, limit: int) -> list[ap.Event]: ...

    def head_seq(self, agent_id: str) -> int: ...

    def message(self, message_id: str) -> Message | None: ...

    def notify(self, channel: str, payload: str) -> None: ...


class StreamFanOut(SocketFanOut):
    """``SocketFanOut`` whose agent sockets also get events other processes made."""

    def __init__(
        self, agents: PeerRegistry, customers: PeerRegistry, streams: StreamReader
    ) -> None:
        super().__init__(agents, customers)
        self.streams = streams
        self.token = secrets.token_hex(8)  # names this process's hints
        # Told (agent id, digest of the token to keep) when the agent signed in
        # again on another process and its other sessions ended.
        self.session_watchers: list[Callable[[str, str], None]] = []

    def sessions_replaced(self, agent_id: str, keep: str) -> None:
        """The agent signed in again here: the other processes end its sockets of
        other tokens (with the unit of work in progress)."""
        self._announce(kind="sessions_replaced", agent=agent_id, keep=keep)

    # ---- frames outside the streams ---------------------------------------------------

    def to_customer(
        self, customer_id: str, frame: msgspec.Struct, skip: Peer | None = None
    ) -> None:
        super().to_customer(customer_id, frame, skip)
        if isinstance(frame, cp.NewMessage):
            self._announce(kind="message", customer=customer_id, message=frame.message.id)
        elif isinstance(frame, cp.TypingNotice):
            self._announce(kind="typing", customer=customer_id, active=frame.active,
                           name=(frame.agent_name or "")[:120] or None)
        elif isinstance(frame, cp.AgentJoined | cp.Closed):  # ids, a name, a reason
            self._announce(kind="frame", customer=customer_id, frame=encode_text(frame))

    def to_agent(
        self, agent_id: str, frame: msgspec.Struct | str, skip: Peer | None = None
    ) -> None:
        super().to_agent(agent_id, frame, skip)
        if isinstance(frame, ap.TypingNotice):
            self._announce(kind="agent_typing", agent=agent_id,
                           conversation=frame.conversation_id, active=frame.active)

    def _announce(self, **hint: object) -> None:
        """Tell the other processes, with the unit of work in progress (if any)."""
        payload = json.dumps({"from": self.token, **hint}, ensure_ascii=False)
        if len(payload.encode()) >= MAX_PAYLOAD:  # cannot happen with capped ids and names
            log.warning("frame hint of %d bytes not sent", len(payload.encode()))
            return
        self.streams.notify(FRAMES_CHANNEL, payload)

    def frame_hint(self, payload: str) -> None:
        """Another process sent a frame to a customer or agent (called on the loop):
        the sockets here get it."""
        try:
            hint = json.loads(payload)
            if not isinstance(hint, dict) or hint.get("from") == self.token:
                return
            kind = hint.get("kind")
            if kind == "message" and self.customers.connected(hint["customer"]):
                message = self.streams.message(str(hint["message"]))
                if message is not None:
                    self.customers.send(hint["customer"],
                                        encode_text(cp.NewMessage(message=message)))
            elif kind == "frame" and self.customers.connected(hint["customer"]):
                frame = _small_frames.decode(hint["frame"])  # checks it, as a client would
                self.customers.send(hint["customer"], encode_text(frame))
            elif kind == "typing" and self.customers.connected(hint["customer"]):
                self.customers.send(hint["customer"], encode_text(cp.TypingNotice(
                    active=bool(hint["active"]), agent_name=hint.get("name"))))
            elif kind == "sessions_replaced" and self.agents.connected(hint["agent"]):
                for watcher in self.session_watchers:
                    watcher(str(hint["agent"]), str(hint["keep"]))
            elif kind == "agent_typing" and self.agents.connected(hint["agent"]):
                self.agents.send(hint["agent"], encode_text(ap.TypingNotice(
                    conversation_id=str(hint["conversation"]), active=bool(hint["active"]))))
        except (ValueError, KeyError, TypeError, msgspec.ValidationError) as exc:
            log.warning("frame hint not understood (%s): %.200s", exc, payload)

    def _send_events(self, agent_id: str, batch: list[ap.Event]) -> None:
        self._deliver(agent_id, batch[-1].seq, batch)

    def wake(self, agent_id: str, seq: int) -> None:
        """Another process committed the agent's event ``seq`` (called on the loop)."""
        self._deliver(agent_id, seq, [])

    def wake_all(self) -> None:
        """After wake-ups may have been missed: every local agent up to its head."""
        for agent_id in self.agents.owners():
            self._deliver(agent_id, self.streams.head_seq(agent_id), [])

    def _deliver(self, agent_id: str, upto: int, known: list[ap.Event]) -> None:
        peers = [p for p in self.agents.peers_of(agent_id) if not p.closed]
        positions = {p: p.stream_seq for p in peers if p.stream_seq is not None}
        for peer in peers:
            if peer not in positions and known:  # still joining: as one process sends
                peer.send(encode_text(ap.Events(events=known)))
        newest = max(positions.values(), default=None)
        behind = {p: seq for p, seq in positions.items() if seq < upto}
        events = known
        if behind:
            events = self._events(agent_id, min(behind.values()), upto, known)
            for peer, seq in behind.items():
                mine = [e for e in events if e.seq > seq]
                if mine:
                    peer.send(encode_text(ap.Events(events=mine)))
                    peer.stream_seq = mine[-1].seq
        # The listeners hear of each event once: those no socket here had yet.
        heard = [e for e in events if newest is None or e.seq > newest]
        if heard:
            for listener in self.listeners:
                listener(agent_id, heard)

    def _events(
        self, agent_id: str, after: int, upto: int, known: list[ap.Event]
    ) -> list[ap.Event]:
        """Events after ``after`` up to ``upto``: from ``known`` when it reaches back
        that far, else read from the database."""
        if known and known[0].seq <= after + 1:
            return [e for e in known if after < e.seq <= upto]
        events: list[ap.Event] = []
        cursor = after
        while cursor < upto:
            page = self.streams.events_after(agent_id, cursor, READ_BATCH)
            events.extend(e for e in page if e.seq <= upto)
            if len(page) < READ_BATCH:
                break
            cursor = page[-1].seq
        return events


def _payload(text: str) -> tuple[str, int] | None:
    agent_id, _, seq = text.partition(" ")
    return (agent_id, int(seq)) if agent_id and seq.isdigit() else None


class PgListener:
    """Listens for event wake-ups on its own connection, in a thread; hands each to
    ``on_wake`` on the event loop, and calls ``on_reconnect`` there after a gap."""

    def __init__(
        self,
        conninfo: str,
        loop: asyncio.AbstractEventLoop,
        on_wake: Callable[[str, int], None],
        on_reconnect: Callable[[], None],
        on_frame: Callable[[str], None] | None = None,
    ) -> None:
        self.conninfo = conninfo
        self.loop = loop
        self.on_wake = on_wake
        self.on_reconnect = on_reconnect
        self.on_frame = on_frame
        self._stop = threading.Event()
        self.listening = threading.Event()
        self._thread = threading.Thread(target=self._run, name="event-wakeups", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(5)

    def _run(self) -> None:
        first = True
        while not self._stop.is_set():
            try:
                with psycopg.connect(self.conninfo, autocommit=True) as conn:
                    conn.execute(f"LISTEN {EVENTS_CHANNEL}")
                    if self.on_frame is not None:
                        conn.execute(f"LISTEN {FRAMES_CHANNEL}")
                    self.listening.set()
                    if not first:  # wake-ups sent while not listening are lost
                        self.loop.call_soon_threadsafe(self.on_reconnect)
                    first = False
                    while not self._stop.is_set():
                        for note in conn.notifies(timeout=0.5):
                            if note.channel == FRAMES_CHANNEL:
                                if self.on_frame is not None:
                                    self.loop.call_soon_threadsafe(self.on_frame, note.payload)
                                continue
                            found = _payload(note.payload)
                            if found is not None:
                                self.loop.call_soon_threadsafe(self.on_wake, *found)
            except psycopg.Error as exc:
                self.listening.clear()
                log.warning("event wake-ups: %s; listening again in %.0f s", exc, RECONNECT_S)
                self._stop.wait(RECONNECT_S)


def listen_for(fanout: StreamFanOut, conninfo: str) -> PgListener:
    """A listener feeding ``fanout``; start it on the loop that runs the fanout."""
    return PgListener(conninfo, asyncio.get_running_loop(), fanout.wake, fanout.wake_all,
                      fanout.frame_hint)

