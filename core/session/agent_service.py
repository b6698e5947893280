"""The agent service: the one object the desktop wires to the views.

Views call its intents (send a message, close a conversation, set presence, type)
and read what they show from it; it writes intents to the cache and the outbox,
applies what the sync client receives, and then announces what changed by id through
the notifications declared in ``core.session.notices``. Listeners re-read.

Thread: everything here runs on the loop's thread (the GUI thread under qasync).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Protocol

from core.assist.knowledge_base import KnowledgeBase
from core.assist.quick_replies import QuickReplies
from core.assist.quick_reply_cache import QUICK_REPLY_COMMANDS
from core.assist.suggestions import Suggestions
from core.cache.cache import Cache, StateSlot
from core.cache.search_upkeep import SearchUpkeep
from core.cache.sentiment import EscalationAlert
from core.call.dialling import RecentNumbers
from core.email.service import EmailService
from core.followups.followups import FollowUpsClient
from core.outreach.reach_out import ReachOutClient
from core.profile import directory_cache as cache_directory
from core.profile.directory import CustomerDirectory
from core.profile.outbox import PROFILE_COMMANDS, ProfileFailure, ProfileOutbox
from core.profile.profiles import CustomerProfiles
from core.profile.reads import ProfileReads
from core.protocol import call as call_frames
from core.protocol.agent import (
    Ack,
    Command,
    Customers,
    Error,
    Event,
    SetPresence,
    Snapshot,
    Welcome,
)
from core.protocol.assist import AssistServerFrame, ListSuggestionFeedback, SuggestionFeedbackList
from core.protocol.coaching import FetchLiveConversations, LiveConversations
from core.protocol.email import Emails, FetchEmails
from core.protocol.followups import FollowUps
from core.protocol.knowledge import KbRead, KbServerFrame
from core.protocol.models import MAX_TEXT_CHARS, AgentInfo, Presence
from core.protocol.profile import ProfileConfig, ProfileRead, ProfileServerFrame
from core.protocol.quality import QaRead, QaServerFrame
from core.protocol.reports import (
    HistoryReport,
    ReportsCommand,
    ReportsServerFrame,
    WeeklyReports,
)
from core.protocol.routing import AwayReason, RoutingServerFrame
from core.protocol.sip_calls import SipCallLinked, SipCallReport
from core.protocol.supervision import (
    DrillDownResult,
    FiguresSnapshot,
    FiguresUpdate,
    SupervisionCommand,
    SupervisionServerFrame,
)
from core.records import (
    Changes,
    CustomerMatch,
    CustomerProfile,
    InboxItem,
    StoredMessage,
)
from core.routing.client import RoutingClient
from core.session.notices import AgentNotices
from core.supervision.coaching import CoachingClient
from core.supervision.figures_client import FiguresClient
from core.supervision.quality_client import QualityClient
from core.supervision.reports_client import ReportsClient
from core.sync.client import ConnectionState, ConnectionStatus, SyncDelegate
from core.sync.outbox import Outbox

if TYPE_CHECKING:  # aiortc loads only when calls are attached
    from core.call.call_manager import CallManager
    from core.call.media_thread import MediaEngine
    from core.call.recording_uploads import RecordingUploads

log = logging.getLogger(__name__)

TYPING_REFRESH_S = 3.0  # resend "typing" at most this often while keys keep coming
TYPING_IDLE_S = 5.0  # no key for this long: tell the customer we stopped
TYPING_EXPIRY_S = 8.0  # the customer's "typing" fades if the hub stops confirming it
# at most this many call frames wait for the call machinery (a few calls' worth)
EARLY_CALL_FRAMES = 64


class MessageTooLong(ValueError):  # noqa: N818
    """The text exceeds the protocol's limit (``MAX_TEXT_CHARS``)."""


