"""The supervisor feed: ``watch_figures`` answered with a snapshot, then
``figures_update`` pushes of what changed; ``drill_down`` lists what is behind a
figure. Supervisors and admins only.

Recomputing is coalesced: a change (a contact queued, answered, ended; a presence
change) starts one timer of ``interval_s`` and everything that happens before it
fires is covered by one recomputation, so the cost does not grow with the event
rate. A heartbeat recomputes every ``heartbeat_s`` while someone watches (waits
grow and standards lapse with no event at all); the charts are rebuilt once a
minute. Runs on the hub's event loop, on routing's timers; never awaits.
"""

from __future__ import annotations

import time
from typing import Any

import msgspec
import sqlalchemy as sa

from core.protocol import agent as ap
from core.protocol import supervision as sp
from core.protocol.codec import ErrorCode, encode_text
from hub.access.permissions import Permission
from hub.access.role_store import permits
from hub.feedback.figures import FeedbackFigures, GroupBy
from hub.feedback.figures import figures as feedback_figures
from hub.routing.engine import RoutingEngine
from hub.store import schema as t
from hub.store.store import Store, StoreError
from hub.supervision import board, drill_down
from hub.supervision.contact_log import ContactLog
from hub.supervision.day_figures import DayFigures
from hub.supervision.metrics import Standards, forget_settled
from hub.supervision.thresholds import ThresholdSettings
from hub.transport.fanout import FanOut
from hub.transport.peers import PeerRegistry

_encoder = msgspec.json.Encoder()
FEEDBACK_EVERY_MS = 5_000


