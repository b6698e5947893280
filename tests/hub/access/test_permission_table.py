"""Every frame an agent may send and every route of the hub has a declared
permission: a new command or endpoint without one fails here."""

from __future__ import annotations

import typing
from pathlib import Path

import pytest
from starlette.routing import Mount, Route, WebSocketRoute

from core.protocol import agent as ap
from hub.access.permissions import BUILTIN_ROLES, Permission
from hub.access.table import FRAME_RULES, HTTP_RULES
from hub.app import Hub
from hub.config import HubConfig


def _frame_types(tp: object) -> set[type]:
    out: set[type] = set()
    for arg in typing.get_args(tp) or (tp,):
        if typing.get_args(arg):
            out |= _frame_types(arg)
        else:
            assert isinstance(arg, type)
            out.add(arg)
    return out


def test_every_agent_frame_has_a_declared_permission() -> None:
    frames = _frame_types(ap.ClientFrame)
    missing = sorted(f.__name__ for f in frames - set(FRAME_RULES))
    assert not missing, f"frames without a permission in hub/access/table.py: {missing}"
    stale = sorted(f.__name__ for f in set(FRAME_RULES) - frames)
    assert not stale, f"rules for frames the hub does not decode: {stale}"


@pytest.mark.sqlite_only
def test_every_route_has_a_declared_permission(tmp_path: Path) -> None:
    hub = Hub(HubConfig(db=str(tmp_path / "hub.sqlite3")))
    declared: set[tuple[str, str]] = set()
    for route in hub.app.routes:
        if isinstance(route, WebSocketRoute):
            declared.add(("WEBSOCKET", route.path))
        elif isinstance(route, Mount):
            declared.add(("GET", route.path))
        else:
            assert isinstance(route, Route)
            declared |= {(m, route.path) for m in (route.methods or ()) if m != "HEAD"}
    missing = sorted(declared - set(HTTP_RULES))
    assert not missing, f"routes without a rule in hub/access/table.py: {missing}"
    stale = sorted(set(HTTP_RULES) - declared)
    assert not stale, f"rules for routes the hub does not serve: {stale}"


def test_roles_nest_as_documented() -> None:
    agent, supervisor, admin = (BUILTIN_ROLES[r] for r in ("agent", "supervisor", "admin"))
    assert agent < BUILTIN_ROLES["picker"] < supervisor < admin == frozenset(Permission)
    assert Permission.MONITORING not in agent and Permission.COACHING not in agent
    assert Permission.ROLES not in supervisor and Permission.AUDIT not in supervisor


def test_the_documented_table_matches_the_roles() -> None:
    """docs/security.md lists every permission with the built-in roles that hold it."""
    doc = (Path(__file__).resolve().parents[3] / "docs" / "security.md").read_text()
    roles = ["agent", "picker", "supervisor", "admin"]
    for permission in Permission:
        line = next((row for row in doc.splitlines()
                     if row.startswith(f"| `{permission.value}` |")), None)
        assert line is not None, f"docs/security.md does not list {permission.value}"
        ticks = [cell.strip() == "✓" for cell in line.strip().strip("|").split("|")[-4:]]
        assert ticks == [permission in BUILTIN_ROLES[r] for r in roles], line


def test_the_documented_field_table_matches_the_masks() -> None:
    """docs/security.md ("Customer fields") says which field each built-in role reads
    in full; the mask every agent frame passes agrees, field by field."""
    from hub.access.field_access import view_for
    from tests.hub.access.test_field_access import ATTRIBUTES, FIELDS, _frames

    doc = (Path(__file__).resolve().parents[3] / "docs" / "security.md").read_text()
    roles = ["agent", "picker", "supervisor", "admin"]
    section = doc.split("## Customer fields")[1].split("\n## ")[0]
    listed = {row.split("`")[1] for row in section.splitlines()
              if row.startswith("| `") and row.count("|") == 6}
    assert listed == set(FIELDS), listed ^ set(FIELDS)
    for field, (value, _needed) in FIELDS.items():
        line = next((row for row in doc.splitlines() if row.startswith(f"| `{field}` |")),
                    None)
        assert line is not None, f"docs/security.md does not list the field {field}"
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")[-4:]]
        for role, cell in zip(roles, cells, strict=True):
            view = view_for(BUILTIN_ROLES[role], ATTRIBUTES)
            masked = " ".join(view.mask_frame(t) for t in _frames())
            assert (value in masked) == (cell == "✓"), (field, role, cell)
            if cell.startswith("reveal"):
                assert view.may_reveal == (cell == "reveal"), (field, role, cell)
