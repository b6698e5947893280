"""The weekly report over a generated week with injected complaint themes: the top
topics name the themes, with their trend and examples; the CSV figures are the
metric code's; the HTML is self-contained; the PDF renders."""

from __future__ import annotations

import csv
import html
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from hub.cli import main
from hub.feedback.figures import GroupBy, figures
from hub.routing import config as routing_config
from hub.store import schema as t
from hub.store.base import create_engine
from hub.store.database import Database
from hub.supervision import metrics
from hub.supervision.contact_log import load_contacts, load_presence
from hub.supervision.contacts import spans
from hub.supervision.quality import rules as quality_rules
from hub.supervision.quality.scoring import scorer_for
from hub.supervision.reports.demo_week import DEFAULT_THEMES, WEEK_MS, Generated, generate
from hub.supervision.reports.documents import html_page, write_all, write_csv
from hub.supervision.reports.tables import PENDING_QUALITY, PENDING_SERVICE, report_tables
from hub.supervision.reports.weekly import WeeklyReport, build_weekly
from hub.supervision.reports.wiring import quality_scores, service_levels

WEEK = 2900 * WEEK_MS  # 2025-07-31 00:00 UTC, a Thursday
HOSTILE = "<img src=x onerror=alert(1)> 快递 物流 太慢"


@dataclass
class Week:
    engine: Engine
    generated: Generated
    report: WeeklyReport
    out: Path


@pytest.fixture(scope="module")
def week(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Week]:
    root = tmp_path_factory.mktemp("week")
    engine = create_engine(root / "hub.sqlite3")
    t.migrate(engine)
    generated = generate(engine, WEEK, 3000, seed=11)
    with engine.begin() as conn:  # a customer's comment that is also HTML
        conn.execute(t.conversation_ratings.update()
                     .where(t.conversation_ratings.c.conversation_id
                            == generated.by_theme["delivery"][0])
                     .values(score=1, comment=HOSTILE))
    # Every conversation inspected by the quality rules, as the hub does after closing.
    scorer_for(Database(engine), routing_config.load(), quality_rules.load()).score_pending()
    report = build_weekly(engine, WEEK, WEEK + WEEK_MS, service_levels(engine),
                          quality_scores(engine))
    out = root / "out"
    write_all(report, out)
    yield Week(engine, generated, report, out)
    engine.dispose()


def test_top_topics_name_the_injected_themes(week: Week) -> None:
    topics = week.report.topics.topics
    top4 = topics[:4]
    for theme in DEFAULT_THEMES:
        topic = next((tp for tp in top4 if set(theme.keywords) & set(tp.keywords)), None)
        assert topic is not None, f"{theme.name} not among {[tp.label for tp in top4]}"
        injected = set(week.generated.by_theme[theme.name])
        # Every conversation the theme was injected into is counted in its topic...
        assert injected <= set(topic.conversations)
        # ... and the topic is about that theme, not a catch-all.
        assert len(topic.conversations) <= 1.1 * len(injected)
        assert all(c in injected for c, _ in topic.examples) and topic.examples
        before = week.generated.by_theme_before[theme.name]
        assert before <= topic.previous <= 1.1 * before + 5
    # Shares rose for delivery and app crashes, stayed for refunds: the trend says so.
    by_name = {th.name: next(tp for tp in top4 if set(th.keywords) & set(tp.keywords))
               for th in DEFAULT_THEMES}
    assert by_name["app_crash"].change_pct is not None and by_name["app_crash"].change_pct > 200
    assert by_name["delivery"].change > 0
    assert abs(by_name["refund"].change) < 0.3 * by_name["refund"].previous
    # The noise (generic complaints) comes after the themes.
    assert topics[0].count >= topics[-1].count


def test_csv_figures_equal_the_metric_code(week: Week) -> None:
    with (week.out / "csat_by_day.csv").open(encoding="utf-8-sig") as f:
        rows = list(csv.DictReader(f))
    expected = figures(week.engine, GroupBy.DAY, WEEK, WEEK + WEEK_MS)
    assert len(rows) == len(expected) == 7
    for row, fig in zip(rows, expected, strict=True):
        assert row["day"] == fig.key
        assert int(row["ratings"]) == fig.csat.ratings
        assert float(row["csat_average"]) == fig.csat.average
        assert float(row["satisfied_pct"]) == fig.csat.satisfied_pct
        assert int(row["nps_answers"]) == fig.nps.answers
        assert (float(row["nps"]) if row["nps"] else None) == fig.nps.nps
    with (week.out / "negative_topics.csv").open(encoding="utf-8-sig") as f:
        topics = list(csv.DictReader(f))
    assert [int(r["conversations"]) for r in topics] == [
        tp.count for tp in week.report.topics.topics]


