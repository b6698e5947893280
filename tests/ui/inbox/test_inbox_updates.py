"""The inbox during a catch-up: a slice that announces many conversations has the
first read at once and the rest in the next turn of the loop, never lost."""

from __future__ import annotations

import asyncio
from typing import Any

from core.cache.cache import Cache
from core.protocol.agent import Snapshot
from core.protocol.models import Presence
from core.session.agent_service import AgentService
from tests.core.factories import T0, added, assigned, message
from ui.inbox.inbox_view import InboxModel
from ui.shell.service_bridge import ServiceBridge


def _last_texts(model: InboxModel) -> dict[str, str | None]:
    return {item.conversation_id: item.last_text for item in model.items()}


def test_a_slice_of_many_conversations_is_shown_whole_after_one_turn(
        qtbot: Any, qloop: asyncio.AbstractEventLoop) -> None:
    service = AgentService(Cache(":memory:"))
    ids = [f"c{i}" for i in range(12)]
    service.snapshot_received(Snapshot(seq=1, presence=Presence.AVAILABLE, conversations=[
        assigned(cid, f"cu{i}", messages=[message(f"{cid}-m1", cid, at=T0 + i)])
        for i, cid in enumerate(ids)]))
    bridge = ServiceBridge(service)
    model = InboxModel(bridge)
    assert sorted(_last_texts(model)) == sorted(ids)
    reads: list[str] = []
    original = service.conversation

    def counted(conversation_id: str) -> Any:
        reads.append(conversation_id)
        return original(conversation_id)

    service.conversation = counted  # type: ignore[method-assign]
    # One step of a catch-up: a new message in each conversation, announced together.
    service.events_received([added(10 + i, message(f"{cid}-m2", cid, text=f"new {cid}",
                                                   at=T0 + 1000 + i))
                             for i, cid in enumerate(ids)])
    assert reads == ["c0"]  # the first at once (a live message shows without a wait)
    assert _last_texts(model)["c0"] == "new c0"
    qtbot.waitUntil(lambda: all(text == f"new {cid}"
                                for cid, text in _last_texts(model).items()), timeout=5_000)
    assert sorted(reads) == sorted(ids)  # each read once
