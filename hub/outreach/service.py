"""Outreach at work in the hub: page reports from the widget, agents' reach-outs.

A ``page`` frame is evaluated against the outreach file (hub.outreach.triggers);
a trigger that fires is recorded (``outreach_log``) and the widget gets
``outreach``, in one unit of work, so a reload or another tab never sees the same
trigger again within its ``every_h`` and nobody gets more than ``per_day``.

``reach_out`` (an agent command, inside HubService's unit of work): the customer
must be visible to the agent; at most one reach-out per customer per
``agent_every_min``. Online in the widget: a chat the agent owns opens with the
text as the agent's message; else an email conversation the agent owns, the text
sent through the email channel's send path.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from contextlib import AbstractContextManager

from core.protocol import customer as cp
from core.protocol import email as ep
from core.protocol.codec import ErrorCode
from core.protocol.models import Channel, IdentityKind
from core.protocol.outreach import (
    Outreach,
    OutreachChannel,
    OutreachSource,
    PageNoted,
    PageVisit,
    ReachOut,
)
from hub.email.hooks import EmailHooks
from hub.followups.availability import is_open, on_duty
from hub.outreach.config import OutreachSettings
from hub.outreach.outreach_store import OutreachEntry, OutreachStore
from hub.outreach.triggers import Conditions, Visit, evaluate
from hub.profile import visibility
from hub.routing.classify import Inbound, NoQueueError, classify
from hub.routing.config import QueueConfig
from hub.routing.engine import RoutingEngine
from hub.store.base import new_id
from hub.store.store import Store, StoreError
from hub.transport.fanout import FanOut
from hub.transport.peers import Peer, PeerRegistry
from hub.transport.ratelimit import PerKeyLimit

log = logging.getLogger(__name__)

Unit = Callable[[], AbstractContextManager[None]]


class OutreachService:
    def __init__(self, settings: OutreachSettings, store: OutreachStore, hub_store: Store,
                 fanout: FanOut, customers: PeerRegistry, routing: RoutingEngine,
                 email: EmailHooks | None, unit: Unit, clock_ms: Callable[[], int]) -> None:
        self.settings = settings
        self.store = store
        self.hub_store = hub_store
        self.fanout = fanout
        self.customers = customers
        self.routing = routing
        self.email = email
        self.unit = unit
        self.clock_ms = clock_ms
        self.reports = PerKeyLimit(settings.page_reports_per_min,
                                   max(3.0, settings.page_reports_per_min / 4))
        self._longest_h = max((t.every_h for t in settings.triggers), default=24.0)

    # ---- the widget's page reports ---------------------------------------------------

    def customer_page(self, peer: Peer, customer_id: str, frame: PageVisit) -> None:
        if not frame.url.startswith(("https://", "http://")):
            self.fanout.to_peer(peer, cp.Error(code=ErrorCode.INVALID, ref="page",
                                               message="the page URL must be http(s)"))
            return
        if not self.reports.take(customer_id):
            self.fanout.to_peer(peer, cp.Error(code=ErrorCode.RATE_LIMITED, ref="page",
                                               message="too many page reports; slow down"))
            return
        if not self.settings.triggers:
            self.fanout.to_peer(peer, PageNoted())
            return
        with self.unit():
            self._evaluate(peer, customer_id, frame)

    def _evaluate(self, peer: Peer, customer_id: str, frame: PageVisit) -> None:
        now = self.clock_ms()
        customer = self.hub_store.customer(customer_id)
        tags = frozenset(customer.tags) | frozenset(a.tag for a in customer.auto_tags)
        visit = Visit(url=frame.url, seconds=frame.seconds, tier=customer.tier, tags=tags,
                      open_conversation=self.hub_store.open_conversation_of(customer_id)
                      is not None)
        record = self.store.automatic_record(customer_id, now, self._longest_h)
        decision = evaluate(self.settings, visit, record, now, self._conditions(now))
        trigger = decision.trigger
        if trigger is None:
            self.fanout.to_peer(peer, PageNoted(recheck_s=decision.recheck_s))
            return
        text = trigger.message(frame.lang)
        outreach_id = self.store.record(OutreachEntry(
            customer_id=customer_id, at=now, source=OutreachSource.TRIGGER,
            channel=OutreachChannel.WIDGET, text=text, trigger_id=trigger.id,
            lang=frame.lang, url=frame.url))
        self.fanout.to_peer(peer, Outreach(id=outreach_id, text=text, offer=trigger.offer))

    def _conditions(self, now: int) -> Conditions:
        if not any(t.business_hours or t.agents_available for t in self.settings.triggers):
            return Conditions()
        settings = self.routing.settings
        queue = self._queue(Channel.CHAT)
        duty = queue is not None and any(
            on_duty(a, queue) for a in self.routing.router.agents.values())
        return Conditions(open_now=is_open(now, settings.hours), agents_on_duty=duty)

    def _queue(self, channel: Channel) -> QueueConfig | None:
        try:
            return classify(self.routing.settings, Inbound(channel))
        except NoQueueError:
            return None

    # ---- an agent reaches out -----------------------------------------------------------

    def reach_out(self, agent_id: str, cmd: ReachOut) -> int | None:
        """Inside the caller's unit of work; returns the seq of the agent's last event."""
        with self.hub_store.db.connect() as conn:
            visibility.visible_customer(conn, agent_id, cmd.customer_id)
        now = self.clock_ms()
        last = self.store.last_by_agents(cmd.customer_id)
        every_ms = int(self.settings.agent_every_min * 60_000)
        if last is not None and now - last < every_ms:
            raise StoreError(ErrorCode.RATE_LIMITED,
                             "someone reached out to this customer a short while ago")
        if self.fanout.customer_online(cmd.customer_id):  # on any hub process
            return self._in_widget(agent_id, cmd, now)
        return self._by_email(agent_id, cmd, now)

    def _owned(self, agent_id: str, customer_id: str, channel: Channel) -> tuple[str, list[int]]:
        """A new conversation of ``channel`` for the customer, assigned to the agent."""
        queue = self._queue(channel)
        conv = self.hub_store.create_conversation(
            customer_id, channel, queue=queue.id if queue else None)
        event = self.hub_store.assign(conv.id, agent_id)
        self.fanout.publish(agent_id, event)
        state = self.routing.agent(agent_id)
        state.load[channel] = state.load.get(channel, 0) + 1
        seqs = [event.seq] + [e.seq for e in self.routing.refresh_busy(state)]
        return conv.id, seqs

    def _in_widget(self, agent_id: str, cmd: ReachOut, now: int) -> int:
        conv = self.hub_store.open_conversation_of(cmd.customer_id)
        seqs: list[int] = []
        if conv is not None and conv.agent_id != agent_id:
            raise StoreError(ErrorCode.CONFLICT, "the customer's chat is with someone else"
                             if conv.agent_id else "the customer's chat waits in a queue")
        name = self.hub_store.agent_info(agent_id).display_name
        if conv is None:
            conversation_id, seqs = self._owned(agent_id, cmd.customer_id, Channel.CHAT)
            self.fanout.to_customer(cmd.customer_id, cp.AgentJoined(
                conversation_id=conversation_id, agent_name=name))
        else:
            conversation_id = conv.id
        message, event = self.hub_store.add_agent_message(
            cmd.op, agent_id, conversation_id, new_id("m"), cmd.text)
        self.fanout.publish(agent_id, event)
        self.fanout.to_customer(cmd.customer_id, cp.NewMessage(message=message))
        outreach_id = self.store.record(OutreachEntry(
            customer_id=cmd.customer_id, at=now, source=OutreachSource.AGENT,
            channel=OutreachChannel.WIDGET, text=cmd.text, agent_id=agent_id,
            conversation_id=conversation_id))
        self.fanout.to_customer(cmd.customer_id, Outreach(
            id=outreach_id, text=cmd.text, source=OutreachSource.AGENT, agent_name=name,
            conversation_id=conversation_id))
        return max([event.seq, *seqs])

    def _by_email(self, agent_id: str, cmd: ReachOut, now: int) -> int | None:
        if self.email is None:
            raise StoreError(ErrorCode.CONFLICT, "the customer is not online in the widget "
                             "and this hub sends no mail")
        customer = self.hub_store.customer(cmd.customer_id)
        address = next((i.value for i in customer.identities
                        if i.kind is IdentityKind.EMAIL and i.verified), None)
        if address is None:
            raise StoreError(ErrorCode.CONFLICT, "the customer is not online in the widget "
                             "and has no email address")
        conversation_id, seqs = self._owned(agent_id, cmd.customer_id, Channel.EMAIL)
        subject = cmd.subject.strip() or cmd.text.splitlines()[0][:80]
        seq = self.email.send(agent_id, ep.SendEmail(
            op=cmd.op, conversation_id=conversation_id, message_id=new_id("m"),
            kind=ep.EmailKind.NEW, to=[address], subject=subject, text=cmd.text))
        self.store.record(OutreachEntry(
            customer_id=cmd.customer_id, at=now, source=OutreachSource.AGENT,
            channel=OutreachChannel.EMAIL, text=cmd.text, agent_id=agent_id,
            conversation_id=conversation_id))
        return max([s for s in [seq, *seqs] if s is not None], default=None)
