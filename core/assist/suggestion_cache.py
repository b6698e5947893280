"""The latest suggestions of each conversation, and the agent's verdicts, in the cache.

Only the newest suggestions of a conversation are kept (they answer the
customer's latest message); an older event replayed after a newer one does not
replace it. Thread: the cache owner's.

``LatestSuggestions`` also keeps them in memory: a new set arrives with every
customer message, and the panel that shows it reads it on the GUI thread while
that thread is busy with the message itself, so the read is a dictionary
lookup, not a query. The memory is written where the cache is (``store``,
``set_verdict``); a conversation not seen since the cache was opened is read
from the cache once.
"""

from __future__ import annotations

from dataclasses import dataclass

import msgspec
import sqlite_utils

from core.protocol.assist import AssistSuggestions, FeedbackVerdict, Suggestion, SuggestionKind
from core.records import Changes

_items = msgspec.json.Decoder(list[Suggestion])


def store(db: sqlite_utils.Database, body: AssistSuggestions, ts: int) -> Changes:
    db.execute(
        "INSERT INTO assist_suggestions (conversation_id, message_id, items, received_at) "
        "VALUES (?, ?, ?, ?) ON CONFLICT(conversation_id) DO UPDATE SET "
        "message_id=excluded.message_id, items=excluded.items, "
        "received_at=excluded.received_at WHERE excluded.received_at >= received_at",
        [body.conversation_id, body.message_id, msgspec.json.encode(body.items).decode(), ts],
    )
    return Changes(suggestions={body.conversation_id})


def latest(db: sqlite_utils.Database, conversation_id: str) -> tuple[str, list[Suggestion]] | None:
    """(message id, suggestions) for the conversation's newest suggested message."""
    row = db.execute("SELECT message_id, items FROM assist_suggestions WHERE conversation_id=?",
                     [conversation_id]).fetchone()
    return None if row is None else (row[0], _items.decode(row[1]))


def set_verdict(db: sqlite_utils.Database, message_id: str, kind: SuggestionKind, item_id: str,
                verdict: FeedbackVerdict) -> None:
    db.execute(
        "INSERT INTO suggestion_verdicts (message_id, kind, item_id, verdict) VALUES (?, ?, ?, ?) "
        "ON CONFLICT(message_id, kind, item_id) DO UPDATE SET verdict=excluded.verdict",
        [message_id, kind.value, item_id, verdict.value],
    )


def verdicts(db: sqlite_utils.Database, message_id: str) -> dict[tuple[str, str], FeedbackVerdict]:
    rows = db.execute("SELECT kind, item_id, verdict FROM suggestion_verdicts WHERE message_id=?",
                      [message_id]).fetchall()
    return {(r[0], r[1]): FeedbackVerdict(r[2]) for r in rows}


@dataclass(frozen=True)
class LatestSet:
    """A conversation's newest suggestions and the verdicts given on them."""

    message_id: str
    received_at: int
    items: tuple[Suggestion, ...]
    verdicts: dict[tuple[str, str], FeedbackVerdict]


class LatestSuggestions:
    """The cache's suggestions, with the newest set of each conversation in memory."""

    def __init__(self, db: sqlite_utils.Database) -> None:
        self._db = db
        self._sets: dict[str, LatestSet | None] = {}

    def store(self, body: AssistSuggestions, ts: int) -> Changes:
        """Write the set (as ``store``) and, when it is the conversation's newest, keep
        it in memory. Its verdicts are read here, in the sync's write, so that the
        panel's read is memory only (a new message has none unless its set came
        before: the hub suggests again for the last message of a reassigned chat)."""
        changes = store(self._db, body, ts)
        cid = body.conversation_id
        if cid not in self._sets:
            return changes  # not asked for yet: read from the cache when it is
        known = self._sets[cid]
        if known is not None and ts < known.received_at:
            return changes  # older than what is shown: the cache kept the newer one too
        given = (known.verdicts if known is not None and known.message_id == body.message_id
                 else verdicts(self._db, body.message_id))
        self._sets[cid] = LatestSet(body.message_id, ts, tuple(body.items), given)
        return changes

    def set_verdict(self, conversation_id: str, message_id: str, kind: SuggestionKind,
                    item_id: str, verdict: FeedbackVerdict) -> None:
        set_verdict(self._db, message_id, kind, item_id, verdict)
        known = self._sets.get(conversation_id)
        if known is not None and known.message_id == message_id:
            self._sets[conversation_id] = LatestSet(
                known.message_id, known.received_at, known.items,
                {**known.verdicts, (kind.value, item_id): verdict})

    def latest(self, conversation_id: str) -> LatestSet | None:
        if conversation_id not in self._sets:
            row = self._db.execute(
                "SELECT message_id, items, received_at FROM assist_suggestions "
                "WHERE conversation_id=?", [conversation_id]).fetchone()
            self._sets[conversation_id] = None if row is None else LatestSet(
                row[0], int(row[2]), tuple(_items.decode(row[1])), verdicts(self._db, row[0]))
        return self._sets[conversation_id]
