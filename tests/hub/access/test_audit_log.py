"""The audit log's hash chain, on SQLite and PostgreSQL: it verifies; an edited,
deleted or inserted row is found and named; concurrent writers keep it linear;
a row commits with its unit of work or not at all."""

from __future__ import annotations

import itertools
import json
import threading
from collections.abc import Callable

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from hub.access import audit_log
from hub.access.audit_log import AuditAction, AuditLog, row_hash
from hub.cli import main
from hub.store import schema as t
from hub.store.base import create_engine
from hub.store.database import Database
from hub.store.schema import migrate
from tests.support.databases import DatabaseMaker


@pytest.fixture
def engine(databases: DatabaseMaker) -> Engine:
    engine = create_engine(databases.new("audit"))
    migrate(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def db_url(engine: Engine) -> str:
    return engine.url.render_as_string(hide_password=False)


def _fill(engine: Engine, n: int) -> None:
    log = AuditLog(Database(engine))
    for i in range(n):
        log.record(f"agent:a{i % 3}", AuditAction.PROFILE_EDITED, customer_id=f"c{i % 5}",
                   conversation_id=None if i % 2 else f"v{i}", detail={"field": "name",
                                                                        "n": i, "名": "李"})


def _verify(engine: Engine) -> audit_log.VerifyResult:
    with engine.connect() as conn:
        return audit_log.verify(conn)


def test_a_whole_chain_verifies(engine: Engine) -> None:
    assert _verify(engine).ok and _verify(engine).rows == 0  # empty: nothing to break
    _fill(engine, 30)
    result = _verify(engine)
    assert result.ok and result.rows == 30
    with engine.connect() as conn:
        rows = conn.execute(sa.select(t.audit_log).order_by(t.audit_log.c.id)).all()
        head = conn.execute(sa.select(t.audit_head)).one()
    assert [r.id for r in rows] == list(range(1, 31))
    assert rows[0].prev_hash == "0" * 64
    assert all(b.prev_hash == a.hash for a, b in itertools.pairwise(rows))
    assert (head.last_id, head.last_hash) == (30, rows[-1].hash)


def _edit_detail(conn: sa.Connection) -> None:
    conn.execute(t.audit_log.update().where(t.audit_log.c.id == 12)
                 .values(detail=json.dumps({"field": "phone"})))


def _edit_and_rehash(conn: sa.Connection) -> None:
    """A careful forger recomputes the row's own hash: the next row gives it away."""
    row = conn.execute(sa.select(t.audit_log).where(t.audit_log.c.id == 12)).one()
    forged = json.dumps({"field": "phone"})
    conn.execute(t.audit_log.update().where(t.audit_log.c.id == 12).values(
        detail=forged, hash=row_hash(12, row.at, row.actor, row.action, row.customer_id,
                                     row.conversation_id, row.target, forged, row.prev_hash)))


def _rehash_last(conn: sa.Connection) -> None:
    row = conn.execute(sa.select(t.audit_log).where(t.audit_log.c.id == 30)).one()
    conn.execute(t.audit_log.update().where(t.audit_log.c.id == 30).values(
        actor="agent:a0", hash=row_hash(30, row.at, "agent:a0", row.action, row.customer_id,
                                        row.conversation_id, row.target, row.detail,
                                        row.prev_hash)))


def _delete(conn: sa.Connection) -> None:
    conn.execute(t.audit_log.delete().where(t.audit_log.c.id == 12))


def _delete_last(conn: sa.Connection) -> None:
    conn.execute(t.audit_log.delete().where(t.audit_log.c.id == 30))


def _insert_forged_at_end(conn: sa.Connection) -> None:
    """A row added behind the log's back, with a correct-looking link and hash."""
    last = conn.execute(sa.select(t.audit_log).where(t.audit_log.c.id == 30)).one()
    digest = row_hash(31, last.at, "agent:a1", "merged", "c1", None, None, "{}", last.hash)
    conn.execute(t.audit_log.insert().values(
        id=31, at=last.at, actor="agent:a1", action="merged", customer_id="c1", detail="{}",
        prev_hash=last.hash, hash=digest))


def _insert_between(conn: sa.Connection) -> None:
    """Room made by moving the later rows up one id, and a row put in between."""
    for row_id in range(30, 11, -1):
        conn.execute(t.audit_log.update().where(t.audit_log.c.id == row_id)
                     .values(id=row_id + 1))
    prev = conn.execute(sa.select(t.audit_log.c.hash).where(t.audit_log.c.id == 11)).scalar()
    digest = row_hash(12, 1, "agent:a1", "merged", "c1", None, None, "{}", prev)
    conn.execute(t.audit_log.insert().values(
        id=12, at=1, actor="agent:a1", action="merged", customer_id="c1", detail="{}",
        prev_hash=prev, hash=digest))


@pytest.mark.parametrize(("tamper", "bad_id"), [
    (_edit_detail, 12), (_edit_and_rehash, 13), (_rehash_last, 30), (_delete, 13),
    (_delete_last, 30),
    # Put in between, the forged row links well; the next one no longer does.
    (_insert_forged_at_end, 31), (_insert_between, 13),
])
def test_tampering_is_found_and_the_first_bad_row_named(
    engine: Engine, db_url: str, capsys: pytest.CaptureFixture[str],
    tamper: Callable[[sa.Connection], None], bad_id: int,
) -> None:
    _fill(engine, 30)
    assert main(["audit", "verify", "--db", db_url]) == 0
    with engine.begin() as conn:
        tamper(conn)
    result = _verify(engine)
    assert not result.ok and result.bad_id == bad_id, result
    capsys.readouterr()
    assert main(["audit", "verify", "--db", db_url]) == 1
    err = capsys.readouterr().err
    assert f"first bad row {bad_id}" in err


def test_concurrent_writers_keep_the_chain_linear(databases: DatabaseMaker) -> None:
    """Writers on their own engines (as hub processes are) append at once."""
    url = databases.new("audit")
    migrate(create_engine(url))
    writers, each = 4, 40
    start = threading.Barrier(writers)
    failures: list[BaseException] = []

    def write(n: int) -> None:
        engine = create_engine(url)
        log = AuditLog(Database(engine))
        try:
            start.wait()
            for i in range(each):
                log.record(f"agent:w{n}", AuditAction.TRANSFERRED, conversation_id=f"v{n}-{i}")
        except BaseException as exc:  # reported below
            failures.append(exc)
        finally:
            engine.dispose()

    threads = [threading.Thread(target=write, args=(n,)) for n in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not failures, failures
    engine = create_engine(url)
    result = _verify(engine)
    assert result.ok and result.rows == writers * each, result
    with engine.connect() as conn:
        per_writer = conn.execute(sa.select(t.audit_log.c.actor, sa.func.count())
                                  .group_by(t.audit_log.c.actor)).all()
    assert sorted(per_writer) == [(f"agent:w{n}", each) for n in range(writers)]
    engine.dispose()


def test_a_row_commits_with_its_unit_of_work_or_not_at_all(engine: Engine) -> None:
    db = Database(engine)
    log = AuditLog(db)
    log.record("agent:a1", AuditAction.LOGIN)
    with pytest.raises(RuntimeError), db.unit():
        log.record("agent:a1", AuditAction.MERGED, customer_id="c1")
        raise RuntimeError("the command failed after writing its row")
    with db.unit():
        log.record("agent:a1", AuditAction.UNMERGED, customer_id="c1")
    with engine.connect() as conn:
        rows = audit_log.query(conn)
    assert [(r.id, r.action) for r in rows] == [(1, "login"), (2, "unmerged")]
    assert _verify(engine).ok


def test_the_cli_queries_by_actor_customer_and_time(
    engine: Engine, db_url: str, capsys: pytest.CaptureFixture[str],
) -> None:
    _fill(engine, 12)
    capsys.readouterr()
    assert main(["audit", "--db", db_url, "--actor", "agent:a1", "--customer", "c2",
                 "--json"]) == 0
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    # i % 3 == 1 and i % 5 == 2: i = 7 only, the 8th row.
    assert [(r["id"], r["actor"], r["customer_id"]) for r in lines] == [(8, "agent:a1", "c2")]
    assert lines[0]["detail"] == {"field": "name", "n": 7, "名": "李"}
    assert main(["audit", "--db", db_url, "--since", "2h"]) == 0
    assert len(capsys.readouterr().out.splitlines()) == 12
    assert main(["audit", "--db", db_url, "--since", "2999-01-01"]) == 0
    assert capsys.readouterr().out == ""
    assert main(["audit", "--db", db_url, "--since", "yesterday"]) == 2
    assert "neither a date/time" in capsys.readouterr().err
