"""Call signalling frames, on both websockets (see docs/protocol.md, "Calls").

The hub relays signalling only; media flows peer to peer (DTLS-SRTP). Signalling
is *live*: offers, answers, ringing, hold, DTMF and hang-up only mean something
while both ends are connected, so they are not events with a seq (like typing).
Agent commands still carry an ``op`` and get one ``ack``/``error`` back. What must
last, the call's record (duration, quality, disposition, note), is an ordered
event (``call_recorded``) and a system line in the conversation, so it is in the
history and the timeline after any reconnect.

SDP travels whole: ICE gathering completes before an offer or answer is sent (no
trickle), so there are no candidate frames.
"""

from __future__ import annotations

import enum
from typing import Annotated

import msgspec

from core.protocol.models import Conversation, Customer, Id

CallId = Annotated[str, Id]
OpId = Annotated[str, Id]
# A full SDP with gathered candidates is 1-6 KB; the client frame cap is 16 KiB.
MAX_SDP_CHARS = 12_000
Sdp = Annotated[str, msgspec.Meta(min_length=1, max_length=MAX_SDP_CHARS)]
# RFC 4733's alphabet; aiortc has no telephone-event, so digits go as signalling.
DTMF_ALPHABET = "0123456789*#ABCD"
Digits = Annotated[str, msgspec.Meta(min_length=1, max_length=32, pattern=r"^[0-9*#A-D]+$")]
Note = Annotated[str, msgspec.Meta(max_length=2000)]
Code = Annotated[str, msgspec.Meta(min_length=1, max_length=40)]


class CallDirection(enum.StrEnum):
    INBOUND = "inbound"  # the customer called
    OUTBOUND = "outbound"  # the agent called (click-to-call, call-back)


class CallEndReason(enum.StrEnum):
    HUNG_UP_BY_CUSTOMER = "hung_up_by_customer"
    HUNG_UP_BY_AGENT = "hung_up_by_agent"
    DECLINED = "declined"  # every agent declined, or the customer declined a call-back
    NO_ANSWER = "no_answer"  # rang without an answer (this agent: re-routed elsewhere)
    NO_AGENT = "no_agent"  # nobody available to ring
    ANSWERED_ELSEWHERE = "answered_elsewhere"
    TRANSFERRED = "transferred"  # this agent's leg ended; the call continues elsewhere
    CUSTOMER_LEFT = "customer_left"  # the widget disconnected
    AGENT_LEFT = "agent_left"
    FAILED = "failed"  # media could not be set up


class DeclineReason(enum.StrEnum):
    BUSY = "busy"
    REJECTED = "rejected"


class OfferPurpose(enum.StrEnum):
    """Why an offer arrives on an established call (renegotiation) or a new one."""

    CALL = "call"
    HOLD = "hold"
    RESUME = "resume"


class RecordingMode(enum.StrEnum):
    """A queue's recording policy (routing file, ``recording``)."""

    ALWAYS = "always"  # every answered call is recorded from the start
    ON_DEMAND = "on_demand"  # the agent starts and stops it on the call panel
    NEVER = "never"


class RecordingPolicy(msgspec.Struct, frozen=True):
    """What the agent's engine does with a call's audio (docs/telephony.md,
    "Recording"); ``announce``: the customer hears the announcement (and the widget
    says so) before recording starts."""

    mode: RecordingMode = RecordingMode.NEVER
    announce: bool = False


NO_RECORDING = RecordingPolicy()


class CallQuality(msgspec.Struct, frozen=True):
    """Measured from the peer connection's statistics; MOS from the E-model."""

    rtt_ms: float
    jitter_ms: float
    loss_pct: float
    mos: float


class CallRecord(msgspec.Struct):
    """A finished call as stored with its conversation."""

    call_id: str
    conversation_id: str
    direction: CallDirection
    started_at: int
    ended_at: int
    end_reason: CallEndReason
    agent_id: str | None = None
    answered_at: int | None = None
    duration_s: float = 0.0
    quality: CallQuality | None = None
    disposition: str | None = None
    note: str | None = None


