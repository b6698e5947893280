"""The cache's side of monitoring and coaching: notes, joins, monitored conversations.

Applied inside the cache's event transaction (``Cache.apply_events``). A coaching
note and a supervisor's joining are kept apart from messages: they are shown
beside the conversation, marked as coaching, and never sent anywhere. A monitored
conversation is stored like any other, but not assigned (it is not in the inbox).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from core.protocol import coaching as cop
from core.records import Changes

if TYPE_CHECKING:
    from core.cache.cache import Cache

COACHING_EVENTS = (cop.MonitorStarted, cop.MonitorEnded, cop.CoachingNoteAdded,
                   cop.SupervisorJoined, cop.AgentStateSet)
NOTE = "note"
JOINED = "joined"


@dataclass(frozen=True)
class CoachingItem:
    """A coaching note (``kind`` "note") or a supervisor joining ("joined")."""

    id: str
    conversation_id: str
    kind: str
    author_name: str
    text: str
    created_at: int


@dataclass(frozen=True)
class MonitoredConversation:
    conversation_id: str
    agent_name: str | None
    barged: bool
    since: int


def apply_event(cache: Cache, body: cop.CoachingEvent, ts: int) -> Changes:
    db = cache.db
    if isinstance(body, cop.MonitorStarted):
        conv = body.conversation
        cache.store_customer(body.customer)
        cache.store_conversation(conv, assigned=False)
        changes = Changes(conversations={conv.id}, customers={body.customer.id},
                          coaching={conv.id}, monitors=True)
        for message in sorted(body.messages, key=lambda m: m.created_at):
            changes.merge(cache.store_message(message, count_unread=False, receipt_due=False))
        for note in body.notes:
            _store_note(cache, note)
        db.execute(
            "INSERT INTO monitored_conversations (conversation_id, agent_name, barged, since) "
            "VALUES (?, ?, ?, ?) ON CONFLICT(conversation_id) DO UPDATE SET "
            "agent_name=excluded.agent_name, barged=excluded.barged",
            [conv.id, body.agent_name, int(body.barged), ts])
        return changes
    if isinstance(body, cop.MonitorEnded):
        db.execute("DELETE FROM monitored_conversations WHERE conversation_id=?",
                   [body.conversation_id])
        return Changes(monitors=True)
    if isinstance(body, cop.CoachingNoteAdded):
        _store_note(cache, body.note)
        return Changes(coaching={body.note.conversation_id})
    if isinstance(body, cop.SupervisorJoined):
        db.execute(
            "INSERT OR IGNORE INTO coaching_notes (id, conversation_id, kind, author_id, "
            "author_name, text, created_at) VALUES (?, ?, ?, ?, ?, '', ?)",
            [f"joined:{body.conversation_id}:{body.supervisor_id}", body.conversation_id,
             JOINED, body.supervisor_id, body.supervisor_name, ts])
        if cache.agent() is not None and body.supervisor_id == _me(cache):
            db.execute("UPDATE monitored_conversations SET barged=1 WHERE conversation_id=?",
                       [body.conversation_id])
        return Changes(coaching={body.conversation_id}, monitors=True)
    # AgentStateSet: the presence events that follow carry the change itself.
    return Changes()


def _me(cache: Cache) -> str | None:
    agent = cache.agent()
    return agent.id if agent is not None else None


def _store_note(cache: Cache, note: cop.CoachingNote) -> None:
    cache.db.execute(
        "INSERT OR IGNORE INTO coaching_notes (id, conversation_id, kind, author_id, "
        "author_name, text, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
        [note.id, note.conversation_id, NOTE, note.author_id, note.author_name, note.text,
         note.created_at])


def items(cache: Cache, conversation_id: str) -> list[CoachingItem]:
    rows = cache.db.execute(
        "SELECT id, conversation_id, kind, author_name, text, created_at FROM coaching_notes "
        "WHERE conversation_id=? ORDER BY created_at, id", [conversation_id]).fetchall()
    return [CoachingItem(*row) for row in rows]


def monitored(cache: Cache) -> list[MonitoredConversation]:
    rows = cache.db.execute(
        "SELECT m.conversation_id, m.agent_name, m.barged, m.since "
        "FROM monitored_conversations m JOIN conversations c ON c.id = m.conversation_id "
        "WHERE c.status = 'open' ORDER BY m.since DESC").fetchall()
    return [MonitoredConversation(r[0], r[1], bool(r[2]), r[3]) for r in rows]
