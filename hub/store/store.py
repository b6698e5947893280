"""The hub's store: every read and write of hub state, through SQLAlchemy Core.

Split by subject into ``hub.store.agents``, ``hub.chat.conversation_store``,
``hub.profile.customer_store`` and the rest of the profile side
(``profile_store``, ``merge_store``, ``history_store``) over the shared
``hub.store.base``; ``Store`` is all of them.
"""

from __future__ import annotations

from hub.chat.conversation_store import ConversationStore
from hub.profile.customer_store import CustomerStore
from hub.profile.history_store import HistoryStore
from hub.routing.routing_store import RoutingStore
from hub.store.agents import AgentStore
from hub.store.base import StoreError, create_engine, new_id, new_visitor_id, now_ms

__all__ = ["Store", "StoreError", "create_engine", "new_id", "new_visitor_id", "now_ms"]


class Store(AgentStore, ConversationStore, CustomerStore, HistoryStore, RoutingStore):
    """All of the hub's state."""
