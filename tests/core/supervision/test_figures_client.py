"""The desktop's live board: snapshot and updates merged, refusals, drill-down."""

from __future__ import annotations

import asyncio

import pytest

from core.protocol import supervision as sp
from core.protocol.models import Presence
from core.supervision.figures_client import FiguresClient, FiguresUnavailable


class Hub:
    def __init__(self) -> None:
        self.sent: list[sp.SupervisionCommand] = []
        self.online = True

    def request(self, frame: sp.SupervisionCommand) -> bool:
        if self.online:
            self.sent.append(frame)
        return self.online


def tile(key: str, waiting: int) -> sp.Tile:
    return sp.Tile(key=key, kind=sp.TileKind.QUEUE, queue_id=key[6:], waiting=waiting)


def make() -> tuple[FiguresClient, Hub, list[list[str]], list[str]]:
    changed: list[list[str]] = []
    failed: list[str] = []
    client = FiguresClient(changed.append, failed.append)
    hub = Hub()
    client.attach(hub.request)
    return client, hub, changed, failed


def test_snapshot_then_updates_are_merged() -> None:
    client, hub, changed, _ = make()
    assert client.watch()
    op = hub.sent[0].op
    client.frame_received(sp.FiguresSnapshot(op="old", at=1, tiles=[tile("queue:x", 9)],
                                             agents=[], series=[], thresholds=[]))
    assert client.board.tiles == {}  # an answer to a watch given up since
    client.frame_received(sp.FiguresSnapshot(
        op=op, at=1, tiles=[tile("queue:chat", 1), tile("queue:voice", 0)],
        agents=[sp.AgentRow(agent_id="a", name="A", role="agent", presence=Presence.AWAY)],
        series=[], thresholds=[]))
    client.frame_received(sp.FiguresUpdate(at=2, tiles=[tile("queue:chat", 4)]))
    assert client.board.tiles["queue:chat"].waiting == 4
    assert client.board.tiles["queue:voice"].waiting == 0
    assert client.board.agents["a"].presence is Presence.AWAY and client.board.at == 2
    assert changed == [["queue:chat", "queue:voice"], ["queue:chat"]]


def test_a_refusal_is_reported_and_not_retried() -> None:
    client, hub, _, failed = make()
    client.watch()
    assert client.owns(hub.sent[0].op)
    client.failed(hub.sent[0].op, "forbidden")
    assert failed == ["forbidden"] and not client.wanted
    client.went_live()
    assert len(hub.sent) == 1


def test_watching_resumes_after_a_reconnect() -> None:
    client, hub, _, _ = make()
    hub.online = False
    assert not client.watch()
    hub.online = True
    client.went_live()
    assert isinstance(hub.sent[-1], sp.WatchFigures)
    client.unwatch()
    assert isinstance(hub.sent[-1], sp.UnwatchFigures)
    client.went_live()
    assert isinstance(hub.sent[-1], sp.UnwatchFigures)


async def test_drill_down_answers_and_failures() -> None:
    client, hub, _, _ = make()
    task = asyncio.ensure_future(client.drill(sp.Figure.WAITING, "centre"))
    await asyncio.sleep(0)
    frame = hub.sent[-1]
    assert isinstance(frame, sp.DrillDown)
    client.frame_received(sp.DrillDownResult(op=frame.op, figure=frame.figure, tile="centre",
                                             total=3))
    assert (await task).total == 3
    task = asyncio.ensure_future(client.drill(sp.Figure.WAITING, "centre"))
    await asyncio.sleep(0)
    client.failed(hub.sent[-1].op, "not_found")
    with pytest.raises(FiguresUnavailable, match="not_found"):
        await task
    hub.online = False
    with pytest.raises(FiguresUnavailable, match="offline"):
        await client.drill(sp.Figure.WAITING, "centre")
