"""A desktop's follow-ups: the owner's list, and the intents that make and change them.

Held by ``AgentService`` as ``service.followups``. Local first: an intent changes the
cached follow-up at once and puts a command in the outbox (sent once the link is
up, safe to repeat); the hub's ``followup_changed`` then stores what it decided.
A refused command puts the follow-up back as it was (or removes a refused new one).
Countdowns are computed from ``due_at`` by the views; core keeps no timers.
"""

from __future__ import annotations

import time
from collections.abc import Callable

import msgspec

from core.cache.cache import Cache
from core.followups import followup_cache
from core.protocol import followups as fp
from core.records import Changes
from core.sync.outbox import Outbox, new_id

Wake = Callable[[], None]
Announce = Callable[[Changes], None]
MAX_NOTE_CHARS = 2000


class FollowUpError(ValueError):
    """An intent core refuses before it reaches the hub (the UI words it)."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def _now_ms() -> int:
    return int(time.time() * 1000)


class FollowUpsClient:
    def __init__(self, cache: Cache, outbox: Outbox, announce: Announce, wake: Wake,
                 agent_id: Callable[[], str | None],
                 clock_ms: Callable[[], int] = _now_ms) -> None:
        self._cache = cache
        self._outbox = outbox
        self._announce = announce
        self._wake = wake
        self._agent_id = agent_id
        self._clock_ms = clock_ms
        # op -> the follow-up before the intent (None: it was new), to undo a refusal.
        self._before: dict[str, fp.FollowUp | None] = {}

    # ---- reads -----------------------------------------------------------------------

    def mine(self) -> list[fp.FollowUp]:
        """Soonest due first, solved ones last."""
        return followup_cache.read_all(self._cache)

    def followup(self, followup_id: str) -> fp.FollowUp | None:
        return followup_cache.read(self._cache, followup_id)

    def of_conversation(self, conversation_id: str) -> list[fp.FollowUp]:
        return [f for f in self.mine() if f.conversation_id == conversation_id]

    # ---- intents ---------------------------------------------------------------------

    def create(self, conversation_id: str, customer_id: str, customer_name: str,
               kind: fp.FollowUpKind, due_at: int, note: str = "") -> str:
        """A follow-up of the conversation, owned by this agent; its id."""
        note = note.strip()
        if len(note) > MAX_NOTE_CHARS:
            raise FollowUpError("note_too_long")
        now = self._clock_ms()
        if due_at <= now:
            raise FollowUpError("due_in_past")
        followup_id = new_id()
        local = fp.FollowUp(
            id=followup_id, conversation_id=conversation_id, customer_id=customer_id,
            customer_name=customer_name, kind=kind, status=fp.FollowUpStatus.OPEN,
            source=fp.FollowUpSource.CHAT, due_at=due_at, remind_at=due_at, created_at=now,
            updated_at=now, owner_id=self._agent_id(), note=note)
        self._queue(fp.CreateFollowUp(op=new_id(), followup_id=followup_id,
                                      conversation_id=conversation_id, kind=kind,
                                      due_at=due_at, note=note), None, local)
        return followup_id

    def set_status(self, followup_id: str, status: fp.FollowUpStatus, note: str | None = None
                   ) -> None:
        before = self._existing(followup_id)
        solved_at = self._clock_ms() if status == fp.FollowUpStatus.SOLVED else None
        after = msgspec.structs.replace(before, status=status, solved_at=solved_at,
                                        note=before.note if note is None else note.strip())
        self._queue(fp.UpdateFollowUp(op=new_id(), followup_id=followup_id, status=status,
                                      note=note), before, after)

    def set_due(self, followup_id: str, due_at: int) -> None:
        if due_at <= self._clock_ms():
            raise FollowUpError("due_in_past")
        before = self._existing(followup_id)
        after = msgspec.structs.replace(before, due_at=due_at, reminded_at=None)
        self._queue(fp.UpdateFollowUp(op=new_id(), followup_id=followup_id, due_at=due_at),
                    before, after)

    def _existing(self, followup_id: str) -> fp.FollowUp:
        followup = followup_cache.read(self._cache, followup_id)
        if followup is None:
            raise FollowUpError("not_found")
        return followup

    def _queue(self, command: fp.FollowUpCommand, before: fp.FollowUp | None,
               after: fp.FollowUp) -> None:
        with self._cache.db.atomic():
            followup_cache.store(self._cache, after)
            self._outbox.queue(command)
        self._before[command.op] = before
        self._announce(Changes(followups=True))
        self._wake()

    # ---- answers ---------------------------------------------------------------------

    def owns(self, op: str) -> bool:
        return op in self._before

    def acked(self, op: str) -> None:
        self._before.pop(op, None)

    def rejected(self, op: str, followup_id: str | None) -> Changes:
        """Undo the intent's local change: the follow-up as it was, or gone if new."""
        before = self._before.pop(op, None)
        with self._cache.db.atomic():
            if before is not None:
                followup_cache.store(self._cache, before)
            elif followup_id is not None:
                self._cache.db.execute("DELETE FROM followups WHERE id=?", [followup_id])
        return Changes(followups=True)

    def listed(self, frame: fp.FollowUps) -> Changes:
        """The hub's list after the welcome replaces the cached one."""
        return followup_cache.replace_all(self._cache, frame)
