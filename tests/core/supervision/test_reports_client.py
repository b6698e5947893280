"""The desktop's reports client without a hub: answers matched by op, refusals and
a lost connection raise ReportUnavailable with the code, offline asks nothing; the
range rules and the CSV layout of a history."""

from __future__ import annotations

import asyncio
import csv
import datetime as dt
from pathlib import Path

import pytest

from core.protocol import reports as rp
from core.supervision.history_table import RangeError, day_range_ms, write_csv
from core.supervision.reports_client import ReportsClient, ReportUnavailable, week_name


class Hub:
    def __init__(self, live: bool = True) -> None:
        self.live = live
        self.sent: list[rp.ReportsCommand] = []

    def request(self, frame: rp.ReportsCommand) -> bool:
        if self.live:
            self.sent.append(frame)
        return self.live


async def test_answers_refusals_and_a_lost_connection() -> None:
    client, hub = ReportsClient(), Hub()
    client.attach(hub.request)
    asked = asyncio.ensure_future(client.history(0, 86_400_000, rp.HistoryGrouping.QUEUE))
    await asyncio.sleep(0)
    [frame] = hub.sent
    assert isinstance(frame, rp.ReportHistory) and frame.by is rp.HistoryGrouping.QUEUE
    assert client.owns(frame.op)
    client.frame_received(rp.HistoryReport(op="someone-else", by=frame.by, columns=[], rows=[]))
    answer = rp.HistoryReport(op=frame.op, by=frame.by, columns=["conversations"],
                              rows=[rp.HistoryRow(key="billing", values=[3])])
    client.frame_received(answer)
    assert await asked == answer and not client.owns(frame.op)

    refused = asyncio.ensure_future(client.make_weekly_report(0))
    await asyncio.sleep(0)
    client.failed(hub.sent[-1].op, "forbidden", "reports are for supervisors")
    with pytest.raises(ReportUnavailable) as err:
        await refused
    assert err.value.code == "forbidden"

    lost = asyncio.ensure_future(client.weekly_reports())
    await asyncio.sleep(0)
    client.connection_lost()
    with pytest.raises(ReportUnavailable) as err:
        await lost
    assert err.value.code == "offline"


async def test_offline_asks_nothing() -> None:
    client, hub = ReportsClient(), Hub(live=False)
    client.attach(hub.request)
    with pytest.raises(ReportUnavailable) as err:
        await client.weekly_reports()
    assert err.value.code == "offline" and not client._waiting
    with pytest.raises(ReportUnavailable):  # no hub address yet
        await client.download(0, "report.pdf", Path("."))
    client.set_hub("http://127.0.0.1:9", "t")
    with pytest.raises(ReportUnavailable) as err:
        await client.download(0, "../../etc/passwd", Path("."))
    assert err.value.code == "invalid"


def test_ranges_and_the_csv_layout(tmp_path: Path) -> None:
    assert day_range_ms(dt.date(2025, 8, 4), dt.date(2025, 8, 10)) == (
        1_754_265_600_000, 1_754_265_600_000 + 7 * 86_400_000)
    assert week_name(1_754_265_600_000) == "2025-08-04"
    with pytest.raises(RangeError) as bad:
        day_range_ms(dt.date(2025, 8, 4), dt.date(2025, 8, 3))
    assert bad.value.reason == "end_before_start"
    day_range_ms(dt.date(2025, 1, 1), dt.date(2025, 1, 1) + dt.timedelta(days=91))
    with pytest.raises(RangeError) as bad:
        day_range_ms(dt.date(2025, 1, 1), dt.date(2025, 1, 1) + dt.timedelta(days=92))
    assert bad.value.reason == "too_long"
    report = rp.HistoryReport(op="x", by=rp.HistoryGrouping.CHANNEL,
                              columns=["conversations", "csat_average"],
                              rows=[rp.HistoryRow(key="chat", values=[5, None]),
                                    rp.HistoryRow(key="售后", values=[1, 4.5])])
    out = tmp_path / "h.csv"
    write_csv(report, out)
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")
    with out.open(encoding="utf-8-sig") as f:
        assert list(csv.reader(f)) == [["channel", "conversations", "csat_average"],
                                       ["chat", "5", ""], ["售后", "1", "4.5"]]
    assert not (tmp_path / "h.csv.part").exists()
