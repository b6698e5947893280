"""A customer's timeline in the cache, and merges moving history between customers.

The timeline the panel shows is read from three places, newest first: pages the
hub sent for ``fetch_timeline`` (``timeline_items``), conversations the cache holds
itself (assigned ones, history summaries, walk-in visits) and the customer's notes.
An id appears once: the cached item wins, with the local conversation's live state
(status, last text) and the local note's text laid over it.
"""

from __future__ import annotations

import json
from typing import Any

import msgspec
from sqlite_utils import Database

from core.profile.profile_cache import _run, drop_customer, index_customer, store_customer
from core.protocol.models import Channel, ConversationStatus
from core.protocol.profile import CustomerMerged, CustomerUnmerged, Timeline, TimelineItem
from core.records import Changes, NoteState, TimelineEntry, TimelineKind

_item_decoder = msgspec.json.Decoder(TimelineItem)

ALL_CHANNELS = ""  # timeline_ends.channel for an unfiltered timeline

_TIMELINE_SQL = """
WITH items(kind, id, at, channel, record) AS (
  SELECT kind, id, at, channel, record FROM timeline_items WHERE customer_id = :c
  UNION ALL
  SELECT 'conversation', v.id, v.created_at, v.channel, NULL FROM conversations v
   WHERE v.customer_id = :c AND NOT EXISTS (SELECT 1 FROM timeline_items t
     WHERE t.customer_id = :c AND t.kind = 'conversation' AND t.id = v.id)
  UNION ALL
  SELECT 'note', n.id, n.created_at, NULL, NULL FROM notes n
   WHERE n.customer_id = :c AND NOT EXISTS (SELECT 1 FROM timeline_items t
     WHERE t.customer_id = :c AND t.kind = 'note' AND t.id = n.id)
)
SELECT i.kind, i.id, i.at, i.channel, i.record, v.status, v.closed_at, v.last_text,
  CASE WHEN v.id IS NULL THEN 0
       ELSE (SELECT COUNT(*) FROM messages m WHERE m.conversation_id = v.id) END,
  n.text, n.state, n.author_name
FROM items i
LEFT JOIN conversations v ON i.kind = 'conversation' AND v.id = i.id
LEFT JOIN notes n ON i.kind = 'note' AND n.id = i.id
WHERE (:ch IS NULL OR i.channel = :ch)
  AND (:bat IS NULL OR i.at < :bat OR (i.at = :bat AND i.id < :bid))
ORDER BY i.at DESC, i.id DESC
LIMIT :n
"""


def timeline(
    db: Database,
    customer_id: str,
    *,
    channel: Channel | None = None,
    limit: int = 20,
    before: tuple[int, str] | None = None,
) -> list[TimelineEntry]:
    """Up to ``limit`` entries older than ``before`` (at, id), newest first."""
    rows = _run(db, _TIMELINE_SQL, {
        "c": customer_id,
        "ch": channel.value if channel else None,
        "bat": before[0] if before else None,
        "bid": before[1] if before else None,
        "n": limit,
    }).fetchall()
    return [_entry(row) for row in rows]


def _entry(row: tuple[Any, ...]) -> TimelineEntry:
    (kind, item_id, at, channel, record, status, closed_at, last_text, count, note, state,
     author) = row
    item = _item_decoder.decode(record) if record else None
    if kind == TimelineKind.NOTE.value:
        return TimelineEntry(
            kind=TimelineKind.NOTE, id=item_id, at=at,
            agent_name=author or (item.agent_name if item else None),
            preview=note if note is not None else (item.preview if item else None),
            note_state=NoteState(state) if state is not None else NoteState.SYNCED,
        )
    if kind == TimelineKind.OUTREACH.value:
        return TimelineEntry(
            kind=TimelineKind.OUTREACH, id=item_id, at=at,
            agent_name=item.agent_name if item else None,
            preview=item.preview if item else None,
            code=item.code if item else None, params=dict(item.params) if item else {},
        )
    if kind in (TimelineKind.RATING.value, TimelineKind.NPS.value):
        return TimelineEntry(
            kind=TimelineKind(kind), id=item_id, at=at,
            agent_name=item.agent_name if item else None,
            preview=item.preview if item else None,
            score=item.score if item else None, solved=item.solved if item else None,
        )
    return TimelineEntry(
        kind=TimelineKind.CONVERSATION,
        id=item_id,
        at=at,
        channel=Channel(channel) if channel else None,
        status=ConversationStatus(status) if status else (item.status if item else None),
        closed_at=closed_at if closed_at is not None else (item.closed_at if item else None),
        agent_name=item.agent_name if item else None,
        preview=last_text if last_text is not None else (item.preview if item else None),
        message_count=max(count or 0, item.message_count if item else 0),
        duration_s=item.duration_s if item else None,
        outcome=item.outcome if item else None,
    )


