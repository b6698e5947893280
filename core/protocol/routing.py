"""Routing frames of the agent protocol: offers, presence detail, SLA, transfers, queues.

The hub no longer hands a conversation straight to an agent: it *offers* it
(``offer_made``) for a limited time; the agent accepts (then the usual
``conversation_assigned`` follows), declines, or lets it time out, and the hub
offers it to the next agent. Commands here follow the agent protocol's rules
(``op``, one ``ack`` or ``error``, safe to repeat). See docs/protocol.md,
section "Routing".
"""

from __future__ import annotations

import enum
from typing import Annotated

import msgspec

from core.protocol.models import (
    AgentInfo,
    Channel,
    Conversation,
    ConversationSummary,
    Customer,
    Id,
    Message,
    Presence,
)

OpId = Annotated[str, Id]
RefId = Annotated[str, Id]
NoteText = Annotated[str, msgspec.Meta(max_length=1000)]
Code = Annotated[str, msgspec.Meta(min_length=1, max_length=40, pattern=r"^[a-z][a-z0-9_]*$")]


class AwayReason(enum.StrEnum):
    """Why an agent is away (chosen by the agent)."""

    BREAK = "break"
    MEETING = "meeting"
    TRAINING = "training"
    LUNCH = "lunch"
    OTHER = "other"


class AgentRole(enum.StrEnum):
    """``picker`` and ``supervisor`` may pick waiting conversations by hand."""

    AGENT = "agent"
    PICKER = "picker"
    SUPERVISOR = "supervisor"

    @property
    def can_pick(self) -> bool:
        return self is not AgentRole.AGENT


class WithdrawReason(enum.StrEnum):
    ACCEPTED_ELSEWHERE = "accepted_elsewhere"  # another desktop of the agent took it
    TIMEOUT = "timeout"
    DECLINED = "declined"
    CUSTOMER_LEFT = "customer_left"


class DeclineReason(enum.StrEnum):
    BUSY = "busy"
    WRONG_QUEUE = "wrong_queue"
    LANGUAGE = "language"
    OTHER = "other"


class SlaKind(enum.StrEnum):
    ANSWER = "answer"  # voice: answered within the target
    FIRST_REPLY = "first_reply"  # chat, email: first agent reply within the target


class SlaState(enum.StrEnum):
    OK = "ok"
    AT_RISK = "at_risk"  # less than a quarter of the target left
    BREACHED = "breached"


# ---- client -> hub -------------------------------------------------------------------


class AcceptOffer(msgspec.Struct, tag_field="type", tag="accept_offer", forbid_unknown_fields=True):
    """Take the offered conversation; the ack's seq is the ``conversation_assigned``."""

    op: OpId
    offer_id: RefId


class DeclineOffer(
    msgspec.Struct, tag_field="type", tag="decline_offer", forbid_unknown_fields=True
):
    op: OpId
    offer_id: RefId
    reason: DeclineReason = DeclineReason.OTHER


class Transfer(msgspec.Struct, tag_field="type", tag="transfer", forbid_unknown_fields=True):
    """Hand an open conversation of yours to an agent or a queue (exactly one).

    ``note`` is internal: the receiver sees it first; the customer never does.
    """

    op: OpId
    conversation_id: RefId
    to_agent: RefId | None = None
    to_queue: Code | None = None
    note: NoteText = ""


class PickConversation(
    msgspec.Struct, tag_field="type", tag="pick_conversation", forbid_unknown_fields=True
):
    """Take a waiting conversation by hand (role ``picker`` or ``supervisor``)."""

    op: OpId
    conversation_id: RefId


class SetAgentOptions(
    msgspec.Struct, tag_field="type", tag="set_agent_options", forbid_unknown_fields=True
):
    """Agent settings the hub applies: chats offered to you are accepted at once."""

    op: OpId
    auto_accept_chat: bool


RoutingCommand = AcceptOffer | DeclineOffer | Transfer | PickConversation | SetAgentOptions


# ---- events (inside an ``events`` frame, with a seq) ---------------------------------------


