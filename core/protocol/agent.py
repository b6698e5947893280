"""Agent protocol (`/agent` websocket): frames between the desktop and the hub.

Every frame is a JSON object whose ``type`` field names it. Commands from the
client carry an ``op`` id made by the client; the hub answers each with exactly one
``ack`` (carrying the seq of the event it produced, if any) or ``error`` with the same
``op``. Repeating a command with the same ``op`` is harmless: the hub answers with the
original result. See docs/protocol.md.
"""

from __future__ import annotations

import enum
from typing import Annotated, Literal

import msgspec

from core.protocol import (
    assist,
    call,
    coaching,
    email,
    followups,
    knowledge,
    outreach,
    profile,
    quality,
    reports,
    routing,
    sentiment,
    sip_calls,
    supervision,
)
from core.protocol.models import (
    MAX_TEXT_CHARS,
    AgentInfo,
    ClosedBy,
    Conversation,
    ConversationSummary,
    Customer,
    Id,
    Message,
    MessageStatus,
    Presence,
)

OpId = Annotated[str, Id]
ConvId = Annotated[str, Id]
Text = Annotated[str, msgspec.Meta(min_length=1, max_length=MAX_TEXT_CHARS)]
# Bounded so a single frame cannot ask the hub to do unbounded work.
IdList = Annotated[list[Annotated[str, Id]], msgspec.Meta(max_length=200)]


# ---- client -> hub -------------------------------------------------------------


class Hello(msgspec.Struct, tag_field="type", tag="hello", forbid_unknown_fields=True):
    """First frame on a connection. ``last_seq`` is the last event applied."""

    v: int
    token: Annotated[str, msgspec.Meta(min_length=1, max_length=256)]
    last_seq: Annotated[int, msgspec.Meta(ge=0)] | None = None
    client: Annotated[str, msgspec.Meta(max_length=80)] = ""


class SendMessage(msgspec.Struct, tag_field="type", tag="send_message", forbid_unknown_fields=True):
    """Send ``text`` in a conversation; ``message_id`` is made by the client."""

    op: OpId
    conversation_id: ConvId
    message_id: Annotated[str, Id]
    text: Text


class CloseConversation(
    msgspec.Struct, tag_field="type", tag="close_conversation", forbid_unknown_fields=True
):
    op: OpId
    conversation_id: ConvId
    disposition: routing.Code | None = None
    note: routing.NoteText = ""


class SetPresence(msgspec.Struct, tag_field="type", tag="set_presence", forbid_unknown_fields=True):
    op: OpId
    presence: Presence
    reason: routing.AwayReason | None = None


class Typing(msgspec.Struct, tag_field="type", tag="typing", forbid_unknown_fields=True):
    """Ephemeral: no op, no ack, no seq. Sent both ways."""

    conversation_id: ConvId
    active: bool


class Delivered(msgspec.Struct, tag_field="type", tag="delivered", forbid_unknown_fields=True):
    """Receipt: the client has stored these customer messages. Idempotent, no ack."""

    conversation_id: ConvId
    message_ids: IdList


class Ping(msgspec.Struct, tag_field="type", tag="ping", forbid_unknown_fields=True):
    nonce: int = 0


class RecordVisit(msgspec.Struct, tag_field="type", tag="record_visit", forbid_unknown_fields=True):
    """A walk-in visit (channel ``store``), possibly recorded offline.

    ``conversation_id`` is made by the client; the hub stores the visit as a closed
    conversation of the customer with ``note`` as its one message, and answers
    with a ``conversation_assigned`` event for it.
    """

    op: OpId
    conversation_id: ConvId
    customer_id: Annotated[str, Id]
    note: Text
    visited_at: Annotated[int, msgspec.Meta(ge=0)]


class FetchCustomers(
    msgspec.Struct, tag_field="type", tag="fetch_customers", forbid_unknown_fields=True
):
    """A read, not a change: customers carrying ``tag``, in pages (store mode)."""

    op: OpId
    tag: Annotated[str, msgspec.Meta(min_length=1, max_length=80)]
    after: Annotated[str, Id] | None = None
    limit: Annotated[int, msgspec.Meta(ge=1, le=500)] = 200


