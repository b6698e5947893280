"""The scheduled weekly report (written, mailed once through the hub's SMTP) and
the daily retention run: when each is due, and that several hub processes on one
database do each period's work once."""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa

from hub.email.config import EmailConfig, Security, SmtpSettings
from hub.store import schema as t
from hub.store.base import create_engine
from hub.supervision.reports.demo_week import DAY_MS, WEEK_MS, generate
from hub.supervision.reports.scheduler import (
    HOUR_MS,
    Mailer,
    ReportScheduler,
    due,
    week_start,
)
from hub.supervision.reports.settings import parse
from tests.support.smtp_server import SmtpServer

MONDAY = 2900 * WEEK_MS + 4 * DAY_MS  # 2025-08-04, a Monday


def test_when_each_job_is_due() -> None:
    assert week_start(MONDAY + 3 * DAY_MS + 5) == MONDAY
    assert week_start(MONDAY) == MONDAY
    settings = parse({"weekly": {"weekday": "monday", "hour": 6}, "retention": {"hour": 3}})
    # Monday 05:00: this week's report time has not come; last week's was due before.
    assert dict(due(settings, MONDAY + 5 * HOUR_MS)) == {
        "weekly": MONDAY - 2 * WEEK_MS, "retention": MONDAY}
    assert dict(due(settings, MONDAY + 6 * HOUR_MS)) == {
        "weekly": MONDAY - WEEK_MS, "retention": MONDAY}
    assert dict(due(settings, MONDAY + 2 * HOUR_MS))["retention"] == MONDAY - DAY_MS
    off = parse({"weekly": {"enabled": False}, "retention": {
        k: 0 for k in ("conversations_days", "transcripts_days", "recordings_days",
                       "scores_days")}})
    assert due(off, MONDAY) == []


def test_the_week_is_reported_and_mailed_once_across_processes(tmp_path: Path) -> None:
    engine = create_engine(tmp_path / "hub.sqlite3")
    t.migrate(engine)
    generate(engine, MONDAY - WEEK_MS, 300, seed=9, previous_week=False)
    server = SmtpServer().start()
    try:
        settings = parse({"weekly": {"email_to": ["ops@example.com", "lead@example.com"]}})
        mail = EmailConfig(mailbox="support@example.com", smtp=SmtpSettings(
            host="127.0.0.1", port=server.port, security=Security.PLAIN))
        now = MONDAY + 7 * HOUR_MS

        def scheduler() -> ReportScheduler:
            return ReportScheduler(engine, settings, tmp_path / "reports", None, None,
                                   Mailer(mail), clock=lambda: now)

        first, second = scheduler(), scheduler()  # two hub processes, one database
        outcomes = first.run_due()
        assert [o.split(":")[0] for o in outcomes] == ["weekly", "retention"]
        assert "mailed to 2" in outcomes[0]
        assert second.run_due() == []  # claimed: nothing twice
        folder = tmp_path / "reports" / "2025-07-28"
        assert (folder / "report.pdf").stat().st_size > 10_000
        [delivery] = server.deliveries
        assert sorted(delivery.recipients) == ["lead@example.com", "ops@example.com"]
        message = delivery.message
        assert "Weekly feedback report 2025-07-28" in str(message["Subject"])
        names = {part.get_filename() for part in message.iter_attachments()}
        assert names == {"report.pdf", "report.html"}
        body = message.get_body(("plain",))
        assert body is not None and "1. " in body.get_content()
        with engine.connect() as conn:
            runs = conn.execute(sa.select(t.report_runs)).all()
            audit = conn.execute(sa.select(t.retention_runs.c.trigger)).scalars().all()
        assert {(r.job, r.period) for r in runs} == {("weekly", MONDAY - WEEK_MS),
                                                     ("retention", MONDAY)}
        assert all(r.finished_at for r in runs) and set(audit) == {"schedule"}
    finally:
        server.stop()
        engine.dispose()


def test_a_failed_mail_is_recorded_and_not_retried_forever(tmp_path: Path) -> None:
    engine = create_engine(tmp_path / "hub.sqlite3")
    t.migrate(engine)
    server = SmtpServer(answers=["554 5.7.1 rejected"]).start()
    try:
        settings = parse({"weekly": {"email_to": ["ops@example.com"]},
                          "retention": {"conversations_days": 0, "transcripts_days": 0,
                                        "recordings_days": 0, "scores_days": 0}})
        mail = EmailConfig(mailbox="support@example.com", smtp=SmtpSettings(
            host="127.0.0.1", port=server.port, security=Security.PLAIN))
        sched = ReportScheduler(engine, settings, tmp_path / "reports", None, None,
                                Mailer(mail), clock=lambda: MONDAY + 7 * HOUR_MS)
        [outcome] = sched.run_due()
        assert outcome.startswith("weekly: failed:")
        assert server.deliveries == []
        with engine.connect() as conn:
            stored = conn.execute(sa.select(t.report_runs.c.outcome)).scalar()
        assert stored is not None and stored.startswith("failed:")
    finally:
        server.stop()
        engine.dispose()
