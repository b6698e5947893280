"""What the SIP user agent tells its owner: states, end reasons and events."""

from __future__ import annotations

import enum
from dataclasses import dataclass

__all__ = [
    "CallDidAnswer",
    "CallDidConfirm",
    "CallDidEnd",
    "CallDidProgress",
    "CallDirection",
    "CallState",
    "DtmfDidArrive",
    "EndReason",
    "IncomingCall",
    "KeepaliveDidFail",
    "OfferDidArrive",
    "OfferWanted",
    "RegistrationDidChange",
    "RegistrationState",
    "ReofferDidComplete",
    "ReofferDidFail",
    "SipEvent",
    "TransferDidProgress",
]


class RegistrationState(enum.Enum):
    UNREGISTERED = "unregistered"
    REGISTERING = "registering"
    REGISTERED = "registered"
    FAILED = "failed"


class CallDirection(enum.Enum):
    INBOUND = "inbound"
    OUTBOUND = "outbound"


class CallState(enum.Enum):
    CALLING = "calling"        # our INVITE is out, nothing heard yet
    RINGING = "ringing"        # inbound waiting for us, or outbound got 180/183
    ESTABLISHED = "established"
    TERMINATED = "terminated"


class EndReason(enum.Enum):
    LOCAL_HANGUP = "local_hangup"
    REMOTE_HANGUP = "remote_hangup"
    CANCELLED = "cancelled"          # caller gave up before the answer
    REJECTED = "rejected"            # we or they answered with a 4xx–6xx
    BUSY = "busy"                    # 486 / 600
    DECLINED = "declined"            # 603
    TIMEOUT = "timeout"              # no final response in time
    TRANSPORT_LOST = "transport_lost"
    TRANSFERRED = "transferred"
    REPLACED = "replaced"            # an INVITE with Replaces took its place (RFC 3891)


@dataclass(frozen=True)
class RegistrationDidChange:
    state: RegistrationState
    status: int | None = None   # the SIP status that caused it (401, 403, 200 …)
    expires: int | None = None


@dataclass(frozen=True)
class IncomingCall:
    call_id: str
    caller_uri: str
    caller_name: str
    caller_user: str
    offer_sdp: str
    # The caller's number for the screen pop, as the PBX asserts it
    # (P-Asserted-Identity, then Remote-Party-ID, then From); "" when withheld.
    caller_number: str = ""
    # The call this one replaces (RFC 3891: we are the target of an attended
    # transfer): it does not ring, it is answered at once.
    replaces: str | None = None


@dataclass(frozen=True)
class CallDidProgress:
    call_id: str
    status: int


@dataclass(frozen=True)
class CallDidAnswer:
    call_id: str
    answer_sdp: str


@dataclass(frozen=True)
class CallDidConfirm:
    """The caller's ACK arrived: the inbound call is established."""

    call_id: str


@dataclass(frozen=True)
class OfferDidArrive:
    """The other side renegotiates (hold, resume, refresh): answer with
    ``UserAgent.answer_reoffer``."""

    call_id: str
    offer_sdp: str


@dataclass(frozen=True)
class OfferWanted:
    """The other side sent a re-INVITE without an offer (a session refresh): give
    ours with ``UserAgent.answer_reoffer``; their answer arrives as
    ``ReofferDidComplete``."""

    call_id: str


@dataclass(frozen=True)
class ReofferDidComplete:
    call_id: str
    answer_sdp: str


@dataclass(frozen=True)
class ReofferDidFail:
    call_id: str
    status: int


@dataclass(frozen=True)
class CallDidEnd:
    call_id: str
    reason: EndReason
    status: int | None = None


@dataclass(frozen=True)
class DtmfDidArrive:
    call_id: str
    digit: str
    duration_ms: int


@dataclass(frozen=True)
class KeepaliveDidFail:
    """Our OPTIONS keepalive got no answer: the connection is dead in all but name."""

    status: int


@dataclass(frozen=True)
class TransferDidProgress:
    """Our REFER: ``status`` is the REFER's response, then the NOTIFYs' sipfrag."""

    call_id: str
    status: int
    final: bool


SipEvent = (RegistrationDidChange | IncomingCall | CallDidProgress | CallDidAnswer
            | CallDidConfirm | OfferDidArrive | OfferWanted | ReofferDidComplete | ReofferDidFail
            | CallDidEnd | DtmfDidArrive | TransferDidProgress | KeepaliveDidFail)
