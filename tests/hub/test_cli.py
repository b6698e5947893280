"""The hub's command line: clear errors for bad flags and unsafe listening."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from hub.cli import is_loopback, main

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    ("host", "expected"),
    [
        ("127.0.0.1", True),
        ("127.3.2.1", True),
        ("::1", True),
        ("localhost", True),
        ("0.0.0.0", False),
        ("10.1.2.3", False),
        ("::", False),
        ("example.com", False),
    ],
)
def test_loopback_detection(host: str, expected: bool) -> None:
    assert is_loopback(host) is expected


def test_refuses_public_address_without_tls(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as info:
        main(["serve", "--db", str(tmp_path / "x.db"), "--host", "0.0.0.0", "--port", "0"])
    assert info.value.code == 2
    assert "without TLS" in capsys.readouterr().err
    assert not (tmp_path / "x.db").exists()


@pytest.mark.parametrize(
    "args",
    [
        ["serve", "--db", "x.db", "--port", "70000"],
        ["serve", "--db", "x.db", "--port", "http"],
        ["serve", "--db", "x.db", "--tls-cert", "c.pem"],
        ["serve"],
        ["frobnicate"],
    ],
)
def test_bad_flags_give_usage_errors(args: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(args)
    assert info.value.code == 2
    assert "error:" in capsys.readouterr().err


def test_seed_then_refuse_to_seed_again(tmp_path: Path) -> None:
    db = tmp_path / "hub.sqlite3"
    first = subprocess.run(
        [sys.executable, "-m", "hub", "seed", "--db", str(db), "--customers", "5"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert first.returncode == 0, first.stderr
    second = subprocess.run(
        [sys.executable, "-m", "hub", "seed", "--db", str(db)],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert second.returncode == 1 and "already has data" in second.stderr


def test_busy_port_is_a_clear_error(tmp_path: Path) -> None:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        port = s.getsockname()[1]
        proc = subprocess.run(
            [
                sys.executable,
                "-m",
                "hub",
                "serve",
                "--db",
                str(tmp_path / "h.db"),
                "--port",
                str(port),
            ],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=30,
        )
    assert proc.returncode == 2 and "cannot listen" in proc.stderr


def test_bad_profile_config_is_a_clear_start_up_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rules = tmp_path / "rules.toml"
    rules.write_text('[[attributes]]\nkey = "tier_since"\ntype = "date"\nchoices = ["x"]\n')
    code = main(["serve", "--db", str(tmp_path / "h.db"), "--port", "0",
                 "--profile-config", str(rules)])
    assert code == 2
    err = capsys.readouterr().err
    assert "rules.toml" in err and "attributes[0].choices" in err


def test_bad_routing_config_is_a_clear_start_up_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    routing = tmp_path / "routing.toml"
    routing.write_text('[[queues]]\nid = "chat"\nchannel = "fax"\n')
    code = main(["serve", "--db", str(tmp_path / "h.db"), "--port", "0",
                 "--routing-config", str(routing)])
    assert code == 2
    assert "queues[0].channel: unknown channel 'fax'" in capsys.readouterr().err


def test_large_seed_is_deterministic(tmp_path: Path) -> None:
    import sqlalchemy as sa

    from hub.store import schema
    from hub.store.store import create_engine

    dumps = []
    for name in ("a", "b"):
        db = tmp_path / f"{name}.sqlite3"
        proc = subprocess.run(
            [sys.executable, "-m", "hub", "seed", "--db", str(db), "--customers", "300",
             "--messages", "3000"],
            cwd=ROOT, capture_output=True, text=True, timeout=120,
        )
        assert proc.returncode == 0, proc.stderr
        assert "300 customers" in proc.stdout
        engine = create_engine(db)
        with engine.connect() as conn:
            dumps.append((
                list(conn.execute(sa.select(schema.customers.c.id, schema.customers.c.name,
                                            schema.customers.c.auto_tags)
                                  .order_by(schema.customers.c.id))),
                list(conn.execute(sa.select(schema.identities.c.value)
                                  .order_by(schema.identities.c.value)).scalars()),
                sorted(conn.execute(sa.select(schema.conversations.c.channel).distinct())
                       .scalars()),
                conn.execute(sa.select(sa.func.count()).select_from(schema.messages))
                .scalar_one(),
            ))
        engine.dispose()
    customers, identities, channels, messages = dumps[0]
    assert len(customers) == 300 and 2500 <= messages <= 3500
    assert channels == ["chat", "email", "store", "voice"]
    assert any(v.startswith("+86") for v in identities)
    assert any(v.startswith("wechat:") for v in identities)
    assert any("@" in v for v in identities)
    # Timestamps follow the clock; everything else is the same run after run.
    assert dumps[0][0] == dumps[1][0] and dumps[0][1:] == dumps[1][1:]


def test_an_unreachable_database_is_a_clear_error(tmp_path: Path) -> None:
    missing = f"postgresql://zuoxi@/hub?host={tmp_path}"  # no server listens there
    for args in (["serve", "--db", missing, "--port", "0"], ["migrate", "--db", missing],
                 ["seed", "--db", missing]):
        proc = subprocess.run([sys.executable, "-m", "hub", *args], cwd=ROOT,
                              capture_output=True, text=True, timeout=60)
        assert proc.returncode == 2, proc.stderr
        assert proc.stderr.startswith("zuoxi-hub: cannot use the database: ")
        assert "Traceback" not in proc.stderr


def test_create_agent_with_a_team(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import sqlalchemy as sa

    from hub.store import schema as t
    from hub.store.store import create_engine

    db = str(tmp_path / "hub.sqlite3")
    monkeypatch.setenv("ZUOXI_NEW_PASSWORD", "long enough")
    assert main(["create-agent", "--db", db, "meng", "--name", "孟晓",
                 "--team", " 售前 Sales "]) == 0
    assert main(["create-agent", "--db", db, "zhou", "--name", "周", "--team", "x" * 81]) == 2
    assert main(["create-agent", "--db", db, "solo", "--name", "Solo"]) == 0
    engine = create_engine(tmp_path / "hub.sqlite3")
    with engine.connect() as conn:
        teams = dict(conn.execute(sa.select(t.agents.c.username, t.agents.c.team)).all())
    engine.dispose()
    assert teams == {"meng": "售前 Sales", "solo": None}
