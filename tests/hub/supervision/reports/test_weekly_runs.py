"""The weekly reports in the supervisor workspace: the hub lists the weeks it has
made (scheduled or asked for), makes a past week on a supervisor's request (once,
even when asked twice at once), refuses weeks that have not ended and agents, and
hands out only the files it made."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from core.protocol import agent as ap
from core.protocol import reports as rp
from core.protocol.codec import agent_server_decoder
from hub.composition import HubParts, compose
from hub.config import HubConfig
from hub.routing.offers import VirtualClock
from hub.store import schema as t
from hub.store.schema import migrate
from hub.store.store import Store, create_engine
from hub.supervision.reports.demo_week import WEEK_MS, generate
from hub.supervision.reports.scheduler import week_folder, week_start
from hub.supervision.reports.weekly_runs import WeeklyRequestError, WeeklyRuns

MONDAY = week_start(2900 * WEEK_MS) + WEEK_MS  # 2025-08-04
_decode = agent_server_decoder().decode


@pytest.fixture
def hub(tmp_path: Path) -> Iterator[tuple[HubParts, str, str]]:
    db = tmp_path / "hub.sqlite3"
    engine = create_engine(db)
    migrate(engine)
    store = Store(engine)
    generate(engine, MONDAY, 300, seed=5, previous_week=False)
    parts = compose(store, HubConfig(db=str(db)), clock=VirtualClock())
    agent = store.create_agent("lina", "李娜", "h")
    boss = store.create_agent("wang", "王伟", "h", "supervisor")
    yield parts, agent, boss
    parts.service.stopped()
    engine.dispose()


def _weekly(parts: HubParts) -> WeeklyRuns:
    assert parts.service.reports is not None and parts.service.reports.weekly is not None
    return parts.service.reports.weekly


async def _ask(parts: HubParts, agent_id: str, frame: rp.ReportsCommand) -> object:
    got: asyncio.Future[str] = asyncio.get_running_loop().create_future()
    assert parts.service.reports is not None
    parts.service.reports.request(agent_id, frame, got.set_result)
    return _decode(await asyncio.wait_for(got, 60))


async def test_a_supervisor_makes_a_past_week_and_it_is_listed_with_its_files(
        hub: tuple[HubParts, str, str], tmp_path: Path) -> None:
    parts, _, boss = hub
    listed = await _ask(parts, boss, rp.ListWeeklyReports(op="l1"))
    assert listed == rp.WeeklyReports(op="l1", reports=[])
    made = await _ask(parts, boss, rp.MakeWeeklyReport(op="m1", week_ms=MONDAY))
    assert isinstance(made, rp.WeeklyReports) and made.op == "m1"
    [report] = made.reports
    assert (report.week_ms, report.state, report.files) == (
        MONDAY, rp.WeeklyReportState.READY, ["report.html", "report.pdf"])
    assert report.made_at is not None
    folder = week_folder(tmp_path / "hub.sqlite3.reports", MONDAY)
    assert folder.name == "2025-08-04" and (folder / "report.pdf").read_bytes()[:4] == b"%PDF"
    weekly = _weekly(parts)
    assert weekly.path("2025-08-04", "report.html") == folder / "report.html"
    # Only what the hub made: other names, weeks, days and paths get nothing.
    for week, name in (("2025-08-04", "summary.csv"), ("2025-08-11", "report.pdf"),
                       ("2025-08-05", "report.pdf"), ("2025-02-30", "report.pdf"),
                       ("../2025-08-04", "report.pdf"), ("2025-08-04", "../report.pdf")):
        assert weekly.path(week, name) is None
    # The scheduled run of the same week is listed once, with the newest time.
    with parts.store.engine.begin() as conn:
        conn.execute(t.report_runs.insert().values(job="weekly", period=MONDAY,
                                                   started_at=1, finished_at=2, outcome="ok"))
        conn.execute(t.report_runs.insert().values(
            job="weekly", period=MONDAY - WEEK_MS, started_at=1, finished_at=2,
            outcome="failed: the disk is full"))
    listed = await _ask(parts, boss, rp.ListWeeklyReports(op="l2"))
    assert isinstance(listed, rp.WeeklyReports)
    assert [(r.week_ms, r.state, r.made_at == report.made_at) for r in listed.reports] == [
        (MONDAY, rp.WeeklyReportState.READY, True),
        (MONDAY - WEEK_MS, rp.WeeklyReportState.FAILED, False)]
    assert [r.week_ms for r in weekly.reports(limit=1)] == [MONDAY]


async def test_agents_are_forbidden_and_bad_weeks_get_a_clear_error(
        hub: tuple[HubParts, str, str]) -> None:
    parts, agent, boss = hub
    for frame in (rp.ListWeeklyReports(op="a1"), rp.MakeWeeklyReport(op="a2", week_ms=MONDAY)):
        refused = await _ask(parts, agent, frame)
        assert isinstance(refused, ap.Error) and (refused.code, refused.op) == (
            "forbidden", frame.op)
    with parts.store.engine.connect() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(t.report_runs)
                            .where(t.report_runs.c.job == "weekly_request")).scalar() == 0
    for week, words in ((MONDAY + 3_600_000, "Monday"),
                        (week_start(_weekly(parts).clock()), "not ended")):
        refused = await _ask(parts, boss, rp.MakeWeeklyReport(op="b", week_ms=week))
        assert isinstance(refused, ap.Error) and refused.code == "invalid"
        assert words in refused.message


def test_a_week_asked_for_twice_at_once_is_made_once(hub: tuple[HubParts, str, str]) -> None:
    parts = hub[0]
    started, release = threading.Event(), threading.Event()
    made: list[int] = []

    def slow_write(week: int) -> None:
        made.append(week)
        started.set()
        assert release.wait(10)

    weekly = WeeklyRuns(parts.store.engine, Path("unused"), slow_write)
    first = threading.Thread(target=weekly.make, args=(MONDAY,))
    first.start()
    assert started.wait(10)
    with pytest.raises(WeeklyRequestError) as busy:
        weekly.make(MONDAY)
    assert busy.value.code == "conflict"
    [running] = weekly.reports()
    assert running.state is rp.WeeklyReportState.MAKING
    release.set()
    first.join(10)
    assert made == [MONDAY]
    # Done: asked again, it is made again (after a fix to the data, say).
    release.set()
    weekly.make(MONDAY)
    assert made == [MONDAY, MONDAY]


def test_a_failed_request_is_recorded(hub: tuple[HubParts, str, str]) -> None:
    parts = hub[0]

    def broken(week: int) -> None:
        raise OSError("no space left on device")

    weekly = WeeklyRuns(parts.store.engine, Path("unused"), broken)
    with pytest.raises(OSError):
        weekly.make(MONDAY)
    [failed] = weekly.reports()
    assert failed.state is rp.WeeklyReportState.FAILED and failed.files == []
    with parts.store.engine.connect() as conn:
        outcome = conn.execute(sa.select(t.report_runs.c.outcome)).scalar()
    assert outcome == "failed: no space left on device"
