"""Sans-I/O agent session: the state machine of one agent's connection to the hub.

``AgentSession`` is fed with connection facts (opened, lost) and decoded server
frames, and answers with a list of actions for the I/O layer to carry out: frames
to send, snapshots and event batches to apply to the cache, acks and errors to
resolve in the outbox, a resync when the event stream has a gap. It owns no socket,
no clock and no loop, so every transition is tested with plain function calls.

The per-agent ``seq`` is contiguous: after applying seq N the next event must be
N + 1. Anything else means we missed something, so the session asks the I/O layer
to reconnect and resume from the last seq it really applied.
"""

from __future__ import annotations

import enum
import logging
from dataclasses import dataclass, field

from core.protocol import (
    PROTOCOL_VERSION,
    ErrorCode,
    assist,
    coaching,
    email,
    followups,
    knowledge,
    profile,
    quality,
    reports,
    routing,
    supervision,
)
from core.protocol import call as calls
from core.protocol.agent import (
    Ack,
    ClientFrame,
    Command,
    Customers,
    Error,
    Event,
    Events,
    Hello,
    Pong,
    ServerFrame,
    Snapshot,
    TypingNotice,
    Welcome,
)
from core.protocol.sip_calls import SipCallLinked

log = logging.getLogger(__name__)


class SessionState(enum.Enum):
    DISCONNECTED = enum.auto()
    CONNECTING = enum.auto()
    AUTHENTICATING = enum.auto()  # hello sent, waiting for welcome
    SYNCING = enum.auto()  # welcome received, waiting for the snapshot or replay
    LIVE = enum.auto()
    AUTH_FAILED = enum.auto()  # terminal until a new token is given


RETRY_UNAVAILABLE_S = 2.0  # a hub that cannot store now: its database may be back soon
# Errors without an op that mean the token is no good: reconnecting cannot help.
AUTH_ERROR_CODES = frozenset(
    {ErrorCode.UNAUTHORIZED, ErrorCode.TOKEN_EXPIRED, ErrorCode.SESSION_REPLACED})


# ---- actions -------------------------------------------------------------------


@dataclass(frozen=True)
class SendFrame:
    frame: ClientFrame


@dataclass(frozen=True)
class WelcomeReceived:
    welcome: Welcome


@dataclass(frozen=True)
class ApplySnapshot:
    """One part of a snapshot; the part with ``last`` set completes it."""

    snapshot: Snapshot


@dataclass(frozen=True)
class CustomersReceived:
    """A page of store mode's customer directory (an answer to ``fetch_customers``)."""

    page: Customers


@dataclass(frozen=True)
class ProfileFrameReceived:
    """An answer to a read (profile, email, assist), or the hub's ``profile_config``."""

    frame: (profile.ProfileServerFrame | email.Emails | assist.AssistServerFrame
            | coaching.LiveConversations | knowledge.KbServerFrame
            | supervision.SupervisionServerFrame | quality.QaServerFrame
            | reports.ReportsServerFrame | followups.FollowUps)


@dataclass(frozen=True)
class RoutingFrameReceived:
    """The hub's ``routing_config`` (after welcome) or a ``queue_stats`` push."""

    frame: routing.RoutingServerFrame


@dataclass(frozen=True)
class ApplyEvents:
    """Events to apply in one transaction; contiguous and starting at last_seq + 1."""

    events: list[Event]


@dataclass(frozen=True)
class GoLive:
    """The cache is up to date: flush the outbox and send receipts."""


@dataclass(frozen=True)
class ResolveAck:
    op: str
    seq: int | None
    command: Command | None


@dataclass(frozen=True)
class RejectOp:
    op: str
    code: str
    message: str
    command: Command | None


@dataclass(frozen=True)
class CallFrameReceived:
    """Live call signalling for the call manager (no seq, not replayed)."""

    frame: calls.AgentServerFrame | SipCallLinked


@dataclass(frozen=True)
class TypingChanged:
    conversation_id: str
    active: bool


@dataclass(frozen=True)
class Resync:
    """Drop the connection and reconnect at once, resuming from ``from_seq``."""

    from_seq: int | None
    reason: str


@dataclass(frozen=True)
class AuthRejected:
    code: str
    message: str


@dataclass(frozen=True)
class RetryOp:
    """The hub could not store ``op`` now (``unavailable``: its database is full or
    out of reach): it stays in the outbox and is sent again after ``after_s`` or on
    the next connection, with the same op (the hub deduplicates)."""

    op: str
    message: str
    after_s: float


