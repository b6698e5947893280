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
happens. Every other frame for a customer (messages, delivery statuses, the bot's
replies, call and follow-up notices, an agent joining, a close) and the call
signalling for an agent is written to ``relay_frames`` (hub.store.relay_frames) in
the transaction that made it, announced as ``{"kind": "relay", "to": …, "owner":
…, "id": …}``; the process holding a socket of that customer or agent reads the
row and sends it. So a frame of any size crosses (an SDP is larger than NOTIFY's
8,000 bytes), and a process whose listening connection dropped reads the frames
made for its sockets during the gap when it listens again. Every payload is a few
hundred bytes at most and names the process that sent it, which ignores its own.

Call commands an agent sends to a process that does not hold the call travel the
same way to the process that does (hub.calls.call_forwarding).
"""

from __future__ import annotations

import asyncio
import json
import logging
import secrets
import threading
import time
import weakref
from collections import OrderedDict
from collections.abc import Callable
from typing import Any, Protocol

import msgspec
import psycopg
import sqlalchemy as sa

from core.protocol import agent as ap
from core.protocol import call as cl
from core.protocol import customer as cp
from core.protocol.codec import encode_text
from core.protocol.models import Message
from hub.store.base import EVENTS_CHANNEL, FRAMES_CHANNEL, now_ms
from hub.store.customer_links import CustomerLinks
from hub.store.relay_frames import KEEP_MS, RelayFrames
from hub.transport.fanout import SocketFanOut
from hub.transport.peers import Peer, PeerRegistry

log = logging.getLogger(__name__)

READ_BATCH = 1000
RECONNECT_S = 1.0
MAX_PAYLOAD = 8000  # PostgreSQL's limit on a NOTIFY payload (bytes)
# Customer frames that travelled whole in a hint from the previous release.
_small_frames = msgspec.json.Decoder(cp.AgentJoined | cp.Closed)
# Frames to an agent outside the stream that cross processes: a call's signalling
# (the agent's desktop may be on another process than the customer's widget).
_RELAYED_AGENT_FRAMES = (cl.CallRinging, cl.CallAccepted, cl.CallDtmf, cl.CallMuted,
                         cl.CallEnded)
RELAYED_KEPT = 100_000  # ids of relayed frames sent, remembered against repeats
# A cut without a reset is noticed only when keepalives give up (hub.store.base:
# about 19 s, 10 s for unacknowledged data): frames this long before the listening
# connection failed may have been missed too.
SILENT_CUT_MS = 30_000
PRUNE_EVERY_S = 60.0
LISTENER_NAME = "zuoxi-hub listener"  # the LISTEN connection's application_name


class StreamReader(Protocol):
    def events_after(self, agent_id: str, seq: int, limit: int) -> list[ap.Event]: ...

    def head_seq(self, agent_id: str) -> int: ...

    def message(self, message_id: str) -> Message | None: ...

    def notify(self, channel: str, payload: str) -> None: ...


class StreamFanOut(SocketFanOut):
    """``SocketFanOut`` whose agent sockets also get events other processes made."""

    def __init__(
        self, agents: PeerRegistry, customers: PeerRegistry, streams: StreamReader,
        relay: RelayFrames | None = None,
    ) -> None:
        super().__init__(agents, customers)
        self.streams = streams
        self.relay = relay
        # Which process holds which customer (set by the composition root).
        self.links: CustomerLinks | None = None
        self.token = secrets.token_hex(8)  # names this process's hints
        # Told (agent id, digest of the token to keep) when the agent signed in
        # again on another process and its other sessions ended.
        self.session_watchers: list[Callable[[str, str], None]] = []
        # Told of each hint this process does not handle itself (kind, hint):
        # forwarded call commands and their answers (hub.calls.call_forwarding).
        self.hint_watchers: list[Callable[[str, dict[str, Any]], None]] = []
        # Relayed frames this process has sent, so the catch-up after a listening
        # gap and a hint arriving meanwhile never send one twice.
        self._relayed: OrderedDict[int, None] = OrderedDict()
        self._gap_from: int | None = None  # ms: frames after this may have been missed
        self._peers: weakref.WeakValueDictionary[str, Peer] = weakref.WeakValueDictionary()

    def customer_online(self, customer_id: str) -> bool:
        if self.links is None:
            return super().customer_online(customer_id)
        return self.links.online(customer_id)

    def sessions_replaced(self, agent_id: str, keep: str) -> None:
        """The agent signed in again here: the other processes end its sockets of
        other tokens (with the unit of work in progress)."""
        self._announce(kind="sessions_replaced", agent=agent_id, keep=keep)

    # ---- frames outside the streams ---------------------------------------------------

    def to_customer(
        self, customer_id: str, frame: msgspec.Struct, skip: Peer | None = None
    ) -> None:
        super().to_customer(customer_id, frame, skip)
        if isinstance(frame, cp.TypingNotice):  # never stored: the hint carries it
            self._announce(kind="typing", customer=customer_id, active=frame.active,
                           name=(frame.agent_name or "")[:120] or None)
        else:
            self._relay("customer", customer_id, encode_text(frame), skip)

    def to_agent(
        self, agent_id: str, frame: msgspec.Struct | str, skip: Peer | None = None
    ) -> None:
        super().to_agent(agent_id, frame, skip)
        if isinstance(frame, ap.TypingNotice):
            self._announce(kind="agent_typing", agent=agent_id,
                           conversation=frame.conversation_id, active=frame.active)
        elif isinstance(frame, _RELAYED_AGENT_FRAMES):
            self._relay("agent", agent_id, encode_text(frame), skip)

    def to_remote(self, process: str, ref: str, frame: str) -> None:
        """Answer one connection held by another process (a forwarded command's ack)."""
        self._relay("peer", ref, frame, None, process=process)

    def _relay(self, target: str, owner: str, text: str, skip: Peer | None,
               **extra: str) -> None:
        """Through the database, to the processes holding ``owner``'s sockets."""
        if self.relay is None:
            return
        remote = getattr(skip, "remote", None)  # a connection held by another process
        if isinstance(remote, tuple):
            extra = {**extra, "skip_process": remote[0], "skip": remote[1]}
        try:
            self.relay.put(target, owner, text, self.token, extra)
        except sa.exc.SQLAlchemyError as exc:
            if self._held is not None:  # the unit of work fails with it
                raise
            # Outside a unit (call signalling): this process's sockets had it.
            log.warning("frame for %s %s not relayed: %s", target, owner, exc)

    def _announce(self, **hint: object) -> None:
        """Tell the other processes, with the unit of work in progress (if any)."""
        payload = json.dumps({"from": self.token, **hint}, ensure_ascii=False)
        if len(payload.encode()) >= MAX_PAYLOAD:  # cannot happen with capped ids and names
            log.warning("frame hint of %d bytes not sent", len(payload.encode()))
            return
        self.streams.notify(FRAMES_CHANNEL, payload)

    def announce(self, kind: str, **hint: str) -> None:
        """A hint of ``kind`` to the other processes' ``hint_watchers``."""
        self._announce(kind=kind, **hint)

    def frame_hint(self, payload: str) -> None:
        """Another process sent a frame to a customer or agent (called on the loop):
        the sockets here get it."""
        try:
            hint = json.loads(payload)
            if not isinstance(hint, dict) or hint.get("from") == self.token:
                return
            kind = hint.get("kind")
            if kind == "relay":
                self._relayed_hint(hint)
            elif kind == "message" and self.customers.connected(hint["customer"]):
                # From a process of the previous release (during a rolling restart).
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
            else:
                for hint_watcher in self.hint_watchers:
                    hint_watcher(str(kind), hint)
        except (ValueError, KeyError, TypeError, msgspec.ValidationError) as exc:
            log.warning("frame hint not understood (%s): %.200s", exc, payload)

    def _relayed_hint(self, hint: dict[str, Any]) -> None:
        target, owner, row_id = str(hint["to"]), str(hint["owner"]), int(hint["id"])
        skip = None
        if hint.get("skip_process") == self.token:
            skip = self.local_peer(str(hint.get("skip")))
        if target == "peer":
            if hint.get("process") == self.token:
                peer = self.local_peer(owner)
                if peer is not None and row_id not in self._relayed:
                    found = self.relay.get(row_id) if self.relay is not None else None
                    if found is not None:
                        self._mark_relayed(row_id)
                        peer.send(found.frame)
            return
        registry = self.customers if target == "customer" else self.agents
        if not registry.connected(owner) or row_id in self._relayed or self.relay is None:
            return
        found = self.relay.get(row_id)
        if found is not None:
            self._mark_relayed(row_id)
            registry.send(owner, found.frame, skip=skip)

    def _mark_relayed(self, row_id: int) -> None:
        self._relayed[row_id] = None
        while len(self._relayed) > RELAYED_KEPT:
            self._relayed.popitem(last=False)

    def remember(self, peer: Peer) -> str:
        """A reference other processes can answer or skip this connection by."""
        ref = f"{id(peer):x}"
        self._peers[ref] = peer
        return ref

    def local_peer(self, ref: str) -> Peer | None:
        peer = self._peers.get(ref)
        return None if peer is None or peer.closed else peer

    def listening_lost(self) -> None:
        """The listening connection failed (called on the loop): hints from now on,
        and some before (a silent cut is noticed late), may be missed."""
        start = now_ms() - SILENT_CUT_MS
        self._gap_from = start if self._gap_from is None else min(self._gap_from, start)

    def _catch_up_relayed(self) -> None:
        """After a listening gap: the frames made meanwhile for sockets here."""
        since, self._gap_from = self._gap_from, None
        if since is None or self.relay is None:
            return
        for target, registry in (("customer", self.customers), ("agent", self.agents)):
            for row in self.relay.since(target, registry.owners(), since, self.token):
                if row.id not in self._relayed:
                    self._mark_relayed(row.id)
                    registry.send(row.owner, row.frame)

    def _send_events(self, agent_id: str, batch: list[ap.Event]) -> None:
        self._deliver(agent_id, batch[-1].seq, batch)

    def wake(self, agent_id: str, seq: int) -> None:
        """Another process committed the agent's event ``seq`` (called on the loop)."""
        self._deliver(agent_id, seq, [])

    def wake_all(self) -> None:
        """After wake-ups may have been missed: every local agent up to its head, and
        every local customer and agent the relayed frames of the gap."""
        for agent_id in self.agents.owners():
            self._deliver(agent_id, self.streams.head_seq(agent_id), [])
        self._catch_up_relayed()

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
    ``on_wake`` on the event loop, and calls ``on_reconnect`` there after a gap
    (``on_lost`` when the gap starts). Every ``PRUNE_EVERY_S`` it deletes relayed
    frames older than their keeping time on the same connection, off the loop."""

    def __init__(
        self,
        conninfo: str,
        loop: asyncio.AbstractEventLoop,
        on_wake: Callable[[str, int], None],
        on_reconnect: Callable[[], None],
        on_frame: Callable[[str], None] | None = None,
        on_lost: Callable[[], None] | None = None,
    ) -> None:
        self.conninfo = conninfo
        self.loop = loop
        self.on_wake = on_wake
        self.on_reconnect = on_reconnect
        self.on_frame = on_frame
        self.on_lost = on_lost
        self._stop = threading.Event()
        self.listening = threading.Event()
        self._thread = threading.Thread(target=self._run, name="event-wakeups", daemon=True)
        self._pruned_at = 0.0

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(5)

    def _run(self) -> None:
        first = True
        while not self._stop.is_set():
            try:
                with psycopg.connect(self.conninfo, autocommit=True,
                                     application_name=LISTENER_NAME) as conn:
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
                        self._prune(conn)
            except psycopg.Error as exc:
                if self.listening.is_set() and self.on_lost is not None:
                    self.loop.call_soon_threadsafe(self.on_lost)
                self.listening.clear()
                log.warning("event wake-ups: %s; listening again in %.0f s", exc, RECONNECT_S)
                self._stop.wait(RECONNECT_S)

    def _prune(self, conn: psycopg.Connection[Any]) -> None:
        if self.on_frame is None or time.monotonic() - self._pruned_at < PRUNE_EVERY_S:
            return
        self._pruned_at = time.monotonic()
        conn.execute("DELETE FROM relay_frames WHERE made_at < %s",
                     (int(time.time() * 1000) - KEEP_MS,))


def listen_for(fanout: StreamFanOut, conninfo: str) -> PgListener:
    """A listener feeding ``fanout``; start it on the loop that runs the fanout."""
    return PgListener(conninfo, asyncio.get_running_loop(), fanout.wake, fanout.wake_all,
                      fanout.frame_hint, fanout.listening_lost)
