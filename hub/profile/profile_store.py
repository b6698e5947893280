"""The store's profile side: profile edits, notes, identities (who may see a customer:
hub.profile.visibility).

Each command is one transaction that checks permission, changes the data,
re-evaluates the automatic tags, appends ``customer_updated`` to every agent who
has the customer open (and to the acting agent) and records the op, so a retry is
answered from the ops table and nothing is applied twice.
"""

from __future__ import annotations

import contextlib
import json
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from core.protocol import agent as ap
from core.protocol import profile as pp
from core.protocol.models import AttributeValue, ConversationStatus, Customer, IdentityKind
from core.protocol.profile import FieldClass
from hub.access import audit_log
from hub.access.audit_log import AuditAction
from hub.profile import visibility
from hub.profile.config import AttributeValueError
from hub.profile.customer_records import load_customer, load_customers, refresh_auto_tags
from hub.profile.identity import IdentityError, TextError, clean_text, normalise
from hub.store import schema as t
from hub.store.base import StoreBase, StoreError, new_id, now_ms

# Events to deliver, each to its agent.
Events = list[tuple[str, ap.Event]]


class ProfileStore(StoreBase):
    # ---- permissions (the rule itself: hub.profile.visibility) --------------------------------

    def may_see(self, agent_id: str, customer_id: str) -> bool:
        with self.db.connect() as conn:
            return visibility.may_see(conn, agent_id, customer_id)

    def set_agent_queues(self, agent_id: str, queue_ids: list[str]) -> None:
        with self.db.begin() as conn:
            conn.execute(t.agent_queues.delete().where(t.agent_queues.c.agent_id == agent_id))
            if queue_ids:
                conn.execute(t.agent_queues.insert(),
                             [{"agent_id": agent_id, "queue_id": q} for q in queue_ids])

    # ---- fan-out -------------------------------------------------------------------

    @staticmethod
    def _watchers(conn: Connection, customer_ids: list[str]) -> list[str]:
        """Agents with an open conversation of one of the customers assigned."""
        v = t.conversations.c
        return sorted(
            conn.execute(
                sa.select(v.agent_id)
                .where(v.customer_id.in_(customer_ids),
                       v.status == ConversationStatus.OPEN.value, v.agent_id.is_not(None))
                .distinct()
            ).scalars()
        )

    def _fan_out(self, conn: Connection, actor: str | None, customer_ids: list[str],
                 body: ap.EventBody) -> tuple[int | None, Events]:
        """Append ``body`` for the actor and every watcher; returns the actor's seq."""
        agents = self._watchers(conn, customer_ids)
        if actor is not None and actor not in agents:
            agents.append(actor)
        out = [(agent_id, self.append_event(conn, agent_id, body)) for agent_id in agents]
        seq = next((e.seq for a, e in out if a == actor), None)
        return seq, out

    def _updated(self, conn: Connection, actor: str | None, op: str | None,
                 customer_id: str) -> tuple[int | None, Events]:
        refresh_auto_tags(conn, customer_id, self.settings)
        body = pp.CustomerUpdated(customer=load_customer(conn, customer_id))
        seq, out = self._fan_out(conn, actor, [customer_id], body)
        if actor is not None and op is not None:
            self._record_op(conn, actor, op, seq)
        return seq, out

    def customer_changed(self, customer_id: str) -> Events:
        """Re-evaluate automatic tags after new activity; tell watchers if they changed."""
        with self.db.begin() as conn:
            if not refresh_auto_tags(conn, customer_id, self.settings):
                return []
            if not self._watchers(conn, [customer_id]):
                return []  # nobody to tell: skip loading the whole record
            body = pp.CustomerUpdated(customer=load_customer(conn, customer_id))
            return self._fan_out(conn, None, [customer_id], body)[1]

    # ---- reads ---------------------------------------------------------------------

    def fetch_customer(self, agent_id: str, customer_id: str) -> Customer:
        with self.db.connect() as conn:
            visibility.visible_customer(conn, agent_id, customer_id)
            return load_customer(conn, customer_id)

    def reveal_attribute(self, agent_id: str, customer_id: str,
                         key: str) -> AttributeValue | None:
        """A sensitive attribute's value (the frames carry it masked); the view is a row
        of the audit log in the same transaction: no row, no value."""
        definition = self.settings.definition(key)
        if definition is None or definition.field_class != FieldClass.SENSITIVE:
            raise StoreError("invalid", f"{key!r} is not a sensitive attribute")
        with self.db.begin() as conn:
            visibility.visible_customer(conn, agent_id, customer_id)
            value = load_customer(conn, customer_id).attributes.get(key)
            audit_log.append(conn, f"agent:{agent_id}", AuditAction.FIELD_REVEALED,
                             customer_id=customer_id, target=key,
                             detail={"key": key, "empty": value is None})
        return value

    def resolve_identity(self, kind: IdentityKind, raw: str) -> str | None:
        """The customer an inbound contact point belongs to: an exact match on a
        verified identity after normalisation, or None (also for invalid values)."""
        try:
            value = normalise(kind, raw, self.settings.default_region)
        except IdentityError:
            return None
        with self.db.connect() as conn:
            found = conn.execute(
                sa.select(t.identities.c.customer_id).where(
                    t.identities.c.kind == kind.value,
                    t.identities.c.value == value,
                    t.identities.c.verified == sa.true(),
                )
            ).scalar()
        return str(found) if found is not None else None

    # ---- profile edits ---------------------------------------------------------------

    def update_customer(self, agent_id: str, cmd: pp.UpdateCustomer) -> tuple[int | None, Events]:
        with self.db.begin() as conn:
            row = visibility.visible_customer(conn, agent_id, cmd.customer_id)
            values: dict[str, Any] = {}
            try:
                if cmd.name is not None:
                    values["name"] = clean_text(cmd.name, "name", multiline=False)
                if cmd.tags is not None:
                    tags = [clean_text(tag, "tag", multiline=False) for tag in cmd.tags]
            except TextError as exc:
                raise StoreError("invalid", str(exc)) from None
            if cmd.language is not None:
                values["language"] = cmd.language.strip() or None
            if cmd.preferred_channel is not None:
                values["preferred_channel"] = cmd.preferred_channel.value
            if cmd.tier is not None:
                values["tier"] = cmd.tier.value
            if cmd.attributes is not None:
                values["attributes"] = json.dumps(
                    self._merged_attributes(row.attributes, cmd.attributes), ensure_ascii=False
                )
            if cmd.consent is not None:
                consent = json.loads(row.consent) if row.consent else {}
                try:
                    for key, flag in cmd.consent.items():
                        self.settings.check_consent(key)
                        consent[key] = flag
                except AttributeValueError as exc:
                    raise StoreError("invalid", str(exc)) from None
                values["consent"] = json.dumps(consent)
            if values:
                conn.execute(
                    t.customers.update().where(t.customers.c.id == cmd.customer_id).values(values)
                )
            if cmd.tags is not None:
                conn.execute(
                    t.customer_tags.delete().where(t.customer_tags.c.customer_id == row.id)
                )
                unique = list(dict.fromkeys(tags))
                if unique:
                    conn.execute(t.customer_tags.insert(),
                                 [{"customer_id": row.id, "tag": tag} for tag in unique])
            return self._updated(conn, agent_id, cmd.op, cmd.customer_id)

    def _merged_attributes(self, stored: str | None, changes: dict[str, Any]) -> dict[str, Any]:
        current: dict[str, Any] = json.loads(stored) if stored else {}
        try:
            for key, value in changes.items():
                if value is None:
                    current.pop(key, None)
                else:
                    current[key] = self.settings.check_attribute(key, value)
        except AttributeValueError as exc:
            raise StoreError("invalid", str(exc)) from None
        return current

    # ---- notes -----------------------------------------------------------------------

    def add_note(self, agent_id: str, cmd: pp.AddNote) -> tuple[int | None, Events]:
        with self.db.begin() as conn:
            visibility.visible_customer(conn, agent_id, cmd.customer_id)
            text = self._note_text(cmd.text)
            if conn.execute(sa.select(t.notes.c.id).where(t.notes.c.id == cmd.note_id)).first():
                raise StoreError("conflict", "a note with this id exists")
            conn.execute(t.notes.insert().values(
                id=cmd.note_id, customer_id=cmd.customer_id, author_id=agent_id, text=text,
                created_at=now_ms(),
            ))
            return self._updated(conn, agent_id, cmd.op, cmd.customer_id)

    def edit_note(self, agent_id: str, cmd: pp.EditNote) -> tuple[int | None, Events]:
        with self.db.begin() as conn:
            note = conn.execute(sa.select(t.notes).where(t.notes.c.id == cmd.note_id)).first()
            if note is None:
                raise StoreError("not_found", "no such note")
            visibility.visible_customer(conn, agent_id, note.customer_id)
            if note.author_id != agent_id and not visibility.is_supervisor(conn, agent_id):
                raise StoreError("forbidden", "only the note's author or a supervisor edits it")
            conn.execute(t.notes.update().where(t.notes.c.id == cmd.note_id).values(
                text=self._note_text(cmd.text), updated_at=now_ms()))
            return self._updated(conn, agent_id, cmd.op, note.customer_id)

    @staticmethod
    def _note_text(text: str) -> str:
        try:
            return clean_text(text, "note", multiline=True)
        except TextError as exc:
            raise StoreError("invalid", str(exc)) from None

    # ---- identities ---------------------------------------------------------------------

    def add_identity(self, agent_id: str, cmd: pp.AddIdentity) -> tuple[int | None, Events]:
        """A valid value becomes the customer's own (the agent checked who they talk
        to); a value kept although it did not validate is only a claim."""
        if cmd.kind == IdentityKind.VISITOR:
            raise StoreError("invalid_identity", "visitor ids are issued by the hub")
        verified = True
        try:
            value = normalise(cmd.kind, cmd.value, self.settings.default_region)
        except IdentityError as exc:
            if not cmd.keep_unverified:
                raise StoreError("invalid_identity", str(exc)) from None
            try:
                value = clean_text(cmd.value, "value", multiline=False)
            except TextError as text_exc:
                raise StoreError("invalid_identity", str(text_exc)) from None
            verified = False
        with self.db.begin() as conn:
            visibility.visible_customer(conn, agent_id, cmd.customer_id)
            if verified:
                holder = self._owner(conn, cmd.kind, value)
                if holder is not None and holder != cmd.customer_id:
                    who = f" ({holder})" if visibility.may_see(conn, agent_id, holder) else ""
                    raise StoreError("identity_taken",
                                     f"{value} belongs to another customer{who}")
                if holder is None:
                    conn.execute(t.identities.insert().values(
                        kind=cmd.kind.value, value=value, customer_id=cmd.customer_id))
                # Confirmed: the customer's own claim of it is no longer needed.
                conn.execute(t.identity_claims.delete().where(
                    t.identity_claims.c.customer_id == cmd.customer_id,
                    t.identity_claims.c.kind == cmd.kind.value,
                    t.identity_claims.c.value == value))
            else:
                self._claim(conn, cmd.customer_id, cmd.kind, value)
            return self._updated(conn, agent_id, cmd.op, cmd.customer_id)

    def remove_identity(self, agent_id: str, cmd: pp.RemoveIdentity) -> tuple[int | None, Events]:
        if cmd.kind == IdentityKind.VISITOR:
            raise StoreError("invalid_identity", "visitor ids cannot be removed by agents")
        candidates = [cmd.value.strip()]
        with contextlib.suppress(IdentityError):
            candidates.insert(0, normalise(cmd.kind, cmd.value, self.settings.default_region))
        with self.db.begin() as conn:
            visibility.visible_customer(conn, agent_id, cmd.customer_id)
            removed = 0
            for table in (t.identities, t.identity_claims):
                removed += conn.execute(table.delete().where(
                    table.c.customer_id == cmd.customer_id,
                    table.c.kind == cmd.kind.value,
                    table.c.value.in_(candidates),
                )).rowcount
            if not removed:
                raise StoreError("not_found", "the customer has no such identity")
            return self._updated(conn, agent_id, cmd.op, cmd.customer_id)

    @staticmethod
    def _owner(conn: Connection, kind: IdentityKind, value: str) -> str | None:
        found = conn.execute(sa.select(t.identities.c.customer_id).where(
            t.identities.c.kind == kind.value, t.identities.c.value == value)).scalar()
        return str(found) if found is not None else None

    @staticmethod
    def _has_claim(conn: Connection, customer_id: str, kind: IdentityKind, value: str) -> bool:
        c = t.identity_claims.c
        return conn.execute(sa.select(c.customer_id).where(
            c.customer_id == customer_id, c.kind == kind.value, c.value == value)
        ).first() is not None

    def _claim(self, conn: Connection, customer_id: str, kind: IdentityKind, value: str) -> bool:
        """Record the customer's claim of a contact point; False if they had it."""
        if self._has_claim(conn, customer_id, kind, value):
            return False
        conn.execute(t.identity_claims.insert().values(
            customer_id=customer_id, kind=kind.value, value=value, created_at=now_ms()))
        return True

    def visible_customers(self, agent_id: str, customer_ids: list[str]) -> dict[str, Customer]:
        with self.db.connect() as conn:
            if not visibility.is_supervisor(conn, agent_id):
                customer_ids = [c for c in customer_ids if visibility.may_see(conn, agent_id, c)]
            return load_customers(conn, customer_ids)

    def add_claim(self, customer_id: str, kind: IdentityKind, value: str) -> Events:
        """A contact point someone typed for the customer: shown to agents, unverified;
        it never resolves a contact and never blocks the value's owner."""
        try:
            with self.db.savepoint(), self.db.begin() as conn:
                if not self._claim(conn, customer_id, kind, value):
                    return []
                return self._updated(conn, None, None, customer_id)[1]
        except sa.exc.IntegrityError:
            # Only the same claim, recorded by another hub process just now, is fine.
            with self.db.connect() as conn:
                if not self._has_claim(conn, customer_id, kind, value):
                    raise
            return []

    def add_system_note(self, customer_id: str, text: str) -> Events:
        """A note written by the hub itself (no author), for the agents to act on."""
        with self.db.begin() as conn:
            conn.execute(t.notes.insert().values(
                id=new_id("n"), customer_id=customer_id, author_id=None,
                text=self._note_text(text), created_at=now_ms(),
            ))
            return self._updated(conn, None, None, customer_id)[1]
