"""Monitoring and coaching frames of the agent protocol (supervisors and admins).

A supervisor *monitors* a live conversation (its history and live events come to
the supervisor's stream without the conversation being assigned), *whispers* a
coaching note only the assigned agent and supervisors see (never the customer),
*barges in* to write to the customer as themself, *reassigns* the conversation
to an agent or a queue, and *sets an agent's state* with a reason. Every one of
these is a command (``op``, one ``ack`` or ``error``, safe to repeat) and is
audited on the hub. An agent sending one gets ``forbidden``. See docs/protocol.md,
section "Monitoring and coaching".
"""

from __future__ import annotations

import enum
from typing import Annotated

import msgspec

from core.protocol.models import (
    MAX_TEXT_CHARS,
    Channel,
    Conversation,
    Customer,
    Id,
    Message,
    Presence,
)
from core.protocol.routing import AwayReason, Code, NoteText

OpId = Annotated[str, Id]
RefId = Annotated[str, Id]
NoteBody = Annotated[str, msgspec.Meta(min_length=1, max_length=MAX_TEXT_CHARS)]
Reason = Annotated[str, msgspec.Meta(max_length=500)]


class SupervisionAction(enum.StrEnum):
    """What the audit log records (one row per applied command)."""

    MONITOR = "monitor"
    STOP_MONITOR = "stop_monitor"
    WHISPER = "whisper"
    BARGE_IN = "barge_in"
    BARGE_MESSAGE = "barge_message"
    REASSIGN = "reassign"
    SET_AGENT_STATE = "set_agent_state"
    LISTEN_CALL = "listen_call"  # a call's listening leg (core.protocol.call)
    LISTEN_MODE = "listen_mode"
    STOP_LISTENING = "stop_listening"


class MonitorEndReason(enum.StrEnum):
    STOPPED = "stopped"  # the supervisor stopped watching
    CLOSED = "closed"  # the conversation closed


# ---- client -> hub: commands --------------------------------------------------------------


class MonitorConversation(
    msgspec.Struct, tag_field="type", tag="monitor_conversation", forbid_unknown_fields=True
):
    """Watch a live conversation read-only: ``monitor_started`` follows in your stream."""

    op: OpId
    conversation_id: RefId


class StopMonitoring(
    msgspec.Struct, tag_field="type", tag="stop_monitoring", forbid_unknown_fields=True
):
    op: OpId
    conversation_id: RefId


class Whisper(msgspec.Struct, tag_field="type", tag="whisper", forbid_unknown_fields=True):
    """A coaching note for the assigned agent; the customer never receives it."""

    op: OpId
    conversation_id: RefId
    note_id: RefId  # made by the client, like a message id
    text: NoteBody


class BargeIn(msgspec.Struct, tag_field="type", tag="barge_in", forbid_unknown_fields=True):
    """Join a monitored conversation visibly; then ``barge_message`` writes to the customer."""

    op: OpId
    conversation_id: RefId


class BargeMessage(
    msgspec.Struct, tag_field="type", tag="barge_message", forbid_unknown_fields=True
):
    """A message to the customer as the supervisor (after ``barge_in``)."""

    op: OpId
    conversation_id: RefId
    message_id: RefId
    text: NoteBody


class Reassign(msgspec.Struct, tag_field="type", tag="reassign", forbid_unknown_fields=True):
    """Move an assigned conversation to another agent or a queue (exactly one)."""

    op: OpId
    conversation_id: RefId
    to_agent: RefId | None = None
    to_queue: Code | None = None
    note: NoteText = ""  # for the receiving agent, as a transfer note


class SetAgentState(
    msgspec.Struct, tag_field="type", tag="set_agent_state", forbid_unknown_fields=True
):
    """Set another agent's presence (available, away, offline), with the reason why."""

    op: OpId
    agent_id: RefId
    presence: Presence
    away_reason: AwayReason | None = None
    reason: Reason = ""  # recorded in the audit log


CoachingCommand = (
    MonitorConversation | StopMonitoring | Whisper | BargeIn | BargeMessage | Reassign
    | SetAgentState
)


# ---- client -> hub: a read ------------------------------------------------------------------


class FetchLiveConversations(
    msgspec.Struct, tag_field="type", tag="fetch_live_conversations", forbid_unknown_fields=True
):
    """Supervisors: every open, assigned chat and email, to choose one to monitor."""

    op: OpId
    limit: Annotated[int, msgspec.Meta(ge=1, le=1000)] = 500


# ---- events (inside an ``events`` frame, with a seq) ----------------------------------------


class CoachingNote(msgspec.Struct, frozen=True):
    id: str
    conversation_id: str
    author_id: str
    author_name: str
    text: str
    created_at: int


class MonitorStarted(msgspec.Struct, tag_field="kind", tag="monitor_started"):
    """To the supervisor: the conversation as it stands; its live events follow."""

    conversation: Conversation
    customer: Customer
    agent_name: str | None
    messages: list[Message] = []
    notes: list[CoachingNote] = []
    barged: bool = False


class MonitorEnded(msgspec.Struct, tag_field="kind", tag="monitor_ended"):
    conversation_id: str
    reason: MonitorEndReason


class CoachingNoteAdded(msgspec.Struct, tag_field="kind", tag="coaching_note_added"):
    """To the assigned agent and to supervisors monitoring: never to the customer."""

    note: CoachingNote


class SupervisorJoined(msgspec.Struct, tag_field="kind", tag="supervisor_joined"):
    """A supervisor barged in: the customer now sees their messages (by name)."""

    conversation_id: str
    supervisor_id: str
    supervisor_name: str


class AgentStateSet(msgspec.Struct, tag_field="kind", tag="agent_state_set"):
    """To the agent: a supervisor set your presence (the presence events follow)."""

    presence: Presence
    by_name: str
    reason: str = ""


CoachingEvent = (
    MonitorStarted | MonitorEnded | CoachingNoteAdded | SupervisorJoined | AgentStateSet
)


# ---- hub -> client frames (no seq) ----------------------------------------------------------


class LiveConversation(msgspec.Struct, frozen=True):
    conversation_id: str
    channel: Channel
    customer_name: str
    agent_id: str
    agent_name: str
    queue: str | None
    created_at: int
    last_message_at: int | None = None


class LiveConversations(msgspec.Struct, tag_field="type", tag="live_conversations"):
    """Answer to ``fetch_live_conversations``, newest activity first."""

    op: str
    conversations: list[LiveConversation]