class OfferMade(msgspec.Struct, tag_field="kind", tag="offer_made"):
    """A conversation offered to this agent until ``expires_at``.

    Carries what ``conversation_assigned`` carries, so the customer's profile can
    pop up while the offer rings. ``transfer_note`` is set for a transfer.
    """

    offer_id: str
    conversation: Conversation
    customer: Customer
    expires_at: int
    priority: int
    queue: str
    messages: list[Message] = []
    history: list[ConversationSummary] = []
    transfer_note: str | None = None
    transferred_by: str | None = None  # display name of the agent who transferred


class OfferWithdrawn(msgspec.Struct, tag_field="kind", tag="offer_withdrawn"):
    offer_id: str
    conversation_id: str
    reason: WithdrawReason


class SlaBreached(msgspec.Struct, tag_field="kind", tag="sla_breached"):
    conversation_id: str
    sla: SlaKind
    at: int


class ConversationRouting(msgspec.Struct, tag_field="kind", tag="conversation_routing"):
    """The routing fields of a conversation of this agent changed (first reply, transfer)."""

    conversation_id: str
    queue: str | None
    priority: int
    sla_due_at: int | None
    first_reply_at: int | None
    transfer_note: str | None = None


class PresenceDetail(msgspec.Struct, tag_field="kind", tag="presence_detail"):
    """The hub's full view of the agent's state; follows every presence change.

    ``away_reason`` is set for ``away``; ``ends_at`` for ``after_call_work``;
    ``missed_offers`` counts offers missed in a row (``not_responding`` at the limit).
    """

    presence: Presence
    away_reason: AwayReason | None = None
    ends_at: int | None = None
    missed_offers: int = 0


RoutingEvent = OfferMade | OfferWithdrawn | SlaBreached | ConversationRouting | PresenceDetail


# ---- hub -> client frames (no seq) ----------------------------------------------------------


class Disposition(msgspec.Struct, frozen=True):
    code: str
    label: str


class QueueInfo(msgspec.Struct, frozen=True):
    id: str
    name: str
    channel: Channel
    dispositions: list[Disposition] = []


class RoutingConfig(msgspec.Struct, tag_field="type", tag="routing_config"):
    """Sent after ``welcome`` (like ``profile_config``): what this agent routes against."""

    role: AgentRole
    queues: list[QueueInfo]  # the queues this agent serves
    all_queues: list[QueueInfo]  # transfer targets
    away_reasons: list[AwayReason]
    offer_timeout_s: dict[str, int]  # per channel
    auto_accept_chat: bool = False
    disposition_required: bool = True
    # The hub's presence detail when the connection opened.
    presence: PresenceDetail | None = None
    # Offers still ringing for this agent (a snapshot does not carry them).
    offers: list[OfferMade] = []
    # Colleagues a conversation can be transferred to (everyone but this agent).
    agents: list[AgentInfo] = []


class WaitingConversation(msgspec.Struct, frozen=True):
    """One waiting conversation as pickers and supervisors see it in the queue view."""

    conversation_id: str
    customer_name: str
    channel: Channel
    enqueued_at: int  # hub time (ms) it was queued: the wait counts from here
    priority: int  # the score when the stats were taken


class QueueStat(msgspec.Struct, frozen=True):
    queue: str
    waiting: int
    oldest_wait_ms: int  # at the frame's ``at``
    sla_state: SlaState
    # Up to 50 waiting conversation ids, highest priority first (for picking).
    waiting_ids: list[str] = []
    # Hub time (ms) the oldest waiting conversation was queued; None when none waits.
    oldest_enqueued_at: int | None = None
    # Pickers and supervisors only: the same 50, with who, where, since when, how urgent.
    waiting_list: list[WaitingConversation] = []


class QueueStats(msgspec.Struct, tag_field="type", tag="queue_stats"):
    """Per queue the agent serves; pushed on change, at most about once a second."""

    at: int
    queues: list[QueueStat]


RoutingServerFrame = RoutingConfig | QueueStats
