"""Historical reports: the CSV export per day, hour, queue, channel and agent equals
the metric code's figures, and the supervisor workspace's ``report_history`` answers
supervisors only."""

from __future__ import annotations

import asyncio
import csv
from collections.abc import Iterator
from pathlib import Path

import msgspec
import pytest

from core.protocol import agent as ap
from core.protocol import reports as rp
from core.protocol.codec import agent_client_decoder, agent_server_decoder
from hub.cli import main
from hub.composition import HubParts, compose
from hub.feedback.figures import GroupBy, figures
from hub.routing.offers import VirtualClock
from hub.store.schema import migrate
from hub.store.store import Store, create_engine
from hub.supervision.reports.csat_nps import Grouping
from hub.supervision.reports.demo_week import WEEK_MS, generate
from hub.supervision.reports.history import history
from hub.supervision.reports.wiring import service_levels

WEEK = 2900 * WEEK_MS  # 2025-07-31
_decode = agent_server_decoder().decode


@pytest.fixture
def hub(tmp_path: Path) -> Iterator[tuple[HubParts, str, str, Path]]:
    db = tmp_path / "hub.sqlite3"
    engine = create_engine(db)
    migrate(engine)
    store = Store(engine)
    generate(engine, WEEK, 400, seed=3, previous_week=False)
    parts = compose(store, clock=VirtualClock())
    agent = store.create_agent("lina", "李娜", "h")
    boss = store.create_agent("wang", "王伟", "h", "supervisor")
    yield parts, agent, boss, db
    parts.service.stopped()
    engine.dispose()


def _read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig") as f:
        return list(csv.DictReader(f))


def test_csv_by_day_queue_and_agent_equals_the_feedback_figures(
        hub: tuple[HubParts, str, str, Path], tmp_path: Path) -> None:
    parts, _, _, db = hub
    for by, group in (("day", GroupBy.DAY), ("queue", GroupBy.QUEUE), ("agent", GroupBy.AGENT)):
        out = tmp_path / f"{by}.csv"
        assert main(["report", "history", "--db", str(db), "--from", "2025-07-31",
                     "--to", "2025-08-06", "--by", by, "--out", str(out)]) == 0
        rows = {r[by]: r for r in _read(out)}
        expected = figures(parts.store.engine, group, WEEK, WEEK + WEEK_MS)
        assert expected and {f.key for f in expected} <= set(rows)
        for f in expected:
            row = rows[f.key]
            assert int(row["csat_ratings"]) == f.csat.ratings
            assert (float(row["csat_average"]) if row["csat_average"] else None) == f.csat.average
            assert (float(row["nps"]) if row["nps"] else None) == f.nps.nps
        assert sum(int(r["conversations"]) for r in rows.values()) == 400
        assert sum(int(r["offered"]) for r in rows.values()) == 400
    hours = tmp_path / "hour.csv"
    assert main(["report", "history", "--db", str(db), "--from", "2025-07-31",
                 "--to", "2025-08-06", "--by", "hour", "--out", str(hours)]) == 0
    by_hour = _read(hours)
    assert len(by_hour) > 24 and by_hour[0]["hour"].endswith(":00")
    assert sum(int(r["conversations"]) for r in by_hour) == 400


def test_the_csv_service_levels_are_the_wallboards(hub: tuple[HubParts, str, str, Path],
                                                   tmp_path: Path) -> None:
    parts, _, _, db = hub
    out = tmp_path / "channel.csv"
    assert main(["report", "history", "--db", str(db), "--from", "2025-07-31",
                 "--to", "2025-08-06", "--by", "channel", "--out", str(out)]) == 0
    table = service_levels(parts.store.engine).table(WEEK, WEEK + WEEK_MS, Grouping.CHANNEL)
    rows = {r["channel"]: r for r in _read(out)}
    col = table.columns.index("service_level_pct")
    for key, values in table.rows:
        assert float(rows[key]["service_level_pct"]) == values[col]
        assert int(rows[key]["offered"]) == values[0]


def test_bad_ranges_get_a_clear_error(hub: tuple[HubParts, str, str, Path], tmp_path: Path,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    db = hub[3]
    assert main(["report", "history", "--db", str(db), "--from", "2025-08-06",
                 "--to", "2025-07-30", "--out", str(tmp_path / "x.csv")]) == 2
    assert "after its start" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["report", "history", "--db", str(db), "--from", "yesterday", "--to", "2025-07-30",
              "--out", str(tmp_path / "x.csv")])


async def _ask(parts: HubParts, agent_id: str, frame: rp.ReportHistory) -> object:
    got: asyncio.Future[str] = asyncio.get_running_loop().create_future()
    assert parts.service.reports is not None
    parts.service.reports.request(agent_id, frame, got.set_result)
    return _decode(await asyncio.wait_for(got, 10))


async def test_supervisors_get_the_history_and_agents_are_forbidden(
        hub: tuple[HubParts, str, str, Path]) -> None:
    parts, agent, boss, _ = hub
    wire = msgspec.json.encode({"type": "report_history", "op": "h1", "since_ms": WEEK,
                                "until_ms": WEEK + WEEK_MS, "by": "channel"})
    frame = agent_client_decoder().decode(wire)
    assert isinstance(frame, rp.ReportHistory)
    refused = await _ask(parts, agent, frame)
    assert isinstance(refused, ap.Error) and refused.code == "forbidden" and refused.op == "h1"
    answer = await _ask(parts, boss, frame)
    assert isinstance(answer, rp.HistoryReport) and answer.op == "h1"
    expected = history(parts.store.engine, WEEK, WEEK + WEEK_MS, Grouping.CHANNEL,
                       parts.service.reports.service_levels if parts.service.reports else None)
    assert answer.columns == list(expected.columns)
    assert [(r.key, tuple(r.values)) for r in answer.rows] == expected.rows
    too_long = rp.ReportHistory(op="h2", since_ms=0, until_ms=WEEK)
    refused = await _ask(parts, boss, too_long)
    assert isinstance(refused, ap.Error) and refused.code == "invalid"
