"""The cache's side of follow-ups: the follow-ups this agent owns.

Applied inside the cache's event transaction (``Cache.apply_events``); the list
sent after the welcome replaces the cached one in one transaction, so nothing a
dropped link missed stays stale. A follow-up that changed hands away from this
agent leaves the list.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import msgspec

from core.protocol import followups as fp
from core.records import Changes

if TYPE_CHECKING:
    from core.cache.cache import Cache

FOLLOWUP_EVENTS = (fp.FollowUpChanged, fp.FollowUpReminder)

_encode = msgspec.json.Encoder().encode
_decode = msgspec.json.Decoder(fp.FollowUp).decode


def _me(cache: Cache) -> str | None:
    agent = cache.agent()
    return agent.id if agent is not None else None


def store(cache: Cache, followup: fp.FollowUp) -> None:
    me = _me(cache)  # known once the hub welcomed this desktop
    if me is not None and followup.owner_id != me:
        cache.db.execute("DELETE FROM followups WHERE id=?", [followup.id])
        return
    cache.db.execute(
        "INSERT INTO followups (id, owner_id, status, due_at, body) VALUES (?, ?, ?, ?, ?) "
        "ON CONFLICT(id) DO UPDATE SET owner_id=excluded.owner_id, status=excluded.status, "
        "due_at=excluded.due_at, body=excluded.body",
        [followup.id, followup.owner_id, followup.status.value, followup.due_at,
         _encode(followup).decode()])


def apply_event(cache: Cache, body: fp.FollowUpChanged | fp.FollowUpReminder) -> Changes:
    store(cache, body.followup)
    changes = Changes(followups=True)
    if isinstance(body, fp.FollowUpReminder):
        changes.reminders.add(body.followup.id)
    return changes


def replace_all(cache: Cache, frame: fp.FollowUps) -> Changes:
    with cache.db.atomic():
        cache.db.execute("DELETE FROM followups")
        for followup in frame.followups:
            store(cache, followup)
    return Changes(followups=True)


def read_all(cache: Cache) -> list[fp.FollowUp]:
    """Soonest due first; solved ones last."""
    rows = cache.db.execute(
        "SELECT body FROM followups ORDER BY status = 'solved', due_at, id").fetchall()
    return [_decode(row[0]) for row in rows]


def read(cache: Cache, followup_id: str) -> fp.FollowUp | None:
    row = cache.db.execute("SELECT body FROM followups WHERE id=?", [followup_id]).fetchone()
    return None if row is None else _decode(row[0])
