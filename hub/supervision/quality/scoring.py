"""Scoring closed conversations: the catch-up worker and the rescore of a period.

The worker walks closed conversations in closing order from a stored cursor, a
batch per transaction (scores, audit entries and the cursor commit together), so
a restart resumes where it stopped and nothing is scored twice or missed. It looks
back ``lag_ms`` behind the cursor for conversations whose close committed late
(another hub process), skipping those already scored for the same close. A
conversation reopened and closed again is scored anew.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import sqlalchemy as sa

from core.protocol import agent as ap
from core.protocol.models import Channel
from hub.routing.config import BusinessHours, RoutingSettings
from hub.store import schema as t
from hub.store.base import now_ms
from hub.store.database import Database
from hub.store.health import is_storage_error, storage_problem
from hub.supervision.quality import score_store
from hub.supervision.quality.facts import FactsReader, TranscriptSource, no_transcripts
from hub.supervision.quality.inspection import inspect
from hub.supervision.quality.response_times import ReplyStandards
from hub.supervision.quality.review import review_reason
from hub.supervision.quality.rules import QualityRules

log = logging.getLogger(__name__)

BATCH = 200
c = t.conversations.c


def first_reply_standards(chat_s: float, email_hours: float, voice_s: float,
                          hours: BusinessHours | None = None) -> ReplyStandards:
    """The channels' first-reply standards in seconds (routing.toml [sla]); with
    ``hours`` an email's wait counts the business hours only, as its standard does."""
    return ReplyStandards([(Channel.CHAT, chat_s), (Channel.EMAIL, email_hours * 3600),
                           (Channel.VOICE, voice_s)], hours)


def scorer_for(db: Database, routing: RoutingSettings, rules: QualityRules,
               transcripts: TranscriptSource = no_transcripts, **options: Any) -> QualityScorer:
    """A scorer with the routing file's service levels and transfer message;
    ``transcripts`` gives calls their text."""
    standards = first_reply_standards(routing.chat_first_reply_s,
                                      routing.email_first_reply_business_h,
                                      routing.voice_answer_s, routing.hours)
    return QualityScorer(db, rules, standards,
                         FactsReader(routing.transfer_message, transcripts), **options)


class QualityScorer:
    def __init__(self, db: Database, rules: QualityRules, standards: Mapping[Channel, float],
                 reader: FactsReader, clock: Callable[[], int] = now_ms,
                 lag_ms: int = 600_000, settle_ms: int = 1_000, poll_s: float = 30.0) -> None:
        self.db = db
        self.rules = rules
        self.standards: Mapping[Channel, float] = (
            standards if isinstance(standards, ReplyStandards) else dict(standards))
        self.reader = reader
        self.clock = clock
        self.lag_ms = lag_ms
        # Sentiment of the last messages is stored a moment after them: wait for it.
        self.settle_ms = settle_ms
        self.poll_s = poll_s
        self._wake: asyncio.Event | None = None
        self._task: asyncio.Task[None] | None = None

    # ---- scoring ----------------------------------------------------------------------

    def _score_rows(self, conn: sa.Connection, rows: Sequence[sa.Row[Any]], now: int) -> None:
        scored = []
        for facts in self.reader.facts(conn, rows):
            inspection = inspect(self.rules, facts, self.standards)
            reason = review_reason(facts.conversation_id, inspection, self.rules.settings)
            scored.append((facts, inspection, reason))
        score_store.save(conn, scored, self.rules.version, now)

    def score_batch(self, batch: int = BATCH) -> int:
        """Score the next closed, unscored conversations; how many were scored."""
        now = self.clock()
        with self.db.unit() as conn:
            start = score_store.cursor(conn, lock=True) - self.lag_ms
            q = t.quality_scores.c
            unscored = sa.select(q.conversation_id).where(
                q.conversation_id == c.id, q.closed_at == c.closed_at).exists()
            rows = self.reader.conversations(
                conn, sa.and_(c.closed_at >= start, c.closed_at <= now - self.settle_ms,
                              c.agent_id.is_not(None), ~unscored), limit=batch)
            if not rows:
                return 0
            self._score_rows(conn, rows, now)
            score_store.set_cursor(conn, int(rows[-1].closed_at), rows[-1].id)
        return len(rows)

    def score_pending(self) -> int:
        """Score every closed conversation not scored yet."""
        total = 0
        while True:
            done = self.score_batch()
            total += done
            if done < BATCH:
                return total

    def rescore(self, from_ms: int, to_ms: int,
                progress: Callable[[int, int], None] | None = None) -> int:
        """Score again every conversation closed in [from_ms, to_ms) with the current
        rules (after a rule change); ``progress(done, total)`` after each batch."""
        period = sa.and_(c.closed_at >= from_ms, c.closed_at < to_ms, c.agent_id.is_not(None),
                         c.status == "closed")
        with self.db.connect() as conn:
            total = int(conn.execute(sa.select(sa.func.count()).select_from(t.conversations)
                                     .where(period)).scalar_one())
        done, after = 0, (from_ms - 1, "")
        while True:
            with self.db.unit() as conn:
                rows = self.reader.conversations(conn, sa.and_(
                    period, sa.tuple_(c.closed_at, c.id) > sa.tuple_(*after)), limit=BATCH)
                if not rows:
                    break
                self._score_rows(conn, rows, self.clock())
            done += len(rows)
            after = (int(rows[-1].closed_at), rows[-1].id)
            if progress is not None:
                progress(done, total)
        return done

    # ---- in the hub -------------------------------------------------------------------

    def published(self, agent_id: str, events: Sequence[ap.Event]) -> None:
        """Events just sent to an agent: a closed conversation wakes the worker."""
        if self._wake is not None and any(
                isinstance(e.body, ap.ConversationClosed) for e in events):
            self._wake.set()

    def start(self) -> None:
        """Run the worker on the running loop: catch up now, then after each close."""
        self._wake = asyncio.Event()
        self._task = asyncio.get_running_loop().create_task(self._run(), name="quality-scoring")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    async def _run(self) -> None:
        assert self._wake is not None
        while True:
            self._wake.clear()
            try:
                await asyncio.to_thread(self.score_pending)
            except Exception as exc:
                if is_storage_error(exc):
                    log.warning("quality scores not stored: %s", storage_problem(exc))
                else:
                    log.exception("quality scoring failed")
            with contextlib.suppress(TimeoutError):
                # A close settles for a moment (its sentiment) before it is scored.
                await asyncio.wait_for(self._wake.wait(), self.poll_s)
                await asyncio.sleep(self.settle_ms / 1000)
