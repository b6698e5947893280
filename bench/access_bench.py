"""The permission check and the audit log: what they add to each frame and command.

On a SQLite file, in this one thread: ``check_us`` is one ``AccessControl.refusal``
for an allowed frame (the agent's role read from the database, built-in role);
``check_custom_us`` the same for a custom role (one more read); ``audit_row_us``
is one audit row appended inside a unit of work that also writes an event (the
cost a command pays), against ``unit_us``, the same unit without the row.

The field mask every frame to an agent passes (hub/access/field_access.py):
``mask_skip_us`` for a frame that carries no customer field (a pong), and for a
conversation offered with its customer and 20 messages (about 4 KB),
``mask_agent_us`` (a built-in agent: the sensitive attribute masked) and
``mask_trainee_us`` (a custom role without ``customers.contact``: contact points
masked too); each reads the role from the database, then decodes, masks and
encodes the frame.
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench.stats import summary
from core.protocol import agent as ap
from core.protocol.codec import encode_text
from core.protocol.models import (
    Channel,
    Conversation,
    ConversationStatus,
    Customer,
    Identity,
    IdentityKind,
    Message,
    MessageAuthor,
    Presence,
)
from hub.access import role_store
from hub.access.audit_log import AuditAction
from hub.access.field_access import FieldAccess
from hub.access.gate import AccessControl
from hub.access.permissions import BUILTIN_ROLES, Permission
from hub.access.roles_file import RoleDefinition
from hub.profile.config import load as load_profile_settings
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
        masks = _mask_timings(store, agent, n)
        engine.dispose()
    return {"check_us": check, "check_custom_us": check_custom, "unit_us": plain,
            "unit_with_audit_row_us": audited, **masks}


def _offer_frame() -> str:
    conversation = Conversation(id="c1", customer_id="cu1", channel=Channel.CHAT,
                                status=ConversationStatus.OPEN, created_at=1)
    customer = Customer(
        id="cu1", name="欧阳娜娜", identities=[
            Identity(IdentityKind.PHONE, "+8613800138000"),
            Identity(IdentityKind.EMAIL, "nana.ouyang@example.com")],
        tags=["会员"], attributes={"city": "上海", "address": "上海市徐汇区漕溪北路 88 号",
                                   "id_number": "310101199001011234"})
    messages = [Message(f"m{i}", "c1", MessageAuthor.CUSTOMER, "我的订单 88172 还没有发货" * 3,
                        i) for i in range(20)]
    return encode_text(ap.Events(events=[ap.Event(seq=1, ts=1, body=ap.ConversationAssigned(
        conversation=conversation, customer=customer, messages=messages))]))


def _mask_timings(store: Store, agent: str, n: int) -> dict[str, Any]:
    trainee = store.create_agent("tina", "Tina", "!", "trainee")
    with store.db.begin() as conn:
        role_store.define_role(conn, RoleDefinition(
            "trainee", BUILTIN_ROLES["agent"] - {Permission.CUSTOMERS_CONTACT}))
    attributes = load_profile_settings().attributes  # the hub keeps them in memory
    fields = FieldAccess(store.db, lambda: attributes)
    offer, pong = _offer_frame(), encode_text(ap.Pong(nonce=1))
    to_agent, to_trainee = fields.outgoing(agent), fields.outgoing(trainee)
    assert "138****8000" in to_trainee(offer) and "138****8000" not in to_agent(offer)
    return {"mask_skip_us": summary(_timed(lambda: to_agent(pong), n), "us"),
            "mask_agent_us": summary(_timed(lambda: to_agent(offer), n), "us"),
            "mask_trainee_us": summary(_timed(lambda: to_trainee(offer), n), "us"),
            "offer_frame_bytes": len(offer.encode())}