class Transport(Protocol):
    """The sync client as the service uses it (a fake in tests)."""

    @property
    def status(self) -> ConnectionStatus: ...
    def start(self) -> None: ...
    async def stop(self) -> None: ...
    def wake(self) -> None: ...
    def send_typing(self, conversation_id: str, active: bool) -> None: ...
    def set_token(self, token: str) -> None: ...
    def reconnect_now(self) -> None: ...
    def fetch_customers(self, op: str, tag: str, after: str | None, limit: int) -> bool: ...
    def request(self, frame: ProfileRead | FetchEmails | ListSuggestionFeedback
                | FetchLiveConversations | KbRead | SupervisionCommand | QaRead
                | ReportsCommand) -> bool: ...
    def send_call(self, frame: call_frames.AgentClientFrame) -> bool: ...


TransportFactory = Callable[[SyncDelegate], Transport]



class AgentService(AgentNotices, SyncDelegate):
    """Its notifications are declared in ``AgentNotices``; each one is a ``Hook`` here."""

    def __init__(self, cache: Cache, agent: AgentInfo | None = None) -> None:
        self._cache = cache
        self._outbox = Outbox(cache)
        self.directory = CustomerDirectory(cache)
        self._transport: Transport | None = None
        self._calls: CallManager | None = None
        # Call frames that came before the call machinery was attached (the desktop
        # attaches it once its window is up and the catch-up applied): handed over,
        # in order, by attach_calls, so a call ringing at start is not missed.
        self._early_call_frames: list[call_frames.AgentServerFrame | SipCallLinked] = []
        # Call recordings waiting for upload (set by the session runner; None: calls
        # are not recorded on this desktop).
        self.recording_uploads: RecordingUploads | None = None
        self._agent = agent or cache.agent()
        self._typing_sent: dict[str, float] = {}
        self._typing_stop: dict[str, asyncio.TimerHandle] = {}
        self._customer_typing: dict[str, asyncio.TimerHandle] = {}
        # Conversations a view shows, with "is it in front of the agent right now?"
        self._readers: dict[str, Callable[[], bool]] = {}
        self._connection = ConnectionStatus(ConnectionState.OFFLINE)
        self._reads = ProfileReads()
        self._upkeep = SearchUpkeep(cache.db.conn)
        self.profiles = CustomerProfiles(
            cache, ProfileOutbox(self._outbox), self._reads, self._announce, self._wake,
            lambda: self._agent,
        )
        self.email = EmailService(cache, self._outbox, self._announce, self._wake,
                                  lambda: self._agent)

        self.routing = RoutingClient(cache, self._outbox, self._announce, self._wake)
        self.quick_replies = QuickReplies(cache, self._outbox, self._announce, self._wake,
                                          lambda: self._agent, self._role)
        self.suggestions = Suggestions(cache, self._outbox, self._announce, self._wake)
        self.coaching = CoachingClient(cache, self._outbox, self._wake, self._request_live,
                                       self.live_conversations_did_change.emit)
        self.knowledge = KnowledgeBase(cache, self._outbox, self._announce, self._wake,
                                       self._role)
        self.followups = FollowUpsClient(cache, self._outbox, self._announce, self._wake,
                                         lambda: self._agent.id if self._agent else None)
        # Supervisors: the live figures (in memory; the hub refuses agents).
        self.figures = FiguresClient(self.figures_did_change.emit, self.figures_did_fail.emit)
        # Quality inspection: scores read from the hub; appeals and reviews queued.
        self.quality = QualityClient(cache, self._outbox, self._wake,
                                     self.quality_did_change.emit)
        # Supervisors: historical and weekly reports, read when asked.
        self.reports = ReportsClient()
        # Reaching out to a customer from the profile panel (core/outreach).
        self.outreach = ReachOutClient(self._outbox, self._wake)
        # The dial pad's recent numbers: customers' numbers, so kept in the cache.
        self.recent_numbers = RecentNumbers(slot=StateSlot(cache, "recent_dialled_numbers"))

    # ---- lifecycle -------------------------------------------------------------------

    def connect(self, factory: TransportFactory) -> None:
        """Create the transport for this service and start syncing."""
        self._transport = factory(self)
        self._transport.start()
        with contextlib.suppress(RuntimeError):  # no running loop: nothing to upkeep
            self._upkeep.start()
        self.directory.attach(self._transport.fetch_customers)
        self._reads.attach(self._transport.request)
        self.email.attach(self._transport.request)
        self.suggestions.attach(self._transport.request)
        self.knowledge.attach(self._transport.request)
        self.figures.attach(self._transport.request)
        self.quality.attach(self._transport.request)
        self.reports.attach(self._transport.request)

    async def disconnect(self) -> None:
        await self._upkeep.stop()
        transport, self._transport = self._transport, None
        self.directory.attach(None)
        self._reads.attach(None)
        self.email.attach(None)
        self.suggestions.attach(None)
        self.knowledge.attach(None)
        self.figures.attach(None)
        self.quality.attach(None)
        self.reports.attach(None)
        for handle in [*self._typing_stop.values(), *self._customer_typing.values()]:
            handle.cancel()
        self._typing_stop.clear()
        self._customer_typing.clear()
        if transport is not None:
            await transport.stop()
        self.connection_changed(ConnectionStatus(ConnectionState.OFFLINE))

    def renew_token(self, token: str) -> None:
        if self._transport is not None:
            self._transport.set_token(token)

    def reconnect_now(self) -> None:
        if self._transport is not None:
            self._transport.reconnect_now()

    # ---- intents ---------------------------------------------------------------------

    @staticmethod
    def _text_to_send(text: str) -> str | None:
        """Trimmed ``text``; None when blank; MessageTooLong when over the limit."""
        text = text.strip()
        if not text:
            return None
        if len(text) > MAX_TEXT_CHARS:
            raise MessageTooLong(f"{len(text)} > {MAX_TEXT_CHARS} characters")
        return text

    def _author(self) -> tuple[str | None, str | None]:
        """(agent id, display name) to stamp on what the agent writes."""
        agent = self._agent
        return (agent.id, agent.display_name) if agent else (None, None)

    def send_message(self, conversation_id: str, text: str) -> str | None:
        """Queue ``text``; returns the new message id (None for blank text)."""
        checked = self._text_to_send(text)
        if checked is None:
            return None
        agent_id, author_name = self._author()
        message_id, changes = self._outbox.send_message(
            conversation_id, checked, agent_id=agent_id, author_name=author_name
        )
        self._stop_typing(conversation_id)
        self._announce(changes)
        self._wake()
        return message_id

    def record_visit(self, customer_id: str, note: str) -> str | None:
        """Record a walk-in visit (works offline); returns its conversation id."""
        checked = self._text_to_send(note)
        if checked is None:
            return None
        agent_id, author_name = self._author()
        conversation_id, changes = self._outbox.record_visit(
            customer_id, checked, agent_id=agent_id, author_name=author_name
        )
        self._announce(changes)
        self._wake()
        return conversation_id

    def set_store_tag(self, tag: str) -> None:
        """Store mode: keep customers tagged ``tag`` in the cache ("" turns it off)."""
        self.directory.set_tag(tag)
        self.directory_did_change.emit()

    def refresh_directory(self) -> None:
        self.directory.refresh()
        self.directory_did_change.emit()

    def retry_message(self, message_id: str) -> bool:
        command, changes = self._outbox.retry_message(message_id)
        self._announce(changes)
        if command is not None:
            self._wake()
        return command is not None

    def close_conversation(
        self, conversation_id: str, disposition: str | None = None, note: str = ""
    ) -> None:
        """Close, with a disposition code of the conversation's queue and a note."""
        self._stop_typing(conversation_id)
        self._announce(self._outbox.close_conversation(conversation_id, disposition, note))
        self._wake()

    def set_presence(self, presence: Presence, reason: AwayReason | None = None) -> None:
        """Available, away (with a reason) or offline; the hub sets the other states."""
        self._announce(self._outbox.set_presence(presence, reason))
        self._wake()

    def set_typing(self, conversation_id: str, active: bool) -> None:
        """Call with True on every keystroke, False when the draft is sent or cleared."""
        if not active:
            self._stop_typing(conversation_id)
            return
        loop = asyncio.get_running_loop()
        now = loop.time()
        if now - self._typing_sent.get(conversation_id, -1e9) >= TYPING_REFRESH_S:
            self._typing_sent[conversation_id] = now
            self._send_typing(conversation_id, True)
        old = self._typing_stop.pop(conversation_id, None)
        if old is not None:
            old.cancel()
        self._typing_stop[conversation_id] = loop.call_later(
            TYPING_IDLE_S, self._stop_typing, conversation_id
        )

    def mark_read(self, conversation_id: str) -> None:
        """The agent looked at the conversation (a view showed it)."""
        if self._cache.mark_read(conversation_id):
            self.conversation_did_change.emit(conversation_id)

    def read_while(self, conversation_id: str, on_screen: Callable[[], bool]) -> None:
        """A view shows ``conversation_id``: whatever arrives for it while
        ``on_screen()`` is true is read at once, before it is announced, so the one
        notice of the arrival already carries the read state (no second notice from
        a listener marking it read). Undo with ``stop_reading``."""
        self._readers[conversation_id] = on_screen

    def stop_reading(self, conversation_id: str, on_screen: Callable[[], bool]) -> None:
        if self._readers.get(conversation_id) is on_screen:
            del self._readers[conversation_id]

    # ---- reads -----------------------------------------------------------------------

    @property
    def agent(self) -> AgentInfo | None:
        return self._agent

    @property
    def is_connected(self) -> bool:
        """Whether a transport exists (it may be reconnecting right now)."""
        return self._transport is not None

    @property
    def connection(self) -> ConnectionStatus:
        return self._connection

    def presence(self) -> Presence:
        return self._cache.presence() or Presence.OFFLINE

    def inbox(self) -> list[InboxItem]:
        return self._cache.inbox()

    def conversation(self, conversation_id: str) -> InboxItem | None:
        return self._cache.conversation(conversation_id)

    def escalation_alerts(self, limit: int = 50) -> list[EscalationAlert]:
        """Supervisors: escalated conversations, newest first (empty for agents)."""
        return self._cache.escalation_alerts(limit)

    def messages(self, conversation_id: str, limit: int = 500) -> list[StoredMessage]:
        """The latest ``limit`` messages, oldest first."""
        return self._cache.messages(conversation_id, limit)

    def message(self, message_id: str) -> StoredMessage | None:
        return self._cache.message(message_id)

    def customer_profile(self, customer_id: str) -> CustomerProfile | None:
        return self._cache.customer_profile(customer_id)

    def search_customers(self, text: str) -> list[CustomerMatch]:
        """Cached customers by name, phone or email substring (works offline)."""
        return cache_directory.search_customers(self._cache, text)

    def _role(self) -> str | None:
        """The agent's role as the hub last said (kept in the cache: known offline)."""
        config = self.routing.config()
        return None if config is None else config.role.value

    def is_customer_typing(self, conversation_id: str) -> bool:
        return conversation_id in self._customer_typing

    def outbox_size(self) -> int:
        return len(self._outbox)

    # ---- SyncDelegate: called by the sync client -----------------------------------

    def last_seq(self) -> int | None:
        return self._cache.resume_seq()

    def welcome_received(self, welcome: Welcome) -> None:
        self._cache.requeue_unconfirmed_receipts()
        if self._agent != welcome.agent:
            self._agent = welcome.agent
            self._cache.store_agent(welcome.agent)
            self.agent_did_change.emit(welcome.agent)
        if not self._presence_queued():
            self._announce(self._cache.set_presence(welcome.presence))

    def snapshot_received(self, snapshot: Snapshot) -> None:
        queued = self._cache.presence() if self._presence_queued() else None
        changes = self._cache.apply_snapshot(snapshot)
        if snapshot.last:
            self.knowledge.snapshot_applied()
        if snapshot.last and queued is not None and queued is not snapshot.presence:
            # Our own queued change is newer than the snapshot's view.
            changes.merge(self._cache.set_presence(queued))
        self._announce(changes)

    def events_received(self, events: list[Event]) -> None:
        self._announce(self._cache.apply_events(events))

    def customers_received(self, page: Customers, complete: bool) -> None:
        changes = self.directory.page_received(page, complete)
        self._announce(changes)
        if complete:
            self.directory_did_change.emit()

    def profile_frame_received(
        self,
        frame: (ProfileServerFrame | Emails | AssistServerFrame | LiveConversations
                | KbServerFrame | SupervisionServerFrame | QaServerFrame | ReportsServerFrame
                | FollowUps),
    ) -> None:
        if isinstance(frame, QaServerFrame):
            self.quality.answered(frame)
        elif isinstance(frame, LiveConversations):
            self.coaching.answered(frame)
        elif isinstance(frame, FollowUps):
            self._announce(self.followups.listed(frame))
        elif isinstance(frame, KbServerFrame):
            self.knowledge.answered(frame)
        elif isinstance(frame, FiguresSnapshot | FiguresUpdate | DrillDownResult):
            self.figures.frame_received(frame)
        elif isinstance(frame, HistoryReport | WeeklyReports):
            self.reports.frame_received(frame)
        elif isinstance(frame, SuggestionFeedbackList):
            self.suggestions.answered(frame)
        elif isinstance(frame, Emails):
            self.email.answered(frame)
        elif isinstance(frame, ProfileConfig):
            self._announce(self._cache.store_profile_config(frame))
        elif not self._reads.answered(frame):
            log.debug("late answer to a read: %s", type(frame).__name__)

    def routing_frame_received(self, frame: RoutingServerFrame) -> None:
        self._announce(self._cache.store_routing_frame(frame))

    def went_live(self) -> None:
        # The client flushes the outbox itself; the status change says the rest.
        self.directory.went_live()
        self.email.start_uploads()
        self.knowledge.went_live()
        self.figures.went_live()

    # ---- calls -----------------------------------------------------------------------

    def attach_calls(self, media: MediaEngine) -> CallManager:
        """GUI thread: a call manager fed by this connection (created once)."""
        if self._calls is None:
            from core.call.call_manager import CallManager

            self._calls = CallManager(self._send_call, media)
            if self.recording_uploads is not None:
                self.recording_uploads.attach(self._calls.recording)
            early, self._early_call_frames = self._early_call_frames, []
            for frame in early:
                self._calls.handle_frame(frame)
        return self._calls

    @property
    def calls(self) -> CallManager | None:
        return self._calls

    def report_sip_call(self, report: SipCallReport) -> None:
        """GUI thread: a SIP call's step for the hub, through the outbox (it reaches
        the hub once, also after a dropped link or a restart)."""
        with self._cache.db.atomic():
            self._outbox.queue(report)
        self._wake()

    def _request_live(self, frame: FetchLiveConversations) -> bool:
        return self._transport is not None and self._transport.request(frame)

    def _send_call(self, frame: object) -> bool:
        transport = self._transport
        return transport is not None and transport.send_call(frame)  # type: ignore[arg-type]

    def call_frame_received(self, frame: call_frames.AgentServerFrame | SipCallLinked) -> None:
        if self._calls is not None:
            self._calls.handle_frame(frame)
        elif len(self._early_call_frames) < EARLY_CALL_FRAMES:
            self._early_call_frames.append(frame)

    def op_acked(self, op: str, seq: int | None) -> None:
        if self._calls is not None and self._calls.handle_frame(Ack(op=op, seq=seq)):
            return
        resolution = self._outbox.resolve(op)
        self._announce(resolution.changes)
        self.quality.command_resolved(resolution.command, None)
        self.followups.acked(op)
        self._announce(self._outbox.resolve(op).changes)

    def op_rejected(self, op: str, code: str, message: str) -> None:
        if self._calls is not None and self._calls.handle_frame(
            Error(code=code, message=message, op=op)
        ):
            return
        if self.directory.owns(op):
            self.directory.failed(op, code)
            self.directory_did_change.emit()
            return
        if self._reads.owns(op):
            self._reads.failed(op, code, message)
            return
        if self.email.owns(op):
            self.email.failed(op)
            return
        if self.suggestions.owns(op):
            self.suggestions.failed(op, code)
            return
        if self.coaching.owns(op):
            self.coaching.failed(op)
            self.command_did_fail.emit("fetch_live_conversations", code)
        if self.knowledge.owns(op):
            self.knowledge.failed(op, code)
        if self.figures.owns(op):
            self.figures.failed(op, code)
            return
        if self.quality.owns(op):
            self.quality.failed(op, code, message)
            return
        if self.reports.owns(op):
            self.reports.failed(op, code, message)
            return
        log.warning("hub refused %s: %s %s", op, code, message)
        resolution = self._outbox.reject(op, code)
        self._announce(resolution.changes)
        if self.followups.owns(op):
            self._announce(self.followups.rejected(
                op, getattr(resolution.command, "followup_id", None)))
            self.command_did_fail.emit("followup", code)
        if isinstance(resolution.command, PROFILE_COMMANDS):
            kind = str(type(resolution.command).__struct_config__.tag)
            self.profile_command_did_fail.emit(
                ProfileFailure(kind, code, message, resolution.command)
            )
        elif isinstance(resolution.command, QUICK_REPLY_COMMANDS):
            self.quick_reply_did_fail.emit(
                str(type(resolution.command).__struct_config__.tag), code)
        elif resolution.command is not None:
            self.quality.command_resolved(resolution.command, code)
            self.command_did_fail.emit(str(type(resolution.command).__struct_config__.tag), code)

    def typing_received(self, conversation_id: str, active: bool) -> None:
        old = self._customer_typing.pop(conversation_id, None)
        if old is not None:
            old.cancel()
        if active:
            loop = asyncio.get_running_loop()
            self._customer_typing[conversation_id] = loop.call_later(
                TYPING_EXPIRY_S, self.typing_received, conversation_id, False
            )
        if active or old is not None:
            self.typing_did_change.emit(conversation_id, active)

    def server_error(self, code: str, message: str) -> None:
        log.warning("hub error: %s %s", code, message)

    def connection_changed(self, status: ConnectionStatus) -> None:
        if status == self._connection:
            return
        self._connection = status
        if status.state is not ConnectionState.ONLINE:
            self._reads.connection_lost()
            self.suggestions.connection_lost()
            self.knowledge.connection_lost()
            self.figures.connection_lost()
            self.quality.connection_lost()
            self.reports.connection_lost()
        self.connection_did_change.emit(status)
        if status.state is ConnectionState.AUTH_FAILED:
            self.auth_did_fail.emit(status.detail)

    def pending_commands(self) -> list[Command]:
        return self._outbox.pending()

    def due_receipts(self) -> dict[str, list[str]]:
        return self._cache.due_receipts()

    def receipts_sent(self, message_ids: list[str]) -> None:
        self._cache.mark_receipts_sent(message_ids)

    # ---- helpers ---------------------------------------------------------------------

    def _presence_queued(self) -> bool:
        return any(isinstance(c, SetPresence) for c in self._outbox.pending())

    def _wake(self) -> None:
        if self._transport is not None:
            self._transport.wake()

    def _send_typing(self, conversation_id: str, active: bool) -> None:
        if self._transport is not None:
            self._transport.send_typing(conversation_id, active)

    def _stop_typing(self, conversation_id: str) -> None:
        handle = self._typing_stop.pop(conversation_id, None)
        if handle is not None:
            handle.cancel()
        if self._typing_sent.pop(conversation_id, None) is not None:
            self._send_typing(conversation_id, False)

    def _announce(self, changes: Changes) -> None:
        """Tell listeners what one transaction changed (the cache is already written)."""
        if not changes:
            return
        for conversation_id in sorted(changes.conversations & self._readers.keys()):
            if self._readers[conversation_id]():
                self._cache.mark_read(conversation_id)
        self.announce(changes)
        if self._transport is not None:
            for customer_id in changes.arrived.values():
                self.profiles.prefetch(customer_id)
