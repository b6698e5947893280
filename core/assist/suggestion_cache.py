"""The latest suggestions of each conversation, and the agent's verdicts, in the cache.

Only the newest suggestions of a conversation are kept (they answer the
customer's latest message); an older event replayed after a newer one does not
replace it. Thread: the cache owner's.
"""

from __future__ import annotations

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
