"""The desktop's follow-ups: local first through the outbox, the hub's events and list
stored in the cache (a hand-over away leaves the list), reminders announced, a
refusal undone, and the cache migration keeps them across a restart."""

from __future__ import annotations

from pathlib import Path

import msgspec
import pytest

from core.cache.cache import Cache
from core.followups.followups import FollowUpError
from core.protocol import followups as fp
from core.protocol.models import AgentInfo
from core.session.agent_service import AgentService
from tests.core.factories import T0, event

AGENT = AgentInfo(id="a1", username="lina", display_name="李娜")
HOUR = 3600_000


def hub_followup(fid: str = "f1", owner: str | None = "a1", due: int = T0 + HOUR,
                 status: fp.FollowUpStatus = fp.FollowUpStatus.OPEN) -> fp.FollowUp:
    return fp.FollowUp(id=fid, conversation_id="c1", customer_id="cu1", customer_name="王芳",
                       kind=fp.FollowUpKind.CALLBACK, status=status,
                       source=fp.FollowUpSource.MESSAGE, due_at=due, remind_at=due - 900_000,
                       created_at=T0, updated_at=T0, owner_id=owner,
                       contact_phone="+86 150 1234 5678")


@pytest.fixture
def service() -> AgentService:
    cache = Cache(":memory:")
    cache.store_agent(AGENT)  # as the welcome does
    return AgentService(cache, AGENT)


def test_events_fill_the_list_and_a_reminder_is_announced(service: AgentService) -> None:
    seen: list[str] = []
    service.followups_did_change.connect(lambda: seen.append("list"))
    service.followup_reminder_did_arrive.connect(lambda fid: seen.append(f"remind {fid}"))
    service.events_received([event(1, fp.FollowUpChanged(followup=hub_followup()))])
    assert [f.id for f in service.followups.mine()] == ["f1"]
    service.events_received([event(2, fp.FollowUpReminder(followup=hub_followup()))])
    assert seen == ["list", "list", "remind f1"]
    # Handed to someone else: it leaves this agent's list.
    service.events_received([event(3, fp.FollowUpChanged(followup=hub_followup(owner="a2")))])
    assert service.followups.mine() == []


def test_the_welcome_list_replaces_what_was_cached(service: AgentService) -> None:
    service.events_received([event(1, fp.FollowUpChanged(followup=hub_followup("old")))])
    service.profile_frame_received(fp.FollowUps(followups=[
        hub_followup("b", due=T0 + 2 * HOUR), hub_followup("a", due=T0 + HOUR),
        hub_followup("s", status=fp.FollowUpStatus.SOLVED)]))
    assert [f.id for f in service.followups.mine()] == ["a", "b", "s"]


def test_create_is_local_first_and_a_refusal_removes_it(service: AgentService) -> None:
    due = 4102444800000  # 2100: always ahead
    fid = service.followups.create("c1", "cu1", "王芳", fp.FollowUpKind.INVESTIGATION, due,
                                   "check the refund")
    [local] = service.followups.mine()
    assert (local.id, local.owner_id, local.status) == (fid, "a1", fp.FollowUpStatus.OPEN)
    [command] = service.pending_commands()
    assert isinstance(command, fp.CreateFollowUp) and command.followup_id == fid
    service.op_rejected(command.op, "forbidden", "no")
    assert service.followups.mine() == []
    with pytest.raises(FollowUpError):
        service.followups.create("c1", "cu1", "王芳", fp.FollowUpKind.OTHER, T0)


def test_status_change_is_undone_when_refused(service: AgentService) -> None:
    service.events_received([event(1, fp.FollowUpChanged(followup=hub_followup()))])
    service.followups.set_status("f1", fp.FollowUpStatus.SOLVED, "done")
    followup = service.followups.followup("f1")
    assert followup is not None and followup.status == fp.FollowUpStatus.SOLVED
    [command] = service.pending_commands()
    assert isinstance(command, fp.UpdateFollowUp) and command.status == fp.FollowUpStatus.SOLVED
    service.op_rejected(command.op, "forbidden", "no")
    back = service.followups.followup("f1")
    assert back is not None and back.status == fp.FollowUpStatus.OPEN and back.note == ""


def test_follow_ups_survive_a_restart(tmp_path: Path) -> None:
    path = tmp_path / "cache.sqlite3"
    cache = Cache(path)
    cache.store_agent(AGENT)
    first = AgentService(cache, AGENT)
    first.events_received([event(1, fp.FollowUpChanged(followup=hub_followup()))])
    again = AgentService(Cache(path), AGENT)
    assert [msgspec.structs.asdict(f)["id"] for f in again.followups.mine()] == ["f1"]
