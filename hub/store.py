"""The hub's store: every read and write of hub state, through SQLAlchemy Core.

Split by subject into ``store_agents``, ``store_conversations``,
``store_customers`` and the profile side (``store_profiles``, ``store_merges``,
``store_history``) over the shared ``store_base``; ``Store`` is all of them.
"""

from __future__ import annotations

from hub.routing.store_routing import RoutingStore
from hub.store_agents import AgentStore
from hub.store_base import StoreError, create_engine, new_id, new_visitor_id, now_ms
from hub.store_conversations import ConversationStore
from hub.store_customers import CustomerStore
from hub.store_history import HistoryStore

__all__ = ["Store", "StoreError", "create_engine", "new_id", "new_visitor_id", "now_ms"]


class Store(AgentStore, ConversationStore, CustomerStore, HistoryStore, RoutingStore):
    """All of the hub's state."""