class Disposition(msgspec.Struct, frozen=True):
    code: str
    label: str


# ---- customer (widget) -> hub ------------------------------------------------------


class CustomerCallStart(
    msgspec.Struct, tag_field="type", tag="call_start", forbid_unknown_fields=True
):
    """Place a call (``call_id`` made by the widget) with a complete offer.

    Also sent, with the same ``call_id``, after ``call_transfer``: the new agent's
    leg starts from a fresh peer connection without the customer redialling.
    """

    call_id: CallId
    sdp: Sdp


class CustomerCallAnswer(
    msgspec.Struct, tag_field="type", tag="call_answer", forbid_unknown_fields=True
):
    """Answer to a ``call_offer`` (a call-back, or the agent's hold/resume)."""

    call_id: CallId
    sdp: Sdp


class CustomerCallHangup(
    msgspec.Struct, tag_field="type", tag="call_hangup", forbid_unknown_fields=True
):
    call_id: CallId


class CustomerCallMute(
    msgspec.Struct, tag_field="type", tag="call_mute", forbid_unknown_fields=True
):
    call_id: CallId
    muted: bool


class CustomerCallDtmf(
    msgspec.Struct, tag_field="type", tag="call_dtmf", forbid_unknown_fields=True
):
    call_id: CallId
    digits: Digits


CustomerClientFrame = (
    CustomerCallStart | CustomerCallAnswer | CustomerCallHangup | CustomerCallMute
    | CustomerCallDtmf
)


# ---- hub -> customer (widget) ------------------------------------------------------


class CallRingingNotice(msgspec.Struct, tag_field="type", tag="call_ringing"):
    """An agent's desktop is ringing for the customer's call."""

    call_id: str


class CallAnsweredNotice(msgspec.Struct, tag_field="type", tag="call_answered"):
    """The agent answered; ``sdp`` answers the customer's offer."""

    call_id: str
    sdp: str
    agent_name: str
    # The queue's policy announces recording: the widget shows "this call is recorded".
    recorded: bool = False


class CallOfferNotice(msgspec.Struct, tag_field="type", tag="call_offer"):
    """An offer from the agent: a call-back (purpose ``call``) or hold/resume."""

    call_id: str
    sdp: str
    purpose: OfferPurpose
    agent_name: str | None = None
    recorded: bool = False  # as in ``call_answered`` (a call-back)


class CallTransferNotice(msgspec.Struct, tag_field="type", tag="call_transfer"):
    """The call moves to another agent: open a fresh peer connection and send
    ``call_start`` again with the same ``call_id`` (no redial for the customer)."""

    call_id: str


class CallDtmfNotice(msgspec.Struct, tag_field="type", tag="call_dtmf"):
    call_id: str
    digits: str


class CallMuteNotice(msgspec.Struct, tag_field="type", tag="call_mute"):
    """The customer muted (sent to the agent side only)."""

    call_id: str
    muted: bool


class CallEndedNotice(msgspec.Struct, tag_field="type", tag="call_ended"):
    call_id: str
    reason: CallEndReason


class CallQueuedNotice(msgspec.Struct, tag_field="type", tag="call_queued"):
    """No agent is free: the call waits in the queue ("please hold").

    Sent when the call starts waiting and again whenever a desktop that rang for
    it stopped ringing and it waits once more; ``max_wait_s`` is the longest it
    will wait before it ends with ``no_agent``.
    """

    call_id: str
    max_wait_s: float


class CallRecordingNotice(msgspec.Struct, tag_field="type", tag="call_recording"):
    """The agent started or stopped recording (on-demand queues that announce it)."""

    call_id: str
    recording: bool


CustomerServerFrame = (
    CallRingingNotice | CallAnsweredNotice | CallOfferNotice | CallTransferNotice
    | CallDtmfNotice | CallEndedNotice | CallQueuedNotice | CallRecordingNotice
)


# ---- agent (desktop) -> hub --------------------------------------------------------


