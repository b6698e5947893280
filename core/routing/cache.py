"""The cache's routing side: offers ringing, SLA fields and breaches, queue statistics,
the hub's presence detail and routing configuration.

Functions over the cache's database; ``Cache.apply_events`` calls ``apply_event``
inside its transaction, the others hold their own. Reads return plain records for
the views (``OfferItem``, ``RoutingInfo``) or the protocol's own structs.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING

import msgspec
from sqlite_utils import Database

from core.cache.schema import RECEIPT_DUE, RECEIPT_NONE
from core.protocol import routing as rp
from core.protocol.models import Channel, Conversation
from core.records import Changes

if TYPE_CHECKING:  # the cache imports this module
    from core.cache.cache import Cache

ROUTING_CONFIG_KEY = "routing_config"
PRESENCE_DETAIL_KEY = "presence_detail"
_config_decoder = msgspec.json.Decoder(rp.RoutingConfig)
_detail_decoder = msgspec.json.Decoder(rp.PresenceDetail)
# The waiting lists pickers see, per queue (kept beside the queue_stats rows).
QUEUE_WAITING_KEY = "queue_waiting"
_waiting_decoder = msgspec.json.Decoder(dict[str, list[rp.WaitingConversation]])


@dataclass(frozen=True)
class OfferItem:
    """An offer ringing for the agent; the customer is in the cache (screen pop)."""

    offer_id: str
    conversation_id: str
    customer_id: str
    channel: Channel
    queue: str | None
    priority: int
    expires_at: int
    transfer_note: str | None
    transferred_by: str | None


@dataclass(frozen=True)
class RoutingInfo:
    """A conversation's routing fields, for the SLA countdown and the note banner."""

    conversation_id: str
    queue: str | None
    priority: int
    sla_due_at: int | None
    first_reply_at: int | None
    disposition: str | None
    transfer_note: str | None
    breached: tuple[str, ...]
    transferred_by: str | None = None


def _state(db: Database, key: str, value: str) -> bool:
    old = db.execute("SELECT value FROM sync_state WHERE key=?", [key]).fetchone()
    if old is not None and old[0] == value:
        return False
    db.execute("INSERT INTO sync_state (key, value) VALUES (?, ?) "
               "ON CONFLICT(key) DO UPDATE SET value=excluded.value", [key, value])
    return True


def store_fields(db: Database, conv: Conversation) -> None:
    """The routing fields a conversation carries (assigned, offered or snapshot)."""
    db.execute(
        "UPDATE conversations SET priority=?, sla_due_at=?, first_reply_at=?, "
        "disposition=COALESCE(?, disposition), transfer_note=? WHERE id=?",
        [conv.priority, conv.sla_due_at, conv.first_reply_at, conv.disposition,
         conv.transfer_note, conv.id],
    )


def accepted(db: Database, conversation_id: str) -> bool:
    """The conversation is ours now: no offer of it rings any more, and the hub
    takes our receipts for what the customer wrote (held while it was offered)."""
    cur = db.execute("DELETE FROM offers WHERE conversation_id=?", [conversation_id])
    db.execute(
        "UPDATE messages SET receipt=? WHERE conversation_id=? AND author='customer' "
        "AND status!='delivered' AND receipt=?",
        [RECEIPT_DUE, conversation_id, RECEIPT_NONE],
    )
    return bool(cur.rowcount)


def hold_receipts(db: Database, conversation_id: str) -> None:
    """An offered conversation is not ours: the hub takes receipts only from the
    assignee, so none are sent until it is accepted."""
    db.execute("UPDATE messages SET receipt=? WHERE conversation_id=? AND receipt=?",
               [RECEIPT_NONE, conversation_id, RECEIPT_DUE])


def store_offer(db: Database, offer: rp.OfferMade, received_at: int) -> None:
    db.execute(
        "INSERT OR REPLACE INTO offers (id, conversation_id, customer_id, channel, queue, "
        "priority, expires_at, transfer_note, transferred_by, received_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [offer.offer_id, offer.conversation.id, offer.customer.id,
         offer.conversation.channel.value, offer.queue, offer.priority, offer.expires_at,
         offer.transfer_note, offer.transferred_by, received_at],
    )
    # The queue (dispositions) and who transferred it (the note banner) stay with
    # the conversation once the offer is gone.
    db.execute("UPDATE conversations SET queue=?, transferred_by=? WHERE id=?",
               [offer.queue, offer.transferred_by, offer.conversation.id])


def apply_offer(cache: Cache, offer: rp.OfferMade, ts: int) -> Changes:
    """An offer: its customer and conversation are stored (not ours yet, so not in
    the inbox and no receipts), so the profile can pop up while it rings."""
    cache.store_customer(offer.customer)
    conv = offer.conversation
    known = cache.db.execute("SELECT 1 FROM conversations WHERE id=?", [conv.id]).fetchone()
    cache.store_conversation(conv, assigned=False)
    store_fields(cache.db, conv)
    if known is None:
        cache.insert_new_conversation_messages(
            conv.id, sorted(offer.messages, key=lambda m: m.created_at))
        hold_receipts(cache.db, conv.id)
    for past in offer.history:
        if past.id != conv.id:
            cache.store_history(offer.customer.id, past)
    store_offer(cache.db, offer, ts)
    return Changes(offers=True, customers={offer.customer.id}, timelines={offer.customer.id})


