"""Shared data shapes carried by both protocols (agent and customer).

The high-volume shapes are declared ``gc=False``: they hold only strings, numbers
and enums, never cycles, so the garbage collector need not track the hundreds of
thousands a catch-up decodes (its full passes over them stalled the window).

Timestamps are integer milliseconds since the Unix epoch (UTC), which JavaScript
reads natively. Identifiers are opaque strings.
"""

from __future__ import annotations

import enum

import msgspec

from core.protocol.sentiment import SentimentTrend

# Limits enforced by the validator on both sides of the wire.
MAX_TEXT_CHARS = 4000
MAX_ID_CHARS = 64
MAX_NAME_CHARS = 120

Id = msgspec.Meta(min_length=1, max_length=MAX_ID_CHARS, pattern=r"^[A-Za-z0-9_.:-]+$")


class Channel(enum.StrEnum):
    CHAT = "chat"
    VOICE = "voice"
    EMAIL = "email"
    STORE = "store"


class ConversationStatus(enum.StrEnum):
    OPEN = "open"
    CLOSED = "closed"


class MessageAuthor(enum.StrEnum):
    CUSTOMER = "customer"
    AGENT = "agent"
    SYSTEM = "system"
    BOT = "bot"  # the self-service bot, before a person took the conversation


class MessageStatus(enum.StrEnum):
    """Delivery state of one message.

    PENDING and FAILED exist only on the sending client; the hub stores SENT and
    moves it to DELIVERED when the other side's client confirms receipt.
    """

    PENDING = "pending"
    SENT = "sent"
    DELIVERED = "delivered"
    FAILED = "failed"


class Presence(enum.StrEnum):
    AVAILABLE = "available"
    BUSY = "busy"  # set by the hub when the agent is at capacity
    AWAY = "away"
    AFTER_CALL_WORK = "after_call_work"  # set by the hub after a call, for a while
    NOT_RESPONDING = "not_responding"  # set by the hub after missed offers
    OFFLINE = "offline"


class ClosedBy(enum.StrEnum):
    AGENT = "agent"
    CUSTOMER = "customer"
    SYSTEM = "system"


class IdentityKind(enum.StrEnum):
    PHONE = "phone"
    EMAIL = "email"
    VISITOR = "visitor"
    EXTERNAL = "external"


class Identity(msgspec.Struct, frozen=True, gc=False):
    kind: IdentityKind
    value: str
    # False for a raw value an agent kept although it did not validate.
    verified: bool = True


class Tier(enum.StrEnum):
    NEW = "new"
    ACTIVE = "active"
    HIGH_VALUE = "high-value"
    VIP = "vip"
    CHURN_RISK = "churn-risk"


class AutoTag(msgspec.Struct, frozen=True):
    """A tag the hub's rules applied, with the rule and why (shown to agents).

    ``reason`` is English; ``code`` and ``params`` say the same for the desktop to
    put in the agent's language (older hubs send no code: the desktop shows
    ``reason``). Codes: ``contacts_in_days`` (count, days), ``complaint_keyword``
    (keyword, day, days), ``tier`` (tier), ``last_nps`` (nps, max), ``csat_fell``
    (before, after).
    """

    tag: str
    rule: str
    reason: str
    code: str = ""
    params: dict[str, str] = {}


class Note(msgspec.Struct):
    id: str
    customer_id: str
    text: str
    created_at: int
    author_id: str | None = None
    author_name: str | None = None
    updated_at: int | None = None


class CustomerStats(msgspec.Struct):
    """Computed by the hub from the customer's history."""

    contacts_30d: int = 0
    last_contact_at: int | None = None
    last_channel: Channel | None = None
    avg_csat: float | None = None
    last_nps: int | None = None
    open_conversations: int = 0


# A custom attribute's value: text, choice and date (ISO "YYYY-MM-DD") are strings.
AttributeValue = str | float


class Customer(msgspec.Struct):
    id: str
    name: str
    identities: list[Identity] = []
    language: str | None = None
    tier: str | None = None
    tags: list[str] = []
    preferred_channel: Channel | None = None
    auto_tags: list[AutoTag] = []
    attributes: dict[str, AttributeValue] = {}
    consent: dict[str, bool] = {}
    notes: list[Note] = []
    stats: CustomerStats | None = None


class Conversation(msgspec.Struct, gc=False):
    id: str
    customer_id: str
    channel: Channel
    status: ConversationStatus
    created_at: int
    queue: str | None = None
    agent_id: str | None = None
    closed_at: int | None = None
    closed_by: ClosedBy | None = None
    last_message_at: int | None = None
    # Routing (see core/protocol/routing.py).
    priority: int = 0
    sla_due_at: int | None = None
    first_reply_at: int | None = None
    disposition: str | None = None
    transfer_note: str | None = None
    # The customer's mood so far (hub/assist); None until a message is classified.
    sentiment: SentimentTrend | None = None


class Message(msgspec.Struct, gc=False):
    id: str
    conversation_id: str
    author: MessageAuthor
    text: str
    created_at: int
    status: MessageStatus = MessageStatus.SENT
    agent_id: str | None = None
    author_name: str | None = None


class AgentInfo(msgspec.Struct):
    id: str
    username: str
    display_name: str


class ConversationSummary(msgspec.Struct, gc=False):
    """One past conversation of a customer, for the side panel."""

    id: str
    channel: Channel
    status: ConversationStatus
    created_at: int
    last_text: str | None = None
