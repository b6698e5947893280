"""Read-only records the cache hands out, and the change sets it reports.

Views never see rows or SQL: they read these immutable records through the agent
service, and re-read them when a change notification names their ids.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from core.protocol.models import (
    Channel,
    ClosedBy,
    ConversationStatus,
    Identity,
    MessageAuthor,
    MessageStatus,
    Presence,
)


@dataclass(frozen=True)
class InboxItem:
    """One conversation as the inbox shows it."""

    conversation_id: str
    customer_id: str
    customer_name: str
    channel: Channel
    status: ConversationStatus
    created_at: int
    last_text: str | None
    last_author: MessageAuthor | None
    last_message_at: int | None
    # Since when the customer waits for an answer (their oldest unanswered message).
    waiting_since: int | None
    unread: int
    closed_by: ClosedBy | None = None


@dataclass(frozen=True)
class StoredMessage:
    id: str
    conversation_id: str
    author: MessageAuthor
    text: str
    created_at: int
    status: MessageStatus
    author_name: str | None = None


@dataclass(frozen=True)
class PastConversation:
    id: str
    channel: Channel
    status: ConversationStatus
    created_at: int
    last_text: str | None


@dataclass(frozen=True)
class CustomerProfile:
    id: str
    name: str
    identities: tuple[Identity, ...]
    language: str | None
    tier: str | None
    tags: tuple[str, ...]
    recent: tuple[PastConversation, ...]


@dataclass(frozen=True)
class CustomerMatch:
    """A cached customer found by the walk-in lookup."""

    id: str
    name: str
    identities: tuple[Identity, ...]
    tier: str | None
    last_seen_at: int | None


@dataclass
class Changes:
    """What one cache transaction changed, by id, for the change notifications."""

    conversations: set[str] = field(default_factory=set)
    # (conversation_id, message_id) pairs
    messages: set[tuple[str, str]] = field(default_factory=set)
    customers: set[str] = field(default_factory=set)
    presence: Presence | None = None
    # Why the hub changed the presence ("disconnected", "reconnected"); None: the agent.
    presence_reason: str | None = None
    # Conversations that appeared in (or left) the open inbox.
    inbox: bool = False
    # Conversations that stopped being the agent's, with the reason.
    unassigned: dict[str, str] = field(default_factory=dict)

    def merge(self, other: Changes) -> None:
        self.conversations |= other.conversations
        self.messages |= other.messages
        self.customers |= other.customers
        if other.presence is not None:
            self.presence = other.presence
            self.presence_reason = other.presence_reason
        self.inbox = self.inbox or other.inbox
        self.unassigned.update(other.unassigned)

    def __bool__(self) -> bool:
        return bool(
            self.conversations
            or self.messages
            or self.customers
            or self.presence is not None
            or self.inbox
            or self.unassigned
        )
