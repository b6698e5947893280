"""Quick replies in the local cache: what the hub sent, and the agent's own edits
waiting in the outbox.

A row's ``state`` says where it stands: synced with the hub, pending (an edit
in the outbox, shown as the agent made it) or refused (the hub said no; the row
is put back as it was, or kept marked when it was new). While an edit of a reply
is pending, the hub's events about that reply do not overwrite it: the command
goes out, and its own event and ack bring the hub's copy. Thread: the cache
owner's (the GUI thread).
"""

from __future__ import annotations

import enum
import json
from typing import Any

import sqlite_utils

from core.protocol.assist import (
    DeleteQuickReply,
    QuickReply,
    QuickReplyChannel,
    QuickReplyDeleted,
    QuickReplySaved,
    QuickReplyScope,
    SaveQuickReply,
)
from core.records import Changes

QUICK_REPLY_EVENTS = (QuickReplySaved, QuickReplyDeleted)
QUICK_REPLY_COMMANDS = (SaveQuickReply, DeleteQuickReply)
_COLUMNS = "id, scope, owner_id, category, shortcut, title, text, channel, updated_at"


class ReplyState(enum.IntEnum):
    SYNCED = 0
    PENDING = 1
    REFUSED = 2


def _record(row: Any) -> QuickReply:
    return QuickReply(
        id=row[0], scope=QuickReplyScope(row[1]), owner_id=row[2], category=row[3],
        shortcut=row[4], title=row[5], text=row[6], channel=QuickReplyChannel(row[7]),
        updated_at=row[8],
    )


def _values(reply: QuickReply) -> list[Any]:
    return [reply.id, reply.scope.value, reply.owner_id, reply.category, reply.shortcut,
            reply.title, reply.text, reply.channel.value, reply.updated_at]


def _pending_ids(db: sqlite_utils.Database) -> set[str]:
    rows = db.execute(
        "SELECT json_extract(payload, '$.reply_id') FROM outbox "
        "WHERE kind IN ('save_quick_reply', 'delete_quick_reply')"
    ).fetchall()
    return {r[0] for r in rows}


def upsert(db: sqlite_utils.Database, reply: QuickReply, state: ReplyState) -> None:
    db.execute(
        f"INSERT INTO quick_replies ({_COLUMNS}, state, error) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL) "
        "ON CONFLICT(id) DO UPDATE SET scope=excluded.scope, owner_id=excluded.owner_id, "
        "category=excluded.category, shortcut=excluded.shortcut, title=excluded.title, "
        "text=excluded.text, channel=excluded.channel, updated_at=excluded.updated_at, "
        "state=excluded.state, error=NULL",
        [*_values(reply), int(state)],
    )


def apply_event(db: sqlite_utils.Database, body: QuickReplySaved | QuickReplyDeleted) -> Changes:
    """One event of the stream (the caller holds the transaction)."""
    reply_id = body.reply.id if isinstance(body, QuickReplySaved) else body.reply_id
    if reply_id in _pending_ids(db):
        return Changes()
    if isinstance(body, QuickReplySaved):
        upsert(db, body.reply, ReplyState.SYNCED)
    else:
        db.execute("DELETE FROM quick_replies WHERE id=?", [reply_id])
    return Changes(quick_replies=True)


def replace_all(db: sqlite_utils.Database, replies: list[QuickReply]) -> Changes:
    """A snapshot's complete list: the hub's copy of everything but pending edits."""
    pending = _pending_ids(db)
    db.execute("DELETE FROM quick_replies WHERE state != ? AND id NOT IN "
               "(SELECT value FROM json_each(?))",
               [int(ReplyState.PENDING), json.dumps(sorted(pending))])
    for reply in replies:
        if reply.id not in pending:
            upsert(db, reply, ReplyState.SYNCED)
    return Changes(quick_replies=True)


def all_replies(db: sqlite_utils.Database) -> list[QuickReply]:
    rows = db.execute(
        f"SELECT {_COLUMNS} FROM quick_replies ORDER BY category, title, id").fetchall()
    return [_record(r) for r in rows]


def reply(db: sqlite_utils.Database, reply_id: str) -> QuickReply | None:
    row = db.execute(f"SELECT {_COLUMNS} FROM quick_replies WHERE id=?", [reply_id]).fetchone()
    return None if row is None else _record(row)


def states(db: sqlite_utils.Database) -> dict[str, tuple[ReplyState, str | None]]:
    return {r[0]: (ReplyState(r[1]), r[2])
            for r in db.execute("SELECT id, state, error FROM quick_replies").fetchall()}


# ---- the outbox's side ------------------------------------------------------------------


def local_save(db: sqlite_utils.Database, reply: QuickReply) -> dict[str, object]:
    """The agent's edit, shown at once; returns how to undo it (the outbox's revert)."""
    before = db.execute(f"SELECT {_COLUMNS} FROM quick_replies WHERE id=?",
                        [reply.id]).fetchone()
    upsert(db, reply, ReplyState.PENDING)
    return {"reply_id": reply.id, "before": None if before is None else list(before)}


def local_delete(db: sqlite_utils.Database, reply_id: str) -> dict[str, object] | None:
    before = db.execute(f"SELECT {_COLUMNS} FROM quick_replies WHERE id=?",
                        [reply_id]).fetchone()
    if before is None:
        return None
    db.execute("DELETE FROM quick_replies WHERE id=?", [reply_id])
    return {"reply_id": reply_id, "before": list(before)}


def resolved(db: sqlite_utils.Database, command: SaveQuickReply | DeleteQuickReply) -> Changes:
    """The hub applied the edit (its event came first, skipped while pending)."""
    if isinstance(command, SaveQuickReply) and command.reply_id not in _pending_ids(db):
        db.execute("UPDATE quick_replies SET state=?, error=NULL WHERE id=?",
                   [int(ReplyState.SYNCED), command.reply_id])
    return Changes(quick_replies=True)


def rejected(db: sqlite_utils.Database, command: SaveQuickReply | DeleteQuickReply, code: str,
             revert: dict[str, object] | None) -> Changes:
    """The hub refused the edit: put the reply back as it was before it."""
    before = revert.get("before") if revert else None
    if isinstance(before, list):
        db.execute(
            f"INSERT OR REPLACE INTO quick_replies ({_COLUMNS}, state, error) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [*before, int(ReplyState.SYNCED), None],
        )
    elif isinstance(command, SaveQuickReply):
        # New and refused: kept, marked, so the agent's text is not lost.
        db.execute("UPDATE quick_replies SET state=?, error=? WHERE id=?",
                   [int(ReplyState.REFUSED), code, command.reply_id])
    return Changes(quick_replies=True)
