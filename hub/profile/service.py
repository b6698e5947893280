"""What the hub does with profile commands and reads, and with contact points that
arrive on inbound channels (identity resolution).

Commands come here from ``HubService.agent_command`` (which handles the ops table
and the ack); reads are answered directly with a frame carrying their ``op``.
"""

from __future__ import annotations

import logging

from core.protocol import agent as ap
from core.protocol import profile as pp
from core.protocol.codec import encode_text
from core.protocol.models import IdentityKind
from hub.access.field_access import FieldView
from hub.profile.identity import IdentityError, normalise
from hub.profile.profile_store import Events
from hub.store.store import Store, StoreError
from hub.transport.fanout import FanOut

log = logging.getLogger(__name__)

class ProfileService:
    def __init__(self, store: Store, fanout: FanOut) -> None:
        self.store = store
        self.fanout = fanout

    @property
    def region(self) -> str:
        return self.store.settings.default_region

    def config_frame(self, view: FieldView | None = None) -> str:
        """The attribute definitions, and what ``view``'s role reads (None: all)."""
        settings = self.store.settings
        return encode_text(pp.ProfileConfig(
            attributes=list(settings.attributes),
            default_region=settings.default_region,
            consent_keys=list(settings.consent_keys),
            contact_readable=view is None or view.contact,
            may_reveal=view is not None and view.may_reveal,
        ))

    def publish(self, fanout: Events) -> None:
        by_agent: dict[str, list[ap.Event]] = {}
        for agent_id, event in fanout:
            by_agent.setdefault(agent_id, []).append(event)
        for agent_id, events in by_agent.items():
            self.fanout.publish(agent_id, *events)

    # ---- commands --------------------------------------------------------------------

    def apply(self, agent_id: str, cmd: pp.ProfileCommand) -> int | None:
        """Apply one profile command (the op is recorded with it); returns the seq."""
        store = self.store
        if isinstance(cmd, pp.UpdateCustomer):
            seq, out = store.update_customer(agent_id, cmd)
        elif isinstance(cmd, pp.AddNote):
            seq, out = store.add_note(agent_id, cmd)
        elif isinstance(cmd, pp.EditNote):
            seq, out = store.edit_note(agent_id, cmd)
        elif isinstance(cmd, pp.AddIdentity):
            seq, out = store.add_identity(agent_id, cmd)
        elif isinstance(cmd, pp.RemoveIdentity):
            seq, out = store.remove_identity(agent_id, cmd)
        elif isinstance(cmd, pp.MergeCustomers):
            _, seq, out = store.merge_customers(agent_id, cmd.target_id, cmd.source_id, cmd.op)
        else:
            seq, out = store.unmerge_customers(agent_id, cmd.op, cmd.merge_id)
        self.publish(out)
        return seq

    # ---- reads -----------------------------------------------------------------------

    def read(self, agent_id: str, frame: pp.ProfileRead) -> str:
        try:
            return encode_text(self._read(agent_id, frame))
        except StoreError as exc:
            return encode_text(ap.Error(code=exc.code, message=exc.message, op=frame.op))

    def _read(self, agent_id: str, frame: pp.ProfileRead) -> pp.ProfileServerFrame:
        store = self.store
        if isinstance(frame, pp.FetchCustomer):
            return pp.CustomerFrame(op=frame.op,
                                    customer=store.fetch_customer(agent_id, frame.customer_id))
        if isinstance(frame, pp.FetchTimeline):
            if frame.before_id is not None and frame.before_at is None:
                raise StoreError("invalid", "before_id needs before_at")
            return store.timeline(agent_id, frame)
        if isinstance(frame, pp.RevealField):
            return pp.FieldRevealed(
                op=frame.op, customer_id=frame.customer_id, key=frame.key,
                value=store.reveal_attribute(agent_id, frame.customer_id, frame.key))
        if isinstance(frame, pp.FetchTranscript):
            conversation, messages, calls = store.transcript(agent_id, frame.conversation_id)
            return pp.Transcript(op=frame.op, conversation=conversation, messages=messages,
                                 calls=calls)
        return pp.CustomerResults(
            op=frame.op, customers=store.search_customers(agent_id, frame.query, frame.limit))

    # ---- inbound contact points --------------------------------------------------------

    def resolve(self, kind: IdentityKind, raw: str) -> str | None:
        """The customer an inbound contact point (any spelling) belongs to, if any."""
        return self.store.resolve_identity(kind, raw)

    def link_contacts(self, customer_id: str, contacts: list[tuple[IdentityKind, str]]) -> str:
        """Contact points a visitor typed into the widget.

        Typing an address proves nothing, so it never makes the visitor someone
        else: a contact point nobody holds is added to the visitor as a claim
        (shown to agents as unverified, never used to resolve contacts, never in the
        way of whoever later proves it by writing from it); one that another customer
        holds leaves a note for the agent, who merges after checking who they talk to.
        The note names neither that customer nor their id: every agent who sees the
        visitor reads it, and not all of them may see the other customer (those who
        may find them by searching for the contact point).
        Returns the visitor's customer id (unchanged)."""
        for kind, raw in contacts:
            try:
                value = normalise(kind, raw, self.region)
            except IdentityError as exc:
                log.info("ignoring a visitor's %s: %s", kind.value, exc)
                continue
            owner = self.store.resolve_identity(kind, value)
            if owner == customer_id:
                continue
            if owner is None:
                self.publish(self.store.add_claim(customer_id, kind, value))
            else:
                self.publish(self.store.add_system_note(
                    customer_id,
                    f"The visitor gave the {kind.value} {value}, which belongs to another "
                    f"existing customer. Check who you are talking to before merging them: "
                    f"searching for this {kind.value} finds that customer if you may see them.",
                ))
        return customer_id

    def customer_changed(self, customer_id: str) -> None:
        self.publish(self.store.customer_changed(customer_id))
