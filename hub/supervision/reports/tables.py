"""The weekly report as tables: one list that the HTML page, the PDF and the CSV
exports all render, so the three always say the same thing."""

from __future__ import annotations

from dataclasses import dataclass, field

from hub.supervision.reports.topics import Topic
from hub.supervision.reports.weekly import WeeklyReport

Cell = str | int | float | None
PENDING_SERVICE = ("pending: service levels come from the wallboard's metrics, "
                   "which this hub does not have yet")
PENDING_QUALITY = ("pending: quality-inspection scores are not available on this hub yet")


@dataclass
class Table:
    name: str  # the CSV file's stem
    title: str
    columns: list[str]
    rows: list[list[Cell]] = field(default_factory=list)
    pending: str | None = None  # why the section has no figures yet


def _change(now: int, before: int) -> str:
    if before == 0:
        return "new" if now else "0"
    return f"{100.0 * (now - before) / before:+.0f}%"


def _topic_rows(topics: list[Topic]) -> list[list[Cell]]:
    return [[i + 1, t.label, t.count, t.previous, _change(t.count, t.previous),
             " ".join(c for c, _ in t.examples), t.examples[0][1] if t.examples else ""]
            for i, t in enumerate(topics)]


def report_tables(report: WeeklyReport) -> list[Table]:
    tp, fb, gaps = report.topics, report.feedback, report.gaps
    tables = [
        Table("summary", "Summary / 概要", ["figure", "this period", "previous period"], [
            ["conversations with negative feedback", tp.conversations,
             tp.previous_conversations],
            ["low CSAT comments (1-2)", tp.low_csat, None],
            ["negative messages", tp.negative_messages, None],
            ["escalated messages", tp.escalations, None],
            ["CSAT ratings", fb.csat.ratings, fb.previous_csat.ratings],
            ["CSAT average", fb.csat.average, fb.previous_csat.average],
            ["% satisfied (4-5)", fb.csat.satisfied_pct, fb.previous_csat.satisfied_pct],
            ["NPS answers", fb.nps.answers, fb.previous_nps.answers],
            ["NPS", fb.nps.nps, fb.previous_nps.nps],
        ]),
        Table("negative_topics", "Top negative topics / 主要负面话题",
              ["rank", "topic", "conversations", "previous", "change", "examples",
               "example text"], _topic_rows(tp.topics)),
        Table("negative_keywords", "Negative keywords / 负面关键词",
              ["keyword", "conversations", "previous", "change"],
              [[k.keyword, k.count, k.previous, _change(k.count, k.previous)]
               for k in tp.keywords]),
        Table("csat_by_day", "CSAT and NPS by day / 每日满意度与净推荐值",
              ["day", "ratings", "csat_average", "satisfied_pct", "nps_answers", "nps"],
              [[r.key, r.csat.ratings, r.csat.average, r.csat.satisfied_pct, r.nps.answers,
                r.nps.nps] for r in fb.by_day]),
        Table("csat_themes", "CSAT comments by theme / 满意度评论主题",
              ["theme", "comments", "average score", "examples", "example text"],
              [[th.topic.label, th.topic.count, th.average,
                " ".join(c for c, _ in th.topic.examples),
                th.topic.examples[0][1] if th.topic.examples else ""]
               for th in fb.csat_themes]),
        Table("nps_themes", "NPS reasons by theme / 净推荐值原因主题",
              ["theme", "answers", "average score", "example text"],
              [[th.topic.label, th.topic.count, th.average,
                th.topic.examples[0][1] if th.topic.examples else ""]
               for th in fb.nps_themes]),
    ]
    sl = report.service_levels
    if sl is None:
        tables.append(Table("service_levels", "Service levels by channel / 各渠道服务水平",
                            ["channel"], pending=PENDING_SERVICE))
    else:
        tables.append(Table("service_levels", "Service levels by channel / 各渠道服务水平",
                            ["channel", *sl.columns],
                            [[key, *values] for key, values in sl.rows]))
    q = report.quality
    if q is None:
        tables.append(Table("quality_rules", "Quality scores / 质检", ["rule"],
                            pending=PENDING_QUALITY))
    else:
        tables.append(Table("quality_agents", "Quality scores by agent / 坐席质检得分",
                            ["agent", "conversations", "average score"],
                            [list(row) for row in q.by_agent]))
        tables.append(Table("quality_rules", "Most-failed quality rules / 最常不合格的质检项",
                            ["rule", "conversations failing"],
                            [list(row) for row in q.failed_rules]))
    tables += [
        Table("knowledge_gaps", "Knowledge gaps: unanswered questions / 知识缺口：未答问题",
              ["group", "questions", "examples", "example question"],
              [[g.label, g.count, " ".join(c for c, _ in g.examples),
                g.examples[0][1] if g.examples else ""] for g in gaps.unanswered_groups]),
        Table("bot_handoffs", "Bot hand-offs by reason / 机器人转人工原因",
              ["reason", "chats"], [[k, v] for k, v in gaps.handoffs.items()]),
        Table("wrong_suggestions", "Suggestions marked wrong / 被标记错误的推荐",
              ["suggested item", "times"], [[k, v] for k, v in gaps.wrong_titles]),
    ]
    return tables
