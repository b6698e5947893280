"""`zuoxi-hub qa rescore`: a period scored again with changed rules, with progress, and
clear errors for bad dates, bad rules and a missing database."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from pathlib import Path

import pytest
import sqlalchemy as sa

from hub.cli import main
from hub.store import schema as t
from hub.store.store import Store, create_engine
from hub.supervision.quality import rules as quality_rules
from hub.supervision.quality.qa_cli import parse_when
from testbed import quality_conversations as qc

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
# 2026-03-02 10:00 in Shanghai (the routing file's business-hours zone).
MARCH_2 = int(dt.datetime(2026, 3, 2, 10, tzinfo=SHANGHAI).timestamp() * 1000)


def test_days_are_the_centers_days() -> None:
    assert parse_when("2026-03-02", SHANGHAI, end=False) == int(
        dt.datetime(2026, 3, 2, tzinfo=SHANGHAI).timestamp() * 1000)
    assert parse_when("2026-03-02", SHANGHAI, end=True) == int(
        dt.datetime(2026, 3, 3, tzinfo=SHANGHAI).timestamp() * 1000)
    assert parse_when("2026-03-02T09:30+00:00", SHANGHAI, end=True) == int(
        dt.datetime(2026, 3, 2, 9, 30, tzinfo=dt.UTC).timestamp() * 1000)
    with pytest.raises(ValueError, match="not a date or time: 'yesterday'"):
        parse_when("yesterday", SHANGHAI, end=False)


def test_rescore_after_a_rule_change(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "hub.sqlite3"
    engine = create_engine(db)
    t.migrate(engine)
    store = Store(engine)
    lina = store.create_agent("lina", "李娜", "h")
    inside = [qc.Crafted(lina, qc.GOOD_LINES, MARCH_2 + n * 60_000) for n in range(3)]
    outside = qc.Crafted(lina, qc.GOOD_LINES, MARCH_2 + 2 * 86_400_000)
    with engine.begin() as conn:
        qc.write(conn, [*inside, outside], qc.customer(conn))
    rules = tmp_path / "rules.toml"
    text = quality_rules.DEFAULT_PATH.read_text(encoding="utf-8")
    # Every conversation now needs the customer's date of birth to be asked for.
    changed = text.replace('id = "identity_check"\nkind = "required_phrase"',
                           'id = "identity_check"\nkind = "required_phrase"\nfatal = true')
    changed = changed.replace('"核实", "验证", "手机号", "订单号", "身份证后四位", "注册邮箱",',
                              '"出生日期",')
    assert changed.count("出生日期") == 1 and '"required_phrase"\nfatal = true' in changed
    rules.write_text(changed, encoding="utf-8")

    assert main(["qa", "rescore", "--db", str(db), "--from", "2026-03-02", "--to",
                 "2026-03-02", "--rules", str(rules)]) == 0
    out, err = capsys.readouterr()
    assert "rescored 3/3" in err
    assert out.startswith("rescored 3 conversation(s) closed from 2026-03-02 to 2026-03-02")
    with engine.connect() as conn:
        q = t.quality_scores.c
        got = dict(conn.execute(sa.select(q.conversation_id, q.score)).all())
    assert got == {c.id: 0 for c in inside}

    rules.write_text(changed.replace("points = 15", "points = 1500"), encoding="utf-8")
    assert main(["qa", "rescore", "--db", str(db), "--from", "2026-03-02", "--to",
                 "2026-03-04", "--rules", str(rules)]) == 2
    err = capsys.readouterr().err
    assert f"{rules}:" in err and "points must be a whole number" in err
    line = int(err.split(f"{rules}:")[1].split(":")[0])
    assert "points = 1500" in changed.replace("points = 15", "points = 1500").splitlines()[
        line - 1]
    assert main(["qa", "rescore", "--db", str(db), "--from", "2026-03-05", "--to",
                 "2026-03-04"]) == 2
    assert "--to (2026-03-04) must come after --from (2026-03-05)" in capsys.readouterr().err
    assert main(["qa", "rescore", "--db", str(db), "--from", "March", "--to",
                 "2026-03-04"]) == 2
    assert "not a date or time: 'March'" in capsys.readouterr().err
    missing = tmp_path / "nothing.sqlite3"
    assert main(["qa", "rescore", "--db", str(missing), "--from", "2026-03-01", "--to",
                 "2026-03-04"]) == 2
    assert "no hub database at" in capsys.readouterr().err
    assert not missing.exists()
    engine.dispose()