class AnswerCall(msgspec.Struct, tag_field="type", tag="answer_call", forbid_unknown_fields=True):
    op: OpId
    call_id: CallId
    sdp: Sdp


class DeclineCall(msgspec.Struct, tag_field="type", tag="decline_call", forbid_unknown_fields=True):
    """Stop ringing here; the hub rings another agent."""

    op: OpId
    call_id: CallId
    reason: DeclineReason = DeclineReason.REJECTED


class HangupCall(msgspec.Struct, tag_field="type", tag="hangup_call", forbid_unknown_fields=True):
    op: OpId
    call_id: CallId


class HoldCall(msgspec.Struct, tag_field="type", tag="hold_call", forbid_unknown_fields=True):
    """Renegotiate with ``sdp`` (a new offer, direction sendonly or inactive)."""

    op: OpId
    call_id: CallId
    sdp: Sdp


class ResumeCall(msgspec.Struct, tag_field="type", tag="resume_call", forbid_unknown_fields=True):
    """Renegotiate back to sendrecv with a new offer."""

    op: OpId
    call_id: CallId
    sdp: Sdp


class SendDtmf(msgspec.Struct, tag_field="type", tag="send_dtmf", forbid_unknown_fields=True):
    op: OpId
    call_id: CallId
    digits: Digits


class TransferCall(
    msgspec.Struct, tag_field="type", tag="transfer_call", forbid_unknown_fields=True
):
    """Blind transfer to one agent or to a queue (exactly one of the two)."""

    op: OpId
    call_id: CallId
    to_agent: Annotated[str, Id] | None = None
    to_queue: Annotated[str, Id] | None = None


class StartCall(msgspec.Struct, tag_field="type", tag="start_call", forbid_unknown_fields=True):
    """Call a customer who is online in the widget (click-to-call / call-back)."""

    op: OpId
    call_id: CallId
    conversation_id: Annotated[str, Id]
    sdp: Sdp


class ReportQuality(
    msgspec.Struct, tag_field="type", tag="call_quality", forbid_unknown_fields=True
):
    """Live quality, every few seconds; no ack. The hub keeps it for the record."""

    call_id: CallId
    quality: CallQuality


class WrapUpCall(msgspec.Struct, tag_field="type", tag="wrap_up_call", forbid_unknown_fields=True):
    """Disposition (a code from ``call_config``) and note, saved on the call record."""

    op: OpId
    call_id: CallId
    disposition: Code
    note: Note = ""


# ---- listening to a call (supervisors; see docs/telephony.md, "Listening in") ------


class ListenMode(enum.StrEnum):
    """What the supervisor's voice reaches on a call they listen to. They always
    hear both the customer and the agent."""

    LISTEN = "listen"  # nobody hears the supervisor
    COACH = "coach"  # only the agent hears the supervisor
    BARGE = "barge"  # a three-way call: the customer hears the supervisor too


class ListenEndReason(enum.StrEnum):
    STOPPED = "stopped"  # the supervisor (or the agent's desktop) ended the leg
    CALL_ENDED = "call_ended"  # the call ended or moved to another agent
    LEFT = "left"  # the supervisor's or the agent's desktop went away
    FAILED = "failed"  # the agent's engine could not set up the leg


class ListenToCall(
    msgspec.Struct, tag_field="type", tag="listen_call", forbid_unknown_fields=True
):
    """Supervisors: listen to the connected call of a conversation, with an offer
    made by the supervisor's engine (``leg_id`` made by the client). The hub relays
    it to the agent's desktop, whose engine answers with a second peer connection
    carrying both sides of the call; the customer is never part of it."""

    op: OpId
    conversation_id: Annotated[str, Id]
    leg_id: CallId
    sdp: Sdp
    mode: ListenMode = ListenMode.COACH


class SetListenMode(
    msgspec.Struct, tag_field="type", tag="listen_mode", forbid_unknown_fields=True
):
    op: OpId
    leg_id: CallId
    mode: ListenMode


