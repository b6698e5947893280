"""Retention: stored data older than the reports file says is removed, and each run
is written to ``retention_runs`` (what, how old, how many rows of which table).

Kinds (reports.toml ``[retention]``), each by its own clock:

* conversations — closed conversations closed before the cutoff, with everything
  that hangs off them: messages and their sentiment, mails (rows, raw bytes,
  attachments, thread), calls, offers, SLA breaches, bot records, suggestion
  verdicts, ratings, NPS answers, quality scores and their audit. The contact log
  (``contact_segments``: times and ids, no content) stays, so past figures do.
* transcripts — the text of messages of conversations closed before the cutoff is
  emptied and received mail's bytes dropped (the conversation stays); the bot's
  unanswered questions go; agents' event streams lose events older than the
  cutoff, except each agent's newest ``REPLAY_LIMIT`` (a desktop may still
  replay from those).
* recordings — call records (``calls``: times, quality reports, notes) and call
  recordings (``call_recordings`` rows and their files) older than the cutoff; and,
  whatever the cutoff, every recording past its queue's own retention
  (``delete_after``, from ``recording_retention_days`` in the routing file). The
  access audit of recordings (``recording_access``) stays. Files are deleted
  after the rows' transaction committed; a closed conversation's recordings go
  with it.
* scores — quality scores (and their audit trail), CSAT ratings and NPS answers
  older than the cutoff.

Work goes in batches of ``BATCH`` conversations, one transaction each, so a large
purge never holds the database for long; a run that stops half way is finished
by the next one.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from core.protocol.followups import FollowUpStatus
from hub.store import schema as t
from hub.supervision.reports.settings import DataKind, RetentionSettings

DAY_MS = 86_400_000
BATCH = 500
REPLAY_LIMIT = 20_000  # hub.service.REPLAY_LIMIT: events a desktop may replay
# What goes with a conversation, children first (foreign keys).
WITH_CONVERSATION = (t.message_sentiment, t.suggestion_feedback, t.email_threads, t.calls,
                     t.sip_calls,
                     t.offers, t.sla_breaches, t.bot_unanswered, t.bot_conversations,
                     t.conversation_ratings, t.nps_answers, t.quality_audit, t.quality_scores,
                     t.coaching_notes, t.conversation_monitors, t.outreach_log, t.routing_waiting,
                     t.messages)
# What goes with a conversation through rows of its own (call transcripts and their
# segments, which hold no conversation id).
WITH_CHILDREN = (t.call_transcripts,)
# What goes with a conversation and has files on disk (deleted after the rows).
WITH_FILES = (t.call_recordings,)
# Tables with a conversation id that retention leaves alone, and why.
KEPT = {
    "contact_segments": "times and ids for past figures, no content",
    "quality_cursor": "where scoring is, not data of a conversation",
    "supervision_audit": "the audit trail of supervisors' commands (who, what, when)",
    "recording_access": "the audit of who played or downloaded a recording",
    "audit_log": "append-only and hash-chained (hub/access/audit_log.py): who did what, no "
    "content; removing a row breaks the chain",
}


@dataclass(frozen=True)
class Removed:
    kind: DataKind
    days: int
    cutoff: int
    removed: int
    detail: dict[str, int]


def _delete(conn: Connection, table: sa.Table, where: sa.ColumnElement[bool],
            counts: Counter[str]) -> None:
    counts[table.name] += conn.execute(table.delete().where(where)).rowcount or 0


def _drop_recordings(conn: Connection, where: sa.ColumnElement[bool], counts: Counter[str],
                     files: list[str]) -> None:
    """Delete recording rows; their files are deleted by the caller after commit."""
    files.extend(conn.execute(sa.select(t.call_recordings.c.path).where(where)).scalars())
    _delete(conn, t.call_recordings, where, counts)


def _unlink(directory: Path | None, files: list[str], counts: Counter[str]) -> None:
    for name in files:
        if directory is None:
            continue
        path = directory / name
        try:
            path.unlink()
            counts["recording_files"] += 1
        except FileNotFoundError:
            pass
        except OSError:
            counts["recording_files_not_deleted"] += 1
    files.clear()


def _purge_conversations(conn: Connection, ids: Sequence[str], counts: Counter[str],
                         files: list[str]) -> None:
    _drop_recordings(conn, t.call_recordings.c.conversation_id.in_(ids), counts, files)
    # What was said in the conversation's calls (segments first: they point at the call).
    tr = t.call_transcripts.c
    transcribed = sa.select(tr.call_id).where(tr.conversation_id.in_(ids)).scalar_subquery()
    _delete(conn, t.call_transcript_segments,
            t.call_transcript_segments.c.call_id.in_(transcribed), counts)
    _delete(conn, t.call_transcripts, tr.conversation_id.in_(ids), counts)
    m = t.messages.c
    msg_ids = sa.select(m.id).where(m.conversation_id.in_(ids)).scalar_subquery()
    raw_ids = sa.select(t.email_raw.c.id).where(t.email_raw.c.message_id.in_(msg_ids))
    _delete(conn, t.email_raw_data, t.email_raw_data.c.raw_id.in_(raw_ids), counts)
    _delete(conn, t.email_messages, t.email_messages.c.conversation_id.in_(ids), counts)
    _delete(conn, t.email_raw, t.email_raw.c.message_id.in_(msg_ids), counts)
    _delete(conn, t.email_attachments, t.email_attachments.c.message_id.in_(msg_ids), counts)
    followup_ids = sa.select(t.followups.c.id).where(t.followups.c.conversation_id.in_(ids))
    _delete(conn, t.followup_mails, t.followup_mails.c.followup_id.in_(followup_ids), counts)
    _delete(conn, t.followups, t.followups.c.conversation_id.in_(ids), counts)
    for table in WITH_CONVERSATION:
        _delete(conn, table, table.c.conversation_id.in_(ids), counts)
    _delete(conn, t.conversations, t.conversations.c.id.in_(ids), counts)


def _closed_before(conn: Connection, cutoff: int, after: str, limit: int) -> list[str]:
    """Closed before ``cutoff``, and with no follow-up still being worked on (a
    follow-up outlives its conversation's close; the conversation waits for it)."""
    c, f = t.conversations.c, t.followups.c
    unsolved = sa.select(f.conversation_id).where(f.status != FollowUpStatus.SOLVED.value)
    return list(conn.execute(
        sa.select(c.id).where(c.status == "closed", c.closed_at < cutoff, c.id > after,
                              c.id.not_in(unsolved))
        .order_by(c.id).limit(limit)).scalars())


def conversations(engine: Engine, cutoff: int, recordings_dir: Path | None = None
                  ) -> Counter[str]:
    counts: Counter[str] = Counter()
    files: list[str] = []
    after = ""
    while True:
        with engine.begin() as conn:
            ids = _closed_before(conn, cutoff, after, BATCH)
            if ids:
                _purge_conversations(conn, ids, counts, files)
        _unlink(recordings_dir, files, counts)
        if len(ids) < BATCH:
            return counts
        after = ids[-1]


def transcripts(engine: Engine, cutoff: int, recordings_dir: Path | None = None
                ) -> Counter[str]:
    counts: Counter[str] = Counter()
    m = t.messages.c
    after = ""
    while True:
        with engine.begin() as conn:
            ids = _closed_before(conn, cutoff, after, BATCH)
            if ids:
                counts["messages"] += conn.execute(
                    t.messages.update().where(m.conversation_id.in_(ids), m.text != "")
                    .values(text="")).rowcount or 0
                msg_ids = sa.select(m.id).where(m.conversation_id.in_(ids)).scalar_subquery()
                raw = sa.select(t.email_raw.c.id).where(t.email_raw.c.message_id.in_(msg_ids))
                _delete(conn, t.email_raw_data, t.email_raw_data.c.raw_id.in_(raw), counts)
                counts["email_raw"] += conn.execute(
                    t.email_raw.update().where(t.email_raw.c.message_id.in_(msg_ids),
                                               sa.func.length(t.email_raw.c.data) > 0)
                    .values(data=b"")).rowcount or 0
        if len(ids) < BATCH:
            break
        after = ids[-1]
    with engine.begin() as conn:
        _delete(conn, t.bot_unanswered, t.bot_unanswered.c.created_at < cutoff, counts)
        e, a = t.agent_events.c, t.agents.c
        for agent_id, head in conn.execute(sa.select(a.id, a.head_seq)).all():
            _delete(conn, t.agent_events, sa.and_(
                e.agent_id == agent_id, e.ts < cutoff, e.seq <= int(head) - REPLAY_LIMIT),
                counts)
    return counts


def recordings(engine: Engine, cutoff: int | None, recordings_dir: Path | None = None,
               now: int | None = None) -> Counter[str]:
    """Call records and recordings older than ``cutoff`` (None: none by age), and
    recordings past their own ``delete_after`` at ``now``."""
    counts: Counter[str] = Counter()
    files: list[str] = []
    r = t.call_recordings.c
    with engine.begin() as conn:
        if now is not None:
            _drop_recordings(conn, sa.and_(r.delete_after.is_not(None), r.delete_after < now),
                             counts, files)
        if cutoff is not None:
            _drop_recordings(conn, r.stored_at < cutoff, counts, files)
            _delete(conn, t.calls, t.calls.c.ended_at < cutoff, counts)
    _unlink(recordings_dir, files, counts)
    return counts


def scores(engine: Engine, cutoff: int, recordings_dir: Path | None = None) -> Counter[str]:
    counts: Counter[str] = Counter()
    q = t.quality_scores.c
    with engine.begin() as conn:
        old = sa.select(q.conversation_id).where(q.scored_at < cutoff)
        _delete(conn, t.quality_audit, t.quality_audit.c.conversation_id.in_(old), counts)
        _delete(conn, t.quality_scores, q.scored_at < cutoff, counts)
        _delete(conn, t.conversation_ratings, t.conversation_ratings.c.rated_at < cutoff,
                counts)
        _delete(conn, t.nps_answers, t.nps_answers.c.answered_at < cutoff, counts)
    return counts


_PURGE = {DataKind.CONVERSATIONS: conversations, DataKind.TRANSCRIPTS: transcripts,
          DataKind.SCORES: scores}
_MAIN = {DataKind.CONVERSATIONS: "conversations", DataKind.TRANSCRIPTS: "messages",
         DataKind.RECORDINGS: "calls", DataKind.SCORES: "quality_scores"}


def enforce(engine: Engine, settings: RetentionSettings, now: int, trigger: str = "schedule",
            recordings_dir: Path | None = None) -> list[Removed]:
    """Remove what is older than each kind's period (0 days: kept for ever) and the
    recordings past their queue's retention, and write one audit row per kind.
    ``recordings_dir``: where the hub keeps recording files (deleted with their rows)."""
    done = []
    for kind in DataKind:
        days = settings.days[kind]
        if kind is DataKind.RECORDINGS:
            cutoff = now - days * DAY_MS if days > 0 else 0
            counts = recordings(engine, cutoff if days > 0 else None, recordings_dir, now)
            if days <= 0 and not any(counts.values()):
                continue
        elif days <= 0:
            continue
        else:
            cutoff = now - days * DAY_MS
            counts = _PURGE[kind](engine, cutoff, recordings_dir)
        detail = {k: v for k, v in sorted(counts.items()) if v}
        removed = Removed(kind, days, cutoff, detail.get(_MAIN[kind], 0), detail)
        with engine.begin() as conn:
            conn.execute(t.retention_runs.insert().values(
                ran_at=now, kind=kind.value, days=days, cutoff=cutoff, removed=removed.removed,
                detail=json.dumps(detail), trigger=trigger))
        done.append(removed)
    return done
