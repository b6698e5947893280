"""What follow-ups store: the follow-ups, their reminders and the mails they cause.

Every write joins the caller's unit of work (hub.unit_of_work) through the shared
``Database``; events go into agents' streams with ``append_event`` in the same
transaction. A reminder is claimed with a conditional update, so when several
hub processes arm the same timer only one reminds.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from core.protocol import agent as ap
from core.protocol import followups as fp
from core.protocol.models import IdentityKind
from hub.access.permissions import Permission
from hub.access.role_store import permits
from hub.store import schema as t
from hub.store.base import StoreBase, StoreError

# The welcome's list also carries what was solved this recently.
RECENTLY_SOLVED_MS = 24 * 3600 * 1000


class MailKind:
    CONFIRM = "confirm"  # a message left with nobody available is stored
    SOLVED = "solved"  # the follow-up is solved


def _record(row: sa.Row[Any]) -> fp.FollowUp:
    return fp.FollowUp(
        id=row.id, conversation_id=row.conversation_id, customer_id=row.customer_id,
        customer_name=row.customer_name or "", kind=fp.FollowUpKind(row.kind),
        status=fp.FollowUpStatus(row.status), source=fp.FollowUpSource(row.source),
        due_at=row.due_at, remind_at=row.remind_at, created_at=row.created_at,
        updated_at=row.updated_at, owner_id=row.owner_id, queue_id=row.queue_id,
        note=row.note or "", contact_email=row.contact_email, contact_phone=row.contact_phone,
        callback_at=row.callback_at, solved_at=row.solved_at, reminded_at=row.reminded_at,
    )


def _select() -> sa.Select[Any]:
    f, cu = t.followups, t.customers
    return sa.select(f, cu.c.name.label("customer_name")).join(
        cu, cu.c.id == f.c.customer_id, isouter=True)


class FollowUpStore(StoreBase):
    # ---- reads ---------------------------------------------------------------------

    def followup(self, followup_id: str) -> fp.FollowUp | None:
        with self.db.connect() as conn:
            row = conn.execute(_select().where(t.followups.c.id == followup_id)).first()
        return None if row is None else _record(row)

    def of_conversation(self, conversation_id: str) -> list[fp.FollowUp]:
        with self.db.connect() as conn:
            rows = conn.execute(_select().where(
                t.followups.c.conversation_id == conversation_id)).all()
        return [_record(r) for r in rows]

    def of_owner(self, agent_id: str, now: int) -> list[fp.FollowUp]:
        """Not solved, or solved within the last day; soonest due first."""
        f = t.followups
        query = _select().where(
            f.c.owner_id == agent_id,
            sa.or_(f.c.status != fp.FollowUpStatus.SOLVED.value,
                   f.c.solved_at >= now - RECENTLY_SOLVED_MS),
        ).order_by(f.c.due_at, f.c.id)
        with self.db.connect() as conn:
            return [_record(r) for r in conn.execute(query).all()]

    def by_left_key(self, customer_id: str, key: str) -> fp.FollowUp | None:
        f = t.followups
        with self.db.connect() as conn:
            row = conn.execute(_select().where(f.c.customer_id == customer_id,
                                               f.c.left_key == key)).first()
        return None if row is None else _record(row)

    def pending_reminders(self) -> list[tuple[str, int]]:
        """(id, remind_at) of every follow-up not solved and not yet reminded."""
        f = t.followups
        with self.db.connect() as conn:
            rows = conn.execute(sa.select(f.c.id, f.c.remind_at).where(
                f.c.status != fp.FollowUpStatus.SOLVED.value, f.c.reminded_at.is_(None),
            )).all()
        return [(r.id, int(r.remind_at)) for r in rows]

    def role_of(self, agent_id: str) -> str | None:
        with self.db.connect() as conn:
            role = conn.execute(sa.select(t.agents.c.role)
                                .where(t.agents.c.id == agent_id)).scalar()
        return None if role is None else str(role)

    def is_supervisor(self, agent_id: str) -> bool:
        """Whether the agent handles anyone's follow-ups (``followups.all``)."""
        with self.db.connect() as conn:
            return permits(conn, agent_id, Permission.FOLLOWUPS_ALL)

    def serves_queue(self, agent_id: str, queue_id: str | None) -> bool:
        if queue_id is None:
            return False
        aq = t.agent_queues
        with self.db.connect() as conn:
            return conn.execute(sa.select(aq.c.agent_id).where(
                aq.c.agent_id == agent_id, aq.c.queue_id == queue_id)).first() is not None

    def customer_email(self, customer_id: str) -> str | None:
        """The customer's email address: a verified one of the profile, else the
        newest one they typed themselves in the widget (a claim on their own record)."""
        i, c = t.identities, t.identity_claims
        with self.db.connect() as conn:
            value = conn.execute(sa.select(i.c.value).where(
                i.c.customer_id == customer_id, i.c.kind == IdentityKind.EMAIL.value,
            ).order_by(i.c.value).limit(1)).scalar()
            if value is None:
                value = conn.execute(sa.select(c.c.value).where(
                    c.c.customer_id == customer_id, c.c.kind == IdentityKind.EMAIL.value,
                ).order_by(c.c.created_at.desc()).limit(1)).scalar()
        return None if value is None else str(value)

    def customer_language(self, customer_id: str) -> str | None:
        with self.db.connect() as conn:
            value = conn.execute(sa.select(t.customers.c.language)
                                 .where(t.customers.c.id == customer_id)).scalar()
        return None if value is None else str(value)

    def locale_of(self, followup_id: str) -> str | None:
        with self.db.connect() as conn:
            value = conn.execute(sa.select(t.followups.c.locale)
                                 .where(t.followups.c.id == followup_id)).scalar()
        return None if value is None else str(value)

    # ---- writes --------------------------------------------------------------------

    def insert(self, values: dict[str, Any]) -> fp.FollowUp:
        with self.db.begin() as conn:
            conn.execute(t.followups.insert().values(**values))
            row = conn.execute(_select().where(t.followups.c.id == values["id"])).one()
        return _record(row)

    def update(self, followup_id: str, values: dict[str, Any]) -> fp.FollowUp:
        with self.db.begin() as conn:
            conn.execute(t.followups.update().where(t.followups.c.id == followup_id)
                         .values(**values))
            row = conn.execute(_select().where(t.followups.c.id == followup_id)).first()
        if row is None:
            raise StoreError("not_found", "no such follow-up")
        return _record(row)

    def unowned_of_conversation(self, conversation_id: str) -> list[str]:
        f = t.followups
        with self.db.connect() as conn:
            return list(conn.execute(sa.select(f.c.id).where(
                f.c.conversation_id == conversation_id, f.c.owner_id.is_(None),
                f.c.status != fp.FollowUpStatus.SOLVED.value)).scalars())

    def claim_reminder(self, followup_id: str, now: int) -> fp.FollowUp | None:
        """Mark the reminder sent; the follow-up, or None when another process (or a
        change of due time, or solving it) got there first, or nobody owns it yet
        (it is armed again when someone takes it)."""
        f = t.followups
        with self.db.begin() as conn:
            done = conn.execute(f.update().where(
                f.c.id == followup_id, f.c.reminded_at.is_(None), f.c.owner_id.isnot(None),
                f.c.status != fp.FollowUpStatus.SOLVED.value, f.c.remind_at <= now,
            ).values(reminded_at=now)).rowcount
            if not done:
                return None
            row = conn.execute(_select().where(f.c.id == followup_id)).one()
        return _record(row)

    def publish_to(self, agent_id: str, body: ap.EventBody) -> ap.Event:
        with self.db.begin() as conn:
            self.lock_stream_in(conn, agent_id)
            return self.append_event(conn, agent_id, body)

    # ---- mails ---------------------------------------------------------------------

    def queue_mail(self, followup_id: str, kind: str, to_addr: str, locale: str | None,
                   now: int) -> None:
        with self.db.begin() as conn:
            conn.execute(t.followup_mails.insert().values(
                followup_id=followup_id, kind=kind, to_addr=to_addr, locale=locale,
                created_at=now, next_at=now, attempts=0))

    def due_mails(self, now: int, limit: int = 20) -> list[sa.Row[Any]]:
        m = t.followup_mails
        with self.db.connect() as conn:
            return list(conn.execute(sa.select(m).where(
                m.c.sent_at.is_(None), m.c.next_at <= now, m.c.error.is_(None),
            ).order_by(m.c.next_at, m.c.id).limit(limit)).all())

    def next_mail_at(self) -> int | None:
        m = t.followup_mails
        with self.db.connect() as conn:
            value = conn.execute(sa.select(sa.func.min(m.c.next_at)).where(
                m.c.sent_at.is_(None), m.c.error.is_(None))).scalar()
        return None if value is None else int(value)

    def mail_sent(self, mail_id: int, now: int) -> None:
        with self.db.begin() as conn:
            conn.execute(t.followup_mails.update().where(t.followup_mails.c.id == mail_id)
                         .values(sent_at=now, attempts=t.followup_mails.c.attempts + 1))

    def mail_failed(self, mail_id: int, next_at: int | None, error: str) -> None:
        """Try again at ``next_at``; None: give up and keep ``error``."""
        values: dict[str, Any] = {"attempts": t.followup_mails.c.attempts + 1}
        if next_at is None:
            values["error"] = error[:2000]
        else:
            values["next_at"] = next_at
        with self.db.begin() as conn:
            conn.execute(t.followup_mails.update().where(t.followup_mails.c.id == mail_id)
                         .values(**values))

    def mails_of(self, followup_id: str) -> list[sa.Row[Any]]:
        m = t.followup_mails
        with self.db.connect() as conn:
            return list(conn.execute(sa.select(m).where(m.c.followup_id == followup_id)
                                     .order_by(m.c.id)).all())

    def left_text(self, followup_id: str) -> str:
        """The message a customer left (empty for a follow-up made from a chat)."""
        f, m = t.followups, t.messages
        with self.db.connect() as conn:
            row = conn.execute(sa.select(f.c.customer_id, f.c.left_key)
                               .where(f.c.id == followup_id)).first()
            if row is None or row.left_key is None:
                return ""
            text = conn.execute(sa.select(m.c.text).where(
                m.c.dedupe_key == f"{row.customer_id}:{row.left_key}")).scalar()
        return "" if text is None else str(text)
