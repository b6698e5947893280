"""The local cache: everything the agent sees, readable without the network.

One SQLite file per (hub, agent), opened with sqlite-utils in WAL mode and mode
0600. The hub's event stream is applied here in one transaction per batch, together
with the seq it reached, so a crash can never leave half a batch or a seq that
claims more than what is stored. Agent actions go through the outbox (see
``core.sync.outbox``). The cache holds no secrets: the token lives in the keyring.
"""

from __future__ import annotations

import dataclasses
import logging
import os
from collections.abc import Iterable
from pathlib import Path

import msgspec
import sqlite_utils

from core.assist import kb_cache, suggestion_cache
from core.assist import quick_reply_cache as cache_replies
from core.cache import cipher, queries, search_upkeep
from core.cache import search as cache_search
from core.cache import sentiment as cache_sentiment
from core.cache.cache_file import (
    OUTBOX_COLUMNS,
    CacheError,
    CacheLocked,
    CacheReset,
    CacheTooNew,
    LockReason,
    check_not_truncated,
    move_aside,
    now_ms,
    private_file,
    read_outbox,
)
from core.cache.checkpoint import Checkpointer
from core.cache.cipher import CacheKey
from core.cache.schema import SCHEMA_VERSION, migrate
from core.call import transcript_cache
from core.chat.messages import MessageRows
from core.email import cache as email_cache
from core.followups import followup_cache
from core.profile import profile_cache as profiles
from core.profile import timeline_cache as cache_timeline
from core.protocol import routing as rp
from core.protocol.agent import (
    Command,
    ConversationAssigned,
    ConversationClosed,
    ConversationUnassigned,
    Event,
    MessageAdded,
    MessageStatusChanged,
    PresenceChanged,
    Snapshot,
)
from core.protocol.assist import AssistSuggestions
from core.protocol.call import CallTranscribed
from core.protocol.models import (
    AgentInfo,
    Channel,
    Conversation,
    ConversationStatus,
    ConversationSummary,
    Customer,
    MessageAuthor,
    Presence,
)
from core.protocol.profile import (
    AttributeDefinition,
    CustomerMerged,
    CustomerUnmerged,
    CustomerUpdated,
    ProfileConfig,
    Timeline,
)
from core.protocol.sentiment import EscalationRaised, MessageClassified
from core.records import (
    Changes,
    CustomerHit,
    CustomerProfile,
    InboxItem,
    StoredMessage,
    TimelineEntry,
)
from core.routing import cache as cache_routing
from core.supervision import coaching_cache

# Why a conversation stopped being the agent's when no event said so: the
# hub's snapshot no longer listed it.
UNASSIGNED_BY_SNAPSHOT = "snapshot"


_command_decoder = msgspec.json.Decoder(Command)

log = logging.getLogger(__name__)

__all__ = ["Cache", "CacheError", "CacheKey", "CacheLocked", "CacheReset", "CacheTooNew",
           "now_ms", "open_cache", "resync_locked"]


def open_cache(path: Path, key: CacheKey | None = None) -> tuple[Cache, CacheReset | None]:
    """Open the cache at ``path``; an unusable file is moved aside and a new one made.

    The new cache is empty (no last seq), so the hub sends a snapshot: the agent's
    open work is rebuilt, never a crash loop. The reset says what happened, for the
    agent to be told. With ``key`` the cache is encrypted (a plain file is encrypted
    first); a file the key does not open raises ``CacheLocked`` for the agent to
    choose, and is never set aside here.
    """
    try:
        return Cache(path, key), None
    except CacheLocked:
        raise
    except CacheError as exc:
        reset = move_aside(path, exc)
        cache = Cache(path, key)
        if reset.moved_to is not None:
            salvaged = cache.requeue(read_outbox(reset.moved_to, cache.key))
            reset = dataclasses.replace(reset, salvaged=salvaged)
        return cache, reset


def resync_locked(path: Path, error: CacheLocked,
                  key: CacheKey | None) -> tuple[Cache, CacheReset]:
    """The agent chose to re-sync: the locked file is set aside (kept: the old key may
    still turn up) and a new cache under ``key`` is rebuilt from the hub."""
    reset = move_aside(path, error)
    return Cache(path, key), reset