def store_timeline(db: Database, page: Timeline, channel: Channel | None) -> None:
    """A page of ``fetch_timeline``; the last page marks the timeline complete."""
    db.conn.executemany(
        "INSERT INTO timeline_items (customer_id, kind, id, at, channel, record) "
        "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(customer_id, kind, id) DO UPDATE SET "
        "at=excluded.at, channel=excluded.channel, record=excluded.record",
        [(page.customer_id, item.kind, item.id, item.at,
          item.channel.value if item.channel else None, msgspec.json.encode(item).decode())
         for item in page.items],
    )
    if page.next_before_at is None:
        _run(db, "INSERT OR IGNORE INTO timeline_ends (customer_id, channel) VALUES (?, ?)",
             [page.customer_id, channel.value if channel else ALL_CHANNELS])


def timeline_complete(db: Database, customer_id: str, channel: Channel | None) -> bool:
    """Whether the hub said the cache holds the customer's whole (filtered) timeline."""
    wanted = [ALL_CHANNELS] + ([channel.value] if channel else [])
    row = _run(
        db, f"SELECT 1 FROM timeline_ends WHERE customer_id=? AND channel IN "
        f"({', '.join('?' * len(wanted))})", [customer_id, *wanted],
    ).fetchone()
    return row is not None


# ---- merges ----------------------------------------------------------------------------


def _move(db: Database, conversation_ids: list[str], to: str) -> None:
    marks = ", ".join("?" * len(conversation_ids))
    _run(db, f"UPDATE conversations SET customer_id=? WHERE id IN ({marks})",
         [to, *conversation_ids])
    # A cached timeline item of a moved conversation follows it (once).
    _run(db, f"DELETE FROM timeline_items WHERE kind='conversation' AND id IN ({marks}) "
         "AND customer_id != ? AND EXISTS (SELECT 1 FROM timeline_items t WHERE "
         "t.customer_id=? AND t.kind='conversation' AND t.id=timeline_items.id)",
         [*conversation_ids, to, to])
    _run(db, f"UPDATE timeline_items SET customer_id=? WHERE kind='conversation' "
         f"AND id IN ({marks})", [to, *conversation_ids])


def apply_merged(db: Database, body: CustomerMerged, merged_at: int) -> Changes:
    """Everything of the source is the target's now; the source is gone."""
    source, target = body.source_id, body.target.id
    row = _run(db, "SELECT name FROM customers WHERE id=?", [source]).fetchone()
    moved = sorted(set(body.conversation_ids) | {
        r[0] for r in _run(db, "SELECT id FROM conversations WHERE customer_id=?",
                           [source]).fetchall()
    })
    store_customer(db, body.target)
    if moved:
        _move(db, moved, target)
    # Notes and other cached timeline items of the source go with it too.
    _run(db, "UPDATE notes SET customer_id=? WHERE customer_id=?", [target, source])
    _run(db, "DELETE FROM timeline_items WHERE customer_id=? AND EXISTS (SELECT 1 FROM "
         "timeline_items t WHERE t.customer_id=? AND t.kind=timeline_items.kind "
         "AND t.id=timeline_items.id)", [source, target])
    _run(db, "UPDATE timeline_items SET customer_id=? WHERE customer_id=?", [target, source])
    _run(db, "UPDATE merges SET target_id=? WHERE target_id=?", [target, source])
    drop_customer(db, source)
    _run(db, "INSERT INTO merges (id, source_id, target_id, source_name, conversation_ids, "
         "merged_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(id) DO NOTHING",
         [body.merge_id, source, target, row[0] if row else None, json.dumps(moved),
          merged_at])
    return Changes(customers={source, target}, conversations=set(moved), inbox=True,
                   merged={source: target}, timelines={target})


def apply_unmerged(db: Database, body: CustomerUnmerged) -> Changes:
    """A merge undone: the source is back with its conversations."""
    source, target = body.source, body.target
    store_customer(db, source)
    ids = list(body.conversation_ids)
    if ids:
        _move(db, ids, source.id)
    # Notes of each side are named by the records; store_customer placed them.
    store_customer(db, target)
    note_ids = [n.id for n in source.notes]
    if note_ids:
        _run(db, f"UPDATE OR REPLACE timeline_items SET customer_id=? WHERE kind='note' AND id IN "
             f"({', '.join('?' * len(note_ids))})", [source.id, *note_ids])
    _run(db, "DELETE FROM merges WHERE id=?", [body.merge_id])
    _run(db, "DELETE FROM timeline_ends WHERE customer_id IN (?, ?)", [source.id, target.id])
    index_customer(db, source.id)
    return Changes(customers={source.id, target.id}, conversations=set(ids), inbox=True,
                   timelines={source.id, target.id})
