"""The store's reads over a customer's history: timeline, transcript, search.

The timeline is newest first with a keyset cursor on (at, id), so paging never
skips or repeats an item while new ones arrive.
"""

from __future__ import annotations

import re

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from core.protocol import call as cl
from core.protocol import profile as pp
from core.protocol.models import (
    Channel,
    ClosedBy,
    Conversation,
    ConversationStatus,
    Customer,
    IdentityKind,
    Message,
)
from hub.access import role_store
from hub.access.permissions import Permission
from hub.calls.transcripts.transcript_store import TranscriptStore
from hub.feedback.timeline import feedback_items
from hub.outreach.outreach_store import outreach_items
from hub.profile import visibility
from hub.profile.customer_records import load_customers
from hub.profile.identity import lookup_keys
from hub.profile.merge_store import MergeStore
from hub.store import schema as t
from hub.store.base import StoreError, last_texts

TRANSCRIPT_MESSAGES = 2000


def _before(at_col: sa.ColumnElement[int], id_col: sa.ColumnElement[str],
            at: int | None, ident: str | None) -> sa.ColumnElement[bool]:
    if at is None:
        return sa.true()
    if ident is None:
        return at_col < at
    return sa.or_(at_col < at, sa.and_(at_col == at, id_col < ident))


class HistoryStore(MergeStore):
    def timeline(self, agent_id: str, frame: pp.FetchTimeline) -> pp.Timeline:
        with self.db.connect() as conn:
            visibility.visible_customer(conn, agent_id, frame.customer_id)
            items = (self._conversation_items(conn, frame) + self._note_items(conn, frame)
                     + feedback_items(conn, frame) + outreach_items(conn, frame))
        items.sort(key=lambda i: (i.at, i.id), reverse=True)
        more = len(items) > frame.limit
        items = items[: frame.limit]
        last = items[-1] if more and items else None
        return pp.Timeline(
            op=frame.op, customer_id=frame.customer_id, items=items,
            next_before_at=last.at if last else None, next_before_id=last.id if last else None,
        )

    def _conversation_items(self, conn: Connection, frame: pp.FetchTimeline
                            ) -> list[pp.TimelineItem]:
        v = t.conversations.c
        query = (
            sa.select(t.conversations, t.agents.c.display_name)
            .select_from(t.conversations.outerjoin(t.agents, t.agents.c.id == v.agent_id))
            .where(v.customer_id == frame.customer_id,
                   _before(v.created_at, v.id, frame.before_at, frame.before_id))
            .order_by(v.created_at.desc(), v.id.desc())
            .limit(frame.limit + 1)
        )
        if frame.channel is not None:
            query = query.where(v.channel == frame.channel.value)
        rows = conn.execute(query).all()
        ids = [r.id for r in rows]
        previews = last_texts(conn, ids)
        counts = {
            r[0]: int(r[1]) for r in conn.execute(
                sa.select(t.messages.c.conversation_id, sa.func.count())
                .where(t.messages.c.conversation_id.in_(ids))
                .group_by(t.messages.c.conversation_id)
            )
        }
        return [
            pp.TimelineItem(
                kind="conversation", id=r.id, at=r.created_at, channel=Channel(r.channel),
                status=ConversationStatus(r.status), closed_at=r.closed_at,
                closed_by=ClosedBy(r.closed_by) if r.closed_by else None,
                agent_name=r.display_name, preview=previews.get(r.id),
                message_count=int(counts.get(r.id, 0)), duration_s=r.duration_s,
                outcome=r.outcome,
            )
            for r in rows
        ]

    @staticmethod
    def _note_items(conn: Connection, frame: pp.FetchTimeline) -> list[pp.TimelineItem]:
        if frame.channel is not None:
            return []  # notes belong to no channel
        n = t.notes.c
        rows = conn.execute(
            sa.select(t.notes, t.agents.c.display_name)
            .select_from(t.notes.outerjoin(t.agents, t.agents.c.id == n.author_id))
            .where(n.customer_id == frame.customer_id,
                   _before(n.created_at, n.id, frame.before_at, frame.before_id))
            .order_by(n.created_at.desc(), n.id.desc())
            .limit(frame.limit + 1)
        ).all()
        return [
            pp.TimelineItem(kind="note", id=r.id, at=r.created_at, agent_name=r.display_name,
                            preview=r.text)
            for r in rows
        ]

    def transcript(self, agent_id: str, conversation_id: str
                   ) -> tuple[Conversation, list[Message], list[cl.CallTranscript]]:
        """A conversation, its messages and its calls' transcripts, read-only, for an
        agent who may see the customer (or who handles the conversation)."""
        with self.db.connect() as conn:
            row = conn.execute(sa.select(t.conversations).where(
                t.conversations.c.id == conversation_id)).first()
            if row is None:
                raise StoreError("not_found", "no such conversation")
            if row.agent_id != agent_id and not visibility.may_see(conn, agent_id, row.customer_id):
                raise StoreError("forbidden", "this conversation's customer is outside your "
                                 "queues")
            return (self._conversation(row),
                    self._messages_of(conn, conversation_id, TRANSCRIPT_MESSAGES),
                    TranscriptStore.of_conversations(conn, [conversation_id]))

    def search_customers(self, agent_id: str, query: str, limit: int) -> list[Customer]:
        """Customers whose name or identity contains ``query`` (phones in any
        spelling), that the agent may see; exact identity matches first."""
        q = query.strip()
        if not q:
            return []
        with self.db.connect() as conn:
            supervisor = visibility.is_supervisor(conn, agent_id)
            # A role that reads contact points masked finds customers by name only:
            # a search by a number it cannot read would tell whose number it is.
            contact = role_store.permits(conn, agent_id, Permission.CUSTOMERS_CONTACT)
            ids: list[str] = []
            for kind, value in lookup_keys(q, self.settings.default_region) if contact else ():
                found = conn.execute(sa.select(t.identities.c.customer_id).where(
                    t.identities.c.kind == kind.value, t.identities.c.value == value)).scalar()
                if found:
                    ids.append(found)
            ids.extend(self._search_ids(conn, agent_id, supervisor, q, limit, contact))
            ids = list(dict.fromkeys(ids))
            if not supervisor:
                ids = [c for c in ids if visibility.may_see(conn, agent_id, c)]
            found_records = load_customers(conn, ids[:limit])
        return [found_records[c] for c in ids[:limit] if c in found_records]

    def _search_ids(self, conn: Connection, agent_id: str, supervisor: bool, q: str,
                    limit: int, contact: bool = True) -> list[str]:
        c = t.customers.c
        i = t.identities.c
        # Claims too: looking up an address finds its owner first (above) and then
        # also the visitors who typed it, for the agent to merge after checking.
        cl = t.identity_claims.c
        pattern = q.lower()
        matches = [sa.func.lower(c.name).contains(pattern, autoescape=True)]
        ident_match = [sa.and_(i.kind != IdentityKind.VISITOR.value,
                               sa.func.lower(i.value).contains(pattern, autoescape=True))]
        claim_match = [sa.func.lower(cl.value).contains(pattern, autoescape=True)]
        digits = re.sub(r"\D", "", q)
        if len(digits) >= 4 and re.fullmatch(r"[0-9+()\-.\s/]+", q):
            # "138 0013 8000" finds +8613800138000; "0086..." drops the trunk prefix.
            digits = digits[4:] if digits.startswith("0086") else digits
            ident_match.append(sa.and_(i.kind == IdentityKind.PHONE.value,
                                       i.value.contains(digits, autoescape=True)))
            claim_match.append(sa.and_(cl.kind == IdentityKind.PHONE.value,
                                       cl.value.contains(digits, autoescape=True)))
        by_identity = sa.union(
            sa.select(i.customer_id).where(sa.or_(*ident_match)),
            sa.select(cl.customer_id).where(sa.or_(*claim_match)),
        )
        if contact:
            matches.append(c.id.in_(by_identity))
        else:  # external ids (order numbers, channel ids) are not contact points
            matches.append(c.id.in_(sa.select(i.customer_id).where(
                i.kind == IdentityKind.EXTERNAL.value,
                sa.func.lower(i.value).contains(pattern, autoescape=True))))
        query = (
            sa.select(c.id)
            .where(c.merged_into.is_(None), sa.or_(*matches))
            .order_by(c.name, c.id)
            .limit(limit)
        )
        if not supervisor:
            query = query.where(visibility.visible_clause(agent_id, c.id))
        return list(conn.execute(query).scalars())