class StopListening(
    msgspec.Struct, tag_field="type", tag="stop_listening", forbid_unknown_fields=True
):
    """The supervisor stops listening (or the agent's desktop drops the leg)."""

    op: OpId
    leg_id: CallId


class AnswerListen(
    msgspec.Struct, tag_field="type", tag="answer_listen", forbid_unknown_fields=True
):
    """The agent's engine answers the supervisor's offer (sent by the desktop itself)."""

    op: OpId
    leg_id: CallId
    sdp: Sdp


class SetCallRecording(
    msgspec.Struct, tag_field="type", tag="call_recording", forbid_unknown_fields=True
):
    """The agent started (``recording``) or stopped recording a call whose queue
    records on demand; the hub tells the widget when the policy announces it."""

    op: OpId
    call_id: CallId
    recording: bool


ListenCommand = ListenToCall | SetListenMode | StopListening | AnswerListen


# ---- consulting a colleague on a widget call (attended transfer, conference) --------


class ConsultCall(
    msgspec.Struct, tag_field="type", tag="consult_call", forbid_unknown_fields=True
):
    """Consult ``to_agent`` about one's connected call ``call_id`` (the customer is
    held by the desktop itself): ``sdp`` is an offer of the consulting agent's engine
    for a second peer connection, the *consult leg* (``leg_id`` made by the client).
    The hub rings the colleague's desktops with it; the customer is never part of it."""

    op: OpId
    call_id: CallId
    leg_id: CallId
    to_agent: Annotated[str, Id]
    sdp: Sdp


class AnswerConsult(
    msgspec.Struct, tag_field="type", tag="answer_consult", forbid_unknown_fields=True
):
    """The colleague's engine answers the consult leg's offer."""

    op: OpId
    leg_id: CallId
    sdp: Sdp


class EndConsult(
    msgspec.Struct, tag_field="type", tag="end_consult", forbid_unknown_fields=True
):
    """Either side ends the consult leg (the colleague's decline while it rings)."""

    op: OpId
    leg_id: CallId


class CompleteConsult(
    msgspec.Struct, tag_field="type", tag="complete_consult", forbid_unknown_fields=True
):
    """Attended transfer: the customer's call ``call_id`` moves to the colleague of the
    answered ``leg_id``; the consulting agent's leg ends as ``transferred``."""

    op: OpId
    call_id: CallId
    leg_id: CallId


ConsultCommand = ConsultCall | AnswerConsult | EndConsult | CompleteConsult

AgentCommand = (
    AnswerCall | DeclineCall | HangupCall | HoldCall | ResumeCall | SendDtmf | TransferCall
    | StartCall | WrapUpCall | ListenCommand | SetCallRecording | ConsultCommand
)
AgentClientFrame = AgentCommand | ReportQuality


# ---- hub -> agent (desktop) --------------------------------------------------------


class CallRinging(msgspec.Struct, tag_field="type", tag="call_ringing"):
    """An incoming call for this agent, with what the screen pop needs."""

    call_id: str
    conversation: Conversation
    customer: Customer
    sdp: str
    ring_timeout_s: float
    transferred_from: str | None = None
    recording: RecordingPolicy = NO_RECORDING  # the conversation's queue's policy
    # An attended transfer's end: the consult leg this desktop answered about this
    # call; the desktop that has it answers at once (the agent already agreed).
    consult_leg: str | None = None


class CallAccepted(msgspec.Struct, tag_field="type", tag="call_accepted"):
    """The customer's answer to the agent's offer (start, hold or resume)."""

    call_id: str
    sdp: str
    purpose: OfferPurpose
    # Purpose ``call`` (the customer took the agent's call): the queue's policy.
    recording: RecordingPolicy = NO_RECORDING


class CallDtmf(msgspec.Struct, tag_field="type", tag="call_dtmf"):
    call_id: str
    digits: str


class CallMuted(msgspec.Struct, tag_field="type", tag="call_mute"):
    call_id: str
    muted: bool


class CallEnded(msgspec.Struct, tag_field="type", tag="call_ended"):
    call_id: str
    reason: CallEndReason