class StateSlot:
    """One kept value of the cache's state table (what the app keeps between runs
    beside the sync state: encrypted with the rest of the cache)."""

    def __init__(self, cache: Cache, key: str) -> None:
        self._cache = cache
        self._key = key

    def load(self) -> str | None:
        return self._cache.state(self._key)

    def save(self, value: str) -> None:
        self._cache.set_state(self._key, value)


class Cache(MessageRows):
    """Thread: the owner's (the GUI thread under qasync). Not shared across threads.

    ``key``: the file is encrypted with SQLCipher (see ``core.cache.cipher``); a
    plain file found at ``path`` is encrypted first, keeping everything in it.
    """

    def __init__(self, path: str | Path, key: CacheKey | None = None) -> None:
        self.path = None if str(path) == ":memory:" else Path(path)
        self.key = key if self.path is not None else None
        try:
            if self.path is None:
                self.db = sqlite_utils.Database(memory=True, execute_plugins=False)
            else:
                self._open_file(self.path)
                self.db.enable_wal()  # outside any transaction, as WAL requires
                for suffix in ("-wal", "-shm"):
                    side = self.path.with_name(self.path.name + suffix)
                    if side.exists():
                        os.chmod(side, 0o600)
            self.db.execute("PRAGMA foreign_keys=ON")
            self.db.execute("PRAGMA synchronous=NORMAL")
            self.db.execute("PRAGMA busy_timeout=3000")  # a check tool may share the file
            self._checkpointer: Checkpointer | None = None
            if self.path is not None:
                # Checkpoints happen on their own thread (see core.cache.checkpoint).
                self.db.execute("PRAGMA wal_autocheckpoint=0")
                self._checkpointer = Checkpointer(self.path, self.key)
            self._migrate()
            # Touch every table once: a damaged page in the schema or a table
            # root fails here rather than in the middle of the agent's work.
            for table in ("sync_state", "customers", "conversations", "messages", "outbox",
                          "notes", "timeline_items", "customer_fts", "message_fts"):
                self.db.execute(f"SELECT 1 FROM {table} LIMIT 1").fetchall()
        except (*cipher.DatabaseError, ValueError) as exc:
            if hasattr(self, "db"):
                self.db.close()
            raise CacheError(f"cannot open cache {path}: {exc}") from exc
        if self._checkpointer is not None:
            self._checkpointer.start()
        search_upkeep.configure(self.db.conn)
        self.db.conn.commit()
        # The newest suggestions of each conversation, also in memory (core/assist).
        self.suggestions = suggestion_cache.LatestSuggestions(self.db)

    @property
    def encrypted(self) -> bool:
        return self.key is not None

    def _open_file(self, path: Path) -> None:
        cipher.finish_interrupted(path)
        if self.key is not None and cipher.is_plain(path):
            try:
                cipher.encrypt_plain(path, self.key)
                log.info("the cache was encrypted (it was a plain file)")
            except (*cipher.Error, OSError) as exc:
                # The plain file is as it was: use it this time, try again next start.
                log.warning("cannot encrypt the plain cache, using it as it is: %s", exc)
                self.key = None
        if self.key is None and path.exists():
            check_not_truncated(path)
        elif self.key is not None and (why := cipher.not_encrypted_either(path)):
            raise CacheError(f"{path.name} is damaged: {why}")
        private_file(path)
        conn = cipher.connect(path, self.key, timeout=5.0)
        if self.key is not None:
            try:
                # Reads page 1 only: its HMAC fails under another key. A file damaged
                # further in opens here and fails below, as damage.
                conn.execute("PRAGMA schema_version").fetchone()
            except cipher.DatabaseError as exc:
                conn.close()
                if "not a database" not in str(exc):
                    raise CacheError(f"cannot open cache {path}: {exc}") from exc
                raise CacheLocked(LockReason.KEY_REJECTED,
                                  f"the key does not open {path.name}: {exc}") from None
        self.db = sqlite_utils.Database(conn, execute_plugins=False)

    def requeue(self, rows: list[tuple[object, ...]]) -> int:
        """Queue again outbox rows saved from a damaged file; how many were valid.

        Only rows whose payload is a command this version understands are kept;
        their local effects (a pending message) come back with the hub's answer.
        """
        valid = []
        for row in rows:
            try:
                _command_decoder.decode(str(row[2]))
            except (msgspec.DecodeError, TypeError):
                continue
            valid.append(row)
        with self.db.atomic():
            for row in valid:
                self.db.execute(
                    f"INSERT OR IGNORE INTO outbox ({', '.join(OUTBOX_COLUMNS)}) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?)", list(row))
        return len(valid)

    def rekey(self, new_key: CacheKey) -> None:
        """Re-encrypt the file under ``new_key`` (key rotation), all or nothing.

        The checkpointer's connection holds the old key: it stops first, the WAL is
        folded in before and after, so no page stays under the old key.
        """
        if self.path is None or self.key is None:
            raise CacheError("only an encrypted cache file can be given a new key")
        if self._checkpointer is not None:
            self._checkpointer.stop()
        try:
            self.db.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()
            cipher.rekey(self.db.conn, new_key)
            self.key = new_key
            self.db.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()
        finally:
            self._checkpointer = Checkpointer(self.path, self.key)
            self._checkpointer.start()

    def close(self) -> None:
        if self._checkpointer is not None:
            self._checkpointer.stop()
            self._checkpointer = None
        self.db.close()

    # ---- schema --------------------------------------------------------------------

    def schema_version(self) -> int:
        if not self.db.table("meta").exists():
            return 0
        row = self.db.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone()
        return int(row[0]) if row else 0

    def _migrate(self) -> None:
        version = self.schema_version()
        if version > SCHEMA_VERSION:
            self.db.close()
            raise CacheTooNew(f"cache schema {version} is newer than {SCHEMA_VERSION}")
        if version == SCHEMA_VERSION:
            return
        with self.db.atomic():
            if version == 0:
                # Even an empty file gets the meta table first (version 0 has none).
                self.db.execute('CREATE TABLE IF NOT EXISTS "meta" '
                                '("key" TEXT PRIMARY KEY, "value" TEXT)')
            migrate(self.db, version)

    # ---- sync state ----------------------------------------------------------------

    def state(self, key: str) -> str | None:
        row = self.db.execute("SELECT value FROM sync_state WHERE key=?", [key]).fetchone()
        return None if row is None else str(row[0])

    def set_state(self, key: str, value: str) -> None:
        self._exec(
            "INSERT INTO sync_state (key, value) VALUES (?, ?) "
            "ON CONFLICT(key) DO UPDATE SET value=excluded.value",
            [key, value],
        )

    def last_seq(self) -> int | None:
        value = self.state("last_seq")
        return None if value is None else int(value)

    def resume_seq(self) -> int | None:
        """The seq to resume the stream after; None asks for a snapshot (no seq yet,
        or a migration wants the whole state once, see ``core.cache.schema`` v8)."""
        if self.state("snapshot_wanted") is not None:
            return None
        return self.last_seq()

    def presence(self) -> Presence | None:
        value = self.state("presence")
        try:
            return None if value is None else Presence(value)
        except ValueError:
            return None

    def agent(self) -> AgentInfo | None:
        """Who this cache belongs to, as the hub last described them."""
        raw = self.state("agent")
        if raw is None:
            return None
        try:
            return msgspec.json.decode(raw, type=AgentInfo)
        except msgspec.ValidationError:
            return None

    def store_agent(self, agent: AgentInfo) -> None:
        with self.db.atomic():
            self.set_state("agent", msgspec.json.encode(agent).decode())

    def set_presence(self, presence: Presence) -> Changes:
        """Presence as the hub reports it (welcome frame)."""
        with self.db.atomic():
            return self.store_presence(presence)

    def store_presence(self, presence: Presence, reason: str | None = None) -> Changes:
        """``reason`` says why the hub changed it (e.g. "disconnected"); None: the agent."""
        if self.presence() is presence:
            return Changes()
        self.set_state("presence", presence.value)
        return Changes(presence=presence, presence_reason=reason)

    def snapshot_pending(self) -> int | None:
        """The seq of a snapshot whose parts were being applied when we stopped."""
        value = self.state("snapshot_pending")
        return None if value is None else int(value)

    # ---- applying the hub's stream -------------------------------------------------

    def apply_snapshot(self, snapshot: Snapshot) -> Changes:
        """Apply one part of a snapshot in one transaction.

        Every conversation of the part is marked with the snapshot's seq. The
        last part completes it: open conversations of ours that no part listed
        are not ours any more (kept as history), and only then is the snapshot's
        seq recorded, so a crash between parts starts the snapshot again.
        """
        changes = Changes(inbox=not snapshot.older or snapshot.last)
        with self.db.atomic():
            for item in snapshot.conversations:
                if snapshot.older:
                    # Older messages of a conversation an earlier part brought.
                    self.insert_older_messages(item.conversation.id, item.messages)
                    changes.conversations.add(item.conversation.id)
                    continue
                changes.merge(self._apply_assigned(item))
                self.db.execute(
                    "UPDATE conversations SET snapshot_seq=? WHERE id=?",
                    [snapshot.seq, item.conversation.id],
                )
            if not snapshot.last:
                self.set_state("snapshot_pending", str(snapshot.seq))
                return changes
            stale = [
                row[0]
                for row in self.db.execute(
                    "SELECT id FROM conversations WHERE assigned=1 AND status=? "
                    "AND COALESCE(snapshot_seq, -1) != ?",
                    [ConversationStatus.OPEN.value, snapshot.seq],
                ).fetchall()
            ]
            for conversation_id in stale:
                changes.merge(self._unassign(conversation_id, UNASSIGNED_BY_SNAPSHOT))
            changes.merge(self.store_presence(snapshot.presence))
            if snapshot.quick_replies is not None:
                changes.merge(cache_replies.replace_all(self.db, snapshot.quick_replies))
            self.db.execute("DELETE FROM sync_state WHERE key IN "
                            "('snapshot_pending', 'snapshot_wanted')")
            self.set_state("last_seq", str(snapshot.seq))
        return changes

    def apply_events(self, events: Iterable[Event]) -> Changes:
        """Apply a contiguous batch and record its last seq, in one transaction."""
        changes = Changes()
        last: int | None = None
        with self.db.atomic():
            for event in events:
                body = event.body
                if isinstance(body, ConversationAssigned):
                    new = self._conversation_is_new(body.conversation.id)
                    changes.merge(self._apply_assigned(body))
                    changes.inbox = True
                    if new and body.conversation.status is ConversationStatus.OPEN:
                        changes.arrived[body.conversation.id] = body.customer.id
                elif isinstance(body, CustomerUpdated):
                    self.store_customer(body.customer)
                    changes.customers.add(body.customer.id)
                    changes.timelines.add(body.customer.id)
                    changes.inbox = True  # the name may have changed
                elif isinstance(body, CustomerMerged):
                    changes.merge(cache_timeline.apply_merged(self.db, body, event.ts))
                elif isinstance(body, CustomerUnmerged):
                    changes.merge(cache_timeline.apply_unmerged(self.db, body))
                elif isinstance(body, MessageAdded):
                    changes.merge(self.store_message(body.message))
                elif isinstance(body, MessageStatusChanged):
                    changes.merge(
                        self._apply_status(body.conversation_id, body.message_id, body.status)
                    )
                elif isinstance(body, ConversationClosed):
                    self.db.execute(
                        "UPDATE conversations SET status=?, closed_by=?, closed_at=?, "
                        "waiting_since=NULL, disposition=COALESCE(?, disposition), "
                        "disposition_note=COALESCE(?, disposition_note) WHERE id=?",
                        [ConversationStatus.CLOSED.value, body.closed_by.value, body.closed_at,
                         body.disposition, body.note, body.conversation_id],
                    )
                    changes.conversations.add(body.conversation_id)
                    changes.inbox = True
                elif isinstance(body, ConversationUnassigned):
                    changes.merge(self._unassign(body.conversation_id, body.reason.value))
                elif isinstance(body, rp.OfferMade):
                    changes.merge(cache_routing.apply_offer(self, body, event.ts))
                elif isinstance(body, rp.RoutingEvent):
                    changes.merge(cache_routing.apply_event(self.db, body, event.ts))
                elif isinstance(body, PresenceChanged):
                    changes.merge(self.store_presence(body.presence, body.reason))
                elif isinstance(body, MessageClassified):
                    changes.merge(cache_sentiment.apply_classified(self.db, body))
                elif isinstance(body, EscalationRaised):
                    changes.merge(cache_sentiment.apply_alert(self.db, body, event.ts))
                elif isinstance(body, email_cache.EMAIL_EVENTS):
                    changes.merge(email_cache.apply_event(self, body))
                elif isinstance(body, cache_replies.QUICK_REPLY_EVENTS):
                    changes.merge(cache_replies.apply_event(self.db, body))
                elif isinstance(body, AssistSuggestions):
                    changes.merge(self.suggestions.store(body, event.ts))
                elif isinstance(body, coaching_cache.COACHING_EVENTS):
                    changes.merge(coaching_cache.apply_event(self, body, event.ts))
                elif isinstance(body, kb_cache.KB_EVENTS):
                    changes.merge(kb_cache.apply_event(self.db, body))
                elif isinstance(body, followup_cache.FOLLOWUP_EVENTS):
                    changes.merge(followup_cache.apply_event(self, body))
                elif isinstance(body, CallTranscribed):
                    changes.merge(transcript_cache.apply_event(self.db, body))
                last = event.seq
            if last is not None:
                self.set_state("last_seq", str(last))
        return changes

    def _conversation_is_new(self, conversation_id: str) -> bool:
        row = self._exec("SELECT assigned FROM conversations WHERE id=?",
                         [conversation_id]).fetchone()
        return row is None or not row[0]

    def _unassign(self, conversation_id: str, reason: str) -> Changes:
        """The conversation is not the agent's any more; its messages stay as history."""
        cur = self.db.execute(
            "UPDATE conversations SET assigned=0, unassigned_reason=?, waiting_since=NULL "
            "WHERE id=? AND assigned=1",
            [reason, conversation_id],
        )
        if not cur.rowcount:
            return Changes()
        return Changes(conversations={conversation_id}, inbox=True,
                       unassigned={conversation_id: reason})

    def _apply_assigned(self, item: ConversationAssigned) -> Changes:
        changes = Changes(inbox=True)
        self.store_customer(item.customer)
        changes.customers.add(item.customer.id)
        changes.timelines.add(item.customer.id)
        conv = item.conversation
        known = self.db.execute(
            "SELECT 1 FROM conversations WHERE id=?", [conv.id]
        ).fetchone()
        self.store_conversation(conv, assigned=True)
        cache_routing.store_fields(self.db, conv)
        cache_sentiment.store_trend(self.db, conv.id, conv.sentiment)
        changes.offers = cache_routing.accepted(self.db, conv.id)
        changes.conversations.add(conv.id)
        for past in item.history:
            if past.id != conv.id:
                self.store_history(item.customer.id, past)
        if conv.channel is Channel.STORE and item.messages:
            # A visit we recorded: the hub's copy of the note replaces ours.
            hub_ids = [m.id for m in item.messages]
            self.db.execute(
                "DELETE FROM messages WHERE conversation_id=? AND id LIKE 'visit-note:%' "
                f"AND id NOT IN ({', '.join('?' * len(hub_ids))})",
                [conv.id, *hub_ids],
            )
        ordered = sorted(item.messages, key=lambda m: m.created_at)
        if known is None:
            # New to us: one bulk insert, and the conversation-level change tells
            # the views (a snapshot brings tens of thousands of these).
            self.insert_new_conversation_messages(conv.id, ordered)
        else:
            for message in ordered:
                changes.merge(self.store_message(message, count_unread=True))
        if known is None:
            # A conversation new to us: what the customer wrote since the last
            # answer is unread.
            unread = 0
            for message in sorted(item.messages, key=lambda m: m.created_at):
                if message.author is MessageAuthor.CUSTOMER:
                    unread += 1
                elif message.author is MessageAuthor.AGENT:
                    unread = 0
            self.db.execute("UPDATE conversations SET unread=? WHERE id=?", [unread, conv.id])
        return changes

    def store_routing_frame(self, frame: rp.RoutingServerFrame) -> Changes:
        """``routing_config`` (after welcome) or ``queue_stats``."""
        with self.db.atomic():
            if isinstance(frame, rp.RoutingConfig):
                return cache_routing.store_config(self.db, frame, now_ms())
            return cache_routing.store_queue_stats(self.db, frame)

    def store_history(self, customer_id: str, past: ConversationSummary) -> None:
        """A past conversation of a customer, known only as a summary."""
        self.db.execute(
            "INSERT INTO conversations (id, customer_id, channel, status, created_at, "
            "last_text, assigned) VALUES (?, ?, ?, ?, ?, ?, 0) "
            "ON CONFLICT(id) DO UPDATE SET status=excluded.status, "
            "last_text=COALESCE(excluded.last_text, last_text) WHERE assigned=0",
            [past.id, customer_id, past.channel.value, past.status.value,
             past.created_at, past.last_text],
        )

    def store_customer(self, customer: Customer) -> None:
        """The hub's whole record (the caller holds the transaction, or none is needed)."""
        if self.db.conn.in_transaction:
            profiles.store_customer(self.db, customer)
        else:
            with self.db.atomic():
                profiles.store_customer(self.db, customer)

    def store_conversation(self, conv: Conversation, *, assigned: bool) -> None:
        self.db.execute(
            "INSERT INTO conversations (id, customer_id, channel, status, created_at, queue, "
            "agent_id, closed_at, closed_by, last_message_at, assigned) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
            "ON CONFLICT(id) DO UPDATE SET customer_id=excluded.customer_id, "
            "channel=excluded.channel, status=excluded.status, queue=excluded.queue, "
            "agent_id=excluded.agent_id, closed_at=excluded.closed_at, "
            "closed_by=excluded.closed_by, "
            "last_message_at=MAX(COALESCE(last_message_at, 0), "
            "COALESCE(excluded.last_message_at, 0)), assigned=MAX(assigned, excluded.assigned), "
            "unassigned_reason=CASE WHEN excluded.assigned=1 THEN NULL "
            "ELSE unassigned_reason END",
            [conv.id, conv.customer_id, conv.channel.value, conv.status.value, conv.created_at,
             conv.queue, conv.agent_id, conv.closed_at,
             conv.closed_by.value if conv.closed_by else None, conv.last_message_at,
             1 if assigned else 0],
        )

    # ---- reads (see core.cache.queries) ---------------------------------------------

    def inbox(self) -> list[InboxItem]:
        """Open conversations routed to this agent, longest-waiting first."""
        return queries.inbox(self.db)

    def conversation(self, conversation_id: str) -> InboxItem | None:
        return queries.conversation(self.db, conversation_id)

    def escalation_alerts(self, limit: int = 100) -> list[cache_sentiment.EscalationAlert]:
        """Supervisors: the newest escalation alerts first."""
        return cache_sentiment.alerts(self.db, limit)

    def messages(self, conversation_id: str, limit: int = 500) -> list[StoredMessage]:
        """The latest ``limit`` messages, oldest first."""
        return queries.messages(self.db, conversation_id, limit)

    def message(self, message_id: str) -> StoredMessage | None:
        return queries.message(self.db, message_id)

    def customer_profile(self, customer_id: str, recent: int = 10) -> CustomerProfile | None:
        return profiles.customer_profile(self.db, customer_id, recent)

    def customer_record(self, customer_id: str) -> Customer | None:
        return profiles.customer_record(self.db, customer_id)

    def timeline(self, customer_id: str, *, channel: Channel | None = None, limit: int = 20,
                 before: tuple[int, str] | None = None) -> list[TimelineEntry]:
        """Newest first; works offline (see ``core.profile.timeline_cache``)."""
        return cache_timeline.timeline(self.db, customer_id, channel=channel, limit=limit,
                                       before=before)

    def timeline_complete(self, customer_id: str, channel: Channel | None = None) -> bool:
        return cache_timeline.timeline_complete(self.db, customer_id, channel)

    def store_timeline(self, page: Timeline, channel: Channel | None) -> Changes:
        with self.db.atomic():
            cache_timeline.store_timeline(self.db, page, channel)
        return Changes(timelines={page.customer_id})

    def store_customers(self, customers: Iterable[Customer]) -> Changes:
        """Records the hub answered a read with (fetch or search)."""
        changes = Changes()
        with self.db.atomic():
            for customer in customers:
                profiles.store_customer(self.db, customer)
                changes.customers.add(customer.id)
        return changes

    def search(self, text: str, limit: int = cache_search.CUSTOMER_LIMIT) -> list[CustomerHit]:
        """Customers and message text, grouped by customer (works offline)."""
        return cache_search.search(self.db, text, limit)

    def store_profile_config(self, config: ProfileConfig) -> Changes:
        with self.db.atomic():
            changed = profiles.store_profile_config(self.db, config)
        return Changes(profile_config=changed)

    def attribute_definitions(self) -> list[AttributeDefinition]:
        return profiles.attribute_definitions(self.db)

    def profile_config(self) -> ProfileConfig:
        return profiles.profile_config(self.db)

    def mark_read(self, conversation_id: str) -> bool:
        """Local only: the agent looked at the conversation."""
        with self.db.atomic():
            cur = self.db.execute(
                "UPDATE conversations SET unread=0 WHERE id=? AND unread>0", [conversation_id]
            )
            return cur.rowcount > 0
