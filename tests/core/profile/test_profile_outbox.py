"""Profile edits through the outbox (offline, crash, ack, refusal) and hub reads."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from core.cache.cache import Cache
from core.profile.outbox import ProfileChange, ProfileFailure
from core.profile.profiles import InvalidAttribute
from core.profile.reads import ReadFailed
from core.protocol.models import Channel, IdentityKind
from core.protocol.profile import (
    AddIdentity,
    AddNote,
    AttributeDefinition,
    AttributeType,
    EditNote,
    FetchTimeline,
    ProfileConfig,
    Timeline,
    TimelineItem,
    UpdateCustomer,
)
from core.records import NoteState
from core.session.agent_service import AgentService
from core.sync.outbox import Outbox
from tests.core.factories import T0
from tests.core.profile.test_cache_profiles import rich
from tests.core.session.test_agent_service import AGENT, FakeTransport

CONFIG = ProfileConfig(attributes=[
    AttributeDefinition("orders", "Orders", AttributeType.NUMBER),
    AttributeDefinition("birthday", "Birthday", AttributeType.DATE),
    AttributeDefinition("segment", "Segment", AttributeType.CHOICE, ["retail", "b2b"]),
])


def make(path: Path | str = ":memory:") -> tuple[AgentService, FakeTransport]:
    cache = Cache(path)
    cache.store_customer(rich())
    service = AgentService(cache, AGENT)
    holder: list[FakeTransport] = []

    def factory(delegate: object) -> FakeTransport:
        holder.append(FakeTransport(delegate))  # type: ignore[arg-type]
        return holder[0]

    service.connect(factory)  # type: ignore[arg-type]
    service.profile_frame_received(CONFIG)
    return service, holder[0]


def test_a_note_written_offline_is_pending_survives_a_crash_and_syncs_once(
        tmp_path: Path) -> None:
    path = tmp_path / "cache.sqlite3"
    service, _ = make(path)
    note_id = service.profiles.add_note("cu1", "  客户偏好下午来电  ")
    assert note_id is not None
    [note, _old] = service.profiles.profile("cu1").notes  # type: ignore[union-attr]
    assert (note.id, note.text, note.state, note.author_name) == (
        note_id, "客户偏好下午来电", NoteState.PENDING, "李娜")
    service._cache.close()  # a crash: nothing but the file remains
    cache = Cache(path)
    [command] = Outbox(cache).pending()
    assert isinstance(command, AddNote) and command.note_id == note_id
    service = AgentService(cache, AGENT)
    service.op_acked(command.op, 7)
    assert [n.state for n in service.profiles.profile("cu1").notes] == [  # type: ignore[union-attr]
        NoteState.SYNCED, NoteState.SYNCED]
    assert Outbox(cache).pending() == []
    cache.close()


def test_a_refused_note_is_kept_as_failed_and_editing_sends_it_again() -> None:
    service, _ = make()
    note_id = service.profiles.add_note("cu1", "note")
    [command] = service.pending_commands()
    failures: list[ProfileFailure] = []
    service.profile_command_did_fail.connect(failures.append)
    service.op_rejected(command.op, "forbidden", "no")
    note = service.profiles.profile("cu1").notes[0]  # type: ignore[union-attr]
    assert (note.state, note.error, note.text) == (NoteState.FAILED, "forbidden", "note")
    assert failures[0].kind == "add_note" and failures[0].code == "forbidden"
    service.profiles.edit_note(note_id, "note, take two")  # type: ignore[arg-type]
    [again] = service.pending_commands()
    assert isinstance(again, AddNote) and again.note_id == note_id
    assert again.text == "note, take two"
    service.op_acked(again.op, 3)
    service.profiles.edit_note("n1", "edited")
    [edit] = service.pending_commands()
    assert isinstance(edit, EditNote)
    service.op_rejected(edit.op, "invalid", "")
    texts = {n.id: (n.text, n.state) for n in service.profiles.profile("cu1").notes}  # type: ignore[union-attr]
    assert texts["n1"] == ("喜欢电话联系", NoteState.SYNCED)  # reverted


def test_update_customer_is_optimistic_and_reverted_when_refused() -> None:
    service, transport = make()
    service.profiles.set_attribute("cu1", "orders", "1,250")
    service.profiles.update_customer("cu1", ProfileChange(name="王芳 (VIP)", tags=["vip", "b2b"]))
    profile = service.profiles.profile("cu1")
    assert profile is not None and profile.name == "王芳 (VIP)"
    assert profile.attributes["orders"] == 1250.0 and profile.tags == ("vip", "b2b")
    assert [n.id for n in profile.notes] == ["n1"]  # a local edit leaves notes alone
    first, second = service.pending_commands()
    assert isinstance(first, UpdateCustomer) and first.attributes == {"orders": 1250.0}
    assert transport.wakes >= 2
    service.op_rejected(second.op, "invalid", "bad tag")
    assert service.profiles.profile("cu1").name == "王芳"  # type: ignore[union-attr]
    with pytest.raises(InvalidAttribute):
        service.profiles.set_attribute("cu1", "orders", "lots")
    with pytest.raises(InvalidAttribute):
        service.profiles.set_attribute("cu1", "birthday", "1990-02-30")
    with pytest.raises(InvalidAttribute):
        service.profiles.set_attribute("cu1", "segment", "wholesale")
    service.profiles.set_attribute("cu1", "birthday", "1990-02-03")
    service.profiles.set_attribute("cu1", "segment", "")  # cleared
    *_, clear = service.pending_commands()
    assert isinstance(clear, UpdateCustomer) and clear.attributes == {"segment": None}


def test_identities_pending_invalid_and_kept_unverified() -> None:
    service, _ = make()
    service.profiles.add_identity("cu1", IdentityKind.PHONE, "12345")
    points = service.profiles.profile("cu1").contact_points  # type: ignore[union-attr]
    assert [(p.value, p.pending) for p in points if p.pending] == [("12345", True)]
    [command] = service.pending_commands()
    failures: list[ProfileFailure] = []
    service.profile_command_did_fail.connect(failures.append)
    service.op_rejected(command.op, "invalid_identity", "too short for CN")
    assert isinstance(failures[0].command, AddIdentity)
    assert not any(p.pending for p in service.profiles.profile("cu1").contact_points)  # type: ignore[union-attr]
    # the agent confirms: resend, kept unverified
    service.profiles.add_identity("cu1", IdentityKind.PHONE, "12345", keep_unverified=True)
    [again] = service.pending_commands()
    assert isinstance(again, AddIdentity) and again.keep_unverified
    # removal is optimistic and undone when refused
    service.profiles.remove_identity("cu1", IdentityKind.PHONE, "+8613800138000")
    assert "+8613800138000" not in [i.value for i in service.profiles.profile("cu1").identities]  # type: ignore[union-attr]
    assert service.profiles.search("13800138000") == []
    remove = service.pending_commands()[-1]
    service.op_rejected(remove.op, "forbidden", "")
    assert "+8613800138000" in [i.value for i in service.profiles.profile("cu1").identities]  # type: ignore[union-attr]


def test_merge_commands_wait_for_the_hub_event() -> None:
    service, _ = make()
    service.profiles.merge_customers("cu1", "cu1")  # into itself: not even queued
    service.profiles.merge_customers("cu1", "cu9")
    service.profiles.unmerge_customers("mg1")
    kinds = [type(c).__name__ for c in service.pending_commands()]
    assert kinds == ["MergeCustomers", "UnmergeCustomers"]


async def test_timeline_pager_reads_the_cache_then_pages_from_the_hub() -> None:
    service, transport = make()
    items = [TimelineItem(kind="conversation", id=f"h{i:02d}", at=T0 - i * 1000,
                          channel=Channel.EMAIL, preview=f"mail {i}") for i in range(30)]
    pager = service.profiles.timeline_pager("cu1")
    assert [e.id for e in pager.entries] == ["n1"]  # the cached note, at once
    transport.live = True

    async def hub() -> None:
        served = 0
        while served < 2:
            await asyncio.sleep(0)
            while transport.requests:
                read = transport.requests.pop(0)
                assert isinstance(read, FetchTimeline)
                start = 0 if read.before_id is None else int(read.before_id[1:]) + 1
                page = items[start:start + read.limit]
                more = start + read.limit < len(items)
                service.profile_frame_received(Timeline(
                    op=read.op, customer_id="cu1", items=page,
                    next_before_at=page[-1].at if more else None,
                    next_before_id=page[-1].id if more else None))
                served += 1

    server = asyncio.create_task(hub())
    await pager.start()
    assert [e.id for e in pager.entries][:3] == ["n1", "h00", "h01"]
    assert len(pager.entries) == 20 and pager.has_more
    await pager.load_more()
    await server
    assert len(pager.entries) == 31 and not pager.has_more
    assert len({e.id for e in pager.entries}) == 31
    # offline: the same timeline from the cache alone
    transport.live = False
    offline = service.profiles.timeline_pager("cu1")
    await offline.start()
    assert offline.hub_error == "offline" and len(offline.entries) == 20
    await offline.load_more()
    assert [e.id for e in offline.entries] == [e.id for e in pager.entries]


async def test_a_refused_read_raises() -> None:
    service, transport = make()
    transport.live = True
    task = asyncio.ensure_future(service.profiles.refresh_customer("cu1"))
    await asyncio.sleep(0)
    [read] = transport.requests
    service.op_rejected(read.op, "forbidden", "not your queue")
    with pytest.raises(ReadFailed) as info:
        await task
    assert info.value.code == "forbidden"
