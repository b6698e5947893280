"""The agent's routing intents and reads: offers, transfers, picking, dispositions.

Held by ``AgentService`` as ``service.routing``. Every intent is a command in the
outbox (so it survives a restart and is sent once the link is up, safe to repeat);
what it changes locally is announced at once, and the hub's events confirm it.
Views listen on ``AgentService`` hooks: ``offers_did_change``,
``queue_stats_did_change``, ``routing_config_did_change``,
``presence_detail_did_change`` (and the usual conversation hooks for SLA fields).
"""

from __future__ import annotations

from collections.abc import Callable

from core.cache.cache import Cache
from core.protocol import routing as rp
from core.protocol.models import AgentInfo
from core.records import Changes
from core.routing import cache as cache_routing
from core.routing.cache import OfferItem, RoutingInfo
from core.sync.outbox import Outbox, new_id

Announce = Callable[[Changes], None]
Wake = Callable[[], None]


class RoutingClient:
    def __init__(self, cache: Cache, outbox: Outbox, announce: Announce, wake: Wake) -> None:
        self._cache = cache
        self._outbox = outbox
        self._announce = announce
        self._wake = wake

    # ---- intents -----------------------------------------------------------------------

    def accept_offer(self, offer_id: str) -> bool:
        """Take the offered conversation; ``conversation_assigned`` follows from the hub."""
        return self._queue(rp.AcceptOffer(op=new_id(), offer_id=offer_id), offer_id)

    def decline_offer(self, offer_id: str, reason: rp.DeclineReason = rp.DeclineReason.OTHER
                      ) -> bool:
        return self._queue(rp.DeclineOffer(op=new_id(), offer_id=offer_id, reason=reason),
                           offer_id)

    def transfer(self, conversation_id: str, *, to_agent: str | None = None,
                 to_queue: str | None = None, note: str = "") -> None:
        """To exactly one of an agent or a queue; ``note`` is for the receiver only."""
        if (to_agent is None) == (to_queue is None):
            raise ValueError("transfer to exactly one of an agent or a queue")
        note = note.strip()
        if len(note) > 1000:
            raise ValueError("the note is longer than 1000 characters")
        with self._cache.db.atomic():
            self._outbox.queue(
                rp.Transfer(op=new_id(), conversation_id=conversation_id, to_agent=to_agent,
                            to_queue=to_queue, note=note),
                conversation_id=conversation_id,
            )
        self._wake()

    def pick_conversation(self, conversation_id: str) -> None:
        with self._cache.db.atomic():
            self._outbox.queue(rp.PickConversation(op=new_id(), conversation_id=conversation_id))
        self._wake()

    def set_auto_accept_chat(self, enabled: bool) -> None:
        with self._cache.db.atomic():
            self._outbox.queue(rp.SetAgentOptions(op=new_id(), auto_accept_chat=enabled))
        self._wake()

    def _queue(self, command: rp.AcceptOffer | rp.DeclineOffer, offer_id: str) -> bool:
        """Answer an offer: it stops ringing here at once. False if it is not ringing."""
        with self._cache.db.atomic():
            cur = self._cache.db.execute("DELETE FROM offers WHERE id=?", [offer_id])
            if not cur.rowcount:
                return False
            self._outbox.queue(command)
        self._announce(Changes(offers=True))
        self._wake()
        return True

    # ---- reads -------------------------------------------------------------------------

    def offers(self) -> list[OfferItem]:
        return cache_routing.offers(self._cache.db)

    def queue_stats(self) -> list[rp.QueueStat]:
        return cache_routing.queue_stats(self._cache.db)

    def config(self) -> rp.RoutingConfig | None:
        return cache_routing.routing_config(self._cache.db)

    def presence_detail(self) -> rp.PresenceDetail | None:
        return cache_routing.presence_detail(self._cache.db)

    def info(self, conversation_id: str) -> RoutingInfo | None:
        """Queue, priority, SLA due time, first reply, disposition, transfer note."""
        return cache_routing.routing_info(self._cache.db, conversation_id)

    def infos(self, conversation_ids: list[str]) -> dict[str, RoutingInfo]:
        """``info`` for many conversations at once (the inbox's rows)."""
        return cache_routing.routing_infos(self._cache.db, conversation_ids)

    def transfer_agents(self) -> list[AgentInfo]:
        """Colleagues the hub lists as transfer targets (empty until it has said)."""
        config = self.config()
        return list(config.agents) if config else []

    def dispositions(self, queue_id: str | None) -> list[rp.Disposition]:
        config = self.config()
        if config is None:
            return []
        for queue in [*config.queues, *config.all_queues]:
            if queue.id == queue_id:
                return list(queue.dispositions)
        return []

    def can_pick(self) -> bool:
        config = self.config()
        return config is not None and config.role.can_pick