def apply_event(db: Database, body: rp.RoutingEvent, ts: int) -> Changes:
    """One routing event (not ``offer_made``, which needs the cache's customer store)."""
    if isinstance(body, rp.OfferWithdrawn):
        db.execute("DELETE FROM offers WHERE id=?", [body.offer_id])
        return Changes(offers=True)
    if isinstance(body, rp.SlaBreached):
        db.execute("INSERT OR IGNORE INTO sla_breaches (conversation_id, kind, at) "
                   "VALUES (?, ?, ?)", [body.conversation_id, body.sla.value, body.at])
        return Changes(conversations={body.conversation_id}, inbox=True)
    if isinstance(body, rp.ConversationRouting):
        db.execute(
            "UPDATE conversations SET queue=?, priority=?, sla_due_at=?, first_reply_at=?, "
            "transfer_note=? WHERE id=?",
            [body.queue, body.priority, body.sla_due_at, body.first_reply_at,
             body.transfer_note, body.conversation_id],
        )
        return Changes(conversations={body.conversation_id}, inbox=True)
    if isinstance(body, rp.PresenceDetail):
        changed = _state(db, PRESENCE_DETAIL_KEY, msgspec.json.encode(body).decode())
        return Changes(presence_detail=changed)
    return Changes()


def store_config(db: Database, config: rp.RoutingConfig, received_at: int) -> Changes:
    """The hub's routing configuration; its ``offers`` replace the ones we had."""
    raw = msgspec.json.encode(msgspec.structs.replace(config, offers=[])).decode()
    changes = Changes(routing_config=_state(db, ROUTING_CONFIG_KEY, raw))
    if config.presence is not None:
        detail = msgspec.json.encode(config.presence).decode()
        changes.presence_detail = _state(db, PRESENCE_DETAIL_KEY, detail)
    ringing = {o.offer_id for o in config.offers}
    known = {row[0] for row in db.execute("SELECT id FROM offers").fetchall()}
    if ringing != known:
        changes.offers = True
        gone = known - ringing
        if gone:
            db.execute(f"DELETE FROM offers WHERE id IN ({', '.join('?' * len(gone))})",
                       list(gone))
    for offer in config.offers:
        if offer.offer_id not in known:
            store_offer(db, offer, received_at)
    return changes


def store_queue_stats(db: Database, stats: rp.QueueStats) -> Changes:
    waiting = {q.queue: q.waiting_list for q in stats.queues if q.waiting_list}
    _state(db, QUEUE_WAITING_KEY, msgspec.json.encode(waiting).decode())
    db.execute("DELETE FROM queue_stats")
    for q in stats.queues:
        db.execute(
            "INSERT INTO queue_stats (queue, waiting, oldest_wait_ms, sla_state, waiting_ids, "
            "at) VALUES (?, ?, ?, ?, ?, ?)",
            [q.queue, q.waiting, q.oldest_wait_ms, q.sla_state.value,
             json.dumps(q.waiting_ids), stats.at],
        )
    return Changes(queue_stats=True)


# ---- reads -----------------------------------------------------------------------------


def offers(db: Database) -> list[OfferItem]:
    rows = db.execute(
        "SELECT id, conversation_id, customer_id, channel, queue, priority, expires_at, "
        "transfer_note, transferred_by FROM offers ORDER BY priority DESC, expires_at, id"
    ).fetchall()
    return [OfferItem(r[0], r[1], r[2], Channel(r[3]), r[4], r[5], r[6], r[7], r[8])
            for r in rows]


def queue_stats(db: Database) -> list[rp.QueueStat]:
    """As the hub last said; ``oldest_enqueued_at`` is hub time, so waits keep counting."""
    rows = db.execute("SELECT queue, waiting, oldest_wait_ms, sla_state, waiting_ids, at "
                      "FROM queue_stats ORDER BY queue").fetchall()
    raw = db.execute("SELECT value FROM sync_state WHERE key=?", [QUEUE_WAITING_KEY]).fetchone()
    waiting = _waiting_decoder.decode(raw[0]) if raw is not None else {}
    return [rp.QueueStat(queue=r[0], waiting=r[1], oldest_wait_ms=r[2],
                         sla_state=rp.SlaState(r[3]), waiting_ids=json.loads(r[4]),
                         oldest_enqueued_at=r[5] - r[2] if r[1] else None,
                         waiting_list=waiting.get(r[0], []))
            for r in rows]


def routing_config(db: Database) -> rp.RoutingConfig | None:
    row = db.execute("SELECT value FROM sync_state WHERE key=?", [ROUTING_CONFIG_KEY]).fetchone()
    return None if row is None else _config_decoder.decode(row[0])


def presence_detail(db: Database) -> rp.PresenceDetail | None:
    row = db.execute("SELECT value FROM sync_state WHERE key=?", [PRESENCE_DETAIL_KEY]).fetchone()
    return None if row is None else _detail_decoder.decode(row[0])


def routing_info(db: Database, conversation_id: str) -> RoutingInfo | None:
    return routing_infos(db, [conversation_id]).get(conversation_id)


def routing_infos(db: Database, conversation_ids: list[str]) -> dict[str, RoutingInfo]:
    """Several conversations' routing fields in two queries (the inbox's rows)."""
    result: dict[str, RoutingInfo] = {}
    for start in range(0, len(conversation_ids), 500):
        ids = conversation_ids[start:start + 500]
        marks = ", ".join("?" * len(ids))
        breached: dict[str, list[str]] = {}
        for cid, kind in db.execute(
                f"SELECT conversation_id, kind FROM sla_breaches WHERE conversation_id IN "
                f"({marks}) ORDER BY kind", ids).fetchall():
            breached.setdefault(cid, []).append(kind)
        for row in db.execute(
                "SELECT id, queue, priority, sla_due_at, first_reply_at, disposition, "
                f"transfer_note, transferred_by FROM conversations WHERE id IN ({marks})",
                ids).fetchall():
            result[row[0]] = RoutingInfo(row[0], row[1], row[2] or 0, row[3], row[4], row[5],
                                         row[6], tuple(breached.get(row[0], ())), row[7])
    return result
