"""What the hub does with each accepted frame: store, route, fan out.

Endpoints decode and validate frames, then call in here. Every method runs on the
hub's event loop and does not await, so a state change and the frames it causes
are queued to the peers in one atomic step (no event can overtake a snapshot).
A command or a customer's frame is one unit of work (hub.unit_of_work).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
from collections.abc import Iterator
from dataclasses import dataclass

from core.protocol import agent as ap
from core.protocol import assist as asp
from core.protocol import coaching as cop
from core.protocol import customer as cp
from core.protocol import email as ep
from core.protocol import followups as fp
from core.protocol import knowledge as kp
from core.protocol import outreach as orp
from core.protocol import profile as pp
from core.protocol import quality as qp
from core.protocol import routing as rp
from core.protocol import sip_calls as sp
from core.protocol.codec import ErrorCode, encode_text
from core.protocol.models import (
    Channel,
    ClosedBy,
    IdentityKind,
    Message,
    MessageStatus,
    Presence,
)
from hub.access.gate import AccessControl
from hub.assist.escalation_service import EscalationService
from hub.assist.kb_service import KbService
from hub.assist.quick_replies import QuickReplies
from hub.assist.suggestions import SuggestionService
from hub.calls.call_forwarding import CallForwarding
from hub.calls.relay import CallRelay
from hub.calls.sip_calls import SipCallReports
from hub.config import HubConfig
from hub.email.hooks import EmailHooks
from hub.feedback.service import FeedbackService
from hub.followups.left_messages import LeftMessages
from hub.followups.service import FollowUpService
from hub.outreach.service import OutreachService
from hub.profile.service import ProfileService
from hub.routing.absence import AbsenceTimers
from hub.routing.actions import RoutingActions
from hub.routing.classify import Inbound
from hub.routing.engine import RoutingEngine
from hub.selfservice.bot import SelfServiceBot
from hub.selfservice.records import BotRecords
from hub.store.database import retrying_conflicts
from hub.store.health import is_storage_error, storage_problem
from hub.store.store import Store, StoreError, new_visitor_id, now_ms
from hub.supervision.coaching import CoachingService
from hub.supervision.feed import SupervisionFeed
from hub.supervision.quality.service import QualityService
from hub.supervision.reports.report_service import ReportService
from hub.transport.fanout import FanOut
from hub.transport.peers import Peer, PeerRegistry
from hub.unit_of_work import UnitOfWork, run_in_unit
from hub.widget.resume import resumed_for

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class InboundText:
    """A customer's text stored outside a chat (an email), to be classified."""

    conversation_id: str
    id: str
    text: str

# A client further behind than this gets a snapshot instead of a replay.
REPLAY_LIMIT = 20_000
REPLAY_BATCH = 1_000
PROTOCOL_VERSION = 1
# Customer messages are classified this long after they went out, together.
CLASSIFY_DELAY_S = 0.01


