"""Supervision frames of the agent protocol: the live figures feed and drill-down.

Supervisors and admins only; anyone else gets ``error`` ``forbidden``. A
``watch_figures`` is answered with ``figures_snapshot`` (every tile, the agent
roster, the charts, the thresholds); after it the hub pushes ``figures_update``
with the tiles and agents that changed, at most about once a second and within
two seconds of the change, until ``unwatch_figures`` or the link drops. Figures
are numbers and codes; the desktop makes the words. See docs/protocol.md,
section "Supervision", and docs/metrics.md for the formulas.
"""

from __future__ import annotations

import enum
from typing import Annotated

import msgspec

from core.protocol.models import Channel, Id, Presence

OpId = Annotated[str, Id]
RefId = Annotated[str, Id]


class TileKind(enum.StrEnum):
    QUEUE = "queue"
    CHANNEL = "channel"
    CENTRE = "centre"


class AlertLevel(enum.StrEnum):
    OK = "ok"
    AMBER = "amber"
    RED = "red"


class AlertCause(enum.StrEnum):
    SERVICE_LEVEL = "service_level"  # below the amber/red line
    WAITING = "waiting"  # more waiting than the line
    ESCALATIONS = "escalations"  # open escalations at or over the line


class Figure(enum.StrEnum):
    """What a drill-down asks for: the conversations or agents behind a figure."""

    WAITING = "waiting"
    ANSWERED = "answered"
    MISSED_STANDARD = "missed_standard"
    ABANDONED = "abandoned"
    TRANSFERS = "transfers"
    REOPENED = "reopened"
    ESCALATIONS = "escalations"
    AGENTS = "agents"  # the agents who serve the tile's queue(s)


class Tile(msgspec.Struct, kw_only=True):
    key: str  # "queue:<id>", "channel:<channel>", "centre"
    kind: TileKind
    queue_id: str | None = None
    name: str = ""  # a queue's name from the routing file
    channel: Channel | None = None
    offered: int = 0
    answered: int = 0
    waiting: int = 0
    longest_wait_s: float = 0.0
    service_level_pct: float | None = None
    service_level_measured: int = 0
    service_level_recent_pct: float | None = None
    target_pct: float = 80.0
    asa_s: float | None = None
    abandoned: int = 0
    short_abandoned: int = 0
    abandon_pct: float | None = None
    aht_s: float | None = None
    occupancy_pct: float | None = None
    fcr_pct: float | None = None
    transfers: int = 0
    reopened: int = 0
    csat_average: float | None = None
    csat_ratings: int = 0
    nps: float | None = None
    escalations: int = 0
    level: AlertLevel = AlertLevel.OK
    causes: list[AlertCause] = []


class AgentRow(msgspec.Struct, kw_only=True):
    agent_id: str
    name: str
    role: str
    team: str | None = None  # set by an admin (free text), if the agent has one
    presence: Presence
    since: int | None = None  # when the presence began (ms), if known today
    connected: bool = False
    queues: list[str] = []
    load: dict[str, int] = {}  # channel -> conversations held (and ringing)
    capacity: dict[str, int] = {}
    handled: int = 0  # contacts finished today
    aht_s: float | None = None
    occupancy_pct: float | None = None
    not_responding: bool = False


class HourPoint(msgspec.Struct):
    hour: int  # local hour of the day, 0-23
    offered: int
    service_level_pct: float | None


class ChannelSeries(msgspec.Struct):
    channel: Channel
    hours: list[HourPoint]  # today, by hour
    waiting: list[int]  # the last hour, one sample a minute, oldest first


class Thresholds(msgspec.Struct, kw_only=True):
    """A queue's lines (hub/supervision_thresholds.toml)."""

    queue_id: str
    service_level_amber: float
    service_level_red: float
    waiting_amber: int
    waiting_red: int
    escalations_amber: int
    escalations_red: int


# ---- commands (answered with a frame carrying the same op) ----------------------------


class WatchFigures(msgspec.Struct, tag_field="type", tag="watch_figures",
                   forbid_unknown_fields=True):
    op: OpId


class UnwatchFigures(msgspec.Struct, tag_field="type", tag="unwatch_figures",
                     forbid_unknown_fields=True):
    op: OpId


class DrillDown(msgspec.Struct, tag_field="type", tag="drill_down", forbid_unknown_fields=True):
    """The conversations (or agents) behind ``figure`` of one tile, today."""

    op: OpId
    figure: Figure
    tile: Annotated[str, msgspec.Meta(min_length=1, max_length=100)]
    limit: Annotated[int, msgspec.Meta(ge=1, le=1000)] = 200


SupervisionCommand = WatchFigures | UnwatchFigures | DrillDown


# ---- answers and pushes ----------------------------------------------------------------


class FiguresSnapshot(msgspec.Struct, tag_field="type", tag="figures_snapshot"):
    op: str
    at: int
    tiles: list[Tile]
    agents: list[AgentRow]
    series: list[ChannelSeries]
    thresholds: list[Thresholds]


class FiguresUpdate(msgspec.Struct, tag_field="type", tag="figures_update"):
    at: int
    tiles: list[Tile] = []  # only those that changed
    agents: list[AgentRow] = []
    series: list[ChannelSeries] = []  # when the charts moved (about once a minute)


class DrillConversation(msgspec.Struct, kw_only=True):
    conversation_id: str
    customer_name: str = ""
    queue_id: str
    channel: Channel
    agent_id: str | None = None
    agent_name: str = ""
    enqueued_at: int
    answered_at: int | None = None
    done_at: int | None = None
    wait_s: float


class DrillDownResult(msgspec.Struct, tag_field="type", tag="drill_down_result"):
    op: str
    figure: Figure
    tile: str
    conversations: list[DrillConversation] = []
    agents: list[AgentRow] = []
    total: int = 0  # before the limit


SupervisionServerFrame = FiguresSnapshot | FiguresUpdate | DrillDownResult