def test_service_levels_csv_equals_the_wallboard_metric_code(week: Week) -> None:
    with (week.out / "service_levels.csv").open(encoding="utf-8-sig") as f:
        rows = {r["channel"]: r for r in csv.DictReader(f)}
    contacts = load_contacts(Database(week.engine), WEEK, WEEK + WEEK_MS)
    presence = list(spans(load_presence(Database(week.engine), WEEK, WEEK + WEEK_MS)))
    standards = metrics.Standards(routing_config.load())
    groups = metrics.grouped(contacts, lambda c: c.channel.value)
    assert set(rows) == set(groups) == {"chat", "email", "voice"}
    for channel, group in groups.items():
        agents = sorted({c.agent_id for c in group if c.agent_id})
        f = metrics.figures(group, presence, agents, standards, WEEK, WEEK + WEEK_MS,
                            all_contacts=contacts)
        row = rows[channel]
        assert int(row["offered"]) == f.offered > 0
        assert float(row["service_level_pct"]) == f.service_level.pct
        assert float(row["asa_s"]) == f.asa_s and float(row["aht_s"]) == f.aht_s
        assert float(row["occupancy_pct"]) == f.occupancy_pct


def test_quality_section_has_scores_and_most_failed_rules(week: Week) -> None:
    q = week.report.quality
    with week.engine.connect() as conn:
        closed = conn.execute(sa.select(sa.func.count()).select_from(t.conversations).where(
            t.conversations.c.closed_at >= WEEK,
            t.conversations.c.closed_at < WEEK + WEEK_MS)).scalar()
    assert q is not None and q.scored == closed and q.average is not None
    assert q.failed_rules and q.failed_rules[0][1] >= q.failed_rules[-1][1]
    with (week.out / "quality_rules.csv").open(encoding="utf-8-sig") as f:
        rows = list(csv.DictReader(f))
    assert [(r["rule"], int(r["conversations failing"])) for r in rows] == q.failed_rules


def test_sections_without_a_source_say_pending(week: Week) -> None:
    report = build_weekly(week.engine, WEEK, WEEK + WEEK_MS)
    assert report.service_levels is None and report.quality is None
    tables = report_tables(report)
    page = html_page(report, tables, [])
    assert html.escape(PENDING_SERVICE) in page and html.escape(PENDING_QUALITY) in page
    table = next(tb for tb in tables if tb.name == "service_levels")
    write_csv(table, week.out.parent / "pending.csv")
    with (week.out.parent / "pending.csv").open(encoding="utf-8-sig") as f:
        assert list(csv.reader(f)) == [["pending"], [PENDING_SERVICE]]


def test_html_is_self_contained_and_escapes_customer_text(week: Week) -> None:
    page = (week.out / "report.html").read_text(encoding="utf-8")
    assert "<script" not in page and "http://" not in page and "https://" not in page
    assert "<img src=x" not in page
    assert "src=\"data:image/png;base64," in page
    assert "快递" in page and "charged" in page


def test_pdf_pages_render(week: Week, tmp_path: Path) -> None:
    pdfium = pytest.importorskip("pypdfium2")
    doc = pdfium.PdfDocument(str(week.out / "report.pdf"))
    assert len(doc) >= 3
    for i in range(len(doc)):
        image = doc[i].render(scale=1).to_pil().convert("L")
        image.save(tmp_path / f"page{i}.png")
        low, high = image.getextrema()
        assert low < 100 and high > 200, f"page {i} is blank"
    text = "".join(doc[i].get_textpage().get_text_range() for i in range(len(doc)))
    assert "Top negative topics" in text and "Service levels by channel" in text


def test_cli_writes_the_files(week: Week, tmp_path: Path) -> None:
    db = week.engine.url.database
    assert db is not None
    out = tmp_path / "weekly"
    assert main(["report", "weekly", "--db", db, "--from", "2025-07-31", "--to", "2025-08-06",
                 "--out", str(out)]) == 0
    assert {"report.html", "report.pdf", "negative_topics.csv", "csat_by_day.csv"} <= {
        p.name for p in out.iterdir()}
    assert main(["report", "weekly", "--db", db, "--from", "2025-08-06", "--to", "2025-07-31",
                 "--out", str(out)]) == 2


def test_an_empty_week_is_a_report_of_nothing(tmp_path: Path) -> None:
    engine = create_engine(tmp_path / "empty.sqlite3")
    t.migrate(engine)
    report = build_weekly(engine, WEEK, WEEK + WEEK_MS)
    assert report.topics.topics == [] and report.feedback.csat.average is None
    written = write_all(report, tmp_path / "out")
    assert (tmp_path / "out" / "report.pdf") in written
    with engine.connect() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(t.conversations)).scalar() == 0