ClientFrame = (
    Hello
    | SendMessage
    | CloseConversation
    | SetPresence
    | RecordVisit
    | FetchCustomers
    | Typing
    | Delivered
    | Ping
    | profile.UpdateCustomer
    | profile.AddNote
    | profile.EditNote
    | profile.AddIdentity
    | profile.RemoveIdentity
    | profile.MergeCustomers
    | profile.UnmergeCustomers
    | profile.FetchCustomer
    | profile.FetchTimeline
    | profile.FetchTranscript
    | profile.SearchCustomers
    | profile.RevealField
    | email.SendEmail
    | email.FetchEmails
    | call.AgentClientFrame
    | routing.AcceptOffer
    | routing.DeclineOffer
    | routing.Transfer
    | routing.PickConversation
    | routing.SetAgentOptions
    | assist.SaveQuickReply
    | assist.DeleteQuickReply
    | assist.SuggestionFeedback
    | assist.ListSuggestionFeedback
    | knowledge.KbSearch
    | knowledge.KbFetch
    | knowledge.KbList
    | knowledge.KbVersions
    | knowledge.KbSave
    | knowledge.KbPublish
    | coaching.MonitorConversation
    | coaching.StopMonitoring
    | coaching.Whisper
    | coaching.BargeIn
    | coaching.BargeMessage
    | coaching.Reassign
    | coaching.SetAgentState
    | coaching.FetchLiveConversations
    | supervision.WatchFigures
    | supervision.UnwatchFigures
    | supervision.DrillDown
    | quality.QaListScores
    | quality.QaFetchScore
    | quality.QaReviewQueue
    | quality.QaAggregates
    | quality.QaReview
    | quality.QaAppeal
    | reports.ReportHistory
    | reports.ListWeeklyReports
    | reports.MakeWeeklyReport
    | followups.CreateFollowUp
    | followups.UpdateFollowUp
    | outreach.ReachOut
    | sip_calls.SipCallStarted
    | sip_calls.SipCallAnswered
    | sip_calls.SipCallEnded
)
Command = (
    SendMessage
    | CloseConversation
    | SetPresence
    | RecordVisit
    | profile.ProfileCommand
    | routing.RoutingCommand
    | knowledge.KbCommand
    | email.SendEmail
    | assist.AssistCommand
    | coaching.CoachingCommand
    | quality.QaReview
    | quality.QaAppeal
    | followups.FollowUpCommand
    | outreach.ReachOut
    | sip_calls.SipCallReport
)


# ---- events (inside an `events` frame) -------------------------------------------


class ConversationAssigned(msgspec.Struct, tag_field="kind", tag="conversation_assigned"):
    """A conversation is now this agent's; carries its customer and history."""

    conversation: Conversation
    customer: Customer
    messages: list[Message] = []
    history: list[ConversationSummary] = []


class MessageAdded(msgspec.Struct, tag_field="kind", tag="message_added", gc=False):
    message: Message


class MessageStatusChanged(
    msgspec.Struct, tag_field="kind", tag="message_status", gc=False
):
    conversation_id: str
    message_id: str
    status: MessageStatus


class ConversationClosed(msgspec.Struct, tag_field="kind", tag="conversation_closed"):
    conversation_id: str
    closed_by: ClosedBy
    closed_at: int
    disposition: str | None = None
    note: str | None = None


class PresenceChanged(msgspec.Struct, tag_field="kind", tag="presence_changed"):
    presence: Presence
    # Why the hub changed it, when it was not the agent: e.g. "disconnected".
    reason: str | None = None


class UnassignReason(enum.StrEnum):
    AGENT_DISCONNECTED = "agent_disconnected"
    TRANSFERRED = "transferred"


class ConversationUnassigned(msgspec.Struct, tag_field="kind", tag="conversation_unassigned"):
    """The conversation is no longer this agent's (the cache keeps it as history)."""

    conversation_id: str
    reason: UnassignReason


