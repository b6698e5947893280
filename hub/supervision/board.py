"""The wallboard's content at one instant: tiles per queue, channel and centre, the
agent roster and the day's charts, built from the figures (hub.supervision.metrics)
over today's contacts. Pure: the feed hands in rows and routing's agent states.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from core.protocol import supervision as sp
from core.protocol.models import Channel, Presence
from hub.feedback.figures import FeedbackFigures
from hub.routing.config import RoutingSettings
from hub.routing.selector import AgentState
from hub.supervision.contacts import Contact, PresenceChange, spans
from hub.supervision.metrics import (
    AgentTimes,
    Figures,
    ServiceLevel,
    Standards,
    agent_times,
    figures,
    grouped,
    sl_outcome,
)
from hub.supervision.thresholds import ThresholdSettings, judge

HOUR_MS = 3600_000
MINUTE_MS = 60_000
_LEVEL_RANK = {sp.AlertLevel.OK: 0, sp.AlertLevel.AMBER: 1, sp.AlertLevel.RED: 2}


def day_start(now: int, settings: RoutingSettings) -> int:
    """Local midnight (the routing file's business-hours time zone) before ``now``."""
    local = dt.datetime.fromtimestamp(now / 1000, tz=dt.UTC).astimezone(settings.hours.timezone)
    midnight = local.replace(hour=0, minute=0, second=0, microsecond=0)
    return int(midnight.timestamp() * 1000)


@dataclass(frozen=True)
class BoardInput:
    now: int
    contacts: Sequence[Contact]
    presence: Sequence[PresenceChange]
    agents: Mapping[str, AgentState]
    names: Mapping[str, tuple[str, str]]  # agent id -> (display name, role)
    feedback: Sequence[FeedbackFigures]  # per queue, today
    escalations: Mapping[str, int]  # open escalated conversations per queue
    teams: Mapping[str, str] = field(default_factory=dict)  # agent id -> team, if any


def _tile(key: str, kind: sp.TileKind, f: Figures, target_pct: float, **extra: object
          ) -> sp.Tile:
    return sp.Tile(
        key=key, kind=kind, offered=f.offered, answered=f.answered, waiting=f.waiting,
        longest_wait_s=f.longest_wait_s, service_level_pct=f.service_level.pct,
        service_level_measured=f.service_level.measured,
        service_level_recent_pct=f.service_level_recent.pct, target_pct=target_pct,
        asa_s=f.asa_s, abandoned=f.abandoned, short_abandoned=f.short_abandoned,
        abandon_pct=f.abandon_pct, aht_s=f.aht_s, occupancy_pct=f.occupancy_pct,
        fcr_pct=f.fcr_pct, transfers=f.transfers, reopened=f.reopened, **extra)  # type: ignore[arg-type]


def _feedback(rows: Sequence[FeedbackFigures]) -> dict[str, object]:
    ratings = sum(r.csat.ratings for r in rows)
    total = sum(r.csat.average * r.csat.ratings for r in rows if r.csat.average is not None)
    answers = sum(r.nps.answers for r in rows)
    net = sum(r.nps.promoters - r.nps.detractors for r in rows)
    return {"csat_ratings": ratings,
            "csat_average": round(total / ratings, 2) if ratings else None,
            "nps": round(100.0 * net / answers, 1) if answers else None}


def _worst(tiles: Sequence[sp.Tile]) -> tuple[sp.AlertLevel, list[sp.AlertCause]]:
    level = max((t.level for t in tiles), key=_LEVEL_RANK.__getitem__, default=sp.AlertLevel.OK)
    causes = sorted({c for t in tiles for c in t.causes})
    return level, causes


def serving(agents: Mapping[str, AgentState], queue_ids: set[str]) -> list[str]:
    """The agents who serve any of these queues (a tile's occupancy is theirs)."""
    return [a.id for a in agents.values() if a.queues & queue_ids]


def channel_queues(settings: RoutingSettings) -> dict[Channel, set[str]]:
    out: dict[Channel, set[str]] = {}
    for queue in settings.queues:
        out.setdefault(queue.channel, set()).add(queue.id)
    return out


def today(data: BoardInput, settings: RoutingSettings) -> tuple[int, list[Contact]]:
    """The day's start and the contacts that count today (not finished before it)."""
    since = day_start(data.now, settings)
    return since, [c for c in data.contacts if c.done_at is None or c.done_at >= since]


def group_figures(data: BoardInput, settings: RoutingSettings, standards: Standards
                  ) -> dict[str, Figures]:
    """Every tile's figures, by tile key, straight from the definitions (the reference
    the feed's incremental ``DayFigures`` is tested against)."""
    since, contacts = today(data, settings)
    presence = list(spans(data.presence))
    times = agent_times(contacts, presence, since, data.now)
    by_queue = grouped(contacts, lambda c: c.queue_id)
    out = {f"queue:{q.id}": figures(by_queue.get(q.id, []), presence,
                                    serving(data.agents, {q.id}), standards, since, data.now,
                                    times=times)
           for q in settings.queues}
    for channel, ids in channel_queues(settings).items():
        out[f"channel:{channel.value}"] = figures(
            [c for c in contacts if c.queue_id in ids], presence, serving(data.agents, ids),
            standards, since, data.now, times=times)
    out["centre"] = figures(contacts, presence, list(data.agents), standards, since, data.now,
                            times=times)
    return out


def tiles(data: BoardInput, settings: RoutingSettings, standards: Standards,
          thresholds: ThresholdSettings, by_key: Mapping[str, Figures] | None = None
          ) -> list[sp.Tile]:
    """The tiles, from ``by_key`` (``group_figures`` or the feed's ``DayFigures``)."""
    if by_key is None:
        by_key = group_figures(data, settings, standards)
    feedback = {f.key: f for f in data.feedback}
    target = standards.target_pct
    out: list[sp.Tile] = []
    by_channel: dict[Channel, list[sp.Tile]] = {}
    for queue in settings.queues:
        extra = _feedback([feedback[queue.id]] if queue.id in feedback else [])
        tile = _tile(f"queue:{queue.id}", sp.TileKind.QUEUE, by_key[f"queue:{queue.id}"], target,
                     queue_id=queue.id, name=queue.name, channel=queue.channel,
                     escalations=data.escalations.get(queue.id, 0), **extra)
        tile.level, tile.causes = judge(tile, thresholds.of(queue.id))
        out.append(tile)
        by_channel.setdefault(queue.channel, []).append(tile)
    for channel, queue_tiles in by_channel.items():
        ids = {q.id for q in settings.queues if q.channel == channel}
        extra = _feedback([feedback[q] for q in ids if q in feedback])
        tile = _tile(f"channel:{channel.value}", sp.TileKind.CHANNEL,
                     by_key[f"channel:{channel.value}"], target, channel=channel,
                     escalations=sum(t.escalations for t in queue_tiles), **extra)
        tile.level, tile.causes = _worst(queue_tiles)
        out.append(tile)
    centre = _tile("centre", sp.TileKind.CENTRE, by_key["centre"], target,
                   escalations=sum(data.escalations.values()), **_feedback(data.feedback))
    centre.level, centre.causes = _worst([t for t in out if t.kind is sp.TileKind.QUEUE])
    return [*out, centre]


@dataclass(frozen=True)
class RosterParts:
    """What the roster adds up: each agent's (busy, staffed) ms today, their last
    presence change, and (count, total ms) of the contacts they finished today."""

    times: AgentTimes
    last_change: Mapping[str, int]
    handles: Mapping[str, tuple[int, int]]


def roster_parts(data: BoardInput, settings: RoutingSettings) -> RosterParts:
    since = day_start(data.now, settings)
    contacts = [c for c in data.contacts if c.agent_id is not None
                and (c.done_at is None or c.done_at >= since)]
    times = agent_times(contacts, list(spans(data.presence)), since, data.now)
    last_change: dict[str, int] = {}
    for change in data.presence:
        if change.at >= last_change.get(change.agent_id, -1):
            last_change[change.agent_id] = change.at
    handles: dict[str, tuple[int, int]] = {}
    for c in contacts:
        if c.agent_id and c.answered_at is not None and c.done_at is not None \
                and c.done_at >= since:
            n, total = handles.get(c.agent_id, (0, 0))
            handles[c.agent_id] = (n + 1, total + c.done_at - c.answered_at)
    return RosterParts(times, last_change, handles)


def roster(data: BoardInput, settings: RoutingSettings, parts: RosterParts | None = None
           ) -> list[sp.AgentRow]:
    if parts is None:
        parts = roster_parts(data, settings)
    rows = []
    for state in data.agents.values():
        name, role = data.names.get(state.id, (state.id, "agent"))
        handled, handle_ms = parts.handles.get(state.id, (0, 0))
        busy, staffed = parts.times.get(state.id, (0, 0))
        rows.append(sp.AgentRow(
            agent_id=state.id, name=name, role=role, team=data.teams.get(state.id),
            presence=state.presence,
            since=parts.last_change.get(state.id), connected=state.connected,
            queues=sorted(state.queues),
            load={c.value: n for c, n in state.load.items() if n},
            capacity={c.value: n for c, n in state.capacity.items()},
            handled=handled,
            aht_s=round(handle_ms / handled / 1000, 1) if handled else None,
            occupancy_pct=round(100.0 * busy / staffed, 1) if staffed else None,
            not_responding=state.presence is Presence.NOT_RESPONDING))
    return sorted(rows, key=lambda r: (r.name, r.agent_id))


def series(data: BoardInput, settings: RoutingSettings, standards: Standards
           ) -> list[sp.ChannelSeries]:
    """Per channel: offered and service level by local hour today, and waiting at
    each of the last 60 minutes."""
    since = day_start(data.now, settings)
    hours = int((data.now - since) // HOUR_MS + 1)
    out = []
    for channel in sorted({q.channel for q in settings.queues}):
        offered, measured, within = [0] * hours, [0] * hours, [0] * hours
        starts: list[int] = []
        ends: list[int] = []
        for c in data.contacts:
            if c.channel != channel:
                continue
            if since <= c.enqueued_at < data.now:
                offered[(c.enqueued_at - since) // HOUR_MS] += 1
            outcome = sl_outcome(c, standards, data.now)
            if outcome is not None and since <= outcome[0] < data.now:
                measured[(outcome[0] - since) // HOUR_MS] += 1
                within[(outcome[0] - since) // HOUR_MS] += outcome[1]
            starts.append(c.enqueued_at)
            ends.append(c.wait_end if c.wait_end is not None else data.now + 1)
        starts.sort()
        ends.sort()
        points = [sp.HourPoint(hour=h, offered=offered[h],
                               service_level_pct=ServiceLevel(measured[h], within[h]).pct)
                  for h in range(hours)]
        # Waiting at t: queued by t and not yet answered or gone by t.
        samples = [bisect.bisect_right(starts, t) - bisect.bisect_right(ends, t)
                   for t in (data.now - m * MINUTE_MS for m in range(59, -1, -1))]
        out.append(sp.ChannelSeries(channel=channel, hours=points, waiting=samples))
    return out
