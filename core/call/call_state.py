"""What the desktop knows about one call: its state (an Enum), why it ended or
failed, and the ``Call`` record the call manager keeps and its hooks pass on."""

from __future__ import annotations

import enum
import time
from dataclasses import dataclass, field

from core.protocol import call as cl
from core.protocol.models import Customer


class CallState(enum.Enum):
    RINGING_IN = "ringing_in"
    DIALING = "dialing"
    CONNECTING = "connecting"
    ACTIVE = "active"
    HELD = "held"
    ENDED = "ended"
    FAILED = "failed"


class CallFailure(enum.Enum):
    MEDIA = "media"  # ICE/DTLS did not connect, or the connection dropped
    NEGOTIATION = "negotiation"  # an SDP could not be applied
    REFUSED = "refused"  # the hub answered a call command with an error


NEXT_STATES: dict[CallState, set[CallState]] = {
    CallState.RINGING_IN: {CallState.CONNECTING},
    CallState.DIALING: {CallState.CONNECTING},
    CallState.CONNECTING: {CallState.ACTIVE, CallState.HELD},
    CallState.ACTIVE: {CallState.HELD},
    CallState.HELD: {CallState.ACTIVE},
    CallState.ENDED: set(),
    CallState.FAILED: set(),
}
FINAL = {CallState.ENDED, CallState.FAILED}


class CallError(Exception):
    """A call action is not possible in the call's state (or the call is unknown)."""


class DialBlock(enum.Enum):
    """Why no new outbound call may be placed now."""

    RINGING_IN = "ringing_in"  # a call rings in: answer or decline it first
    DIALING = "dialing"  # an outbound call is being placed and not answered yet


class DialRefusedError(CallError):
    """A new outbound call while another call rings in or is being dialled."""

    def __init__(self, block: DialBlock) -> None:
        super().__init__(f"no new call now: {block.value}")
        self.block = block


@dataclass
class Call:
    call_id: str
    conversation_id: str
    direction: cl.CallDirection
    state: CallState
    customer: Customer | None = None
    started_at: float = field(default_factory=time.time)
    answered_at: float | None = None
    ended_at: float | None = None
    muted: bool = False
    remote_muted: bool = False
    end_reason: cl.CallEndReason | None = None
    failure: CallFailure | None = None
    quality: cl.CallQuality | None = None
    transferred_from: str | None = None
    dtmf_received: list[str] = field(default_factory=list)
    offer: str | None = None  # the customer's offer while ringing
    # A supervisor listening to this call (agent side): who, the leg, what they may say to.
    listened_by: str | None = None
    listen_leg: str | None = None
    listen_mode: cl.ListenMode | None = None
    # A telephone call through the PBX (core/call/sip_line): the other party's
    # number as the PBX gave it ("" when withheld) and name. None: a widget call.
    sip_number: str | None = None
    sip_name: str = ""
    # A colleague consulting this agent about their widget call (this desktop's side
    # of a consult leg, core/call/widget_consult.py): the call it is about and the
    # colleague's name. None: a call with a customer.
    consult_for: str | None = None
    consult_from: str = ""

    @property
    def customer_id(self) -> str | None:
        return self.customer.id if self.customer else None

    @property
    def live(self) -> bool:
        return self.state not in FINAL
