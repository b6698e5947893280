"""The weekly report's files: a self-contained HTML page (charts inline as PNG,
no scripts, no remote loads; customers' text escaped), a PDF with the charts and
tables (matplotlib's PDF backend, CJK through the installed font) and one CSV
per table (UTF-8 with a byte-order mark, so spreadsheet programs read Chinese)."""

from __future__ import annotations

import base64
import csv
import html
import io
import textwrap
import time
from pathlib import Path

import numpy as np
from matplotlib.backends.backend_pdf import PdfPages
from matplotlib.figure import Figure
from matplotlib.image import imread

from hub.supervision.reports import charts
from hub.supervision.reports.tables import Cell, Table, report_tables
from hub.supervision.reports.weekly import WeeklyReport

TITLE = "Weekly feedback report / 每周反馈报告"
_CSS = """
body{font-family:"Noto Sans CJK SC","Microsoft YaHei",sans-serif;margin:2em;color:#222;
max-width:1100px}
h1{font-size:1.6em}h2{font-size:1.2em;margin-top:1.6em;border-bottom:1px solid #ccc}
table{border-collapse:collapse;font-size:.9em}td,th{border:1px solid #ddd;padding:4px 8px;
text-align:left;vertical-align:top}th{background:#f4f4f4}.pending{color:#a66;font-style:italic}
img{max-width:100%}
"""


def _cell(value: Cell) -> str:
    return "" if value is None else str(value)


def _stamp(ms: int) -> str:
    return time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime(ms // 1000))


def html_page(report: WeeklyReport, tables: list[Table], figures: list[Figure]) -> str:
    parts = [
        "<!DOCTYPE html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\">",
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
        "img-src data:; style-src 'unsafe-inline'\">",
        f"<title>{html.escape(TITLE)} {html.escape(report.period)}</title>",
        f"<style>{_CSS}</style></head><body>",
        f"<h1>{html.escape(TITLE)}</h1>",
        f"<p>{html.escape(report.period)} · generated {_stamp(report.generated_at)}</p>",
    ]
    for fig in figures:
        data = base64.b64encode(charts.png(fig)).decode("ascii")
        parts.append(f"<p><img alt=\"chart\" src=\"data:image/png;base64,{data}\"></p>")
    for table in tables:
        parts.append(f"<h2>{html.escape(table.title)}</h2>")
        if table.pending:
            parts.append(f"<p class=\"pending\">{html.escape(table.pending)}</p>")
            continue
        if not table.rows:
            parts.append("<p>none / 无</p>")
            continue
        head = "".join(f"<th>{html.escape(c)}</th>" for c in table.columns)
        body = "".join(
            "<tr>" + "".join(f"<td>{html.escape(_cell(v))}</td>" for v in row) + "</tr>"
            for row in table.rows)
        parts.append(f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>")
    parts.append("</body></html>")
    return "\n".join(parts)


def write_csv(table: Table, path: Path) -> None:
    with path.open("w", encoding="utf-8-sig", newline="") as out:
        writer = csv.writer(out)
        if table.pending:
            writer.writerow(["pending"])
            writer.writerow([table.pending])
            return
        writer.writerow(table.columns)
        writer.writerows([_cell(v) for v in row] for row in table.rows)


# ---- PDF -----------------------------------------------------------------------------

_A4 = (8.27, 11.69)
_LINE = 0.018  # of the page's height
_WRAP = 95


class _TextPages:
    """Lines of text laid out on A4 pages, a new page when one is full."""

    def __init__(self, pdf: PdfPages) -> None:
        self.pdf = pdf
        self.fig: Figure | None = None
        self.y = 0.0

    def line(self, text: str, size: float = 8.5, bold: bool = False, color: str = "#222"
             ) -> None:
        for piece in textwrap.wrap(text, _WRAP) or [""]:
            if self.fig is None or self.y < 0.05:
                self.flush()
                self.fig = Figure(figsize=_A4)
                self.y = 0.95
            self.fig.text(0.06, self.y, piece, fontsize=size,
                          fontweight="bold" if bold else "normal", color=color, va="top")
            self.y -= _LINE * size / 8.5

    def flush(self) -> None:
        if self.fig is not None:
            self.pdf.savefig(self.fig)
            self.fig = None


def _row_text(columns: list[str], row: list[Cell]) -> str:
    return " · ".join(f"{c}: {_cell(v)}" for c, v in zip(columns, row, strict=False)
                      if _cell(v) != "")


def write_pdf(report: WeeklyReport, tables: list[Table], figures: list[Figure], path: Path
              ) -> None:
    with PdfPages(path) as pdf:
        cover = Figure(figsize=_A4)
        cover.text(0.06, 0.95, TITLE, fontsize=18, fontweight="bold", va="top")
        cover.text(0.06, 0.91, f"{report.period} · generated {_stamp(report.generated_at)}",
                   fontsize=10, va="top")
        # The first charts share the cover page; each other chart gets a page.
        y = 0.86
        for fig in figures:
            w, h = fig.get_size_inches()
            frac = h / _A4[1] * (0.88 * _A4[0] / w)
            if y - frac < 0.03:
                pdf.savefig(cover)
                cover, y = Figure(figsize=_A4), 0.95
            ax = cover.add_axes((0.06, y - frac, 0.88, frac))
            ax.imshow(_raster(fig))
            ax.axis("off")
            y -= frac + 0.02
        pdf.savefig(cover)
        pages = _TextPages(pdf)
        for table in tables:
            pages.line("")
            pages.line(table.title, size=11, bold=True)
            if table.pending:
                pages.line(table.pending, color="#a33")
            elif not table.rows:
                pages.line("none / 无")
            for row in table.rows:
                pages.line(_row_text(table.columns, row))
        pages.flush()
        info = pdf.infodict()
        info["Title"] = f"{TITLE} {report.period}"


def _raster(fig: Figure) -> np.ndarray:
    return imread(io.BytesIO(charts.png(fig, dpi=150)), format="png")


def write_all(report: WeeklyReport, out_dir: Path) -> list[Path]:
    """Write report.html, report.pdf and one CSV per table into ``out_dir``."""
    out_dir.mkdir(parents=True, exist_ok=True)
    tables = report_tables(report)
    figures = charts.all_charts(report)
    written = []
    page = out_dir / "report.html"
    page.write_text(html_page(report, tables, figures), encoding="utf-8")
    written.append(page)
    pdf = out_dir / "report.pdf"
    write_pdf(report, tables, figures, pdf)
    written.append(pdf)
    for table in tables:
        path = out_dir / f"{table.name}.csv"
        write_csv(table, path)
        written.append(path)
    return written
