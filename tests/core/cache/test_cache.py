"""Cache: applying the hub's stream, the outbox and message status transitions."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from core.cache.cache import SCHEMA_VERSION, Cache, CacheTooNew
from core.protocol.agent import (
    CloseConversation,
    ConversationClosed,
    MessageStatusChanged,
    PresenceChanged,
    SendMessage,
    SetPresence,
    Snapshot,
)
from core.protocol.models import (
    ClosedBy,
    ConversationStatus,
    MessageAuthor,
    MessageStatus,
    Presence,
)
from core.sync.outbox import Outbox
from tests.core.factories import T0, added, assigned, event, message


@pytest.fixture
def cache() -> Cache:
    return Cache(":memory:")


def test_file_is_private_wal_and_versioned(tmp_path: Path) -> None:
    path = tmp_path / "sub" / "cache.sqlite3"
    cache = Cache(path)
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert cache.db.journal_mode == "wal"
    assert cache.schema_version() == SCHEMA_VERSION
    cache.apply_events([event(1, assigned())])
    cache.close()
    reopened = Cache(path)
    assert reopened.last_seq() == 1
    assert [i.conversation_id for i in reopened.inbox()] == ["c1"]


def test_newer_schema_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "c.sqlite3"
    cache = Cache(path)
    cache.db.execute("UPDATE meta SET value='99' WHERE key='schema_version'")
    cache.db.conn.commit()
    cache.close()
    with pytest.raises(CacheTooNew):
        Cache(path)


def test_assignment_fills_inbox_profile_and_receipts(cache: Cache) -> None:
    changes = cache.apply_events([event(1, assigned())])
    assert changes.inbox and changes.conversations == {"c1"} and changes.customers == {"cu1"}
    assert cache.last_seq() == 1
    [item] = cache.inbox()
    assert (item.customer_name, item.last_text, item.unread) == ("王芳", "你好", 1)
    assert item.waiting_since == T0
    profile = cache.customer_profile("cu1")
    assert profile is not None
    assert [i.value for i in profile.identities] == ["cu1@example.com"]
    assert [p.id for p in profile.recent] == ["c1", "c1-old"]
    assert cache.due_receipts() == {"c1": ["c1-m1"]}
    cache.mark_receipts_sent(["c1-m1"])
    assert cache.due_receipts() == {}


def test_a_receipt_counts_once_the_hub_confirms_it(cache: Cache) -> None:
    cache.apply_events([event(1, assigned())])
    cache.mark_receipts_sent(["c1-m1"])
    stored = cache.message("c1-m1")
    assert stored is not None and stored.status == MessageStatus.SENT  # not yet confirmed
    # The link dropped before the hub answered: the next connection sends it again.
    assert cache.requeue_unconfirmed_receipts() == 1
    assert cache.due_receipts() == {"c1": ["c1-m1"]}
    cache.mark_receipts_sent(["c1-m1"])
    cache.apply_events([event(2, MessageStatusChanged(
        conversation_id="c1", message_id="c1-m1", status=MessageStatus.DELIVERED))])
    stored = cache.message("c1-m1")
    assert stored is not None and stored.status == MessageStatus.DELIVERED
    assert cache.requeue_unconfirmed_receipts() == 0
    assert cache.due_receipts() == {}


def test_batch_is_one_transaction(cache: Cache) -> None:
    cache.apply_events([event(1, assigned())])
    bad = message("x", conv_id="c1")
    bad.author = "nobody"  # type: ignore[assignment]  # msgspec checks on decode only
    bad_event = added(3, bad)
    with pytest.raises(Exception):  # noqa: B017 - any failure must roll back
        cache.apply_events([added(2, message("m2", at=T0 + 5)), bad_event])
    assert cache.last_seq() == 1
    assert [m.id for m in cache.messages("c1")] == ["c1-m1"]


def test_messages_unread_and_waiting(cache: Cache) -> None:
    cache.apply_events([event(1, assigned())])
    cache.apply_events([added(2, message("m2", text="在吗？", at=T0 + 10))])
    item = cache.conversation("c1")
    assert item is not None and item.unread == 2 and item.last_text == "在吗？"
    assert cache.mark_read("c1") and not cache.mark_read("c1")
    reply = message("r1", author=MessageAuthor.AGENT, text="您好", at=T0 + 20)
    cache.apply_events([added(3, reply)])
    item = cache.conversation("c1")
    assert item is not None and item.waiting_since is None and item.last_text == "您好"
    # a replayed event changes nothing
    assert not cache.apply_events([added(3, reply)]).messages


def test_close_and_presence_events(cache: Cache) -> None:
    cache.apply_events([event(1, assigned())])
    cache.apply_events(
        [
            event(2, ConversationClosed("c1", ClosedBy.CUSTOMER, T0 + 99)),
            event(3, PresenceChanged(Presence.AWAY)),
        ]
    )
    assert cache.inbox() == []
    item = cache.conversation("c1")
    assert item is not None and item.status is ConversationStatus.CLOSED
    assert item.closed_by is ClosedBy.CUSTOMER
    assert cache.presence() is Presence.AWAY


def test_snapshot_replaces_open_state(cache: Cache) -> None:
    cache.apply_events([event(1, assigned("c1")), event(2, assigned("c2", "cu2"))])
    snap = Snapshot(seq=40, conversations=[assigned("c2", "cu2")], presence=Presence.AVAILABLE)
    changes = cache.apply_snapshot(snap)
    assert "c1" in changes.conversations and changes.inbox
    assert [i.conversation_id for i in cache.inbox()] == ["c2"]
    assert cache.last_seq() == 40
    assert cache.presence() is Presence.AVAILABLE


def test_send_message_pending_sent_delivered(cache: Cache) -> None:
    cache.apply_events([event(1, assigned())])
    outbox = Outbox(cache)
    mid, changes = outbox.send_message("c1", "马上为您处理", agent_id="a1", author_name="李娜")
    assert ("c1", mid) in changes.messages
    [command] = outbox.pending()
    assert isinstance(command, SendMessage) and command.message_id == mid
    assert cache.message(mid).status is MessageStatus.PENDING  # type: ignore[union-attr]
    outbox.resolve(command.op)
    assert cache.message(mid).status is MessageStatus.SENT  # type: ignore[union-attr]
    assert outbox.pending() == []
    # the hub's own event for our message must not step back
    cache.apply_events([added(2, message(mid, author=MessageAuthor.AGENT, at=T0 + 1))])
    cache.apply_events([event(3, MessageStatusChanged("c1", mid, MessageStatus.DELIVERED))])
    assert cache.message(mid).status is MessageStatus.DELIVERED  # type: ignore[union-attr]
    cache.apply_events([event(4, MessageStatusChanged("c1", mid, MessageStatus.SENT))])
    assert cache.message(mid).status is MessageStatus.DELIVERED  # type: ignore[union-attr]


def test_rejected_message_fails_and_can_be_retried(cache: Cache) -> None:
    cache.apply_events([event(1, assigned())])
    outbox = Outbox(cache)
    mid, _ = outbox.send_message("c1", "hello")
    op = outbox.pending()[0].op
    resolution = outbox.reject(op, "rate_limited")
    assert ("c1", mid) in resolution.changes.messages
    assert cache.message(mid).status is MessageStatus.FAILED  # type: ignore[union-attr]
    assert len(outbox) == 0
    command, _ = outbox.retry_message(mid)
    assert isinstance(command, SendMessage) and command.op != op and command.message_id == mid
    assert cache.message(mid).status is MessageStatus.PENDING  # type: ignore[union-attr]
    # a late ack of the old op (already gone) is harmless
    assert outbox.resolve(op).command is None


def test_outbox_keeps_order_across_reopen(tmp_path: Path) -> None:
    path = tmp_path / "c.sqlite3"
    cache = Cache(path)
    cache.apply_events([event(1, assigned())])
    outbox = Outbox(cache)
    outbox.send_message("c1", "one")
    outbox.send_message("c1", "two")
    outbox.close_conversation("c1")
    cache.close()
    again = Outbox(Cache(path))
    kinds = [type(c).__name__ for c in again.pending()]
    assert kinds == ["SendMessage", "SendMessage", "CloseConversation"]
    texts = [c.text for c in again.pending() if isinstance(c, SendMessage)]
    assert texts == ["one", "two"]


def test_close_is_optimistic_and_reverted_on_transient_error(cache: Cache) -> None:
    cache.apply_events([event(1, assigned())])
    outbox = Outbox(cache)
    changes = outbox.close_conversation("c1")
    assert changes.inbox and cache.inbox() == []
    [command] = outbox.pending()
    assert isinstance(command, CloseConversation)
    outbox.reject(command.op, "internal")
    assert [i.conversation_id for i in cache.inbox()] == ["c1"]
    # closing twice queues nothing the second time
    outbox.close_conversation("c1")
    assert outbox.close_conversation("c1") == type(changes)()


def test_presence_latest_wins_and_reverts(cache: Cache) -> None:
    outbox = Outbox(cache)
    cache.set_presence(Presence.AVAILABLE)
    outbox.set_presence(Presence.AWAY)
    outbox.set_presence(Presence.OFFLINE)
    [command] = outbox.pending()
    assert isinstance(command, SetPresence) and command.presence is Presence.OFFLINE
    assert cache.presence() is Presence.OFFLINE
    outbox.reject(command.op, "internal")
    assert cache.presence() is Presence.AWAY