EventBody = (
    ConversationAssigned
    | MessageAdded
    | MessageStatusChanged
    | ConversationClosed
    | PresenceChanged
    | ConversationUnassigned
    | profile.CustomerUpdated
    | profile.CustomerMerged
    | profile.CustomerUnmerged
    | email.EmailReceived
    | email.EmailSent
    | email.EmailStatusChanged
    | call.CallRecorded
    | call.CallTranscribed
    | routing.OfferMade
    | routing.OfferWithdrawn
    | routing.SlaBreached
    | routing.ConversationRouting
    | routing.PresenceDetail
    | assist.QuickReplySaved
    | assist.QuickReplyDeleted
    | assist.AssistSuggestions
    | sentiment.MessageClassified
    | sentiment.EscalationRaised
    | knowledge.KbArticlePublished
    | knowledge.KbArticleDrafted
    | knowledge.KbArticleWithdrawn
    | coaching.MonitorStarted
    | coaching.MonitorEnded
    | coaching.CoachingNoteAdded
    | coaching.SupervisorJoined
    | coaching.AgentStateSet
    | followups.FollowUpChanged
    | followups.FollowUpReminder
)


class Event(msgspec.Struct):
    """One entry of the agent's ordered stream. ``seq`` is contiguous per agent."""

    seq: int
    ts: int
    body: EventBody


# ---- hub -> client ---------------------------------------------------------------


class Welcome(msgspec.Struct, tag_field="type", tag="welcome"):
    """Answer to hello. ``mode`` says whether a replay or a snapshot follows."""

    v: int
    agent: AgentInfo
    presence: Presence
    head_seq: int
    mode: Literal["replay", "snapshot"]
    server_time: int


class Snapshot(msgspec.Struct, tag_field="type", tag="snapshot"):
    """The agent's open state as of ``seq``, in one or more parts; events follow.

    A large snapshot comes in parts (``part`` 0, 1, ...) so no single frame is
    huge; the state is complete once the part with ``last`` set has arrived, and
    open conversations that were in no part are no longer the agent's.
    """

    seq: int
    conversations: list[ConversationAssigned]
    presence: Presence
    part: int = 0
    last: bool = True
    # The last part carries every quick reply the agent sees (core.protocol.assist).
    quick_replies: list[assist.QuickReply] | None = None
    # A part of older messages only: every conversation in it came in an earlier part
    # of this snapshot with its newest messages (from its last agent message on), so
    # the inbox is whole after the first parts; these are stored as they are, with no
    # unread counts or summaries changed.
    older: bool = False


class Events(msgspec.Struct, tag_field="type", tag="events"):
    """A batch of events in seq order; apply them in one transaction."""

    events: list[Event]


class Ack(msgspec.Struct, tag_field="type", tag="ack"):
    op: str
    seq: int | None = None


class Error(msgspec.Struct, tag_field="type", tag="error"):
    """``op`` is set when the error answers a command."""

    code: str
    message: str
    op: str | None = None


class TypingNotice(msgspec.Struct, tag_field="type", tag="typing"):
    conversation_id: str
    active: bool


class Pong(msgspec.Struct, tag_field="type", tag="pong"):
    nonce: int = 0


class CustomerRecord(msgspec.Struct):
    customer: Customer
    history: list[ConversationSummary] = []
    messages: list[Message] = []  # the latest messages of the customer, any conversation


class Customers(msgspec.Struct, tag_field="type", tag="customers"):
    """Answer to ``fetch_customers``; ask again with ``after=next_after`` until null."""

    op: str
    customers: list[CustomerRecord]
    next_after: str | None = None


ServerFrame = (
    Welcome
    | Snapshot
    | Events
    | Ack
    | Error
    | TypingNotice
    | Pong
    | Customers
    | profile.CustomerFrame
    | profile.Timeline
    | profile.Transcript
    | profile.CustomerResults
    | profile.ProfileConfig
    | profile.FieldRevealed
    | email.Emails
    | call.AgentServerFrame
    | routing.RoutingConfig
    | routing.QueueStats
    | assist.SuggestionFeedbackList
    | knowledge.KbResults
    | knowledge.KbArticleFrame
    | knowledge.KbArticles
    | coaching.LiveConversations
    | knowledge.KbVersionList
    | supervision.FiguresSnapshot
    | supervision.FiguresUpdate
    | supervision.DrillDownResult
    | quality.QaScores
    | quality.QaScoreDetail
    | quality.QaAggregateFigures
    | reports.HistoryReport
    | reports.WeeklyReports
    | followups.FollowUps
    | sip_calls.SipCallLinked
)
