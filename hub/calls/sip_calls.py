"""SIP calls the desktops report: the hub never carries them (the PBX does) but
keeps everything else right while they last and after.

``sip_call_started`` resolves the other party's number to a customer (E.164;
an unknown number makes a customer who owns it, as a mail's sender does; an
extension resolves as the external id ``pbx:<number>``, a withheld number to the
one "anonymous" customer), continues or opens
their voice conversation with the agent (the timeline, the inbox, the voice
load that presence and capacity count) and tells the agent's desktops whom the
call is with (``sip_call_linked``, the screen pop). ``sip_call_answered`` marks
the contact answered. ``sip_call_ended`` stores the call record (the line in
the conversation, the reports' calls) and starts after-call work after an
answered call, as a widget call's end does; ``call_did_end`` observers hear of it
(a supervisor's listening leg ends with the call). ``connected_in`` finds the
answered call of a conversation, for a supervisor to listen to.

Each report is one agent command (``HubService.agent_command``): one unit of
work, deduplicated by its op. Agents report their own calls only: the agent is
the connection's, and a call id another agent reported is refused.

Runs on the hub's event loop; nothing awaits.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

import sqlalchemy as sa

from core.protocol import call as cl
from core.protocol import sip_calls as sp
from core.protocol.codec import ErrorCode
from core.protocol.models import Channel, IdentityKind
from hub.calls.records import CallRecords
from hub.profile.identity import IdentityError, normalise_phone
from hub.profile.service import ProfileService
from hub.routing.engine import RoutingEngine
from hub.store import schema as t
from hub.store.store import Store, StoreError, now_ms
from hub.supervision.contacts import ContactOutcome
from hub.transport.fanout import FanOut

log = logging.getLogger(__name__)

# A desktop's clock may run ahead of the hub's by a little; more is a bad report.
MAX_CLOCK_AHEAD_MS = 60_000
VOICE_QUEUE = "voice"
# Numbers that are not phone numbers (extensions) are external ids in this namespace;
# calls from a withheld number all belong to the customer of WITHHELD.
PBX_NAMESPACE = "pbx"
WITHHELD = f"{PBX_NAMESPACE}:withheld"
WITHHELD_NAME = "anonymous"  # SIP's own word for it (RFC 3323); agents may rename it
# A queue's recording policy (the routing file's; none for an unknown queue).
PolicyOf = Callable[[str | None], cl.RecordingPolicy]


@dataclass(frozen=True)
class ConnectedSipCall:
    """An answered SIP call in progress: its id (the desktop's) and its agent."""

    call_id: str
    agent_id: str


class SipCallReports:
    def __init__(self, store: Store, fanout: FanOut, routing: RoutingEngine,
                 profiles: ProfileService, records: CallRecords,
                 policy_of: PolicyOf | None = None) -> None:
        self.store = store
        self.policy_of = policy_of
        self.fanout = fanout
        self.routing = routing
        self.profiles = profiles
        self.records = records
        # Told of each call id whose end was reported, inside its unit of work.
        self.call_did_end: list[Callable[[str], None]] = []

    def connected_in(self, conversation_id: str) -> ConnectedSipCall | None:
        """The answered SIP call in progress in ``conversation_id``, if any (the
        latest answered, should a desktop have reported two)."""
        c = t.sip_calls.c
        with self.store.db.connect() as conn:
            row = conn.execute(sa.select(c.call_id, c.agent_id)
                               .where(c.conversation_id == conversation_id,
                                      c.answered_at.is_not(None))
                               .order_by(c.answered_at.desc()).limit(1)).first()
        return ConnectedSipCall(row.call_id, row.agent_id) if row is not None else None

    def apply(self, agent_id: str, cmd: sp.SipCallReport) -> int | None:
        """Apply one report inside the caller's unit of work; the seq of the last
        event it made for the agent (None when it made none)."""
        if isinstance(cmd, sp.SipCallStarted):
            return self._started(agent_id, cmd)
        if isinstance(cmd, sp.SipCallAnswered):
            return self._answered(agent_id, cmd)
        return self._ended(agent_id, cmd)

    # ---- reports -----------------------------------------------------------------------

    def _started(self, agent_id: str, cmd: sp.SipCallStarted) -> int | None:
        self._check_time(cmd.started_at)
        with self.store.db.connect() as conn:
            live = conn.execute(sa.select(t.sip_calls.c.agent_id)
                                .where(t.sip_calls.c.call_id == cmd.call_id)).scalar()
            done = conn.execute(sa.select(t.calls.c.agent_id)
                                .where(t.calls.c.call_id == cmd.call_id)).scalars().all()
        if (live is not None and live != agent_id) or any(a != agent_id for a in done):
            raise StoreError(ErrorCode.FORBIDDEN, "that call is another agent's")
        if live is not None or done:
            raise StoreError(ErrorCode.CONFLICT, "that call was already reported")
        customer_id, known = self._customer(cmd.number, cmd.name)
        conversation_id = self._conversation(customer_id, agent_id)
        seq = None
        conv = self.store.conversation(conversation_id)
        assert conv is not None
        if conv.agent_id != agent_id:
            event = self.store.assign(conversation_id, agent_id)
            self.fanout.publish(agent_id, event)
            seq = event.seq
            state = self.routing.agent(agent_id)
            state.load[Channel.VOICE] = state.load.get(Channel.VOICE, 0) + 1
            at = now_ms()
            for watcher in self.routing.contact_watchers:
                watcher.contact_queued(conversation_id, VOICE_QUEUE, Channel.VOICE, at)
            self.routing.refresh_busy(state)
            self.routing.stats_changed()
        with self.store.db.begin() as conn:
            conn.execute(t.sip_calls.insert().values(
                call_id=cmd.call_id, agent_id=agent_id, conversation_id=conversation_id,
                direction=cmd.direction.value, number=cmd.number, started_at=cmd.started_at))
        conv = self.store.conversation(conversation_id)
        assert conv is not None
        self.fanout.to_agent(agent_id, sp.SipCallLinked(
            call_id=cmd.call_id, conversation=conv, customer=self.store.customer(customer_id),
            known=known, recording=self._policy(conv.queue)))
        return seq

    def _answered(self, agent_id: str, cmd: sp.SipCallAnswered) -> int | None:
        self._check_time(cmd.answered_at)
        row = self._live(agent_id, cmd.call_id)
        if row.answered_at is not None:
            raise StoreError(ErrorCode.CONFLICT, "that call was already answered")
        if cmd.answered_at < row.started_at:
            raise StoreError(ErrorCode.INVALID, "answered_at is before started_at")
        with self.store.db.begin() as conn:
            conn.execute(t.sip_calls.update().where(t.sip_calls.c.call_id == cmd.call_id)
                         .values(answered_at=cmd.answered_at))
        for watcher in self.routing.contact_watchers:
            watcher.contact_answered(row.conversation_id, agent_id, cmd.answered_at)
        return None

    def _ended(self, agent_id: str, cmd: sp.SipCallEnded) -> int | None:
        self._check_time(cmd.ended_at)
        row = self._live(agent_id, cmd.call_id)
        if cmd.ended_at < (row.answered_at or row.started_at):
            raise StoreError(ErrorCode.INVALID, "ended_at is before the call started or was "
                                                "answered")
        answered = row.answered_at
        record = cl.CallRecord(
            call_id=cmd.call_id, conversation_id=row.conversation_id,
            direction=cl.CallDirection(row.direction), started_at=row.started_at,
            ended_at=cmd.ended_at, end_reason=cmd.reason, agent_id=agent_id,
            answered_at=answered,
            duration_s=(cmd.ended_at - answered) / 1000 if answered is not None else 0.0,
            quality=cmd.quality if answered is not None else None,
        )
        with self.store.db.begin() as conn:
            conn.execute(t.sip_calls.delete().where(t.sip_calls.c.call_id == cmd.call_id))
        events = self.records.save(record)
        self.fanout.publish(agent_id, *events)
        for observer in self.call_did_end:
            observer(cmd.call_id)
        if answered is None and record.direction == cl.CallDirection.INBOUND:
            for watcher in self.routing.contact_watchers:
                watcher.contact_ended(row.conversation_id, ContactOutcome.ABANDONED,
                                      cmd.ended_at)
        if answered is not None:
            self.routing.start_after_call_work(agent_id)
        return events[-1].seq if events else None

    # ---- helpers -----------------------------------------------------------------------

    def _policy(self, queue_id: str | None) -> cl.RecordingPolicy:
        """The call's recording policy: its conversation's queue's (the voice queue's
        for a conversation without one)."""
        if self.policy_of is None:
            return cl.NO_RECORDING
        return self.policy_of(queue_id or VOICE_QUEUE)

    def _check_time(self, at: int) -> None:
        if at > now_ms() + MAX_CLOCK_AHEAD_MS:
            raise StoreError(ErrorCode.INVALID, "the time is in the future: check the clock")

    def _live(self, agent_id: str, call_id: str) -> sa.Row[tuple[object, ...]]:
        with self.store.db.connect() as conn:
            row = conn.execute(sa.select(t.sip_calls)
                               .where(t.sip_calls.c.call_id == call_id)).first()
        if row is None:
            raise StoreError(ErrorCode.NOT_FOUND, "no such call of yours in progress")
        if row.agent_id != agent_id:
            raise StoreError(ErrorCode.FORBIDDEN, "that call is another agent's")
        return row

    def _customer(self, number: str, name: str) -> tuple[str, bool]:
        """(customer id, known before this call).

        A phone number resolves by its E.164 form; any other number the PBX gives
        (an internal extension such as ``2000``, a service code) by the external id
        ``pbx:<digits>``, so each extension is one customer; a withheld number by
        the one ``pbx:withheld`` customer, who collects the calls nobody can be
        found by (never a customer per call)."""
        shown = name.strip() or number
        try:
            e164 = normalise_phone(number, self.profiles.region) if number else None
        except IdentityError as exc:
            log.info("a SIP call's number is not a phone number: %s", exc)
            e164 = None
        if e164 is not None:
            kind, value = IdentityKind.PHONE, e164
        elif number:
            kind, value = IdentityKind.EXTERNAL, f"{PBX_NAMESPACE}:{number}"
        else:
            kind, value, shown = IdentityKind.EXTERNAL, WITHHELD, WITHHELD_NAME
        found = self.profiles.resolve(kind, value)
        if found is not None:
            return found, kind is not IdentityKind.EXTERNAL or value != WITHHELD
        # The PBX's asserted number is proof as a mail's sender is: the owner is
        # found or made (a typed, unverified claim of it is never used to resolve).
        owner = self.store.customer_by_identity(kind, value)
        if owner is not None:
            return owner, value != WITHHELD
        return self.store.owner_or_new_customer(kind, value, shown[:120]), False

    def _conversation(self, customer_id: str, agent_id: str) -> str:
        """The customer's open voice conversation if it is this agent's; else a new
        one (one waiting in a queue or with another agent is left alone)."""
        found = self.records.open_voice_conversation(customer_id)
        if found is not None:
            conv = self.store.conversation(found)
            if conv is not None and conv.agent_id == agent_id:
                return found
        return self.store.create_conversation(customer_id, channel=Channel.VOICE,
                                              queue=VOICE_QUEUE).id
