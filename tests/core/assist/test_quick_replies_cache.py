"""Quick replies in the desktop's cache: the hub's events and snapshots, edits made
offline through the outbox, acks and refusals, the one-time snapshot after an upgrade."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlite_utils

from core.assist.quick_replies import QuickReplyDraft, QuickReplyError
from core.assist.quick_reply_cache import ReplyState
from core.cache.cache import Cache
from core.cache.schema import migrate
from core.protocol import routing as rp
from core.protocol.agent import Snapshot
from core.protocol.assist import (
    DeleteQuickReply,
    QuickReply,
    QuickReplyChannel,
    QuickReplyDeleted,
    QuickReplySaved,
    QuickReplyScope,
    SaveQuickReply,
)
from core.protocol.models import AgentInfo, Channel, Presence
from core.session.agent_service import AgentService
from tests.core.factories import event

TEAM, PERSONAL = QuickReplyScope.TEAM, QuickReplyScope.PERSONAL
ME = AgentInfo(id="a-lina", username="lina", display_name="李娜")


def service_as(role: rp.AgentRole) -> AgentService:
    service = AgentService(Cache(":memory:"), ME)
    service.routing_frame_received(rp.RoutingConfig(
        role=role, queues=[], all_queues=[], away_reasons=[], offer_timeout_s={}))
    return service


def team_reply(rid: str, title: str, at: int = 1) -> QuickReply:
    return QuickReply(id=rid, scope=TEAM, title=title, text=f"{title}的回复", updated_at=at)


def test_events_and_snapshots_keep_the_cache_in_step() -> None:
    service = service_as(rp.AgentRole.AGENT)
    changed: list[str] = []
    service.quick_replies_did_change.connect(lambda: changed.append("x"))
    service.events_received([event(1, QuickReplySaved(team_reply("t1", "退货"))),
                             event(2, QuickReplySaved(team_reply("t2", "发票")))])
    assert [r.title for r in service.quick_replies.all()] == ["发票", "退货"]
    service.events_received([event(3, QuickReplyDeleted(reply_id="t1")),
                             event(4, QuickReplySaved(team_reply("t2", "开具发票", 2)))])
    assert [r.title for r in service.quick_replies.all()] == ["开具发票"]
    assert len(changed) == 2  # one notice per transaction
    service.snapshot_received(Snapshot(seq=9, conversations=[], presence=Presence.AVAILABLE,
                                       quick_replies=[team_reply("t3", "物流")]))
    assert [r.id for r in service.quick_replies.all()] == ["t3"]
    # A snapshot without the list (an older hub) leaves the replies alone.
    service.snapshot_received(Snapshot(seq=10, conversations=[], presence=Presence.AVAILABLE))
    assert [r.id for r in service.quick_replies.all()] == ["t3"]


def test_an_edit_made_offline_is_shown_at_once_and_queued_once() -> None:
    service = service_as(rp.AgentRole.AGENT)
    rid = service.quick_replies.save(QuickReplyDraft(title=" 稍等 ", text="请稍等，我查一下。",
                                                     shortcut="/sd"))
    [listed] = service.quick_replies.listed()
    assert listed.reply.title == "稍等" and listed.reply.shortcut == "sd"
    assert listed.state is ReplyState.PENDING and listed.reply.owner_id == ME.id
    [command] = service.pending_commands()
    assert isinstance(command, SaveQuickReply) and command.reply_id == rid
    # The hub's stream says nothing new about it while the edit waits.
    service.events_received([event(1, QuickReplySaved(QuickReply(
        id=rid, scope=PERSONAL, title="old", text="old", owner_id=ME.id)))])
    assert service.quick_replies.get(rid).title == "稍等"  # type: ignore[union-attr]
    service.op_acked(command.op, 1)
    assert service.quick_replies.listed()[0].state is ReplyState.SYNCED
    assert service.pending_commands() == []


def test_a_refused_edit_is_undone_and_reported() -> None:
    service = service_as(rp.AgentRole.SUPERVISOR)
    service.events_received([event(1, QuickReplySaved(team_reply("t1", "退货")))])
    failures: list[tuple[str, str]] = []
    service.quick_reply_did_fail.connect(lambda kind, code: failures.append((kind, code)))
    service.quick_replies.save(QuickReplyDraft(title="退货流程", text="新的文字"), "t1")
    assert service.quick_replies.get("t1").title == "退货流程"  # type: ignore[union-attr]
    [command] = service.pending_commands()
    service.op_rejected(command.op, "forbidden", "no")
    assert service.quick_replies.get("t1").title == "退货"  # type: ignore[union-attr]
    assert failures == [("save_quick_reply", "forbidden")]

    service.quick_replies.delete("t1")
    assert service.quick_replies.get("t1") is None
    [delete] = service.pending_commands()
    assert isinstance(delete, DeleteQuickReply)
    service.op_rejected(delete.op, "internal", "hub failed")
    assert service.quick_replies.get("t1") is not None  # back


def test_agents_may_not_edit_team_replies_supervisors_may() -> None:
    agent = service_as(rp.AgentRole.AGENT)
    agent.events_received([event(1, QuickReplySaved(team_reply("t1", "退货")))])
    with pytest.raises(QuickReplyError):
        agent.quick_replies.save(QuickReplyDraft(title="x", text="y"), "t1")
    with pytest.raises(QuickReplyError):
        agent.quick_replies.save(QuickReplyDraft(title="x", text="y", scope=TEAM))
    with pytest.raises(QuickReplyError):
        agent.quick_replies.delete("t1")
    with pytest.raises(QuickReplyError):
        agent.quick_replies.save(QuickReplyDraft(title="", text="y"))
    assert agent.pending_commands() == []
    assert [r.editable for r in agent.quick_replies.listed()] == [False]
    supervisor = service_as(rp.AgentRole.SUPERVISOR)
    supervisor.quick_replies.save(QuickReplyDraft(title="x", text="y", scope=TEAM))
    assert len(supervisor.pending_commands()) == 1


def test_search_works_from_the_cache_with_the_channel() -> None:
    service = service_as(rp.AgentRole.AGENT)
    service.events_received([
        event(1, QuickReplySaved(QuickReply(id="e", scope=TEAM, title="邮件落款",
                                            text="此致", channel=QuickReplyChannel.EMAIL))),
        event(2, QuickReplySaved(team_reply("c", "退货"))),
    ])
    assert [h.reply.id for h in service.quick_replies.search("", Channel.CHAT)] == ["c"]
    assert [h.reply.id for h in service.quick_replies.search("yj", Channel.EMAIL)] == ["e"]


def test_an_upgraded_cache_asks_once_for_a_snapshot_that_brings_the_replies(
        tmp_path: Path) -> None:
    path = tmp_path / "cache.sqlite3"
    old = sqlite_utils.Database(path)
    with old.conn:
        old.execute('CREATE TABLE "meta" ("key" TEXT PRIMARY KEY, "value" TEXT)')
        migrate(old, 0, 7)
        old.execute("INSERT INTO sync_state (key, value) VALUES ('last_seq', '41')")
    old.close()
    cache = Cache(path)
    assert cache.last_seq() == 41  # nothing lost
    assert cache.resume_seq() is None  # but the next hello asks for the whole state
    cache.apply_snapshot(Snapshot(seq=57, conversations=[], presence=Presence.AVAILABLE,
                                  quick_replies=[team_reply("t1", "退货")]))
    assert cache.resume_seq() == 57
    cache.close()
    again = Cache(path)
    assert again.resume_seq() == 57
    assert [r.id for r in AgentService(again, ME).quick_replies.all()] == ["t1"]
    again.close()
