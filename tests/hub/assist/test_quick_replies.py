"""Quick replies on the hub: who may edit what, whose streams hear of it, snapshots,
and each command as one unit of work (nothing left by a failure, a retry applies once)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import sqlalchemy as sa

from core.protocol import agent as ap
from core.protocol import assist
from core.protocol.codec import agent_client_decoder, agent_server_decoder
from hub.composition import HubParts, compose
from hub.routing.offers import VirtualClock
from hub.store import schema as t
from hub.store.schema import migrate
from hub.store.store import Store, create_engine
from tests.hub.test_unit_of_work import RecordingPeer, events_of, fail_once_after

_decode = agent_server_decoder().decode


@dataclass
class Team:
    parts: HubParts
    store: Store
    lina: str
    alex: str
    wang: str  # supervisor
    peers: dict[str, RecordingPeer]

    def command(self, agent_id: str, cmd: ap.Command) -> ap.Ack | ap.Error:
        frame = _decode(self.parts.service.agent_command(agent_id, cmd))
        assert isinstance(frame, ap.Ack | ap.Error)
        return frame

    def saved(self, who: str) -> list[assist.QuickReply]:
        return [e.body.reply for e in events_of(self.peers[who], assist.QuickReplySaved)
                if isinstance(e.body, assist.QuickReplySaved)]

    def rows(self) -> int:
        with self.store.engine.connect() as conn:
            return int(conn.execute(
                sa.select(sa.func.count()).select_from(t.quick_replies)).scalar_one())


@pytest.fixture
def team(tmp_path: Path) -> Iterator[Team]:
    engine = create_engine(tmp_path / "hub.sqlite3")
    migrate(engine)
    store = Store(engine)
    parts = compose(store, clock=VirtualClock())
    lina = store.create_agent("lina", "李娜", "h")
    alex = store.create_agent("alex", "Alex", "h")
    wang = store.create_agent("wang", "王伟", "h", "supervisor")
    parts.routing.load()
    peers = {}
    for name, agent_id in (("lina", lina), ("alex", alex), ("wang", wang)):
        peers[name] = RecordingPeer(name)
        parts.service.agent_joined(peers[name], agent_id, ap.Hello(v=1, token="t"))
    yield Team(parts, store, lina, alex, wang, peers)
    parts.service.stopped()
    engine.dispose()


def save(op: str, reply_id: str, scope: assist.QuickReplyScope, title: str = "退货流程",
         text: str = "请在“我的订单”中申请售后。") -> assist.SaveQuickReply:
    return assist.SaveQuickReply(op=op, reply_id=reply_id, scope=scope, title=title, text=text,
                                 shortcut="th", category="售后")


PERSONAL, TEAM = assist.QuickReplyScope.PERSONAL, assist.QuickReplyScope.TEAM


def test_a_personal_reply_reaches_only_its_owner(team: Team) -> None:
    ack = team.command(team.lina, save("op1", "qr1", PERSONAL))
    assert isinstance(ack, ap.Ack) and ack.seq is not None
    [reply] = team.saved("lina")
    assert (reply.id, reply.owner_id, reply.title) == ("qr1", team.lina, "退货流程")
    assert team.saved("alex") == [] and team.saved("wang") == []
    # The ack names the event that carried it.
    [event] = events_of(team.peers["lina"], assist.QuickReplySaved)
    assert event.seq == ack.seq


def test_an_agent_cannot_touch_another_agents_reply_or_a_team_reply(team: Team) -> None:
    team.command(team.lina, save("op1", "qr1", PERSONAL))
    team.command(team.wang, save("op2", "qr-team", TEAM))
    sent = {k: len(p.frames) for k, p in team.peers.items()}

    for cmd in (save("a1", "qr1", PERSONAL, title="mine now"),
                assist.DeleteQuickReply(op="a2", reply_id="qr1")):
        answer = team.command(team.alex, cmd)
        assert isinstance(answer, ap.Error) and answer.code == "not_found"
    for cmd in (save("a3", "qr-team", TEAM, title="edited"),
                assist.DeleteQuickReply(op="a4", reply_id="qr-team"),
                save("a5", "qr-new-team", TEAM)):
        answer = team.command(team.alex, cmd)
        assert isinstance(answer, ap.Error) and answer.code == "forbidden"
    # A reply keeps its scope.
    answer = team.command(team.lina, save("a6", "qr1", TEAM))
    assert isinstance(answer, ap.Error) and answer.code in ("forbidden", "conflict")

    assert team.rows() == 2
    assert {k: len(p.frames) for k, p in team.peers.items()} == sent  # nobody heard a thing
    assert [r.title for r in team.parts.service.quick_replies.quick_replies_of(team.lina)] == [
        "退货流程", "退货流程"]
    # A refused command is answered the same way when repeated.
    again = team.command(team.alex, save("a3", "qr-team", TEAM, title="edited"))
    assert isinstance(again, ap.Error) and again.code == "forbidden"


def test_a_supervisors_team_reply_reaches_every_agent_and_its_edits_and_deletion_too(
        team: Team) -> None:
    assert isinstance(team.command(team.wang, save("op1", "qr-t", TEAM)), ap.Ack)
    edited = save("op2", "qr-t", TEAM, title="Returns", text="Open My orders, then Return.")
    assert isinstance(team.command(team.wang, edited), ap.Ack)
    for who in ("lina", "alex", "wang"):
        assert [r.title for r in team.saved(who)] == ["退货流程", "Returns"]
        assert all(r.owner_id is None and r.scope is TEAM for r in team.saved(who))
    assert isinstance(team.command(team.wang, assist.DeleteQuickReply(op="op3", reply_id="qr-t")),
                      ap.Ack)
    for who in ("lina", "alex", "wang"):
        deleted = events_of(team.peers[who], assist.QuickReplyDeleted)
        assert [e.body.reply_id for e in deleted  # type: ignore[union-attr]
                ] == ["qr-t"]
    assert team.rows() == 0


def test_the_snapshots_last_part_carries_what_the_agent_sees(team: Team) -> None:
    team.command(team.lina, save("op1", "qr-lina", PERSONAL, title="Lina's"))
    team.command(team.alex, save("op2", "qr-alex", PERSONAL, title="Alex's"))
    team.command(team.wang, save("op3", "qr-team", TEAM, title="Team"))
    second = RecordingPeer("lina-2")
    team.parts.service.agent_joined(second, team.lina, ap.Hello(v=1, token="t"))
    snapshots = [f for f in map(_decode, second.frames) if isinstance(f, ap.Snapshot)]
    assert snapshots and snapshots[-1].last
    assert all(s.quick_replies is None for s in snapshots[:-1])
    assert sorted(r.title for r in snapshots[-1].quick_replies or []) == ["Lina's", "Team"]


def test_a_replay_after_a_reconnect_brings_the_missed_edits(team: Team) -> None:
    head = team.store.head_seq(team.alex)
    team.command(team.wang, save("op1", "qr-team", TEAM, title="Team"))
    again = RecordingPeer("alex-2")
    team.parts.service.agent_joined(again, team.alex, ap.Hello(v=1, token="t", last_seq=head))
    replayed = [e for f in map(_decode, again.frames) if isinstance(f, ap.Events)
                for e in f.events]
    assert [type(e.body) for e in replayed] == [assist.QuickReplySaved]


def test_a_save_that_fails_after_its_events_leaves_nothing_and_its_retry_applies_once(
        team: Team, monkeypatch: pytest.MonkeyPatch) -> None:
    store = team.store
    heads = {a: store.head_seq(a) for a in (team.lina, team.alex, team.wang)}
    sent = {k: len(p.frames) for k, p in team.peers.items()}
    monkeypatch.setattr(store, "record_op", fail_once_after(store.record_op))
    cmd = save("op-t", "qr-t", TEAM)
    with pytest.raises(RuntimeError):
        team.parts.service.agent_command(team.wang, cmd)
    assert team.rows() == 0
    assert {a: store.head_seq(a) for a in heads} == heads
    assert store.op_result(team.wang, "op-t") is None
    assert {k: len(p.frames) for k, p in team.peers.items()} == sent

    first = team.command(team.wang, cmd)
    second = team.command(team.wang, cmd)
    assert isinstance(first, ap.Ack) and isinstance(second, ap.Ack)
    assert first.seq == second.seq
    assert team.rows() == 1
    assert [len(team.saved(w)) for w in ("lina", "alex", "wang")] == [1, 1, 1]


def test_bad_input_is_refused_at_the_edge() -> None:
    decoder = agent_client_decoder()
    for bad in (
        b'{"type":"save_quick_reply","op":"o","reply_id":"r","scope":"team","title":"",'
        b'"text":"x"}',
        b'{"type":"save_quick_reply","op":"o","reply_id":"r","scope":"everyone","title":"t",'
        b'"text":"x"}',
        b'{"type":"save_quick_reply","op":"o","reply_id":"r","scope":"team","title":"t",'
        b'"text":"x","shortcut":"two words"}',
        b'{"type":"delete_quick_reply","op":"o","reply_id":"bad id!"}',
    ):
        with pytest.raises(Exception) as caught:
            decoder.decode(bad)
        assert getattr(caught.value, "code", None) == "invalid"


def test_an_older_database_gains_the_tables(tmp_path: Path) -> None:
    engine = create_engine(tmp_path / "old.sqlite3")
    migrate(engine, target=7)
    assert not sa.inspect(engine).has_table("quick_replies")
    assert migrate(engine) == 7
    assert sa.inspect(engine).has_table("quick_replies")
    assert sa.inspect(engine).has_table("suggestion_feedback")
    engine.dispose()
