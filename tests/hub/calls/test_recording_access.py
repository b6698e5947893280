"""Who may fetch a call recording (hub/calls/recordings.py, ``may_access``)."""

from __future__ import annotations

from pathlib import Path

import pytest

from hub.calls.recordings import CallRecordingStore
from hub.store import schema as t
from hub.store.agents import AgentStore
from hub.store.base import create_engine


@pytest.fixture
def store(tmp_path: Path) -> tuple[CallRecordingStore, dict[str, str]]:
    engine = create_engine(str(tmp_path / "hub.sqlite3"))
    t.migrate(engine)
    agents = AgentStore(engine)
    people = {
        "lina": agents.create_agent("lina", "李娜", "x", "agent", "售后"),
        "alex": agents.create_agent("alex", "Alex", "x", "agent", "售后"),
        "wang": agents.create_agent("wang", "王伟", "x", "supervisor", "售后"),
        "zhao": agents.create_agent("zhao", "赵敏", "x", "supervisor", "售前"),
        "chen": agents.create_agent("chen", "陈", "x", "supervisor"),  # center-wide
        "root": agents.create_agent("root", "Admin", "x", "admin", "售前"),
    }
    return CallRecordingStore(engine), people


def test_the_agent_their_team_supervisor_center_supervisors_and_admins(
        store: tuple[CallRecordingStore, dict[str, str]]) -> None:
    recordings, who = store
    allowed = {name for name, agent_id in who.items()
               if recordings.may_access(agent_id, who["lina"])}
    assert allowed == {"lina", "wang", "chen", "root"}
    # Another agent of the same team, a supervisor of another team: no.
    assert not recordings.may_access(who["alex"], who["lina"])
    assert not recordings.may_access(who["zhao"], who["lina"])
    assert not recordings.may_access("nobody", who["lina"])
