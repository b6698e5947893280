"""A message left in the widget when nobody is available (see hub.followups.availability).

The frame is checked (size caps by the protocol; an email address's syntax, a
phone number's shape, at least one of them, a callback time ahead and not too
far; a per-customer budget on top of the connection's frame rate). It becomes a
customer message in the customer's open conversation (or a new one), queued
and routed like any chat, so the first agent of the queue who logs in is offered
it; and a follow-up (``source`` = ``message``) carrying the callback request,
owned by whoever takes the conversation. The widget gets ``message_left``; a
given email address gets a confirmation mail after the commit.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from core.protocol import customer as cp
from core.protocol import followups as fp
from core.protocol.codec import ErrorCode
from core.protocol.models import Channel
from hub.followups.availability import unavailable
from hub.followups.followup_store import FollowUpStore, MailKind
from hub.followups.service import FollowUpService
from hub.routing.actions import RoutingActions
from hub.routing.classify import Inbound, NoQueueError, classify
from hub.routing.engine import RoutingEngine
from hub.store.base import new_id
from hub.store.store import Store
from hub.transport.fanout import FanOut
from hub.transport.peers import Peer
from hub.transport.ratelimit import PerKeyLimit

# Deliberately plain: one @, a dot in the domain, no spaces or angle brackets.
_EMAIL = re.compile(r"^[^@\s<>()\[\],;:\"]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}[A-Za-z0-9])?"
                    r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}[A-Za-z0-9])?)+$")
_PHONE = re.compile(r"^\+?[0-9][0-9 ()-]{4,28}[0-9]$")
PAST_SLACK_MS = 5 * 60_000


class LeaveRefusedError(ValueError):
    def __init__(self, code: str, field: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.field = field


def check(frame: fp.LeaveMessage, now: int, within_days: int
          ) -> tuple[str, str | None, str | None, int | None]:
    """(text, email, phone, callback_at) cleaned, or ``LeaveRefusedError`` naming the field."""
    text = frame.text.strip()
    if not text:
        raise LeaveRefusedError(ErrorCode.INVALID, "text", "the message is empty")
    email = (frame.email or "").strip() or None
    phone = (frame.phone or "").strip() or None
    if email is None and phone is None:
        raise LeaveRefusedError(ErrorCode.INVALID, "contact",
                           "an email address or a phone number is needed")
    if email is not None and not _EMAIL.match(email):
        raise LeaveRefusedError(ErrorCode.INVALID, "email", "the email address is not valid")
    if phone is not None and not _PHONE.match(phone):
        raise LeaveRefusedError(ErrorCode.INVALID, "phone", "the phone number is not valid")
    callback = frame.callback_at
    if callback is not None:
        if callback < now - PAST_SLACK_MS:
            raise LeaveRefusedError(ErrorCode.INVALID, "callback_at",
                                    "the callback time has passed")
        if callback > now + within_days * 86_400_000:
            raise LeaveRefusedError(ErrorCode.INVALID, "callback_at",
                               f"the callback time is more than {within_days} days ahead")
    return text, email, phone, callback


class LeftMessages:
    def __init__(self, store: FollowUpStore, hub_store: Store, fanout: FanOut,
                 routing: RoutingEngine, routing_actions: RoutingActions,
                 followups: FollowUpService, clock_ms: Callable[[], int]) -> None:
        self.store = store
        self.hub_store = hub_store
        self.fanout = fanout
        self.routing = routing
        self.routing_actions = routing_actions
        self.followups = followups
        self.clock_ms = clock_ms
        s = followups.settings
        self.budget = PerKeyLimit(s.messages_per_hour / 60.0, s.messages_burst)

    # ---- is anyone there ------------------------------------------------------------

    def queue_for(self, topic: str | None) -> str | None:
        try:
            return classify(self.routing.settings,
                            Inbound(Channel.CHAT, widget_choice=topic)).id
        except NoQueueError:
            return None

    def unavailable(self, topic: str | None) -> fp.Unavailable | None:
        settings = self.routing.settings
        queue = settings.queue(self.queue_for(topic) or "")
        hours = settings.hours if self.followups.settings.use_business_hours else None
        return unavailable(self.clock_ms(), hours, queue, self.routing.router.agents.values())

    # ---- leaving one -----------------------------------------------------------------

    def leave(self, peer: Peer, customer_id: str, frame: fp.LeaveMessage,
              topic: str | None) -> None:
        """Inside the caller's unit of work (hub.service)."""
        done = self.store.by_left_key(customer_id, frame.id)
        if done is not None:  # a retry: answer as the first time
            self.fanout.to_peer(peer, fp.MessageLeft(
                id=frame.id, conversation_id=done.conversation_id, followup_id=done.id,
                email=bool(self.store.mails_of(done.id))))
            return
        now = self.clock_ms()
        try:
            text, email, phone, callback = check(
                frame, now, self.followups.settings.callback_within_days)
        except LeaveRefusedError as exc:
            self.fanout.to_peer(peer, cp.Error(code=exc.code, message=str(exc),
                                               ref=f"leave_message:{exc.field}"))
            return
        if not self.budget.take(customer_id):
            self.fanout.to_peer(peer, cp.Error(
                code=ErrorCode.RATE_LIMITED, ref="leave_message:rate",
                message="too many messages left; try again later"))
            return
        conv = self.hub_store.open_conversation_of(customer_id)
        created = conv is None
        if conv is None:
            conv, _ = self.routing_actions.reopen_or_create(customer_id)
        name = self.hub_store.customer_name(customer_id)
        msg, event = self.hub_store.add_customer_message(conv.id, customer_id, frame.id, text,
                                                         name)
        if event is not None and conv.agent_id:
            self.fanout.publish(conv.agent_id, event)
        self.fanout.to_customer(customer_id, cp.NewMessage(message=msg))
        if created or not conv.agent_id:
            self.routing.route(conv.id, Inbound(Channel.CHAT, text, widget_choice=topic))
        conv = self.hub_store.conversation(conv.id) or conv
        due = callback if callback is not None else now + int(
            self.followups.settings.message_due_s * 1000)
        followup = self.store.insert({
            "id": new_id("fu"), "conversation_id": conv.id, "customer_id": customer_id,
            "owner_id": conv.agent_id, "queue_id": conv.queue or self.queue_for(topic),
            "kind": fp.FollowUpKind.CALLBACK.value, "status": fp.FollowUpStatus.OPEN.value,
            "source": fp.FollowUpSource.MESSAGE.value, "note": "",
            "contact_email": email, "contact_phone": phone, "callback_at": callback,
            "locale": frame.locale, "due_at": due,
            "remind_at": self.followups.remind_at(due), "created_at": now,
            "updated_at": now, "left_key": frame.id,
        })
        if followup.owner_id is not None:
            self.fanout.publish(followup.owner_id, self.store.publish_to(
                followup.owner_id, fp.FollowUpChanged(followup=followup)))
            self.followups.reminders.arm(followup.id, followup.remind_at)
        mailed = email is not None and self.followups.mails
        if mailed:
            assert email is not None
            self.store.queue_mail(followup.id, MailKind.CONFIRM, email, frame.locale, now)
            self.followups.after_commit_mail()
        self.fanout.to_peer(peer, fp.MessageLeft(
            id=frame.id, conversation_id=conv.id, followup_id=followup.id, email=mailed))
