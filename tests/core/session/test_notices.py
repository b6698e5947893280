"""The notice declarations: each one once, each part of ``Changes`` announced."""

from __future__ import annotations

import dataclasses
import re

from core.cache.cache import Cache
from core.protocol.models import Presence
from core.records import Changes, ScreenPop
from core.session.agent_service import AgentService
from core.session.notices import AgentNotices

# One value per field of Changes that makes it report a change.
CHANGED: dict[str, object] = {
    "conversations": {"c1"},
    "messages": {("c1", "m1")},
    "customers": {"cu1"},
    "presence": Presence.AWAY,
    "presence_reason": "disconnected",
    "inbox": True,
    "unassigned": {"c1": "transferred"},
    "merged": {"cu2": "cu1"},
    "timelines": {"cu1"},
    "arrived": {"c1": "cu1"},
    "profile_config": True,
    "offers": True,
    "queue_stats": True,
    "routing_config": True,
    "presence_detail": True,
    "quick_replies": True,
    "suggestions": {"c1"},
    "knowledge": True,
    "knowledge_articles": {"kb-1": "旧标题"},
    "knowledge_listing": True,
    "alerts": True,
    "coaching": {"c1"},
    "monitors": True,
    "followups": True,
    "reminders": {"f1"},
}


def record(service: AgentService) -> list[tuple[str, tuple[object, ...]]]:
    seen: list[tuple[str, tuple[object, ...]]] = []
    for notice in AgentNotices.notices():
        notice.hook(service).connect(lambda *a, _n=notice.name: seen.append((_n, a)))
    return seen


def test_each_notice_is_declared_once_with_its_names() -> None:
    notices = list(AgentNotices.notices())
    assert len({n.name for n in notices}) == len(notices)
    assert len({n.signal for n in notices}) == len(notices)
    for notice in notices:
        assert re.fullmatch(r"[a-z_]+_did_[a-z_]+", notice.name), notice.name
        assert re.fullmatch(r"[a-z_]+_(changed|failed|merged)", notice.signal), notice.signal


def test_every_part_of_changes_is_announced() -> None:
    assert {f.name for f in dataclasses.fields(Changes)} == set(CHANGED)
    for name, value in CHANGED.items():
        if name == "presence_reason":
            continue  # only with a presence (below)
        service = AgentService(Cache(":memory:"))
        seen = record(service)
        service.announce(Changes(**{name: value}))  # type: ignore[arg-type]
        assert len(seen) == 1, (name, seen)


def test_announce_order_and_payloads() -> None:
    service = AgentService(Cache(":memory:"))
    seen = record(service)
    service.announce(Changes(
        conversations={"c2", "c1"}, messages={("c1", "m1")}, customers={"cu1"},
        presence=Presence.AWAY, presence_reason="disconnected", inbox=True,
        arrived={"c1": "cu1"}, offers=True,
    ))
    assert seen == [
        ("message_did_change", ("c1", "m1")),
        ("customer_did_change", ("cu1",)),
        ("conversation_did_change", ("c1",)),
        ("conversation_did_change", ("c2",)),
        ("presence_did_change", (Presence.AWAY,)),
        ("hub_did_set_presence", (Presence.AWAY, "disconnected")),
        ("inbox_did_change", ()),
        ("offers_did_change", ()),
        ("screen_pop_did_request", (ScreenPop("cu1", "c1"),)),
    ]


def test_hooks_belong_to_their_service() -> None:
    one, two = AgentService(Cache(":memory:")), AgentService(Cache(":memory:"))
    assert one.inbox_did_change is one.inbox_did_change
    assert one.inbox_did_change is not two.inbox_did_change
    seen: list[str] = []
    one.inbox_did_change.connect(lambda: seen.append("one"))
    two.announce(Changes(inbox=True))
    assert seen == []