@dataclass(frozen=True)
class ServerError:
    """An error that answers no command and is not about auth (logged, shown)."""

    code: str
    message: str


Action = (
    SendFrame
    | WelcomeReceived
    | ApplySnapshot
    | ApplyEvents
    | CustomersReceived
    | ProfileFrameReceived
    | RoutingFrameReceived
    | GoLive
    | ResolveAck
    | RejectOp
    | RetryOp
    | TypingChanged
    | CallFrameReceived
    | Resync
    | AuthRejected
    | ServerError
)


# ---- the state machine ------------------------------------------------------------


@dataclass
class AgentSession:
    """One agent's session. Survives reconnects; ``last_seq`` comes from the cache."""

    token: str
    last_seq: int | None = None
    client_name: str = "zuoxi-desktop"
    state: SessionState = SessionState.DISCONNECTED
    _in_flight: dict[str, Command] = field(default_factory=dict, init=False, repr=False)
    _expect_snapshot: bool = field(default=False, init=False, repr=False)
    # Parts of the snapshot being received: the next part number, and events
    # that came before its last part (applied once the snapshot is complete).
    _next_part: int = field(default=0, init=False, repr=False)
    _held: list[Events] = field(default_factory=list, init=False, repr=False)

    # -- connection facts --

    def connecting(self) -> None:
        if self.state is not SessionState.AUTH_FAILED:
            self.state = SessionState.CONNECTING

    def connection_opened(self) -> list[Action]:
        """The socket is open: authenticate and ask for what came after last_seq."""
        if self.state is SessionState.AUTH_FAILED:
            return []
        self.state = SessionState.AUTHENTICATING
        self._in_flight.clear()
        hello = Hello(
            v=PROTOCOL_VERSION, token=self.token, last_seq=self.last_seq, client=self.client_name
        )
        return [SendFrame(hello)]

    def connection_lost(self) -> None:
        # Commands in flight stay in the outbox; they are sent again with the
        # same op on the next connection and the hub deduplicates them.
        self._in_flight.clear()
        self._expect_snapshot = False
        self._next_part = 0
        self._held.clear()
        if self.state is not SessionState.AUTH_FAILED:
            self.state = SessionState.DISCONNECTED

    def set_token(self, token: str) -> None:
        """A fresh token (after signing in again) lifts AUTH_FAILED."""
        self.token = token
        if self.state is SessionState.AUTH_FAILED:
            self.state = SessionState.DISCONNECTED

    # -- commands --

    @property
    def is_live(self) -> bool:
        return self.state is SessionState.LIVE

    def submit(self, command: Command) -> list[Action]:
        """Send a command now if live; otherwise it waits in the outbox."""
        if not self.is_live:
            return []
        self._in_flight[command.op] = command
        return [SendFrame(command)]

    def in_flight(self) -> frozenset[str]:
        return frozenset(self._in_flight)

    # -- frames --

    def frame_received(self, frame: ServerFrame) -> list[Action]:
        if self.state in (SessionState.DISCONNECTED, SessionState.AUTH_FAILED):
            return []  # late frames of a connection we already gave up on
        match frame:
            case Welcome():
                return self._on_welcome(frame)
            case Snapshot():
                return self._on_snapshot(frame)
            case Events():
                return self._on_events(frame)
            case Ack():
                return self._on_ack(frame)
            case Error():
                return self._on_error(frame)
            case TypingNotice():
                if self.state is not SessionState.LIVE:
                    return []
                return [TypingChanged(frame.conversation_id, frame.active)]
            case Pong():
                return []
            case (calls.CallRinging() | calls.CallAccepted() | calls.CallDtmf()
                  | calls.CallMuted() | calls.CallEnded() | calls.CallConfig()
                  | calls.CustomerOnline() | calls.ListenRequested() | calls.ListenModeChanged()
                  | calls.ListenAnswered() | calls.ListenEnded() | SipCallLinked()):
                if self.state not in (SessionState.SYNCING, SessionState.LIVE):
                    return []
                return [CallFrameReceived(frame)]
            case Customers():
                return [CustomersReceived(frame)] if self.state is SessionState.LIVE else []
            case (profile.CustomerFrame() | profile.Timeline() | profile.Transcript()
                  | profile.CustomerResults() | profile.ProfileConfig() | email.Emails()
                  | profile.FieldRevealed()
                  | assist.SuggestionFeedbackList() | coaching.LiveConversations()
                  | knowledge.KbResults()
                  | knowledge.KbArticleFrame() | knowledge.KbArticles()
                  | knowledge.KbVersionList() | supervision.FiguresSnapshot()
                  | supervision.FiguresUpdate() | supervision.DrillDownResult()
                  | quality.QaScores() | quality.QaScoreDetail()
                  | quality.QaAggregateFigures()
                  | reports.HistoryReport() | reports.WeeklyReports()
                  | followups.FollowUps()):
                if self.state not in (SessionState.SYNCING, SessionState.LIVE):
                    return []
                return [ProfileFrameReceived(frame)]
            case routing.RoutingConfig() | routing.QueueStats():
                if self.state not in (SessionState.SYNCING, SessionState.LIVE):
                    return []
                return [RoutingFrameReceived(frame)]
        return []  # pragma: no cover - the decoder admits only the types above

    def _on_welcome(self, welcome: Welcome) -> list[Action]:
        if self.state is not SessionState.AUTHENTICATING:
            return self._resync(f"unexpected welcome in {self.state.name}")
        self.state = SessionState.SYNCING
        self._expect_snapshot = welcome.mode == "snapshot"
        return [WelcomeReceived(welcome)]

    def _on_snapshot(self, snapshot: Snapshot) -> list[Action]:
        if self.state not in (SessionState.SYNCING, SessionState.LIVE):
            return self._resync(f"snapshot before welcome ({self.state.name})")
        if snapshot.part != self._next_part:
            return self._resync(f"snapshot part {snapshot.part}, expected {self._next_part}")
        actions: list[Action] = [ApplySnapshot(snapshot)]
        if not snapshot.last:
            self._next_part += 1
            self._expect_snapshot = True
            return actions
        self._next_part = 0
        self.last_seq = snapshot.seq
        self._expect_snapshot = False
        if self.state is SessionState.SYNCING:
            self.state = SessionState.LIVE
            actions.append(GoLive())
        held, self._held = self._held, []
        for batch in held:
            actions.extend(self._on_events(batch))
        return actions

    def _on_events(self, batch: Events) -> list[Action]:
        if self._next_part > 0:
            # Between parts of a snapshot: live events wait until it is complete.
            self._held.append(batch)
            return []
        if self.state is SessionState.SYNCING and self._expect_snapshot:
            return self._resync("events before the promised snapshot")
        if self.state not in (SessionState.SYNCING, SessionState.LIVE):
            return self._resync(f"events before welcome ({self.state.name})")
        fresh: list[Event] = []
        expected = (self.last_seq or 0) + 1
        gap: str | None = None
        for event in sorted(batch.events, key=lambda e: e.seq):
            if event.seq < expected:
                continue  # already applied (a replay overlapping a live batch)
            if event.seq > expected:
                gap = f"expected seq {expected}, got {event.seq}"
                break
            fresh.append(event)
            expected += 1
        actions: list[Action] = []
        if fresh:
            self.last_seq = fresh[-1].seq
            actions.append(ApplyEvents(fresh))
        if gap is not None:
            actions.extend(self._resync(gap))
            return actions
        if self.state is SessionState.SYNCING:
            self.state = SessionState.LIVE
            actions.append(GoLive())
        return actions

    def _on_ack(self, ack: Ack) -> list[Action]:
        command = self._in_flight.pop(ack.op, None)
        return [ResolveAck(ack.op, ack.seq, command)]

    def _on_error(self, error: Error) -> list[Action]:
        if error.op is not None:
            command = self._in_flight.pop(error.op, None)
            if command is not None and error.code == ErrorCode.UNAVAILABLE:
                return [RetryOp(error.op, error.message, RETRY_UNAVAILABLE_S)]
            return [RejectOp(error.op, error.code, error.message, command)]
        if error.code in AUTH_ERROR_CODES:
            self.state = SessionState.AUTH_FAILED
            self._in_flight.clear()
            return [AuthRejected(error.code, error.message)]
        return [ServerError(error.code, error.message)]

    def _resync(self, reason: str) -> list[Action]:
        log.warning("resync from seq %s: %s", self.last_seq, reason)
        self.connection_lost()
        return [Resync(self.last_seq, reason)]
