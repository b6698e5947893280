"""The cache's side of call transcripts: who said what in a call, for the timeline's
transcript view and for offline search (FTS5 trigram, like messages).

A transcript arrives in the agent's stream (``call_transcribed``, for calls the
agent took) or with a conversation's transcript read (any call the agent may
see). Either way it replaces what the cache held for that call, in the caller's
transaction.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlite_utils import Database

from core.protocol import call as cl
from core.records import CachedSegment, Changes


def store(db: Database, transcript: cl.CallTranscript) -> None:
    db.execute("DELETE FROM call_segments WHERE call_id=?", [transcript.call_id])
    for seq, seg in enumerate(transcript.segments):
        db.execute(
            "INSERT INTO call_segments (call_id, seq, conversation_id, speaker, at, start_ms, "
            "end_ms, text, language) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [transcript.call_id, seq, transcript.conversation_id, seg.speaker.value,
             transcript.started_at + seg.start_ms, seg.start_ms, seg.end_ms, seg.text,
             seg.language])


def apply_event(db: Database, body: cl.CallTranscribed) -> Changes:
    store(db, body.transcript)
    row = db.execute("SELECT customer_id FROM conversations WHERE id=?",
                     [body.transcript.conversation_id]).fetchone()
    # The customer's timeline shows the call's first words.
    return Changes(conversations={body.transcript.conversation_id},
                   timelines={row[0]} if row else set())


def store_all(db: Database, transcripts: Iterable[cl.CallTranscript]) -> None:
    with db.atomic():
        for transcript in transcripts:
            store(db, transcript)


def segments(db: Database, conversation_id: str) -> list[CachedSegment]:
    rows = db.execute(
        "SELECT call_id, seq, speaker, at, start_ms, end_ms, text, language FROM call_segments "
        "WHERE conversation_id=? ORDER BY at, call_id, seq", [conversation_id]).fetchall()
    return [CachedSegment(r[0], int(r[1]), cl.TranscriptSpeaker(r[2]), int(r[3]), int(r[4]),
                          int(r[5]), r[6], r[7]) for r in rows]
