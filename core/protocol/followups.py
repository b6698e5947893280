"""Follow-ups (工单) and messages left when nobody is available: frames and shapes.

A follow-up is work a conversation leaves behind: it has an owner, a due time, a
status and a type, and it outlives the conversation's close. Its changes travel
in the owner's event stream (``followup_changed``); the hub reminds the owner
before it is due (``followup_reminder``). A message a customer leaves in the
widget when nobody is available is a follow-up too (``source`` = ``message``),
owned by the agent who takes its conversation. See docs/followups.md.
"""

from __future__ import annotations

import enum
from typing import Annotated

import msgspec

from core.protocol.models import MAX_TEXT_CHARS, Id

OpId = Annotated[str, Id]
Ms = Annotated[int, msgspec.Meta(ge=0)]
NoteText = Annotated[str, msgspec.Meta(max_length=2000)]
# What the customer leaves: the message, how to reach them, when to call back.
LeftText = Annotated[str, msgspec.Meta(min_length=1, max_length=MAX_TEXT_CHARS)]
EmailText = Annotated[str, msgspec.Meta(max_length=254)]
PhoneText = Annotated[str, msgspec.Meta(max_length=40)]


class FollowUpStatus(enum.StrEnum):
    OPEN = "open"
    WAITING_CUSTOMER = "waiting_customer"
    SOLVED = "solved"


class FollowUpKind(enum.StrEnum):
    """The follow-up's type."""

    CALLBACK = "callback"  # call or write the customer back
    INVESTIGATION = "investigation"  # find out and answer
    COMPLAINT = "complaint"
    OTHER = "other"


class FollowUpSource(enum.StrEnum):
    CHAT = "chat"  # made by an agent from a conversation
    MESSAGE = "message"  # a message left in the widget with nobody available


class Unavailable(enum.StrEnum):
    """Why the widget offers to leave a message (``Welcome.unavailable``)."""

    CLOSED = "closed"  # outside business hours or on a holiday
    NO_AGENT = "no_agent"  # no agent of the queue is online (available or busy)


class FollowUp(msgspec.Struct):
    id: str
    conversation_id: str
    customer_id: str
    customer_name: str
    kind: FollowUpKind
    status: FollowUpStatus
    source: FollowUpSource
    due_at: int
    remind_at: int
    created_at: int
    updated_at: int
    owner_id: str | None = None
    queue_id: str | None = None
    note: str = ""
    contact_email: str | None = None
    contact_phone: str | None = None
    callback_at: int | None = None
    solved_at: int | None = None
    reminded_at: int | None = None


# ---- desktop -> hub ---------------------------------------------------------------


class CreateFollowUp(msgspec.Struct, tag_field="type", tag="create_followup",
                     forbid_unknown_fields=True):
    """Make a follow-up of a conversation the agent holds (or held); the agent owns it.
    ``followup_id`` is made by the client, so a retry finds the same one."""

    op: OpId
    followup_id: Annotated[str, Id]
    conversation_id: Annotated[str, Id]
    kind: FollowUpKind
    due_at: Ms
    note: NoteText = ""


class UpdateFollowUp(msgspec.Struct, tag_field="type", tag="update_followup",
                     forbid_unknown_fields=True):
    """Change what is given: status, due time, owner (hand over or take), note.
    The owner and supervisors may; an agent of its queue may take an unowned one."""

    op: OpId
    followup_id: Annotated[str, Id]
    status: FollowUpStatus | None = None
    due_at: Ms | None = None
    owner_id: Annotated[str, Id] | None = None
    note: NoteText | None = None


FollowUpCommand = CreateFollowUp | UpdateFollowUp


# ---- hub -> desktop ---------------------------------------------------------------


class FollowUpChanged(msgspec.Struct, tag_field="kind", tag="followup_changed"):
    """The follow-up as it now stands. Sent to its owner, and to the previous owner
    when it changed hands (they drop it from their list)."""

    followup: FollowUp


class FollowUpReminder(msgspec.Struct, tag_field="kind", tag="followup_reminder"):
    """The follow-up is due soon: the desktop notifies its owner."""

    followup: FollowUp


class FollowUps(msgspec.Struct, tag_field="type", tag="followups"):
    """After the welcome: every follow-up the agent owns that is not solved, and
    those solved in the last day. The desktop replaces its list with it."""

    followups: list[FollowUp]


# ---- widget -> hub ----------------------------------------------------------------


class LeaveMessage(msgspec.Struct, tag_field="type", tag="leave_message",
                   forbid_unknown_fields=True):
    """A message left when nobody is available. ``id`` is made by the widget (a
    repeat answers as the first time); an email address or a phone number is
    required; ``callback_at`` is the preferred time to be called back."""

    id: Annotated[str, Id]
    text: LeftText
    email: EmailText | None = None
    phone: PhoneText | None = None
    callback_at: Ms | None = None
    locale: Annotated[str, msgspec.Meta(max_length=20)] | None = None


# ---- hub -> widget ----------------------------------------------------------------


class MessageLeft(msgspec.Struct, tag_field="type", tag="message_left"):
    """The message is stored and queued; ``email`` says a confirmation mail goes out."""

    id: str
    conversation_id: str
    followup_id: str
    email: bool = False


class FollowUpSolved(msgspec.Struct, tag_field="type", tag="followup_solved"):
    """A follow-up of this customer is solved (shown in the widget)."""

    followup_id: str
    conversation_id: str
    note: str = ""
