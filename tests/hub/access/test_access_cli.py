"""``zuoxi-hub roles``, ``create-agent --role`` and ``set-role``: custom roles from a
file, clear refusals for unknown roles and people, every change in the audit log."""

from __future__ import annotations

from pathlib import Path

import pytest

from hub.access import audit_log
from hub.cli import main
from hub.store.base import create_engine
from tests.support.databases import DatabaseMaker


def test_roles_are_loaded_given_and_changed(
    databases: DatabaseMaker, tmp_path: Path, capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    db = databases.new("cli")
    monkeypatch.setenv("ZUOXI_NEW_PASSWORD", "a-long-password")
    bad = tmp_path / "bad.toml"
    bad.write_text('[roles.qa]\n\npermissions = ["qa.review", "teleport"]\n')
    assert main(["roles", "--db", db, "load", str(bad)]) == 2
    assert f"{bad}:3: roles.qa.permissions: unknown permission 'teleport'" in \
        capsys.readouterr().err
    assert main(["create-agent", "--db", db, "quinn", "--name", "Quinn",
                 "--role", "qa"]) == 2
    assert "no role 'qa'" in capsys.readouterr().err

    good = tmp_path / "roles.toml"
    good.write_text('[roles.qa]\ndescription = "Quality"\npermissions = ["qa.review"]\n')
    assert main(["roles", "--db", db, "check", str(good)]) == 0
    assert main(["roles", "--db", db, "load", str(good)]) == 0
    assert main(["roles", "--db", db, "load", str(good)]) == 0  # unchanged: not audited
    assert main(["create-agent", "--db", db, "quinn", "--name", "Quinn",
                 "--role", "qa"]) == 0
    capsys.readouterr()
    assert main(["roles", "--db", db, "list"]) == 0
    assert "qa: qa.review  — Quality" in capsys.readouterr().out
    assert main(["set-role", "--db", db, "nobody", "agent"]) == 1
    assert main(["set-role", "--db", db, "quinn", "overlord"]) == 2
    assert main(["set-role", "--db", db, "quinn", "supervisor"]) == 0

    engine = create_engine(db)
    with engine.connect() as conn:
        rows = audit_log.query(conn)
        assert audit_log.verify(conn).ok
    engine.dispose()
    assert [r.action for r in rows] == ["roles_defined", "agent_created", "role_changed"]
    assert rows[0].detail["roles"] == {"qa": ["qa.review"]}
    assert rows[2].detail == {"username": "quinn", "from": "qa", "to": "supervisor"}
    assert all(r.actor.startswith("cli:") for r in rows)
