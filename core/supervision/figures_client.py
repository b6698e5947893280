"""The supervisor's live board on the desktop: what the hub's feed said last.

``watch()`` asks the hub for the figures (``watch_figures``); the snapshot and the
``figures_update`` pushes after it are merged into ``board``, and ``changed`` is
called (with the keys of the tiles that changed) so views re-read it. The board
lives in memory only: figures are live, and after a reconnect the feed is asked
again. ``drill()`` is a read answered by the hub. Thread: the loop's (the GUI
thread, under qasync).
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field

from core.protocol import supervision as sp
from core.protocol.models import Channel

Request = Callable[[sp.SupervisionCommand], bool]


class FiguresUnavailable(Exception):  # noqa: N818
    """No figures now: offline, or the hub refused (``forbidden`` for an agent)."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


@dataclass
class Board:
    at: int = 0
    tiles: dict[str, sp.Tile] = field(default_factory=dict)
    agents: dict[str, sp.AgentRow] = field(default_factory=dict)
    series: dict[Channel, sp.ChannelSeries] = field(default_factory=dict)
    thresholds: dict[str, sp.Thresholds] = field(default_factory=dict)

    def queue_tiles(self) -> list[sp.Tile]:
        return [t for t in self.tiles.values() if t.kind is sp.TileKind.QUEUE]

    def channel_tiles(self) -> list[sp.Tile]:
        return [t for t in self.tiles.values() if t.kind is sp.TileKind.CHANNEL]


class FiguresClient:
    def __init__(self, changed: Callable[[list[str]], None],
                 failed: Callable[[str], None]) -> None:
        self.board = Board()
        self._changed = changed
        self._failed = failed
        self._request: Request | None = None
        self.wanted = False  # watching is wanted (again after a reconnect)
        self._watch_op: str | None = None
        self._drills: dict[str, asyncio.Future[sp.DrillDownResult]] = {}

    def attach(self, request: Request | None) -> None:
        self._request = request

    # ---- watching ---------------------------------------------------------------------

    def watch(self) -> bool:
        """Ask for the figures; False when offline (asked again once live)."""
        self.wanted = True
        return self._send_watch()

    def _send_watch(self) -> bool:
        frame = sp.WatchFigures(op=uuid.uuid4().hex)
        self._watch_op = frame.op
        if self._request is None or not self._request(frame):
            self._watch_op = None
            return False
        return True

    def unwatch(self) -> None:
        self.wanted = False
        if self._request is not None:
            self._request(sp.UnwatchFigures(op=uuid.uuid4().hex))

    def went_live(self) -> None:
        if self.wanted:
            self._send_watch()

    # ---- frames from the hub -----------------------------------------------------------

    def owns(self, op: str) -> bool:
        return op == self._watch_op or op in self._drills

    def frame_received(self, frame: sp.SupervisionServerFrame) -> None:
        if isinstance(frame, sp.FiguresSnapshot):
            if frame.op != self._watch_op:
                return  # an answer to a watch given up since
            self.board = Board(
                at=frame.at, tiles={t.key: t for t in frame.tiles},
                agents={a.agent_id: a for a in frame.agents},
                series={s.channel: s for s in frame.series},
                thresholds={t.queue_id: t for t in frame.thresholds})
            self._changed(list(self.board.tiles))
        elif isinstance(frame, sp.FiguresUpdate):
            if not self.wanted:
                return
            self.board.at = frame.at
            self.board.tiles.update({t.key: t for t in frame.tiles})
            self.board.agents.update({a.agent_id: a for a in frame.agents})
            self.board.series.update({s.channel: s for s in frame.series})
            self._changed([t.key for t in frame.tiles])
        else:
            future = self._drills.get(frame.op)
            if future is not None and not future.done():
                future.set_result(frame)

    def failed(self, op: str, code: str) -> None:
        if op == self._watch_op:
            self._watch_op = None
            self.wanted = code not in ("forbidden", "unauthorized")
            self._failed(code)
            return
        future = self._drills.get(op)
        if future is not None and not future.done():
            future.set_exception(FiguresUnavailable(code))

    def connection_lost(self) -> None:
        for future in self._drills.values():
            if not future.done():
                future.set_exception(FiguresUnavailable("offline"))

    # ---- drill-down --------------------------------------------------------------------

    async def drill(self, figure: sp.Figure, tile: str, limit: int = 200
                    ) -> sp.DrillDownResult:
        """What is behind ``figure`` of ``tile``; FiguresUnavailable offline or refused."""
        frame = sp.DrillDown(op=uuid.uuid4().hex, figure=figure, tile=tile, limit=limit)
        future: asyncio.Future[sp.DrillDownResult] = asyncio.get_running_loop().create_future()
        self._drills[frame.op] = future
        if self._request is None or not self._request(frame):
            self._drills.pop(frame.op, None)
            raise FiguresUnavailable("offline")
        try:
            return await future
        finally:
            self._drills.pop(frame.op, None)
