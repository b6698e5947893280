"""Who is in the widget, told to the agents who could call them (click-to-call).

An agent hears ``customer_online`` for every customer they have an open
conversation with: when the customer's first widget connection opens, when the
last one closes, when such a conversation becomes theirs (the customer being
online then), and after ``welcome`` for each of their customers who is online.
Live frames, never replayed: a reconnecting desktop gets the current state again.

Runs on the hub's event loop; nothing awaits.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

import sqlalchemy as sa

from core.protocol import agent as ap
from core.protocol import call as cl
from core.protocol.codec import encode_text
from hub.store import schema as t
from hub.store.store import Store
from hub.transport.peers import Peer, PeerRegistry


class CustomerOnlineNotifier:
    def __init__(self, store: Store, agents: PeerRegistry, customers: PeerRegistry) -> None:
        self.store = store
        self.agents = agents
        self.customers = customers

    def _agents_of(self, customer_id: str) -> list[str]:
        """Agents with an open conversation with the customer."""
        c = t.conversations.c
        with self.store.db.connect() as conn:
            rows = conn.execute(
                sa.select(c.agent_id).distinct()
                .where(c.customer_id == customer_id, c.status == "open",
                       c.agent_id.is_not(None))
            ).all()
        return [str(r[0]) for r in rows]

    def _customers_of(self, agent_id: str) -> list[str]:
        c = t.conversations.c
        with self.store.db.connect() as conn:
            rows = conn.execute(
                sa.select(c.customer_id).distinct()
                .where(c.agent_id == agent_id, c.status == "open")
            ).all()
        return [str(r[0]) for r in rows]

    def _tell(self, send: Callable[[str], object], customer_id: str, online: bool) -> None:
        send(encode_text(cl.CustomerOnline(customer_id=customer_id, online=online)))

    def _tell_agents(self, customer_id: str, online: bool) -> None:
        frame = encode_text(cl.CustomerOnline(customer_id=customer_id, online=online))
        for agent_id in self._agents_of(customer_id):
            self.agents.send(agent_id, frame)

    def customer_joined(self, customer_id: str, first: bool) -> None:
        """A widget connection of the customer opened (``first``: none was open)."""
        if first:
            self._tell_agents(customer_id, True)

    def customer_gone(self, customer_id: str) -> None:
        """A widget connection closed; tells only when it was the customer's last."""
        if not self.customers.connected(customer_id):
            self._tell_agents(customer_id, False)

    def agent_welcomed(self, agent_id: str, peer: Peer) -> None:
        """After ``welcome``: which of the agent's customers are online now."""
        for customer_id in self._customers_of(agent_id):
            if self.customers.connected(customer_id):
                self._tell(peer.send, customer_id, True)

    def published(self, agent_id: str, events: Iterable[ap.Event]) -> None:
        """Events just sent to the agent: a conversation that became theirs says
        whether its customer is online."""
        for event in events:
            body = event.body
            if isinstance(body, ap.ConversationAssigned):
                customer_id = body.conversation.customer_id
                online = self.customers.connected(customer_id)
                self.agents.send(agent_id, encode_text(
                    cl.CustomerOnline(customer_id=customer_id, online=online)))