class SupervisionFeed:
    def __init__(self, store: Store, routing: RoutingEngine, contacts: ContactLog,
                 thresholds: ThresholdSettings, fanout: FanOut, agents: PeerRegistry,
                 interval_s: float = 1.0, heartbeat_s: float = 5.0) -> None:
        self.store = store
        self.routing = routing
        self.contacts = contacts
        self.thresholds = thresholds
        self.standards = Standards(routing.settings, thresholds.short_abandon_s)
        self.figures = DayFigures(routing.settings, self.standards)
        self.fanout = fanout
        self.agents = agents
        self.interval_s = interval_s
        self.heartbeat_s = heartbeat_s
        self.watchers: set[str] = set()
        self._sent_tiles: dict[str, bytes] = {}
        self._sent_agents: dict[str, bytes] = {}
        self._series_minute = -1
        self._feedback: tuple[int, list[FeedbackFigures]] = (-FEEDBACK_EVERY_MS, [])
        self._names: dict[str, tuple[str, str]] = {}
        self._teams: dict[str, str] = {}
        self.day = board.day_start(self.now(), routing.settings)
        # Seconds spent recomputing, for the benchmark and /metrics.
        self.compute_s = 0.0
        self.computes = 0
        contacts.changed = self.changed

    def now(self) -> int:
        return self.routing.clock.now_ms()

    def start(self) -> None:
        """Today's contacts into memory (after a restart too)."""
        now = self.now()
        self.day = board.day_start(now, self.routing.settings)
        self.contacts.start(self.day, now + 1)

    # ---- commands --------------------------------------------------------------------

    def _check(self, agent_id: str) -> None:
        with self.store.db.connect() as conn:
            if not permits(conn, agent_id, Permission.MONITORING):
                raise StoreError("forbidden", "the figures are for supervisors and admins")

    def read(self, agent_id: str, frame: sp.SupervisionCommand) -> str:
        try:
            self._check(agent_id)
            if isinstance(frame, sp.WatchFigures):
                return self.watch(agent_id, frame.op)
            if isinstance(frame, sp.UnwatchFigures):
                self.watchers.discard(agent_id)
                return encode_text(ap.Ack(op=frame.op))
            return encode_text(self.drill(frame))
        except StoreError as exc:
            code = ErrorCode.FORBIDDEN if exc.code == "forbidden" else exc.code
            return encode_text(ap.Error(code=code, message=exc.message, op=frame.op))

    def watch(self, agent_id: str, op: str) -> str:
        self.watchers.add(agent_id)
        self._names = self._agent_names()
        data = self._input()
        tiles, agents = self._board(data)
        self._remember(tiles, agents)
        self._heartbeat()
        return encode_text(sp.FiguresSnapshot(
            op=op, at=data.now, tiles=tiles, agents=agents,
            series=board.series(data, self.routing.settings, self.standards),
            thresholds=[self.thresholds.of(q.id) for q in self.routing.settings.queues]))

    def drill(self, frame: sp.DrillDown) -> sp.DrillDownResult:
        data = self._input()
        return drill_down.answer(frame, data, self.routing.settings, self.standards,
                                 self._escalated_ids(), self.store,
                                 lambda: board.roster(data, self.routing.settings))

    # ---- recomputing -------------------------------------------------------------------

    def changed(self) -> None:
        if self.watchers and "supervision" not in self.routing.timers:
            self.routing.timers.start("supervision", self.interval_s, self.push)

    def _heartbeat(self) -> None:
        if "supervision-beat" not in self.routing.timers:
            self.routing.timers.start("supervision-beat", self.heartbeat_s, self._beat)

    def _beat(self) -> None:
        if self.watchers:
            self.push()
            self._heartbeat()

    def push(self) -> None:
        """Recompute and send each watcher what changed since the last push."""
        self.routing.timers.cancel("supervision")
        self.watchers = {a for a in self.watchers if self.agents.connected(a)}
        if not self.watchers:
            return
        started = time.perf_counter()
        data = self._input()
        if data.now // 60_000 != self._series_minute:
            self._names = self._agent_names()
        tiles, agents = self._board(data)
        changed_tiles = [x for x in tiles if self._sent_tiles.get(x.key) != _encoder.encode(x)]
        changed_agents = [a for a in agents
                          if self._sent_agents.get(a.agent_id) != _encoder.encode(a)]
        self._remember(tiles, agents)
        charts: list[sp.ChannelSeries] = []
        if data.now // 60_000 != self._series_minute:
            self._series_minute = data.now // 60_000
            charts = board.series(data, self.routing.settings, self.standards)
        self.compute_s += time.perf_counter() - started
        self.computes += 1
        if len(self.standards.settled) > 2 * len(data.contacts) + 1000:
            forget_settled(self.standards, data.contacts)
        if not (changed_tiles or changed_agents or charts):
            return
        text = encode_text(sp.FiguresUpdate(at=data.now, tiles=changed_tiles,
                                            agents=changed_agents, series=charts))
        for agent_id in sorted(self.watchers):
            self.fanout.to_agent(agent_id, text)

    def _board(self, data: board.BoardInput) -> tuple[list[sp.Tile], list[sp.AgentRow]]:
        """Tiles and roster from the incremental figures (equal to the definitions')."""
        by_key, parts = self.figures.refresh(data)
        return (board.tiles(data, self.routing.settings, self.standards, self.thresholds, by_key),
                board.roster(data, self.routing.settings, parts))

    def _remember(self, tiles: list[sp.Tile], agents: list[sp.AgentRow]) -> None:
        self._sent_tiles = {x.key: _encoder.encode(x) for x in tiles}
        self._sent_agents = {a.agent_id: _encoder.encode(a) for a in agents}

    def _input(self) -> board.BoardInput:
        now = self.now()
        day = board.day_start(now, self.routing.settings)
        if day != self.day:
            self.day = day
            self.contacts.forget_before(day)
        return board.BoardInput(
            now=now, contacts=self.contacts.contacts, presence=self.contacts.presence,
            agents=self.routing.router.agents, names=self._names or self._agent_names(),
            feedback=self._feedback_today(now, day), escalations=self._escalations(),
            teams=self._teams)

    # ---- rows from the store ------------------------------------------------------------

    def _agent_names(self) -> dict[str, tuple[str, str]]:
        a = t.agents
        with self.store.db.connect() as conn:
            rows = conn.execute(sa.select(a.c.id, a.c.display_name, a.c.role, a.c.team)).all()
        self._teams = {r.id: r.team for r in rows if r.team}
        return {r.id: (r.display_name, r.role) for r in rows}

    def _feedback_today(self, now: int, day: int) -> list[FeedbackFigures]:
        at, rows = self._feedback
        if now - at >= FEEDBACK_EVERY_MS:
            rows = feedback_figures(self.store.engine, GroupBy.QUEUE, day, now + 1)
            self._feedback = (now, rows)
        return rows

    def _escalated(self) -> list[Any]:
        c = t.conversations
        with self.store.db.connect() as conn:
            return list(conn.execute(sa.select(c.c.id, c.c.queue_id).where(
                c.c.status == "open", c.c.escalated_at.is_not(None))).all())

    def _escalations(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for row in self._escalated():
            counts[row.queue_id or ""] = counts.get(row.queue_id or "", 0) + 1
        return counts

    def _escalated_ids(self) -> dict[str, str]:
        return {row.id: row.queue_id or "" for row in self._escalated()}