class HubService:
    """Built by the composition root (hub.composition), which hands it every part."""

    def __init__(
        self,
        store: Store,
        fanout: FanOut,
        unit: UnitOfWork,
        agents: PeerRegistry,
        customers: PeerRegistry,
        routing: RoutingEngine,
        routing_actions: RoutingActions,
        profiles: ProfileService,
        calls: CallRelay,
        email: EmailHooks | None,
        config: HubConfig,
        quick_replies: QuickReplies,
        suggestions: SuggestionService,
        assist: EscalationService | None = None,
        knowledge: KbService | None = None,
        feedback: FeedbackService | None = None,
        selfservice: SelfServiceBot | None = None,
        coaching: CoachingService | None = None,
        supervision: SupervisionFeed | None = None,
        quality: QualityService | None = None,
        followups: FollowUpService | None = None,
        left_messages: LeftMessages | None = None,
        sip_calls: SipCallReports | None = None,
        access: AccessControl | None = None,
    ) -> None:
        self.store = store
        self.fanout = fanout
        self.unit = unit
        self.agents = agents
        self.customers = customers
        # Each absence timer runs as one unit of work.
        self.absence = AbsenceTimers(
            config.away_grace_s, config.release_after_s,
            lambda agent_id: run_in_unit(unit.run, "absence grace",
                                         lambda: self._absence_grace(agent_id)),
            lambda agent_id: run_in_unit(unit.run, "absence release",
                                         lambda: self._absence_release(agent_id)),
        )
        # Agents the hub itself set away because their link dropped.
        self._auto_away: set[str] = set()
        # The widget choice of connected customers, for routing their next chat.
        self._topics: dict[str, str] = {}
        # Connected customers whose widget is in easy mode: a person serves them first.
        self._easy: set[str] = set()
        self._widget_idle_s = (config.widget_idle_prompt_s, config.widget_idle_close_s)
        self.profiles = profiles
        self.routing = routing
        self.routing_actions = routing_actions
        # The email channel, when configured (hub.email.channel.EmailChannel).
        self.email = email
        self.calls = calls
        # Several hub processes: call commands for a call another process holds.
        self.call_forwarding: CallForwarding | None = None
        self.quick_replies = quick_replies
        self.suggestions = suggestions
        # Sentiment and escalation of customer messages (hub/assist); None: off.
        self.assist = assist
        self._to_classify: list[Message | InboundText] = []
        # The knowledge base's frames (hub.assist.kb_service).
        self.knowledge = knowledge
        # CSAT and NPS frames from the widget (hub/feedback); None: not offered.
        self.feedback = feedback
        # The self-service bot (hub/selfservice); None: every chat goes to a person.
        self.selfservice = selfservice
        # Supervisors' monitoring and coaching (hub/supervision); None: not offered.
        self.coaching = coaching
        # The supervisor's live figures and drill-down (hub/supervision).
        self.supervision = supervision
        # Quality inspection's reads, review and appeal (hub/supervision/quality).
        self.quality = quality
        # Historical reports for the supervisor workspace (hub/supervision/reports).
        self.reports: ReportService | None = None
        # Follow-ups and messages left with nobody available (hub/followups).
        self.followups = followups
        self.left_messages = left_messages
        # Permissions and the audit log (hub/access); the endpoints ask it first.
        self.access = access if access is not None else AccessControl(
            store.db, lambda: store.settings.attributes)
        # Proactive outreach (hub/outreach), set by the composition root.
        self.outreach: OutreachService | None = None
        # SIP calls the desktops report (the PBX carries them; hub/calls/sip_calls).
        self.sip_calls = sip_calls

    def started(self) -> None:
        """After a hub restart nobody is connected: treat every agent as just gone."""
        # Chats the bot held go on with it (stored, hub/selfservice); if the bot
        # no longer takes their topic (or is off) they wait for a person now.
        BotRecords(self.store.db).release_all(
            self.selfservice.settings.holds if self.selfservice is not None
            else lambda _topic: False)
        self.routing.load()
        for agent_id in self.store.agents_with_presence(Presence.AVAILABLE):
            self.absence.start(agent_id)
        for agent_id in self.store.agents_with_open_conversations():
            if agent_id not in self.absence.pending():
                self.absence.start(agent_id)
        if self.followups is not None:
            self.followups.reminders.start()  # stored reminders, armed again

    def stopped(self) -> None:
        self.classify_pending()
        self.absence.cancel_all()
        self.routing.timers.cancel_all()
        if self.followups is not None:
            self.followups.reminders.stop()
        self.calls.stop()
        self.suggestions.stop()
        if self.knowledge is not None:
            self.knowledge.stop()

    def _absence_grace(self, agent_id: str) -> None:
        if self.agents.connected(agent_id):
            return
        if self.routing.apply_presence(agent_id, Presence.AWAY, cause="disconnected"):
            self._auto_away.add(agent_id)

    def _absence_release(self, agent_id: str) -> None:
        if self.agents.connected(agent_id):
            return
        for conversation_id in self.store.open_conversations_of_agent(agent_id):
            released = self.store.unassign(conversation_id, ap.UnassignReason.AGENT_DISCONNECTED)
            if released is not None:
                self.fanout.publish(*released)
                conv = self.store.conversation(conversation_id)
                assert conv is not None
                self.routing_actions.released(agent_id, conv.channel)
                self.route(conversation_id)

    # ---- agents --------------------------------------------------------------------

    def agent_joined(self, peer: Peer, agent_id: str, hello: ap.Hello) -> None:
        """Register an authenticated agent peer and send welcome + catch-up."""
        self.absence.cancel(agent_id)
        row = self.store.agent_row(agent_id)
        if row.presence == Presence.OFFLINE.value or agent_id in self._auto_away:
            # Logging in (or coming back) means ready for work; other open
            # desktops of the agent hear of it.
            reason = "reconnected" if agent_id in self._auto_away else None
            self._auto_away.discard(agent_id)
            self.routing.apply_presence(agent_id, Presence.AVAILABLE, cause=reason)
            self.routing.refresh_busy(self.routing.agent(agent_id))
        row = self.store.agent_row(agent_id)
        head = int(row.head_seq)
        last = hello.last_seq
        replay = last is not None and last <= head and head - last <= REPLAY_LIMIT
        self.agents.add(agent_id, peer)
        peer.send(
            encode_text(
                ap.Welcome(
                    v=PROTOCOL_VERSION,
                    agent=self.store.agent_info(agent_id),
                    presence=Presence(row.presence),
                    head_seq=head,
                    mode="replay" if replay else "snapshot",
                    server_time=now_ms(),
                )
            )
        )
        peer.send(self.profiles.config_frame(self.access.fields.view(agent_id)))
        peer.send(self.calls.config_frame())
        if replay:
            assert last is not None
            cursor = last
            while True:
                events = self.store.events_after(agent_id, cursor, REPLAY_BATCH)
                peer.send(encode_text(ap.Events(events=events)))
                if events:
                    cursor = events[-1].seq
                if len(events) < REPLAY_BATCH:
                    break
            peer.stream_seq = cursor
        else:
            parts = self.store.snapshot_parts(agent_id)
            # The last part completes the state: it carries the quick replies too.
            parts[-1].quick_replies = self.quick_replies.quick_replies_of(agent_id)
            for part in parts:
                peer.send(encode_text(part))
            peer.stream_seq = head
        peer.send(self.routing_actions.config_frame(agent_id))
        if self.followups is not None:
            self.followups.agent_welcomed(agent_id, peer)
        self.calls.online.agent_welcomed(agent_id, peer)
        self.routing.agent_connected(agent_id)

    def agent_left(self, peer: Peer, agent_id: str) -> None:
        if self.agents.remove(agent_id, peer):
            self.routing.agent_disconnected(agent_id)
            self.absence.start(agent_id)
            self.calls.agent_left(agent_id)

    @contextlib.contextmanager
    def _unit(self) -> Iterator[None]:
        """An inbound frame as one unit of work (hub.unit_of_work); if it fails, the
        in-memory router is rebuilt from the store, which kept nothing of it (the
        unit's ``on_failure``, set by the composition root)."""
        with self.unit.run():
            yield

    def agent_command(self, agent_id: str, cmd: ap.Command) -> str:
        """Apply a command once, as one unit of work; returns the ack or error frame.
        A unit the database rolled back to break a deadlock runs again."""
        return retrying_conflicts(lambda: self._agent_command(agent_id, cmd))

    def _agent_command(self, agent_id: str, cmd: ap.Command) -> str:
        """Apply a command once, as one unit of work; returns the ack or error frame.

        The state change, its events and the op id commit in one transaction, and
        the frames it causes go out after the commit. A refused command records
        only its error; a command that fails otherwise leaves nothing behind (the
        in-memory router is rebuilt from the store), so its retry applies it once.
        """
        try:
            with self._unit():
                # One command of an agent at a time, across hub processes too.
                self.store.lock_stream(agent_id)
                prior = self.store.op_result(agent_id, cmd.op)
                if prior is not None:
                    if prior.error_code:
                        return encode_text(ap.Error(
                            code=prior.error_code, message=prior.error_message or "", op=cmd.op
                        ))
                    return encode_text(ap.Ack(op=cmd.op, seq=prior.seq))
                seq = self._apply(agent_id, cmd)
                # Its audit row commits with it (a duplicate above writes none).
                self.access.frame_done(agent_id, cmd)
        except StoreError as exc:
            self.store.record_failed_op(agent_id, cmd.op, exc)
            return encode_text(ap.Error(code=exc.code, message=exc.message, op=cmd.op))
        return encode_text(ap.Ack(op=cmd.op, seq=seq))

    def _apply(self, agent_id: str, cmd: ap.Command) -> int | None:
        if isinstance(cmd, pp.ProfileCommand):
            return self.profiles.apply(agent_id, cmd)
        if isinstance(cmd, asp.SaveQuickReply | asp.DeleteQuickReply):
            return self.quick_replies.apply(agent_id, cmd)
        if isinstance(cmd, asp.SuggestionFeedback):
            return self.suggestions.feedback(agent_id, cmd)
        if isinstance(cmd, kp.KbSave | kp.KbPublish):
            if self.knowledge is None:
                raise StoreError("conflict", "this hub has no knowledge base")
            return self.knowledge.apply(agent_id, cmd)
        if isinstance(cmd, qp.QaReview | qp.QaAppeal):
            if self.quality is None:
                raise StoreError("conflict", "this hub does not inspect quality")
            self.quality.apply(agent_id, cmd)
            self.store.record_op(agent_id, cmd.op, None)
            return None
        if isinstance(cmd, ep.SendEmail):
            if self.email is None:
                raise StoreError("conflict", "this hub has no outgoing mail configured")
            return self.email.send(agent_id, cmd)
        # Each branch records the op id in the unit, with the change it made.
        if isinstance(cmd, cop.CoachingCommand):
            if self.coaching is None:
                raise StoreError("conflict", "this hub has no monitoring and coaching")
            seq = self.coaching.apply(agent_id, cmd)
            self.store.record_op(agent_id, cmd.op, seq)
            return seq
        if isinstance(cmd, fp.CreateFollowUp | fp.UpdateFollowUp):
            if self.followups is None:
                raise StoreError("conflict", "this hub keeps no follow-ups")
            seq = self.followups.apply(agent_id, cmd)
            self.store.record_op(agent_id, cmd.op, seq)
            return seq
        if isinstance(cmd, orp.ReachOut):
            if self.outreach is None:
                raise StoreError("conflict", "this hub does not reach out")
            # The agent's message or mail records the op id with its event.
            return self.outreach.reach_out(agent_id, cmd)
        if isinstance(cmd, sp.SipCallStarted | sp.SipCallAnswered | sp.SipCallEnded):
            if self.sip_calls is None:
                raise StoreError("conflict", "this hub does not keep SIP calls")
            seq = self.sip_calls.apply(agent_id, cmd)
            self.store.record_op(agent_id, cmd.op, seq)
            return seq
        if isinstance(cmd, rp.RoutingCommand):
            seq = self.routing_actions.apply(agent_id, cmd)
            self.store.record_op(agent_id, cmd.op, seq)
            return seq
        if isinstance(cmd, ap.SendMessage):
            msg, event = self.store.add_agent_message(
                cmd.op, agent_id, cmd.conversation_id, cmd.message_id, cmd.text
            )
            self.fanout.publish(agent_id, event)
            conv = self.store.conversation(cmd.conversation_id)
            assert conv is not None
            self.fanout.to_customer(conv.customer_id, cp.NewMessage(message=msg))
            self.routing_actions.first_reply(cmd.conversation_id)
            return event.seq
        if isinstance(cmd, ap.CloseConversation):
            self.routing_actions.check_close(cmd.conversation_id, cmd.disposition)
            conv, closed = self.store.close_conversation(
                cmd.conversation_id, ClosedBy.AGENT, agent_id=agent_id, op=cmd.op,
                disposition=cmd.disposition, note=cmd.note,
            )
            self.fanout.publish(agent_id, closed)
            self.routing_actions.closed(conv.id, agent_id, conv.channel, ClosedBy.AGENT)
            self.fanout.to_customer(
                conv.customer_id, cp.Closed(conversation_id=conv.id, closed_by=ClosedBy.AGENT)
            )
            return closed.seq if closed else None
        if isinstance(cmd, ap.RecordVisit):
            event = self.store.record_visit(agent_id, cmd)
            self.fanout.publish(agent_id, event)
            return event.seq
        self._auto_away.discard(agent_id)  # the agent chose: keep it
        changed = self.routing.set_presence(agent_id, cmd.presence, cmd.reason)
        seq = changed if changed is not None else self.store.head_seq(agent_id)
        self.store.record_op(agent_id, cmd.op, seq)
        return seq

    def fetch_customers(self, agent_id: str, frame: ap.FetchCustomers) -> str:
        try:
            records, next_after = self.store.customers_by_tag(
                agent_id, frame.tag, frame.after, frame.limit
            )
        except StoreError as exc:
            return encode_text(ap.Error(code=exc.code, message=exc.message, op=frame.op))
        return encode_text(ap.Customers(op=frame.op, customers=records, next_after=next_after))

    def list_suggestion_feedback(self, agent_id: str, frame: asp.ListSuggestionFeedback) -> str:
        try:
            return encode_text(self.suggestions.list_feedback(agent_id, frame))
        except StoreError as exc:
            return encode_text(ap.Error(code=exc.code, message=exc.message, op=frame.op))

    def live_conversations(self, agent_id: str, frame: cop.FetchLiveConversations) -> str:
        try:
            if self.coaching is None:
                raise StoreError("not_found", "this hub has no monitoring and coaching")
            return encode_text(self.coaching.live_conversations(agent_id, frame))
        except StoreError as exc:
            return encode_text(ap.Error(code=exc.code, message=exc.message, op=frame.op))
    def quality_read(self, agent_id: str, frame: qp.QaRead) -> str:
        if self.quality is None:
            return encode_text(ap.Error(code=ErrorCode.CONFLICT,
                                        message="this hub does not inspect quality", op=frame.op))
        return self.quality.read(agent_id, frame)

    def fetch_emails(self, agent_id: str, frame: ep.FetchEmails) -> str:
        if self.email is None:
            return encode_text(ap.Error(code="not_found", message="no email here", op=frame.op))
        return self.email.fetch(agent_id, frame)

    def agent_typing(self, agent_id: str, frame: ap.Typing) -> None:
        conv = self.store.conversation(frame.conversation_id)
        if conv is None or conv.agent_id != agent_id:
            return  # ephemeral: ignore rather than answer
        name = self.store.agent_info(agent_id).display_name
        self.fanout.to_customer(
            conv.customer_id, cp.TypingNotice(active=frame.active, agent_name=name)
        )

    def agent_delivered(self, agent_id: str, frame: ap.Delivered) -> None:
        with self._unit():
            self._agent_delivered(agent_id, frame)

    def _agent_delivered(self, agent_id: str, frame: ap.Delivered) -> None:
        ids, events = self.store.mark_delivered_by_agent(
            agent_id, frame.conversation_id, frame.message_ids
        )
        if not ids:
            return
        self.fanout.publish(agent_id, *events)
        conv = self.store.conversation(frame.conversation_id)
        assert conv is not None
        for message_id in ids:
            self.fanout.to_customer(
                conv.customer_id, cp.Status(message_id=message_id, status=MessageStatus.DELIVERED)
            )

    # ---- routing -------------------------------------------------------------------

    def route(
        self, conversation_id: str, inbound: Inbound | None = None,
        preferred_agent: str | None = None,
    ) -> bool:
        """Get a conversation to an agent, any channel: classify into a queue, score,
        and offer it to the best eligible agent (see hub/routing). True when an
        offer was made (or accepted at once); otherwise it waits in its queue."""
        return self.routing.route(conversation_id, inbound, preferred_agent)

    # ---- customers -------------------------------------------------------------------

    def knows_visitor(self, visitor_id: str | None) -> bool:
        """Whether this hub issued ``visitor_id`` (a hello with it makes no customer)."""
        return bool(visitor_id) and self.store.customer_by_identity(
            IdentityKind.VISITOR, visitor_id or "") is not None

    def customer_joined(self, peer: Peer, hello: cp.Hello) -> str:
        """Identify the visitor (a known visitor id, else a new customer); welcome them."""
        customer_id = None
        visitor_id = hello.visitor_id
        if visitor_id:
            customer_id = self.store.customer_by_identity(IdentityKind.VISITOR, visitor_id)
        if customer_id is None:
            # Unknown ids are not adopted: only ids this hub issued identify anyone.
            visitor_id = new_visitor_id()
            zh = (hello.locale or "").lower().startswith("zh")
            default = ("访客 " if zh else "Visitor ") + str(random.randint(1000, 9999))
            customer_id = self.store.create_customer(
                (hello.name or "").strip() or default,
                [(IdentityKind.VISITOR, visitor_id)],
                language="zh" if zh else None,
            )
        elif hello.name and hello.name.strip():
            customer = self.store.customer(customer_id)
            if not customer.identities:  # an anonymous visitor may name themselves
                self.store.rename_customer(customer_id, hello.name.strip())
        assert visitor_id is not None
        visitor_customer = customer_id
        shown_name = self.store.customer_name(customer_id)
        own_conv = self.store.open_conversation_of(customer_id)
        contacts = [
            (kind, raw)
            for kind, raw in ((IdentityKind.EMAIL, hello.email), (IdentityKind.PHONE, hello.phone))
            if raw and raw.strip()
        ]
        if contacts:
            # Typing a known email must not reveal whose it is: the widget keeps
            # the name it had until it reconnects as that customer.
            customer_id = self.profiles.link_contacts(customer_id, contacts)
        first = not self.customers.connected(customer_id)
        self.customers.add(customer_id, peer)
        self.calls.online.customer_joined(customer_id, first)
        if hello.topic:
            self._topics[customer_id] = hello.topic
        if hello.easy:
            self._easy.add(customer_id)
        else:
            self._easy.discard(customer_id)
        conv = self.store.open_conversation_of(customer_id)
        if contacts and conv is not None and (own_conv is None or conv.id != own_conv.id):
            # Only what this visitor wrote is resumed, never another device's chat.
            conv = own_conv
        agent_name = None
        if conv is not None and conv.agent_id:
            agent_name = self.store.agent_info(conv.agent_id).display_name
        # Read after the socket is registered: a message committed later reaches it
        # live (the widget drops one it already has by its id).
        resumed = resumed_for(self.store, {visitor_customer, customer_id}, hello.seen,
                              now_ms()) if hello.seen else []
        peer.send(
            encode_text(
                cp.Welcome(
                    v=PROTOCOL_VERSION,
                    visitor_id=visitor_id,
                    customer_name=shown_name,
                    conversation_id=conv.id if conv else None,
                    messages=self.store.messages_of(conv.id, 200) if conv else [],
                    agent_name=agent_name,
                    bot=not hello.easy and self._bot_answers(conv.id if conv else None,
                                                             hello.topic),
                    idle_prompt_s=self._widget_idle_s[0],
                    idle_close_s=self._widget_idle_s[1],
                    unavailable=self._unavailable(conv.agent_id if conv else None, hello.topic),
                    resumed=resumed,
                )
            )
        )
        return customer_id

    def _bot_answers(self, conversation_id: str | None, topic: str | None) -> bool:
        bot = self.selfservice
        if bot is None:
            return False
        if conversation_id is not None:
            return bot.holds(conversation_id)
        return bot.settings.holds(topic)

    def _unavailable(self, agent_id: str | None, topic: str | None) -> str | None:
        """Why nobody can answer this visitor now (the widget offers to leave a
        message); None when someone can or already does."""
        if self.left_messages is None or agent_id is not None:
            return None
        reason = self.left_messages.unavailable(topic)
        return None if reason is None else reason.value

    def customer_leave_message(self, peer: Peer, customer_id: str,
                               frame: fp.LeaveMessage) -> None:
        if self.left_messages is None:
            peer.send(encode_text(cp.Error(code=ErrorCode.CONFLICT, ref="leave_message",
                                           message="messages cannot be left here")))
            return
        left = self.left_messages
        topic = self._topics.get(customer_id)

        def unit() -> None:
            with self._unit():
                left.leave(peer, customer_id, frame, topic)

        retrying_conflicts(unit)

    def customer_left(self, peer: Peer, customer_id: str) -> None:
        if self.customers.remove(customer_id, peer):
            self._topics.pop(customer_id, None)
            self._easy.discard(customer_id)
        self.calls.customer_left(customer_id)

    def customer_send(self, peer: Peer, customer_id: str, frame: cp.Send) -> None:
        # Suggestions embed the question while the loop stores and sends the message.
        self.suggestions.message_arriving(frame.text)

        def unit() -> Message | None:
            with self._unit():
                return self._customer_send(peer, customer_id, frame)

        stored = retrying_conflicts(unit)
        if stored is not None and self.selfservice is not None:
            self.selfservice.question(stored.conversation_id, stored.text)
        if stored is not None:
            # The automatic tags follow from what is stored (a new contact, a complaint):
            # their own unit, so the message's frames do not wait for the tag rules.
            with self._unit():
                self.profiles.customer_changed(customer_id)
            if self.assist is not None:
                self._classify_soon(stored)

    def email_received(self, conversation_id: str, message_id: str, text: str) -> None:
        """A customer's mail was stored: it gets a sentiment and escalation reasons like
        a chat message (after the mail's own commit)."""
        if self.assist is not None:
            self._classify_soon(InboundText(conversation_id, message_id, text))

    def _classify_soon(self, message: Message | InboundText) -> None:
        """Sentiment and escalation (hub/assist) a moment after the message went out,
        in batches: one unit of work for the messages of the last few milliseconds, so
        neither the message's path nor a busy hub pays a commit per message. Without a
        running loop (a hub driven directly, as in the routing simulation): now."""
        self._to_classify.append(message)
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            self.classify_pending()
            return
        if len(self._to_classify) == 1:
            loop.call_later(CLASSIFY_DELAY_S, self.classify_pending)

    def classify_pending(self) -> None:
        batch, self._to_classify = self._to_classify, []
        if not batch or self.assist is None:
            return
        try:
            with self._unit():
                for message in batch:
                    self.assist.message_stored(message.conversation_id, message.id,
                                               message.text)
        except Exception as exc:
            if is_storage_error(exc):  # a full or read-only disk: /healthz says so
                log.warning("classifying %d message(s) not stored: %s", len(batch),
                            storage_problem(exc))
                return
            if len(batch) == 1:  # the message stands; only its classification is lost
                log.exception("classifying message %s failed", batch[0].id)
                return
            for message in batch:  # find the one at fault; the others are kept
                self._to_classify = [message]
                self.classify_pending()

    def _customer_send(self, peer: Peer, customer_id: str, frame: cp.Send) -> Message | None:
        """Store the customer's message; the new message, or None if none was stored."""
        existing = self.store.customer_message_by_key(customer_id, frame.id)
        if existing is not None:  # a retry: answer as the first time
            self.fanout.to_peer(peer, cp.Ack(id=frame.id, message=existing))
            return None
        conv = self.store.open_conversation_of(customer_id)
        if frame.conversation_id is not None and (conv is None or conv.id != frame.conversation_id):
            peer.send(
                encode_text(
                    cp.Error(
                        code=ErrorCode.NOT_FOUND,
                        ref=frame.id,
                        message="no such open conversation of yours",
                    )
                )
            )
            return None
        created = conv is None
        last_agent = None
        if conv is None:
            conv, last_agent = self.routing_actions.reopen_or_create(customer_id)
        name = self.store.customer_name(customer_id)
        msg, event = self.store.add_customer_message(
            conv.id, customer_id, frame.id, frame.text, name
        )
        if event is not None and conv.agent_id:
            self.fanout.publish(conv.agent_id, event)
        self.fanout.to_peer(peer, cp.Ack(id=frame.id, message=msg))
        self.fanout.to_customer(customer_id, cp.NewMessage(message=msg), skip=peer)
        if created:
            topic = self._topics.get(customer_id)
            easy = customer_id in self._easy
            if self.selfservice is not None and self.selfservice.take(
                    conv.id, customer_id, topic, easy=easy):
                return msg  # the bot answers first; routed when it hands off
            inbound = Inbound(Channel.CHAT, frame.text, widget_choice=topic) if topic else None
            self.route(conv.id, inbound, preferred_agent=last_agent)
        return msg

    def customer_typing(self, customer_id: str, frame: cp.Typing) -> None:
        conv = self.store.open_conversation_of(customer_id)
        if conv is not None and conv.agent_id:
            self.fanout.to_agent(
                conv.agent_id, ap.TypingNotice(conversation_id=conv.id, active=frame.active)
            )

    def customer_received(self, peer: Peer, customer_id: str, frame: cp.Received) -> None:
        with self._unit():
            self._customer_received(peer, customer_id, frame)

    def _customer_received(self, peer: Peer, customer_id: str, frame: cp.Received) -> None:
        events, unknown = self.store.mark_delivered_by_customer(customer_id, frame.message_ids)
        by_agent: dict[str, list[ap.Event]] = {}
        for event in events:
            body = event.body
            assert isinstance(body, ap.MessageStatusChanged)
            conv = self.store.conversation(body.conversation_id)
            if conv is not None and conv.agent_id:
                by_agent.setdefault(conv.agent_id, []).append(event)
        for agent_id, batch in by_agent.items():
            self.fanout.publish(agent_id, *batch)
        if unknown:
            peer.send(
                encode_text(
                    cp.Error(
                        code=ErrorCode.NOT_FOUND,
                        message=f"{len(unknown)} unknown message id(s)",
                        ref=unknown[0],
                    )
                )
            )

    def customer_close(self, peer: Peer, customer_id: str, frame: cp.Close) -> None:
        with self._unit():
            self._customer_close(peer, customer_id, frame)

    def _customer_close(self, peer: Peer, customer_id: str, frame: cp.Close) -> None:
        conv = self.store.open_conversation_of(customer_id)
        if conv is None or (frame.conversation_id and frame.conversation_id != conv.id):
            peer.send(
                encode_text(
                    cp.Error(
                        code=ErrorCode.NO_CONVERSATION, message="no open conversation to close"
                    )
                )
            )
            return
        conv, event = self.store.close_conversation(conv.id, ClosedBy.CUSTOMER)
        if self.selfservice is not None:
            self.selfservice.forget(conv.id)
        if event is not None and conv.agent_id:
            self.fanout.publish(conv.agent_id, event)
        self.routing_actions.closed(conv.id, conv.agent_id, conv.channel, ClosedBy.CUSTOMER)
        self.fanout.to_customer(
            customer_id, cp.Closed(conversation_id=conv.id, closed_by=ClosedBy.CUSTOMER)
        )

    def customer_bot(self, peer: Peer, customer_id: str,
                     frame: cp.BotFeedback | cp.AskPerson) -> None:
        """The bot's Yes/No buttons and "Talk to a person"."""
        conv = self.store.open_conversation_of(customer_id)
        if conv is None:
            peer.send(encode_text(cp.Error(code=ErrorCode.NO_CONVERSATION,
                                           message="no open conversation")))
            return
        if self.selfservice is None:
            return
        with self._unit():
            if isinstance(frame, cp.AskPerson):
                self.selfservice.ask_person(conv.id)
            else:
                self.selfservice.feedback(conv.id, frame)
