"""Historical and weekly reports in the supervisor workspace, as 王伟 (``wang``)
against a real hub holding a generated week of traffic: the History page shows
figures equal to the hub's metric code (table, chart, and a CSV export equal to
``zuoxi-hub report history``'s), bad ranges are explained; the week's report is
made, listed, downloaded and opened. An agent (``lina``) has none of it and the
hub refuses her every read and file.

Screenshots (``ZUOXI_SCREENSHOTS=<folder>``): the History and Weekly reports pages
at 1920x1080, in English and in Chinese.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QLocale, Qt, QUrl
from PySide6.QtWidgets import QApplication

from core.protocol import reports as rp
from core.supervision.reports_client import ReportUnavailable
from desktop.app import DesktopApp, Options
from desktop.credentials import CredentialStore
from desktop.settings import Settings
from desktop.translations import install_translators
from hub.process import HubProcess
from hub.store.store import create_engine
from hub.supervision.reports.csat_nps import Grouping
from hub.supervision.reports.demo_week import WEEK_MS, generate
from hub.supervision.reports.history import history, write_history_csv
from hub.supervision.reports.scheduler import week_folder, week_start
from hub.supervision.reports.wiring import service_levels
from tests.ui.conftest import run
from tests.ui.desktop_runner import running_desktop, sign_in
from ui.shell.shortcut_sheet import shortcut_rows
from ui.supervision.history_model import SORT_ROLE
from ui.supervision.supervision_actions import SupervisionActions

SHOTS = os.environ.get("ZUOXI_SHOTS_HISTORY", os.environ.get("ZUOXI_SCREENSHOTS", ""))
MONDAY = week_start(2900 * WEEK_MS) + WEEK_MS  # 2025-08-04
FIRST, LAST = dt.date(2025, 8, 4), dt.date(2025, 8, 10)


@pytest.fixture
def traffic_hub(make_hub: Callable[..., HubProcess]) -> Iterator[HubProcess]:
    """The demo hub, with 300 generated conversations in the week of 2025-08-04."""
    hub = make_hub()
    engine = create_engine(str(hub.db_path))
    generate(engine, MONDAY, 300, seed=11, previous_week=False)
    engine.dispose()
    yield hub


def expected(hub: HubProcess, grouping: Grouping) -> list[tuple[str, tuple[Any, ...]]]:
    engine = create_engine(str(hub.db_path))
    try:
        table = history(engine, MONDAY, MONDAY + WEEK_MS, grouping, service_levels(engine))
    finally:
        engine.dispose()
    return table.rows


def open_pages(qtbot: Any, actions: SupervisionActions, tmp_path: Path) -> None:
    workspace = actions.open_workspace()
    assert workspace is not None and actions.history is not None and actions.weekly is not None
    weekly = actions.weekly
    weekly.download_dir = tmp_path / "cache" / "reports"
    weekly.opener = lambda url: True
    # The list asked for on opening has arrived.
    qtbot.waitUntil(lambda: not weekly.busy.isVisibleTo(weekly), timeout=15_000)


def show(qtbot: Any, actions: SupervisionActions, by: rp.HistoryGrouping) -> None:
    view = actions.history
    assert view is not None
    view.set_range(FIRST, LAST, by)
    window = actions.workspace
    assert window is not None
    window.pages.setCurrentWidget(view)  # its keys work while it shows
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=5_000)
    view.table.setFocus()
    with qtbot.waitSignal(view.loaded, timeout=15_000):
        qtbot.keyClick(view.table, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
        assert view.busy.isVisibleTo(view)  # shown while the hub computes
    assert not view.busy.isVisibleTo(view)


def test_wang_reads_the_history_exports_it_and_opens_the_weekly_report(
        qapp: Any, qloop: asyncio.AbstractEventLoop, qtbot: Any,
        traffic_hub: HubProcess, tmp_path: Path) -> None:
    hub = traffic_hub
    with running_desktop(qapp, qtbot, hub.url, tmp_path) as app:
        sign_in(qtbot, app, "wang")
        assert app.signed is not None
        window = app.signed.window
        actions = window.supervision
        qtbot.waitUntil(lambda: actions.allowed, timeout=5_000)
        open_pages(qtbot, actions, tmp_path)
        workspace, view, weekly = actions.workspace, actions.history, actions.weekly
        assert workspace is not None and view is not None and weekly is not None
        keys = {r.text: r.keys for r in shortcut_rows(window)}
        assert (keys["Show History"], keys["Show Weekly reports"]) == ("Alt+2", "Alt+3")
        assert keys["Export the history as CSV"] == "Ctrl+S"
        qtbot.keyClick(workspace, Qt.Key.Key_2, Qt.KeyboardModifier.AltModifier)
        assert workspace.pages.currentWidget() is view

        # Per day: every figure the hub's metric code makes, in the table and chart.
        show(qtbot, actions, rp.HistoryGrouping.DAY)
        report = view.model.report
        assert report is not None and report.by is rp.HistoryGrouping.DAY
        rows = [(r.key, tuple(r.values)) for r in report.rows]
        assert rows == expected(hub, Grouping.DAY) and len(rows) == 7
        assert sum(v[0] for _, v in rows) == 300
        assert view.chart.shown["conversations"] == [float(v[0]) for _, v in rows]
        level = report.columns.index("service_level_pct")
        assert view.sorted.headerData(1 + level, Qt.Orientation.Horizontal) == "Service level"
        first = view.sorted.index(0, 1 + level).data()
        assert first == "—" if rows[0][1][level] is None else first.endswith("%")
        # Sorted by conversations, most first.
        view.table.sortByColumn(1, Qt.SortOrder.DescendingOrder)
        counts = [view.sorted.index(r, 1).data(SORT_ROLE) for r in range(view.sorted.rowCount())]
        assert counts == sorted((float(v[0]) for _, v in rows), reverse=True)

        # CSV: the same bytes as the hub's own export of the range.
        out = tmp_path / "history-day.csv"
        view.export()
        dialog = view.export_dialog
        assert dialog is not None and dialog.isVisible()
        dialog.selectFile(str(out))
        dialog.accept()
        assert not dialog.isVisible()
        engine = create_engine(str(hub.db_path))
        reference = tmp_path / "reference.csv"
        write_history_csv(history(engine, MONDAY, MONDAY + WEEK_MS, Grouping.DAY,
                                  service_levels(engine)), Grouping.DAY, reference)
        engine.dispose()
        assert out.read_bytes() == reference.read_bytes()
        assert view.status.text() == f"Exported to {out}."

        # Per channel (names in the supervisor's words) and per agent.
        show(qtbot, actions, rp.HistoryGrouping.CHANNEL)
        assert view.model.report is not None
        assert [(r.key, tuple(r.values)) for r in view.model.report.rows] == \
            expected(hub, Grouping.CHANNEL)
        names = {view.model.index(r, 0).data() for r in range(view.model.rowCount())}
        assert names == {"Chat", "Voice", "Email"}
        show(qtbot, actions, rp.HistoryGrouping.AGENT)
        assert view.model.report is not None
        assert [(r.key, tuple(r.values)) for r in view.model.report.rows] == \
            expected(hub, Grouping.AGENT)
        shown = {view.model.index(r, 0).data() for r in range(view.model.rowCount())}
        ids = {r.key for r in view.model.report.rows}
        assert shown and not shown & ids  # agents by their names, not their ids

        # Ranges the hub would refuse are explained before anything is asked.
        view.set_range(LAST, FIRST, rp.HistoryGrouping.DAY)
        view.load()
        assert view.status.text() == "The last day must not be before the first."
        view.set_range(FIRST, FIRST + dt.timedelta(days=92), rp.HistoryGrouping.DAY)
        view.load()
        assert view.status.text().startswith("Choose at most 92 days")
        assert view.model.report is not None and view.model.report.by is \
            rp.HistoryGrouping.AGENT  # the last figures stay

        # The week's report: made on request, listed, downloaded and opened.
        qtbot.keyClick(workspace, Qt.Key.Key_3, Qt.KeyboardModifier.AltModifier)
        assert workspace.pages.currentWidget() is weekly
        weekly.week.setDate(weekly.week.date().fromString("2025-08-06", "yyyy-MM-dd"))
        with qtbot.waitSignal(weekly.loaded, timeout=60_000):
            qtbot.mouseClick(weekly.make_button, Qt.MouseButton.LeftButton)
            assert weekly.busy.isVisibleTo(weekly)
        made = [r for r in weekly.shown if r.week_ms == MONDAY]
        assert [(r.state, r.files) for r in made] == [
            (rp.WeeklyReportState.READY, ["report.html", "report.pdf"])]
        row = weekly.shown.index(made[0])
        assert weekly.selected() == made[0]  # the week just made is chosen
        assert weekly.table.item(row, 0).text() == "2025-08-04 – 2025-08-10"
        assert weekly.open_pdf.isEnabled()
        opened: list[QUrl] = []

        def opener(url: QUrl) -> bool:
            opened.append(url)
            return True

        weekly.opener = opener
        weekly.table.setFocus()
        with qtbot.waitSignal(weekly.loaded, timeout=15_000):
            qtbot.keyClick(weekly.table, Qt.Key.Key_O, Qt.KeyboardModifier.ControlModifier
                           | Qt.KeyboardModifier.ShiftModifier)
        folder = week_folder(Path(f"{hub.db_path}.reports"), MONDAY)
        pdf = tmp_path / "cache" / "reports" / "weekly-2025-08-04-report.pdf"
        assert weekly.opened == [pdf] and opened == [QUrl.fromLocalFile(str(pdf))]
        assert pdf.read_bytes() == (folder / "report.pdf").read_bytes()
        assert pdf.read_bytes()[:4] == b"%PDF"
        with qtbot.waitSignal(weekly.loaded, timeout=15_000):
            qtbot.mouseClick(weekly.open_page, Qt.MouseButton.LeftButton)
        page = pdf.with_name("weekly-2025-08-04-report.html")
        assert weekly.opened[-1] == page
        assert page.read_bytes() == (folder / "report.html").read_bytes()
        # A week that has not ended is refused with words, not a crash.
        weekly.week.setDate(weekly.week.date().currentDate())
        with qtbot.waitSignal(weekly.loaded, timeout=15_000):
            weekly.make()
        assert weekly.status.text() == "Choose a week that has ended."
        if SHOTS:
            save_shots(qtbot, actions, "en")


def save_shots(qtbot: Any, actions: SupervisionActions, language: str) -> None:
    workspace, view, weekly = actions.workspace, actions.history, actions.weekly
    assert workspace is not None and view is not None and weekly is not None
    workspace.resize(1920, 1080)
    show(qtbot, actions, rp.HistoryGrouping.DAY)
    for page, name in ((view, "history"), (weekly, "history-weekly")):
        workspace.pages.setCurrentWidget(page)
        qtbot.wait(300)  # let the layout settle before the grab (not a proof of anything)
        workspace.grab().save(str(Path(SHOTS) / f"screenshot-supervisor-{name}-{language}.png"))


def _get(url: str, token: str | None) -> int:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    try:
        with urllib.request.urlopen(urllib.request.Request(url, headers=headers),
                                    timeout=10) as response:
            return int(response.status)
    except urllib.error.HTTPError as exc:
        return exc.code


def test_an_agent_has_no_reports_and_the_hub_refuses_her(
        qapp: Any, qloop: asyncio.AbstractEventLoop, qtbot: Any,
        traffic_hub: HubProcess, tmp_path: Path) -> None:
    hub = traffic_hub
    folder = week_folder(Path(f"{hub.db_path}.reports"), MONDAY)
    folder.mkdir(parents=True)
    (folder / "report.pdf").write_bytes(b"%PDF-1.4 a report")
    with running_desktop(qapp, qtbot, hub.url, tmp_path) as app:
        sign_in(qtbot, app, "lina")
        assert app.signed is not None
        window, service = app.signed.window, app.signed.service
        actions = window.supervision
        assert actions.open_workspace() is None and actions.history is None
        assert not {"Show History", "Show Weekly reports"} & {
            r.text for r in shortcut_rows(window)}
        # Asked anyway (a modified desktop): the hub refuses every read and file.
        reports = service.reports
        for asked in (reports.history(MONDAY, MONDAY + WEEK_MS, rp.HistoryGrouping.DAY),
                      reports.weekly_reports(), reports.make_weekly_report(MONDAY),
                      reports.download(MONDAY, "report.pdf", tmp_path / "got")):
            async def refused(coro: Any = asked) -> str:
                try:
                    await coro
                except ReportUnavailable as exc:
                    return exc.code
                return "answered"
            assert run(qtbot, qloop, refused()) == "forbidden"
        assert not (tmp_path / "got").exists()
        url = f"{hub.url}/api/reports/weekly/2025-08-04/report.pdf"
        assert _get(url, None) == 401
        assert _get(url, "not-a-token") == 401


@pytest.mark.skipif(not SHOTS, reason="screenshots only (ZUOXI_SCREENSHOTS)")
def test_chinese_screenshots(qapp: Any, qloop: asyncio.AbstractEventLoop, qtbot: Any,
                             traffic_hub: HubProcess, tmp_path: Path) -> None:
    previous_locale = QLocale()
    translators = install_translators(qapp, "zh_CN")
    hub = traffic_hub
    app = DesktopApp(qapp, Options(hub_url=hub.url, data_dir=tmp_path / "data",
                                   language="zh_CN"),
                     Settings(tmp_path / "settings.ini"), CredentialStore())
    app.start()
    try:
        sign_in(qtbot, app, "wang")
        assert app.signed is not None
        actions = app.signed.window.supervision
        qtbot.waitUntil(lambda: actions.allowed, timeout=5_000)
        open_pages(qtbot, actions, tmp_path)
        weekly = actions.weekly
        assert weekly is not None
        weekly.week.setDate(weekly.week.date().fromString("2025-08-04", "yyyy-MM-dd"))
        with qtbot.waitSignal(weekly.loaded, timeout=60_000):
            weekly.make()
        save_shots(qtbot, actions, "zh")
    finally:
        finished: list[int] = []
        app.finished.connect(finished.append)
        app.quit()
        qtbot.waitUntil(lambda: bool(finished), timeout=15_000)
        for translator in translators:
            qapp.removeTranslator(translator)
        QLocale.setDefault(previous_locale)
