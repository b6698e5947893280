"""The report's charts, drawn with matplotlib (Agg, no display) for the HTML page
(PNG inline) and the PDF (rastered at 150 dpi). Chinese labels use a CJK font when one is installed
(Debian's fonts-noto-cjk); matplotlib falls back per glyph to its own font."""

from __future__ import annotations

import io

import matplotlib

matplotlib.use("Agg")

from matplotlib import pyplot as plt
from matplotlib.figure import Figure

from hub.supervision.reports.weekly import WeeklyReport

FONTS = ["Noto Sans CJK SC", "Noto Sans CJK JP", "WenQuanYi Micro Hei", "DejaVu Sans"]
plt.rcParams["font.family"] = "sans-serif"
plt.rcParams["font.sans-serif"] = FONTS
plt.rcParams["axes.unicode_minus"] = False
THIS, BEFORE = "#c0392b", "#95a5a6"


def topics_chart(report: WeeklyReport) -> Figure | None:
    topics = report.topics.topics[:8]
    if not topics:
        return None
    fig = Figure(figsize=(7.5, 0.45 * len(topics) + 1.2))
    ax = fig.add_subplot()
    labels = [t.label for t in reversed(topics)]
    ys = range(len(labels))
    ax.barh([y + 0.2 for y in ys], [t.count for t in reversed(topics)], 0.4,
            color=THIS, label="this period / 本期")
    ax.barh([y - 0.2 for y in ys], [t.previous for t in reversed(topics)], 0.4,
            color=BEFORE, label="previous / 上期")
    ax.set_yticks(list(ys), labels)
    ax.set_xlabel("conversations / 会话数")
    ax.set_title("Top negative topics / 主要负面话题")
    ax.legend(loc="lower right")
    fig.tight_layout()
    return fig


def csat_chart(report: WeeklyReport) -> Figure | None:
    days = [row for row in report.feedback.by_day if row.csat.average is not None]
    if not days:
        return None
    fig = Figure(figsize=(7.5, 2.8))
    ax = fig.add_subplot()
    ax.plot([row.key[5:] for row in days], [float(row.csat.average or 0) for row in days],
            marker="o", color="#2c7fb8")
    ax.set_ylim(1, 5)
    ax.set_ylabel("CSAT (1–5)")
    ax.set_title("CSAT by day / 每日满意度")
    ax.grid(alpha=0.3)
    fig.tight_layout()
    return fig


def service_level_chart(report: WeeklyReport) -> Figure | None:
    table = report.service_levels
    if table is None or "service_level_pct" not in table.columns:
        return None
    col = table.columns.index("service_level_pct")
    rows = [(key, values[col]) for key, values in table.rows if values[col] is not None]
    if not rows:
        return None
    fig = Figure(figsize=(7.5, 2.6))
    ax = fig.add_subplot()
    ax.bar([k for k, _ in rows], [float(v or 0) for _, v in rows], color="#27ae60")
    ax.set_ylim(0, 100)
    ax.set_ylabel("% within standard / 达标率")
    ax.set_title("Service level by channel / 各渠道服务水平")
    fig.tight_layout()
    return fig


def quality_chart(report: WeeklyReport) -> Figure | None:
    quality = report.quality
    if quality is None or not quality.failed_rules:
        return None
    rules = quality.failed_rules[:8]
    fig = Figure(figsize=(7.5, 0.4 * len(rules) + 1.2))
    ax = fig.add_subplot()
    ax.barh([r for r, _ in reversed(rules)], [n for _, n in reversed(rules)], color="#8e44ad")
    ax.set_title("Most-failed quality rules / 最常不合格的质检项")
    fig.tight_layout()
    return fig


def all_charts(report: WeeklyReport) -> list[Figure]:
    made = (topics_chart(report), csat_chart(report), service_level_chart(report),
            quality_chart(report))
    return [fig for fig in made if fig is not None]


def png(fig: Figure, dpi: int = 110) -> bytes:
    out = io.BytesIO()
    fig.savefig(out, format="png", dpi=dpi)
    return out.getvalue()
