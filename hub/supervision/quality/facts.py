"""What inspection needs of closed conversations, read from the store in bulk.

A batch of conversations costs a handful of queries (messages, sentiment, calls),
never one per conversation, so scoring keeps up with a large center.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from core.protocol.models import Channel, MessageAuthor
from hub.store import schema as t
from hub.supervision.quality.inspection import Facts, Mood
from hub.supervision.quality.response_times import Utterance

# A call's transcript, when the telephony side made one: conversation id -> segments.
TranscriptSource = Callable[[Sequence[str]], dict[str, list[Utterance]]]

_CHUNK = 500
_AUTHORS = {a.value: a for a in MessageAuthor}
_CONVERSATION_COLUMNS = (
    t.conversations.c.id, t.conversations.c.channel, t.conversations.c.agent_id,
    t.conversations.c.queue_id, t.conversations.c.created_at, t.conversations.c.closed_at,
    t.conversations.c.transfer_note,
)


def no_transcripts(conversation_ids: Sequence[str]) -> dict[str, list[Utterance]]:
    """Until the telephony side stores transcripts, calls have none."""
    return {}


@dataclass(frozen=True)
class FactsReader:
    """``transfer_message`` is the routing file's text the hub posts at a transfer."""

    transfer_message: str
    transcripts: TranscriptSource = no_transcripts

    def conversations(self, conn: Connection, where: Any, limit: int | None = None,
                      ) -> list[sa.Row[Any]]:
        query = (sa.select(*_CONVERSATION_COLUMNS)
                 .where(t.conversations.c.status == "closed", where)
                 .order_by(t.conversations.c.closed_at, t.conversations.c.id))
        if limit is not None:
            query = query.limit(limit)
        return list(conn.execute(query))

    def facts(self, conn: Connection, rows: Sequence[sa.Row[Any]]) -> list[Facts]:
        """The facts of the conversations ``rows`` (of ``conversations()``), in order."""
        ids = [r.id for r in rows]
        lines: dict[str, list[Utterance]] = {i: [] for i in ids}
        transfers: dict[str, list[Utterance]] = {i: [] for i in ids}
        at: dict[str, int] = {}
        m = t.messages.c
        for chunk in _chunks(ids):
            for mid, cid, author, text, created in conn.execute(
                    sa.select(m.id, m.conversation_id, m.author, m.text, m.created_at)
                    .where(m.conversation_id.in_(chunk))
                    .order_by(m.conversation_id, m.created_at)):
                line = Utterance(mid, _AUTHORS.get(author, MessageAuthor.SYSTEM), text, created)
                at[mid] = created
                if line.author is MessageAuthor.SYSTEM and text == self.transfer_message:
                    transfers[cid].append(line)
                else:
                    lines[cid].append(line)
        moods: dict[str, list[Mood]] = {i: [] for i in ids}
        s = t.message_sentiment.c
        for chunk in _chunks(ids):
            for mid, cid, sentiment, score, created in conn.execute(
                    sa.select(s.message_id, s.conversation_id, s.sentiment, s.score,
                              s.created_at).where(s.conversation_id.in_(chunk))):
                moods[cid].append(Mood(mid, float(score), sentiment == "negative",
                                       at.get(mid, created)))
        answered = self._answers(conn, [r.id for r in rows if r.channel == "voice"])
        voice_ids = [r.id for r in rows if r.channel == "voice"]
        transcripts = self.transcripts(voice_ids) if voice_ids else {}
        out = []
        for r in rows:
            channel = Channel(r.channel)
            answer_at = answered.get(r.id)
            text = lines[r.id]
            has_text = True
            if channel is Channel.VOICE:
                segments = transcripts.get(r.id)
                has_text = bool(segments)
                text = sorted(segments or [], key=lambda u: u.at)
            out.append(Facts(
                conversation_id=r.id, channel=channel, agent_id=r.agent_id,
                queue_id=r.queue_id, closed_at=int(r.closed_at), lines=tuple(text),
                has_text=has_text,
                moods=tuple(sorted(moods[r.id], key=lambda mood: mood.at)),
                answer_wait_ms=None if answer_at is None else max(0, answer_at - r.created_at),
                answered_at=answer_at, transfers=tuple(transfers[r.id]),
                transfer_note=r.transfer_note,
            ))
        return out

    @staticmethod
    def _answers(conn: Connection, voice_ids: list[str]) -> dict[str, int]:
        """When each call was first answered (its first answered leg)."""
        c = t.calls.c
        answered: dict[str, int] = {}
        for chunk in _chunks(voice_ids):
            for cid, first in conn.execute(
                    sa.select(c.conversation_id, sa.func.min(c.answered_at))
                    .where(c.conversation_id.in_(chunk), c.answered_at.is_not(None))
                    .group_by(c.conversation_id)):
                answered[cid] = int(first)
        return answered


def _chunks(ids: Iterable[str]) -> Iterable[list[str]]:
    batch: list[str] = []
    for i in ids:
        batch.append(i)
        if len(batch) == _CHUNK:
            yield batch
            batch = []
    if batch:
        yield batch
