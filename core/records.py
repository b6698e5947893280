"""Read-only records the cache hands out, and the change sets it reports.

Views never see rows or SQL: they read these immutable records through the agent
service, and re-read them when a change notification names their ids.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field, fields

from core.protocol.call import TranscriptSpeaker
from core.protocol.models import (
    AttributeValue,
    AutoTag,
    Channel,
    ClosedBy,
    ConversationStatus,
    CustomerStats,
    Identity,
    IdentityKind,
    MessageAuthor,
    MessageStatus,
    Presence,
)


class NoteState(enum.IntEnum):
    """Where a note stands with the hub (stored as the ``notes.state`` column)."""

    SYNCED = 0
    PENDING = 1  # written here, not yet acknowledged
    FAILED = 2  # the hub refused it; the text is kept for the agent


class TimelineKind(enum.StrEnum):
    CONVERSATION = "conversation"
    NOTE = "note"
    RATING = "rating"  # the customer's CSAT of a conversation (id: the conversation's)
    NPS = "nps"
    OUTREACH = "outreach"  # a trigger opened the widget, or an agent reached out


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
    # The customer's mood: the first classified message's score and the latest
    # (-1 .. 1; None until the hub classified one), and whether it escalated.
    sentiment_first: float | None = None
    sentiment_last: float | None = None
    escalated: bool = False


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
class ContactPoint:
    """An identity as the panel shows it: ``pending`` ones wait in the outbox."""

    kind: IdentityKind
    value: str
    verified: bool = True
    pending: bool = False


@dataclass(frozen=True)
class NoteRecord:
    id: str
    customer_id: str
    text: str
    created_at: int
    author_name: str | None
    updated_at: int | None
    state: NoteState = NoteState.SYNCED
    error: str | None = None


@dataclass(frozen=True)
class MergeRecord:
    """A merge this cache saw happen (it can be undone with its id)."""

    merge_id: str
    source_id: str
    target_id: str
    source_name: str | None
    conversation_ids: tuple[str, ...]
    merged_at: int


@dataclass(frozen=True)
class CustomerProfile:
    id: str
    name: str
    identities: tuple[Identity, ...]
    language: str | None
    tier: str | None
    tags: tuple[str, ...]
    recent: tuple[PastConversation, ...]
    preferred_channel: Channel | None = None
    auto_tags: tuple[AutoTag, ...] = ()
    attributes: dict[str, AttributeValue] = field(default_factory=dict)
    consent: dict[str, bool] = field(default_factory=dict)
    stats: CustomerStats | None = None
    contact_points: tuple[ContactPoint, ...] = ()
    notes: tuple[NoteRecord, ...] = ()  # newest first
    merges: tuple[MergeRecord, ...] = ()  # merges into this customer, newest first


@dataclass(frozen=True)
class TimelineEntry:
    """One interaction (or note) of a customer, newest first in the timeline."""

    kind: TimelineKind
    id: str
    at: int
    channel: Channel | None = None
    status: ConversationStatus | None = None
    closed_at: int | None = None
    agent_name: str | None = None
    preview: str | None = None
    message_count: int = 0
    duration_s: int | None = None
    outcome: str | None = None
    note_state: NoteState | None = None
    # Feedback entries: CSAT 1-5 or NPS 0-10, and "was it solved?" (CSAT).
    score: int | None = None
    solved: bool | None = None
    # Outreach: the hub's code (outreach.trigger, outreach.agent) and its parameters
    # (channel, trigger, url); the desktop words them.
    code: str | None = None
    params: dict[str, str] = field(default_factory=dict)
    # A transcribed call: the customer's first words (core/call/transcript_cache.py).
    call_words: str | None = None

    @property
    def cursor(self) -> tuple[int, str]:
        return (self.at, self.id)


@dataclass(frozen=True)
class MessageHit:
    message_id: str
    conversation_id: str
    text: str
    created_at: int
    channel: Channel | None


@dataclass(frozen=True)
class CustomerHit:
    """One customer in the search results, with the messages that matched."""

    customer_id: str
    name: str
    tier: str | None
    identities: tuple[Identity, ...]
    matched_profile: bool  # the name or a contact point matched
    messages: tuple[MessageHit, ...] = ()
    from_hub: bool = False


@dataclass(frozen=True)
class CustomerMatch:
    """A cached customer found by the walk-in lookup."""

    id: str
    name: str
    identities: tuple[Identity, ...]
    tier: str | None
    last_seen_at: int | None


# The metadata of a map in ``Changes`` whose first value for a key is kept when
# batches merge.
KEEP_FIRST = {"keep_first": True}


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
    # Customers merged away: source id -> target id
    merged: dict[str, str] = field(default_factory=dict)
    # Customers whose timeline (cached items, conversations, notes) changed
    timelines: set[str] = field(default_factory=set)
    # Conversations newly assigned by the live stream (not a snapshot): screen pops
    arrived: dict[str, str] = field(default_factory=dict)  # conversation id -> customer id
    profile_config: bool = False
    # Routing: offers ringing, queue statistics, the hub's routing configuration
    # and presence detail (reason, after-call work end) changed.
    offers: bool = False
    queue_stats: bool = False
    routing_config: bool = False
    presence_detail: bool = False
    # Agent assist: the quick replies changed; conversations with new suggestions.
    quick_replies: bool = False
    suggestions: set[str] = field(default_factory=set)
    # The cached knowledge base changed (an article stored, replaced or removed).
    knowledge: bool = False
    # Of those, the articles an event stored or removed: id -> its title before (None:
    # it was new), so a list can move its row; the first title of a merged batch.
    knowledge_articles: dict[str, str | None] = field(default_factory=dict,
                                                      metadata=KEEP_FIRST)
    # The listing of the hub's articles into the cache moved on (or ended).
    knowledge_listing: bool = False
    # Supervisors: an escalation alert arrived.
    alerts: bool = False
    # Coaching: conversations with new coaching notes; the monitored list changed.
    coaching: set[str] = field(default_factory=set)
    monitors: bool = False
    # Follow-ups: the owner's list changed; follow-ups due soon (the hub's reminders).
    followups: bool = False
    reminders: set[str] = field(default_factory=set)

    def merge(self, other: Changes) -> None:
        """Fold ``other`` (a later transaction) into this one: sets and maps are joined
        (a map's later value wins, unless the field is ``KEEP_FIRST``), flags or'ed,
        and the later presence wins with its reason. Generic over the
        fields, so a new kind of change is one field here and one ``Notice`` in
        ``core/session/notices.py``."""
        for f in fields(self):
            mine, theirs = getattr(self, f.name), getattr(other, f.name)
            if isinstance(mine, set):
                mine |= theirs
            elif isinstance(mine, dict) and f.metadata.get("keep_first"):
                for key, value in theirs.items():
                    mine.setdefault(key, value)
            elif isinstance(mine, dict):
                mine.update(theirs)
            elif isinstance(mine, bool):
                setattr(self, f.name, mine or theirs)
        if other.presence is not None:
            self.presence = other.presence
            self.presence_reason = other.presence_reason

    def __bool__(self) -> bool:
        # presence_reason only qualifies presence: no change of its own
        return any(getattr(self, f.name) for f in fields(self) if f.name != "presence_reason")


class PopReason(enum.Enum):
    """Why the panel should show a customer before the agent asked for it."""

    ASSIGNED = enum.auto()  # a conversation was routed to the agent
    OFFER = enum.auto()  # offered, not yet accepted (reserved for offers)


@dataclass(frozen=True)
class ScreenPop:
    customer_id: str
    conversation_id: str | None
    reason: PopReason = PopReason.ASSIGNED


@dataclass(frozen=True)
class CachedSegment:
    """What one side said in a transcribed call (core/call/transcript_cache.py)."""

    call_id: str
    seq: int
    speaker: TranscriptSpeaker
    at: int  # ms since the epoch: the call's start plus the segment's offset
    start_ms: int
    end_ms: int
    text: str
    language: str


@dataclass(frozen=True)
class TranscriptRecord:
    """A conversation read-only, from the hub or (offline) from the cache."""

    conversation_id: str
    customer_id: str
    channel: Channel
    status: ConversationStatus
    created_at: int
    closed_at: int | None
    messages: tuple[StoredMessage, ...]
    from_cache: bool = False
    # A voice conversation's transcribed calls, oldest first.
    call_segments: tuple[CachedSegment, ...] = ()
