"""The roster announces only what changed: a 500-agent update where one agent moved
touches that row (all columns) and the time-in-state column, so the sorting proxy
does not place 500 rows again each second; the view stays sorted and filtered."""

from __future__ import annotations

from typing import Any

import msgspec
from PySide6.QtCore import QModelIndex, Qt

from core.protocol import supervision as sp
from core.protocol.models import Presence
from ui.supervision.roster_model import HANDLED, STATE, TIME_IN_STATE, RosterFilter, RosterModel


def _agents(n: int) -> list[sp.AgentRow]:
    return [
        sp.AgentRow(agent_id=f"a{i:03}", name=f"Agent {i:03}", role="agent",
                    presence=Presence.AVAILABLE, since=1_000, connected=True,
                    queues=["chat"] if i % 2 else ["email"], load={"chat": 0},
                    capacity={"chat": 3}, handled=i)
        for i in range(n)
    ]


def test_only_changed_rows_and_the_clock_column_are_announced(qapp: Any) -> None:
    model = RosterModel()
    model.set_rows(_agents(500), 10_000)
    changes: list[tuple[int, int, int, int]] = []

    def record(top: QModelIndex, bottom: QModelIndex, _roles: Any = None) -> None:
        changes.append((top.row(), bottom.row(), top.column(), bottom.column()))

    model.dataChanged.connect(record)
    rows = _agents(500)
    rows[7] = msgspec.structs.replace(rows[7], presence=Presence.BUSY, since=9_000)
    rows[8] = msgspec.structs.replace(rows[8], handled=99)
    rows[300] = msgspec.structs.replace(rows[300], not_responding=True)
    model.set_rows(rows, 11_000)
    last = model.columnCount() - 1
    assert changes == [(7, 8, 0, last), (300, 300, 0, last),
                       (0, 499, TIME_IN_STATE, TIME_IN_STATE)]
    assert model.data(model.index(7, STATE)) != model.data(model.index(6, STATE))


def test_the_proxy_stays_sorted_and_filtered_after_an_update(qapp: Any) -> None:
    model, proxy = RosterModel(), RosterFilter()
    proxy.setSourceModel(model)
    proxy.sort(HANDLED, Qt.SortOrder.DescendingOrder)  # handled today, most first
    proxy.set_queue("chat")
    model.set_rows(_agents(40), 10_000)
    rows = _agents(40)
    rows[2] = msgspec.structs.replace(rows[2], handled=1_000, queues=["chat"])
    model.set_rows(rows, 11_000)
    names = [proxy.data(proxy.index(r, 0)) for r in range(proxy.rowCount())]
    assert names[0] == "Agent 002"  # moved to the top by its new figure
    assert len(names) == 21  # the odd agents serve chat, and agent 2 now does too
    handled = [proxy.data(proxy.index(r, 0), Qt.ItemDataRole.DisplayRole) for r in range(3)]
    assert handled[1:] == ["Agent 039", "Agent 037"]
