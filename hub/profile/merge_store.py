"""Merging two customers into one, and undoing it.

A merge moves every conversation (with its messages), identity, claim, note and
tag of the source to the target and records exactly what moved; the source's row
stays, marked ``merged_into``, so an unmerge can bring it back with what it had.
Conversations created after the merge stay with the target.
"""

from __future__ import annotations

import json
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from core.protocol import profile as pp
from core.protocol.models import Channel, ConversationStatus
from hub.feedback.rating_store import move_feedback
from hub.profile import visibility
from hub.profile.customer_records import load_customer, refresh_auto_tags
from hub.profile.profile_store import Events, ProfileStore
from hub.store import schema as t
from hub.store.base import StoreError, new_id, now_ms

# Profile fields a target without a value takes from the source.
_FILLED_FIELDS = ("language", "tier", "preferred_channel")


class MergeStore(ProfileStore):
    def merge_customers(
        self, agent_id: str | None, target_id: str, source_id: str, op: str | None = None
    ) -> tuple[str, int | None, Events]:
        """Merge ``source_id`` into ``target_id``; returns (merge id, actor seq, events).

        ``agent_id`` None: the hub links a visitor (no permission check, no op)."""
        if target_id == source_id:
            raise StoreError("merge_refused", "a customer cannot be merged into itself")
        with self.db.begin() as conn:
            target = visibility.visible_customer(conn, agent_id, target_id)
            source = visibility.visible_customer(conn, agent_id, source_id)
            self._refuse_open_calls(conn, [target_id, source_id])
            merge_id, moved = self._move(conn, target, source)
            refresh_auto_tags(conn, target_id, self.settings)
            body = pp.CustomerMerged(
                merge_id=merge_id, source_id=source_id,
                target=load_customer(conn, target_id), conversation_ids=moved)
            seq, out = self._fan_out(conn, agent_id, [target_id], body)
            if agent_id is not None and op is not None:
                self._record_op(conn, agent_id, op, seq)
            return merge_id, seq, out

    @staticmethod
    def _refuse_open_calls(conn: Connection, customer_ids: list[str]) -> None:
        v = t.conversations.c
        busy = conn.execute(
            sa.select(v.customer_id).where(
                v.customer_id.in_(customer_ids),
                v.channel == Channel.VOICE.value,
                v.status == ConversationStatus.OPEN.value,
            )
        ).first()
        if busy is not None:
            raise StoreError("merge_refused",
                             "a customer with an open call cannot be merged; try after the call")

    def _move(self, conn: Connection, target: Any, source: Any) -> tuple[str, list[str]]:
        sid, tid = source.id, target.id
        conv_ids = list(conn.execute(sa.select(t.conversations.c.id).where(
            t.conversations.c.customer_id == sid).order_by(t.conversations.c.id)).scalars())
        idents = [list(r) for r in conn.execute(
            sa.select(t.identities.c.kind, t.identities.c.value).where(
                t.identities.c.customer_id == sid).order_by(t.identities.c.kind,
                                                             t.identities.c.value))]
        claims = _movable_claims(conn, sid, tid)
        note_ids = list(conn.execute(sa.select(t.notes.c.id).where(
            t.notes.c.customer_id == sid).order_by(t.notes.c.id)).scalars())
        source_tags = set(conn.execute(sa.select(t.customer_tags.c.tag).where(
            t.customer_tags.c.customer_id == sid)).scalars())
        target_tags = set(conn.execute(sa.select(t.customer_tags.c.tag).where(
            t.customer_tags.c.customer_id == tid)).scalars())
        added_tags = sorted(source_tags - target_tags)
        profile = self._take_profile(conn, target, source)

        conn.execute(t.conversations.update().where(
            t.conversations.c.customer_id == sid).values(customer_id=tid))
        conn.execute(t.identities.update().where(
            t.identities.c.customer_id == sid).values(customer_id=tid))
        _move_claims(conn, sid, tid, claims)
        conn.execute(t.notes.update().where(t.notes.c.customer_id == sid).values(customer_id=tid))
        conn.execute(t.customer_tags.delete().where(t.customer_tags.c.customer_id == sid))
        if added_tags:
            conn.execute(t.customer_tags.insert(),
                         [{"customer_id": tid, "tag": tag} for tag in added_tags])
        # The source's ratings and NPS answers count for the merged profile; the NPS
        # answers moved are kept with what was filled in, for an undo.
        profile["nps"] = move_feedback(conn, sid, tid, conv_ids)
        conn.execute(t.customers.update().where(t.customers.c.id == sid).values(merged_into=tid))
        merge_id = new_id("mg")
        conn.execute(t.merges.insert().values(
            id=merge_id, target_id=tid, source_id=sid, conversation_ids=json.dumps(conv_ids),
            identities=json.dumps(idents), claims=json.dumps(claims),
            note_ids=json.dumps(note_ids),
            tags=json.dumps({"added": added_tags, "source": sorted(source_tags)}),
            profile=json.dumps(profile, ensure_ascii=False), created_at=now_ms(),
        ))
        return merge_id, conv_ids

    @staticmethod
    def _take_profile(conn: Connection, target: Any, source: Any) -> dict[str, Any]:
        """Fill the target's empty fields and missing attribute/consent keys from the
        source; returns what was filled, for unmerge."""
        values: dict[str, Any] = {}
        filled: dict[str, Any] = {"fields": [], "attributes": [], "consent": []}
        for name in _FILLED_FIELDS:
            if getattr(target, name) is None and getattr(source, name) is not None:
                values[name] = getattr(source, name)
                filled["fields"].append(name)
        for column in ("attributes", "consent"):
            mine = json.loads(getattr(target, column) or "{}")
            theirs = json.loads(getattr(source, column) or "{}")
            new_keys = sorted(set(theirs) - set(mine))
            if new_keys:
                mine.update({k: theirs[k] for k in new_keys})
                values[column] = json.dumps(mine, ensure_ascii=False)
                filled[column] = new_keys
        if values:
            conn.execute(t.customers.update().where(t.customers.c.id == target.id).values(values))
        return filled

    def unmerge_customers(self, agent_id: str, op: str, merge_id: str
                          ) -> tuple[int | None, Events]:
        with self.db.begin() as conn:
            merge = conn.execute(sa.select(t.merges).where(t.merges.c.id == merge_id)).first()
            if merge is None:
                raise StoreError("not_found", "no such merge")
            if merge.undone_at is not None:
                raise StoreError("merge_refused", "this merge has already been undone")
            later = conn.execute(sa.select(t.merges.c.id).where(
                t.merges.c.source_id == merge.target_id, t.merges.c.undone_at.is_(None),
            )).first()
            if later is not None:
                raise StoreError("merge_refused", "the customer was merged again since; "
                                 "undo the later merge first")
            visibility.visible_customer(conn, agent_id, merge.target_id)
            back = self._move_back(conn, merge)
            for cid in (merge.target_id, merge.source_id):
                refresh_auto_tags(conn, cid, self.settings)
            body = pp.CustomerUnmerged(
                merge_id=merge_id, target=load_customer(conn, merge.target_id),
                source=load_customer(conn, merge.source_id), conversation_ids=back)
            seq, out = self._fan_out(conn, agent_id, [merge.target_id, merge.source_id], body)
            self._record_op(conn, agent_id, op, seq)
            return seq, out

    @staticmethod
    def _move_back(conn: Connection, merge: Any) -> list[str]:
        tid, sid = merge.target_id, merge.source_id
        conv_ids = json.loads(merge.conversation_ids)
        back = sorted(conn.execute(sa.select(t.conversations.c.id).where(
            t.conversations.c.id.in_(conv_ids), t.conversations.c.customer_id == tid)).scalars())
        if back:
            conn.execute(t.conversations.update().where(
                t.conversations.c.id.in_(back)).values(customer_id=sid))
        idents = json.loads(merge.identities)
        for kind, value in idents:
            conn.execute(t.identities.update().where(
                t.identities.c.kind == kind, t.identities.c.value == value,
                t.identities.c.customer_id == tid).values(customer_id=sid))
        # Merges from before claims had their own table listed them as identities.
        claims = json.loads(merge.claims) if merge.claims is not None else idents
        _move_claims(conn, tid, sid, _movable_claims(conn, tid, sid, claims))
        note_ids = json.loads(merge.note_ids)
        if note_ids:
            conn.execute(t.notes.update().where(
                t.notes.c.id.in_(note_ids), t.notes.c.customer_id == tid).values(customer_id=sid))
        tags = json.loads(merge.tags)
        if tags["added"]:
            conn.execute(t.customer_tags.delete().where(
                t.customer_tags.c.customer_id == tid, t.customer_tags.c.tag.in_(tags["added"])))
        if tags["source"]:
            conn.execute(t.customer_tags.insert(),
                         [{"customer_id": sid, "tag": tag} for tag in tags["source"]])
        filled = json.loads(merge.profile)
        # Merges from before ratings moved with them carry no "nps": nothing moved then.
        move_feedback(conn, tid, sid, back, filled.get("nps", []))
        target = conn.execute(sa.select(t.customers).where(t.customers.c.id == tid)).one()
        values: dict[str, Any] = {name: None for name in filled["fields"]}
        for column in ("attributes", "consent"):
            if filled[column]:
                mine = json.loads(getattr(target, column) or "{}")
                for key in filled[column]:
                    mine.pop(key, None)
                values[column] = json.dumps(mine, ensure_ascii=False)
        if values:
            conn.execute(t.customers.update().where(t.customers.c.id == tid).values(values))
        conn.execute(t.customers.update().where(t.customers.c.id == sid).values(merged_into=None))
        conn.execute(t.merges.update().where(t.merges.c.id == merge.id).values(undone_at=now_ms()))
        return back

    def is_anonymous(self, customer_id: str) -> bool:
        """True when the customer has no contact point but visitor ids."""
        with self.db.connect() as conn:
            return conn.execute(sa.select(t.identities.c.kind).where(
                t.identities.c.customer_id == customer_id,
                t.identities.c.kind != "visitor")).first() is None


def _movable_claims(conn: Connection, from_id: str, to_id: str,
                    only: list[list[str]] | None = None) -> list[list[str]]:
    """``from_id``'s claims (of ``only``, if given) that ``to_id`` does not claim too:
    a claim both made stays where it is, so nothing is stored twice."""
    c = t.identity_claims.c
    theirs = {(r.kind, r.value) for r in conn.execute(
        sa.select(c.kind, c.value).where(c.customer_id == to_id))}
    wanted = {(kind, value) for kind, value in only} if only is not None else None
    return [[r.kind, r.value] for r in conn.execute(
        sa.select(c.kind, c.value).where(c.customer_id == from_id).order_by(c.kind, c.value))
        if (r.kind, r.value) not in theirs and (wanted is None or (r.kind, r.value) in wanted)]


def _move_claims(conn: Connection, from_id: str, to_id: str, claims: list[list[str]]) -> None:
    c = t.identity_claims.c
    for kind, value in claims:
        conn.execute(t.identity_claims.update().where(
            c.customer_id == from_id, c.kind == kind, c.value == value).values(customer_id=to_id))
