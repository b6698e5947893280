"""The permission check and the audit log: what they add to each frame and command.

On a SQLite file, in this one thread: ``check_us`` is one ``AccessControl.refusal``
for an allowed frame (the agent's role read from the database, built-in role);
``check_custom_us`` the same for a custom role (one more read); ``audit_row_us``
is one audit row appended inside a unit of work that also writes an event (the
cost a command pays), against ``unit_us``, the same unit without the row.
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench.stats import summary
from core.protocol import agent as ap
from core.protocol.models import Presence
from hub.access import role_store
from hub.access.audit_log import AuditAction
from hub.access.gate import AccessControl
from hub.access.permissions import Permission
from hub.access.roles_file import RoleDefinition
from hub.store.schema import migrate
from hub.store.store import Store, create_engine


def _timed(fn: Callable[[], object], n: int) -> list[float]:
    samples = []
    for _ in range(n):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1e6)
    return samples


def run(n: int = 3000) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="zuoxi-bench-access-") as tmp:
        engine = create_engine(Path(tmp) / "hub.sqlite3")
        migrate(engine)
        store = Store(engine)
        agent = store.create_agent("lina", "李娜", "!", "agent")
        custom = store.create_agent("quinn", "Quinn", "!", "qa_analyst")
        with store.db.begin() as conn:
            role_store.define_role(conn, RoleDefinition(
                "qa_analyst", frozenset({Permission.QA_REVIEW, Permission.CHAT})))
        access = AccessControl(store.db)
        frame = ap.SendMessage(op="o", conversation_id="c", message_id="m", text="hi")
        check = summary(_timed(lambda: access.refusal(agent, frame), n), "us")
        check_custom = summary(_timed(lambda: access.refusal(custom, frame), n), "us")

        def unit(with_audit: bool) -> None:
            with store.db.unit(), store.db.begin() as conn:
                store.append_event(conn, agent, ap.PresenceChanged(
                    presence=Presence.AVAILABLE))
                if with_audit:
                    access.audit.record(f"agent:{agent}", AuditAction.TRANSFERRED,
                                        conversation_id="c", target="billing")

        plain = summary(_timed(lambda: unit(False), n // 3), "us")
        audited = summary(_timed(lambda: unit(True), n // 3), "us")
        engine.dispose()
    return {"check_us": check, "check_custom_us": check_custom, "unit_us": plain,
            "unit_with_audit_row_us": audited}
