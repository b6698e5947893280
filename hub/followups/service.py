"""Follow-up commands, the owner's list, and what a solved follow-up tells the customer.

``apply`` runs inside the agent command's unit of work (hub.service): the change,
the ``followup_changed`` events and the op id commit together, and the frames go
out after the commit. Who may: a follow-up is made from a conversation by the
agent who holds (or held) it, or by a supervisor; it is changed by its owner or
a supervisor; an agent of its queue may take an unowned one (a message left when
nobody was available) by naming themselves its owner.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable

from core.protocol import followups as fp
from core.protocol.codec import encode_text
from core.protocol.models import Channel, Presence
from hub.followups.config import FollowUpSettings
from hub.followups.followup_store import FollowUpStore, MailKind
from hub.followups.reminders import Reminders
from hub.store.store import Store, StoreError
from hub.supervision.contacts import ContactOutcome
from hub.transport.fanout import FanOut
from hub.transport.peers import Peer, PeerRegistry

# A due time this far in the past is a mistake, not a clock skew.
PAST_SLACK_MS = 60_000


class FollowUpService:
    def __init__(self, store: FollowUpStore, hub_store: Store, fanout: FanOut,
                 customers: PeerRegistry, settings: FollowUpSettings,
                 reminders: Reminders, clock_ms: Callable[[], int],
                 mail_woken: Callable[[], None] | None = None) -> None:
        self.store = store
        self.hub_store = hub_store
        self.fanout = fanout
        self.customers = customers
        self.settings = settings
        self.reminders = reminders
        self.clock_ms = clock_ms
        # Wakes the mail sender after a commit; None: this hub sends no mail.
        self.mail_woken = mail_woken

    @property
    def mails(self) -> bool:
        return self.mail_woken is not None

    def remind_at(self, due_at: int) -> int:
        return due_at - int(self.settings.remind_before_s * 1000)

    # ---- the owner's list ------------------------------------------------------------

    def agent_welcomed(self, agent_id: str, peer: Peer) -> None:
        peer.send(encode_text(fp.FollowUps(followups=self.store.of_owner(
            agent_id, self.clock_ms()))))

    # ---- commands --------------------------------------------------------------------

    def apply(self, agent_id: str, cmd: fp.CreateFollowUp | fp.UpdateFollowUp) -> int | None:
        if isinstance(cmd, fp.CreateFollowUp):
            return self._create(agent_id, cmd)
        return self._update(agent_id, cmd)

    def _create(self, agent_id: str, cmd: fp.CreateFollowUp) -> int:
        conv = self.hub_store.conversation(cmd.conversation_id)
        if conv is None:
            raise StoreError("not_found", "no such conversation")
        if conv.agent_id != agent_id and not self.store.is_supervisor(agent_id):
            raise StoreError("forbidden", "only the conversation's agent or a supervisor "
                                          "may make a follow-up of it")
        if self.store.followup(cmd.followup_id) is not None:
            raise StoreError("conflict", "a follow-up with this id exists")
        now = self.clock_ms()
        if cmd.due_at < now - PAST_SLACK_MS:
            raise StoreError("invalid", "the due time is in the past")
        followup = self.store.insert({
            "id": cmd.followup_id, "conversation_id": conv.id,
            "customer_id": conv.customer_id, "owner_id": agent_id, "queue_id": conv.queue,
            "kind": cmd.kind.value, "status": fp.FollowUpStatus.OPEN.value,
            "source": fp.FollowUpSource.CHAT.value, "note": cmd.note,
            "contact_email": self.store.customer_email(conv.customer_id),
            "locale": self.store.customer_language(conv.customer_id),
            "due_at": cmd.due_at, "remind_at": self.remind_at(cmd.due_at),
            "created_by": agent_id, "created_at": now, "updated_at": now,
        })
        self.reminders.arm(followup.id, followup.remind_at)
        event = self.store.publish_to(agent_id, fp.FollowUpChanged(followup=followup))
        self.fanout.publish(agent_id, event)
        return event.seq

    def _update(self, agent_id: str, cmd: fp.UpdateFollowUp) -> int | None:
        before = self.store.followup(cmd.followup_id)
        if before is None:
            raise StoreError("not_found", "no such follow-up")
        self._check_may(agent_id, before, cmd)
        now = self.clock_ms()
        values: dict[str, object] = {"updated_at": now}
        if cmd.owner_id is not None and cmd.owner_id != before.owner_id:
            if self.store.role_of(cmd.owner_id) is None:
                raise StoreError("not_found", "no such agent")
            values["owner_id"] = cmd.owner_id
        if cmd.note is not None:
            values["note"] = cmd.note
        if cmd.due_at is not None and cmd.due_at != before.due_at:
            if cmd.due_at < now - PAST_SLACK_MS:
                raise StoreError("invalid", "the due time is in the past")
            values.update(due_at=cmd.due_at, remind_at=self.remind_at(cmd.due_at),
                          reminded_at=None)
        solved_now = False
        if cmd.status is not None and cmd.status != before.status:
            values["status"] = cmd.status.value
            if cmd.status == fp.FollowUpStatus.SOLVED:
                values["solved_at"] = now
                solved_now = True
            else:
                values["solved_at"] = None
                if before.status == fp.FollowUpStatus.SOLVED:
                    values["reminded_at"] = None  # reopened: remind again
        after = self.store.update(before.id, values)
        if after.status != fp.FollowUpStatus.SOLVED and after.reminded_at is None:
            self.reminders.arm(after.id, after.remind_at)
        else:
            self.reminders.disarm(after.id)
        if solved_now:
            self._tell_customer(after)
        seq: int | None = None
        for target in dict.fromkeys((agent_id, after.owner_id, before.owner_id)):
            if target is None:
                continue
            event = self.store.publish_to(target, fp.FollowUpChanged(followup=after))
            self.fanout.publish(target, event)
            if target == agent_id:
                seq = event.seq
        return seq

    def _check_may(self, agent_id: str, followup: fp.FollowUp, cmd: fp.UpdateFollowUp) -> None:
        if followup.owner_id == agent_id or self.store.is_supervisor(agent_id):
            return
        taking = (followup.owner_id is None and cmd.owner_id == agent_id
                  and self.store.serves_queue(agent_id, followup.queue_id))
        if not taking:
            raise StoreError("forbidden", "only the follow-up's owner or a supervisor may "
                                          "change it")

    # ---- the customer ------------------------------------------------------------------

    def _tell_customer(self, followup: fp.FollowUp) -> None:
        """The widget when the customer is online, else a mail when an address is known."""
        if self.fanout.customer_online(followup.customer_id):  # on any hub process
            self.fanout.to_customer(followup.customer_id, fp.FollowUpSolved(
                followup_id=followup.id, conversation_id=followup.conversation_id,
                note=followup.note))
            return
        address = followup.contact_email or self.store.customer_email(followup.customer_id)
        if address and self.mails:
            self.store.queue_mail(followup.id, MailKind.SOLVED, address,
                                  self.store.locale_of(followup.id), self.clock_ms())
            self.after_commit_mail()

    def after_commit_mail(self) -> None:
        """The mail row commits with the unit, which never awaits: the sender is
        woken on the loop's next turn, after the commit (a rolled-back unit left no
        row, and the sender finds nothing)."""
        if self.mail_woken is None:
            return
        # Driven without a loop (tests): the caller sends.
        with contextlib.suppress(RuntimeError):
            asyncio.get_running_loop().call_soon(self.mail_woken)

    # ---- a conversation with an unowned follow-up was answered (routing) ----------------

    def contact_answered(self, conversation_id: str, agent_id: str, at: int) -> None:
        """Inside the accept's unit: the agent who takes a left message owns it."""
        for followup_id in self.store.unowned_of_conversation(conversation_id):
            after = self.store.update(followup_id, {"owner_id": agent_id, "updated_at": at})
            self.reminders.arm(after.id, after.remind_at)
            self.fanout.publish(agent_id, self.store.publish_to(
                agent_id, fp.FollowUpChanged(followup=after)))

    def contact_queued(self, conversation_id: str, queue_id: str, channel: Channel,
                       at: int) -> None:
        pass

    def contact_moved(self, conversation_id: str, queue_id: str) -> None:
        pass

    def contact_replied(self, conversation_id: str, at: int) -> None:
        pass

    def contact_abandoned(self, conversation_id: str, at: int) -> None:
        pass

    def contact_ended(self, conversation_id: str, outcome: ContactOutcome, at: int) -> None:
        pass

    def presence_changed(self, agent_id: str, presence: Presence, at: int) -> None:
        pass
