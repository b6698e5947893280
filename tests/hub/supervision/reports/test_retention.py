"""Retention: what is older than its period is gone, with everything hanging off it;
everything else is untouched; each run is audited; the reports file is validated."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from hub.routing import config as routing_config
from hub.store import schema as t
from hub.store.base import create_engine
from hub.store.database import Database
from hub.supervision.quality import rules as quality_rules
from hub.supervision.quality.scoring import scorer_for
from hub.supervision.reports import retention
from hub.supervision.reports.demo_week import DAY_MS, WEEK_MS, generate
from hub.supervision.reports.settings import (
    DataKind,
    ReportsConfigError,
    RetentionSettings,
    load,
    parse,
)

NOW = 2960 * WEEK_MS  # 2026-09-24
OLD = NOW - 400 * DAY_MS  # 400 days ago: past a one-year period
RECENT = NOW - 3 * WEEK_MS


def _snapshot(engine: Engine, prefix: str) -> dict[str, list[tuple[object, ...]]]:
    """Every row about the conversations whose ids start with ``prefix``."""
    out = {}
    with engine.connect() as conn:
        for table in (*retention.WITH_CONVERSATION, t.contact_segments):
            rows = conn.execute(sa.select(table).where(table.c.conversation_id.like(f"{prefix}%"))
                                ).all()
            out[table.name] = sorted(tuple(r) for r in rows)
        conv = t.conversations
        out["conversations"] = sorted(tuple(r) for r in conn.execute(
            sa.select(conv).where(conv.c.id.like(f"{prefix}%"))))
    return out


def test_expired_data_is_gone_and_the_rest_untouched(hub_db: str) -> None:
    engine = create_engine(hub_db)
    t.migrate(engine)
    generate(engine, OLD, 120, seed=1, previous_week=False)  # ids w<day>-..., old
    generate(engine, RECENT, 120, seed=2, previous_week=False)
    scorer_for(Database(engine), routing_config.load(), quality_rules.load()).score_pending()
    old_prefix, new_prefix = f"w{OLD // DAY_MS}-", f"w{RECENT // DAY_MS}-"
    before_old = _snapshot(engine, old_prefix)
    before_new = _snapshot(engine, new_prefix)
    assert before_old["messages"] and before_old["quality_scores"]
    assert before_old["conversation_ratings"] and before_old["message_sentiment"]

    settings = RetentionSettings(days={DataKind.CONVERSATIONS: 365, DataKind.TRANSCRIPTS: 30,
                                       DataKind.RECORDINGS: 0, DataKind.SCORES: 0})
    done = retention.enforce(engine, settings, NOW, trigger="command")

    after_old = _snapshot(engine, old_prefix)
    for table, rows in after_old.items():
        if table == "contact_segments":  # the figures' facts stay
            assert rows == before_old[table]
        else:
            assert rows == [], f"{table} still has expired rows"
    # Recent conversations closed 3 weeks ago: inside every period, not a row changed.
    assert _snapshot(engine, new_prefix) == before_new
    by_kind = {r.kind: r for r in done}
    assert set(by_kind) == {DataKind.CONVERSATIONS, DataKind.TRANSCRIPTS}
    assert by_kind[DataKind.CONVERSATIONS].removed == 120
    assert by_kind[DataKind.CONVERSATIONS].detail["messages"] == 240
    with engine.connect() as conn:
        audit = conn.execute(sa.select(t.retention_runs).order_by(t.retention_runs.c.id)).all()
    assert [(a.kind, a.removed, a.trigger) for a in audit] == [
        ("conversations", 120, "command"), ("transcripts", 0, "command")]
    assert json.loads(audit[0].detail)["quality_scores"] == 120
    # Running again removes nothing more and says so.
    again = retention.enforce(engine, settings, NOW)
    assert [r.removed for r in again] == [0, 0]
    engine.dispose()


def test_transcripts_lose_their_text_and_keep_the_record(hub_db: str) -> None:
    engine = create_engine(hub_db)
    t.migrate(engine)
    generate(engine, OLD, 50, seed=4, previous_week=False)
    generate(engine, RECENT, 50, seed=5, previous_week=False)
    settings = RetentionSettings(days={DataKind.CONVERSATIONS: 0, DataKind.TRANSCRIPTS: 90,
                                       DataKind.RECORDINGS: 0, DataKind.SCORES: 90})
    retention.enforce(engine, settings, NOW)
    m = t.messages.c
    with engine.connect() as conn:
        texts = dict(conn.execute(sa.select(m.id, m.text)).all())
        convs = conn.execute(sa.select(sa.func.count()).select_from(t.conversations)).scalar()
        ratings = conn.execute(sa.select(t.conversation_ratings.c.conversation_id)).scalars()
        rated = list(ratings)
    old = [v for k, v in texts.items() if k.startswith(f"w{OLD // DAY_MS}-")]
    new = [v for k, v in texts.items() if k.startswith(f"w{RECENT // DAY_MS}-")]
    assert len(old) == len(new) == 100 and convs == 100
    assert set(old) == {""} and all(new)
    assert rated and all(r.startswith(f"w{RECENT // DAY_MS}-") for r in rated)
    engine.dispose()


def test_a_conversation_waits_for_its_unsolved_follow_up(hub_db: str) -> None:
    engine = create_engine(hub_db)
    t.migrate(engine)
    generate(engine, OLD, 3, seed=3, previous_week=False)
    with engine.begin() as conn:
        ids = sorted(conn.execute(sa.select(t.conversations.c.id, t.conversations.c.customer_id)
                                  .where(t.conversations.c.status == "closed")).all())
        assert len(ids) == 3
        for n, (conversation_id, customer_id) in enumerate(ids[:2]):
            conn.execute(t.followups.insert().values(
                id=f"fu-{n}", conversation_id=conversation_id, customer_id=customer_id,
                kind="callback", status="solved" if n == 0 else "open", source="agent",
                due_at=OLD, remind_at=OLD, created_at=OLD, updated_at=OLD))
            conn.execute(t.followup_mails.insert().values(
                followup_id=f"fu-{n}", kind="solved", to_addr="a@example.com",
                created_at=OLD, next_at=OLD))
    settings = RetentionSettings(days={DataKind.CONVERSATIONS: 365, DataKind.TRANSCRIPTS: 0,
                                       DataKind.RECORDINGS: 0, DataKind.SCORES: 0})
    [done] = retention.enforce(engine, settings, NOW)
    assert done.removed == 2  # the solved one's and the one without a follow-up
    with engine.connect() as conn:
        left = conn.execute(sa.select(t.conversations.c.id)).scalars().all()
        assert left == [ids[1][0]]  # its follow-up is still open
        assert conn.execute(sa.select(t.followups.c.id)).scalars().all() == ["fu-1"]
        assert conn.execute(sa.select(t.followup_mails.c.followup_id)).scalars().all() == [
            "fu-1"]
    engine.dispose()


def test_every_table_of_a_conversation_is_purged_or_kept_on_purpose() -> None:
    handled = {tb.name for tb in (*retention.WITH_CONVERSATION, *retention.WITH_FILES,
                                     *retention.WITH_CHILDREN)} | \
        set(retention.KEPT) | {
        "email_messages", "conversations", "followups"}
    with_id = {tb.name for tb in t.metadata.sorted_tables if "conversation_id" in tb.c}
    assert with_id <= handled, f"retention does not know {sorted(with_id - handled)}"


def test_the_reports_file_is_validated(tmp_path: Path) -> None:
    settings = load()
    assert settings.retention.days[DataKind.TRANSCRIPTS] == 365 and settings.weekly.weekday == 0
    bad = {
        "[retention]\nscores_days = -1\n": "scores_days must be a whole number",
        "[retention]\nconversation_days = 5\n": "unknown keys: conversation_days",
        "[weekly]\nweekday = \"funday\"\n": "weekday must be one of",
        "[weekly]\nemail_to = [\"nobody\"]\n": "not an address",
        "[retention]\nconversations_days = 30\ntranscripts_days = 60\n": "cannot be longer",
        "[weekly\n": "not valid TOML",
    }
    for text, problem in bad.items():
        path = tmp_path / "reports.toml"
        path.write_text(text)
        with pytest.raises(ReportsConfigError, match=problem):
            load(path)
    assert parse({"weekly": {"email_to": ["ops@example.com"]}}).weekly.email_to == (
        "ops@example.com",)
