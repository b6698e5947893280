"""The fan-out: how hub subsystems send frames to agents and customers.

Subsystems get a ``FanOut`` through their constructor and never reach into the
socket registry or another module. ``SocketFanOut`` implements it over this
process's websockets; inside a unit of work (``held``) it keeps the frames and
sends them only after the unit's transaction committed, or drops them when it
rolled back. A cross-process bus would implement the same interface.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from typing import Protocol

import msgspec

from core.protocol import agent as ap
from core.protocol.codec import encode_text
from hub.transport.peers import Peer, PeerRegistry

EventsPublished = Callable[[str, list[ap.Event]], None]


class FanOut(Protocol):
    def publish(self, agent_id: str, *events: ap.Event | None) -> None:
        """Send events of the agent's stream to every desktop of the agent."""
        ...

    def to_customer(
        self, customer_id: str, frame: msgspec.Struct, skip: Peer | None = None
    ) -> None:
        """Send a frame to every widget connection of the customer (but ``skip``)."""
        ...

    def to_agent(
        self, agent_id: str, frame: msgspec.Struct | str, skip: Peer | None = None
    ) -> None:
        """Send a frame outside the event stream (typing, call signalling, stats)."""
        ...

    def to_peer(self, peer: Peer, frame: msgspec.Struct | str) -> None:
        """Answer one connection (an ack), in order with the frames around it."""
        ...

    def customer_online(self, customer_id: str) -> bool:
        """Is a widget of the customer connected (to any hub process)?"""
        ...


def _text(frame: msgspec.Struct | str) -> str:
    return frame if isinstance(frame, str) else encode_text(frame)


class SocketFanOut:
    """``FanOut`` over this process's websocket connections."""

    def __init__(self, agents: PeerRegistry, customers: PeerRegistry) -> None:
        self.agents = agents
        self.customers = customers
        # Told of every event batch as it goes out (after commit).
        self.listeners: list[EventsPublished] = []
        # Told of every event batch as it is published, inside the unit of work
        # that made it: what they write joins that unit (committed or rolled back
        # with it), and their frames follow the batch's. Only the process that
        # wrote the events calls them.
        self.publishing: list[EventsPublished] = []
        self._held: list[Callable[[], None]] | None = None

    @contextlib.contextmanager
    def held(self) -> Iterator[None]:
        """Keep frames until the block ends: sent if it ends normally, dropped if it
        raises. Nested blocks join the outermost one."""
        if self._held is not None:
            yield
            return
        self._held = []
        try:
            yield
        except BaseException:
            self._held = None
            raise
        pending, self._held = self._held, None
        for send in pending:
            send()

    def _out(self, send: Callable[[], None]) -> None:
        if self._held is not None:
            self._held.append(send)
        else:
            send()

    def publish(self, agent_id: str, *events: ap.Event | None) -> None:
        batch = [e for e in events if e is not None]
        if batch:
            self._out(lambda: self._send_events(agent_id, batch))
            for hook in self.publishing:
                hook(agent_id, batch)

    def _send_events(self, agent_id: str, batch: list[ap.Event]) -> None:
        self.agents.send(agent_id, encode_text(ap.Events(events=batch)))
        for listener in self.listeners:
            listener(agent_id, batch)

    def to_customer(
        self, customer_id: str, frame: msgspec.Struct, skip: Peer | None = None
    ) -> None:
        text = encode_text(frame)

        def send() -> None:
            self.customers.send(customer_id, text, skip=skip)

        self._out(send)

    def to_agent(
        self, agent_id: str, frame: msgspec.Struct | str, skip: Peer | None = None
    ) -> None:
        text = _text(frame)

        def send() -> None:
            self.agents.send(agent_id, text, skip=skip)

        self._out(send)

    def customer_online(self, customer_id: str) -> bool:
        return self.customers.connected(customer_id)

    def to_peer(self, peer: Peer, frame: msgspec.Struct | str) -> None:
        text = _text(frame)

        def send() -> None:
            peer.send(text)

        self._out(send)
