"""SIP calls reported to the hub (see docs/protocol.md, "SIP calls").

Calls from the telephone network reach the desktop through the center's PBX, not
through the hub, so the desktop tells the hub of each one: started (ringing in, or
dialled out), answered, ended. Each report is a command with an ``op`` that goes
through the outbox, so it reaches the hub exactly once even across a dropped link
or a restart; the hub applies each in one unit of work (the call's conversation in
the customer's timeline, presence and capacity, after-call work, the call record).

A report is about the reporting agent's own call: there is no agent field, the
hub takes the agent from the connection and refuses a call id another agent
reported (``forbidden``).

``call_id`` is the desktop's id for the call (``sip-`` and a digest of the SIP
Call-ID: SIP Call-IDs may hold characters an id may not). Times are the desktop's
clock in ms since the epoch (a report may reach the hub late); the hub refuses
times far in the future or out of order.
"""

from __future__ import annotations

from typing import Annotated

import msgspec

from core.protocol.call import (
    NO_RECORDING,
    CallDirection,
    CallEndReason,
    CallQuality,
    RecordingPolicy,
)
from core.protocol.models import Conversation, Customer, Id

CallId = Annotated[str, Id]
OpId = Annotated[str, Id]
# What the PBX asserted as the other party's number (digits, +, or empty when
# withheld); the hub normalises it to E.164 for the customer lookup.
Number = Annotated[str, msgspec.Meta(max_length=64, pattern=r"^[0-9+*#]*$")]
Name = Annotated[str, msgspec.Meta(max_length=120)]
Millis = Annotated[int, msgspec.Meta(ge=0)]


class SipCallStarted(
    msgspec.Struct, tag_field="type", tag="sip_call_started", forbid_unknown_fields=True
):
    """A SIP call rings in (``inbound``: ``number`` is the caller's) or was dialled
    (``outbound``: ``number`` is the one dialled). The hub answers ``sip_call_linked``."""

    op: OpId
    call_id: CallId
    direction: CallDirection
    number: Number
    started_at: Millis
    name: Name = ""  # the caller's display name, as the PBX gave it


class SipCallAnswered(
    msgspec.Struct, tag_field="type", tag="sip_call_answered", forbid_unknown_fields=True
):
    op: OpId
    call_id: CallId
    answered_at: Millis


class SipCallEnded(
    msgspec.Struct, tag_field="type", tag="sip_call_ended", forbid_unknown_fields=True
):
    op: OpId
    call_id: CallId
    ended_at: Millis
    reason: CallEndReason
    # The worst quality measured on the desktop while the call was connected (MOS from
    # the E-model, as a widget call's); none when nothing was measured.
    quality: CallQuality | None = None


SipCallReport = SipCallStarted | SipCallAnswered | SipCallEnded


class SipCallLinked(msgspec.Struct, tag_field="type", tag="sip_call_linked"):
    """Hub → the agent's desktops, after ``sip_call_started``: the customer the
    number belongs to (the screen pop) and the conversation the call is part of.
    Live, like call signalling; the conversation also arrives as an event."""

    call_id: str
    conversation: Conversation
    customer: Customer
    known: bool  # the number belonged to a customer before this call
    # The conversation's queue's recording policy: the desktop records the call as it
    # records a widget call (``always``: from the answer; ``on_demand``: Record).
    recording: RecordingPolicy = NO_RECORDING