class CallConfig(msgspec.Struct, tag_field="type", tag="call_config"):
    """Sent after ``welcome``: the hub's wrap-up dispositions and ICE servers."""

    dispositions: list[Disposition]
    ice_servers: list[str] = []
    ring_timeout_s: float = 20.0


class CustomerOnline(msgspec.Struct, tag_field="type", tag="customer_online"):
    """Whether a customer the agent has an open conversation with is in the widget.

    Sent when the customer's first widget connection opens or the last one closes,
    and after ``welcome`` for each such customer who is online; live, not replayed.
    Click-to-call needs the customer online.
    """

    customer_id: str
    online: bool


class ListenRequested(msgspec.Struct, tag_field="type", tag="call_listen"):
    """To the agent of ``call_id``: a supervisor listens; answer ``sdp`` with
    ``answer_listen`` from the engine that carries the call."""

    call_id: str
    leg_id: str
    sdp: str
    mode: ListenMode
    supervisor_id: str
    supervisor_name: str


class ListenModeChanged(msgspec.Struct, tag_field="type", tag="call_listen_mode"):
    """To the agent: the listening supervisor's voice now reaches ``mode``'s parties."""

    call_id: str
    leg_id: str
    mode: ListenMode


class ListenAnswered(msgspec.Struct, tag_field="type", tag="call_listen_answered"):
    """To the supervisor: the agent's engine answered the offer of ``leg_id``."""

    leg_id: str
    call_id: str
    sdp: str


class ListenEnded(msgspec.Struct, tag_field="type", tag="call_listen_ended"):
    """To the supervisor and the agent: the listening leg is over."""

    leg_id: str
    call_id: str
    reason: ListenEndReason


class ConsultRinging(msgspec.Struct, tag_field="type", tag="call_consult"):
    """To the colleague: an agent consults them about a call with ``customer``;
    answer ``sdp`` with ``answer_consult`` (or ``end_consult`` to decline)."""

    leg_id: str
    call_id: str
    conversation_id: str
    customer: Customer
    from_agent_id: str
    from_agent_name: str
    sdp: str
    ring_timeout_s: float


class ConsultAnswered(msgspec.Struct, tag_field="type", tag="call_consult_answered"):
    """To the consulting agent: the colleague's engine answered ``leg_id``."""

    leg_id: str
    call_id: str
    sdp: str


class ConsultEnded(msgspec.Struct, tag_field="type", tag="call_consult_ended"):
    """To both sides (and the colleague's other desktops): the consult leg is over.
    ``transferred``: the customer's call moves to the colleague next."""

    leg_id: str
    call_id: str
    reason: CallEndReason


AgentServerFrame = (
    CallRinging | CallAccepted | CallDtmf | CallMuted | CallEnded | CallConfig | CustomerOnline
    | ListenRequested | ListenModeChanged | ListenAnswered | ListenEnded
    | ConsultRinging | ConsultAnswered | ConsultEnded
)


# ---- ordered event (inside an agent `events` frame) -------------------------------


class CallRecorded(msgspec.Struct, tag_field="kind", tag="call_recorded"):
    """A call's record was stored or updated (end, then wrap-up)."""

    record: CallRecord


# ---- transcripts of recorded calls ---------------------------------------------------


class TranscriptSpeaker(enum.StrEnum):
    CUSTOMER = "customer"  # the recording's channel 1
    AGENT = "agent"  # channel 2


class TranscriptSegment(msgspec.Struct, frozen=True):
    """What one side said, from ``start_ms`` to ``end_ms`` into the recording."""

    speaker: TranscriptSpeaker
    start_ms: int
    end_ms: int
    text: str
    language: str  # "zh" or "en"


class CallTranscript(msgspec.Struct):
    call_id: str
    conversation_id: str
    started_at: int  # when the call started (segment times count from here)
    segments: list[TranscriptSegment]


class CallTranscribed(msgspec.Struct, tag_field="kind", tag="call_transcribed"):
    """A call's transcript was stored (sent to the agent who took the call)."""

    transcript: CallTranscript
