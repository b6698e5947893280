"""Agent commands on the router: transfer, pick, options, close with disposition.

And the hooks ``HubService`` calls when a conversation's life changes (first
reply, close, release), plus the ``routing_config`` frame sent after welcome.
"""

from __future__ import annotations

from core.protocol import agent as ap
from core.protocol import customer as cp
from core.protocol import routing as rp
from core.protocol.codec import encode_text
from core.protocol.models import Channel, ClosedBy, Conversation, ConversationStatus
from hub.routing.engine import RoutingEngine
from hub.routing.selector import ROUTABLE
from hub.store.store import StoreError, now_ms
from hub.supervision.contacts import ContactOutcome
from hub.transport.fanout import FanOut


class RoutingActions:
    def __init__(self, engine: RoutingEngine, fanout: FanOut) -> None:
        self.engine = engine
        self.fanout = fanout
        self.store = engine.store
        self.settings = engine.settings

    # ---- commands -------------------------------------------------------------------------

    def apply(self, agent_id: str, cmd: rp.RoutingCommand) -> int | None:
        """Apply one routing command; the seq of the event it produced (if any)."""
        if isinstance(cmd, rp.AcceptOffer):
            return self.engine.accept(agent_id, cmd.offer_id)
        if isinstance(cmd, rp.DeclineOffer):
            return self.engine.decline(agent_id, cmd.offer_id, cmd.reason)
        if isinstance(cmd, rp.Transfer):
            return self.transfer(agent_id, cmd)
        if isinstance(cmd, rp.PickConversation):
            return self.pick(agent_id, cmd.conversation_id)
        state = self.engine.agent(agent_id)
        state.auto_accept_chat = cmd.auto_accept_chat
        seq = self.store.set_auto_accept(agent_id, cmd.auto_accept_chat)
        if cmd.auto_accept_chat:
            self.engine.dispatch_agent(agent_id)
        return seq

    def transfer(self, agent_id: str, cmd: rp.Transfer) -> int:
        row = self.store.conversation_row(cmd.conversation_id)
        if row is None or row.agent_id != agent_id:
            raise StoreError("not_found", "no such conversation assigned to you")
        return self.move(cmd.conversation_id, cmd.to_agent, cmd.to_queue, cmd.note,
                         by=agent_id)

    def move(self, conversation_id: str, to_agent: str | None, to_queue: str | None,
             note: str, by: str) -> int:
        """Take an open, assigned chat or email from its agent and offer it to
        ``to_agent`` (then its queue) or to ``to_queue``: a transfer by its agent,
        or a supervisor's reassignment (``by``). The seq of the agent's unassign."""
        if (to_agent is None) == (to_queue is None):
            raise StoreError("invalid", "give exactly one of to_agent and to_queue")
        row = self.store.conversation_row(conversation_id)
        if row is None or row.agent_id is None:
            raise StoreError("not_found", "no such assigned conversation")
        agent_id = str(row.agent_id)
        if row.status != ConversationStatus.OPEN.value:
            raise StoreError("conflict", "the conversation is closed")
        channel = Channel(row.channel)
        if channel not in (Channel.CHAT, Channel.EMAIL):
            raise StoreError("invalid", "only chats and emails are transferred here")
        queue_id = to_queue
        if to_agent is not None:
            if to_agent == agent_id or to_agent not in self.engine.router.agents:
                raise StoreError("not_found", "no such other agent")
        elif queue_id is not None:
            queue = self.settings.queue(queue_id)
            if queue is None or queue.channel != channel:
                raise StoreError("not_found", f"no {channel.value} queue {queue_id!r}")
        released = self.store.unassign(conversation_id, ap.UnassignReason.TRANSFERRED)
        assert released is not None
        self._ended(conversation_id, ContactOutcome.TRANSFERRED)
        self.fanout.publish(*released)
        self.released(agent_id, channel)
        self.store.set_transfer(conversation_id, queue_id, note)
        message = self.store.add_system_message(conversation_id,
                                                self.settings.transfer_message)
        self.fanout.to_customer(row.customer_id, cp.NewMessage(message=message))
        self.engine.route(conversation_id, preferred_agent=to_agent,
                          transferred_by=self.store.agent_info(by).display_name,
                          exclude=agent_id)
        return released[1].seq

    def pick(self, agent_id: str, conversation_id: str) -> int:
        state = self.engine.agent(agent_id)
        if not state.role.can_pick:
            raise StoreError("forbidden", "your role does not allow picking conversations")
        item = self.engine.router.waiting.get(conversation_id)
        if item is None or item.offered_to is not None:
            raise StoreError("conflict", "the conversation is no longer waiting")
        if not state.free(item.channel, self.settings.voice_blocks_chat):
            raise StoreError("conflict", f"you are at capacity for {item.channel.value}")
        return self.engine.offer(item, state, accept_now=True)

    # ---- hooks from HubService ----------------------------------------------------------------

    def check_close(self, conversation_id: str, disposition: str | None) -> None:
        row = self.store.conversation_row(conversation_id)
        if row is None:
            return  # the store answers not_found
        queue = self.settings.queue(row.queue_id or "")
        codes = {d.code for d in queue.dispositions} if queue else set()
        if disposition is None:
            if self.settings.disposition_required and codes:
                raise StoreError("invalid", "a disposition is required to close")
            return
        if disposition not in codes:
            raise StoreError("invalid", f"unknown disposition {disposition!r} for queue "
                                        f"{row.queue_id}")

    def closed(self, conversation_id: str, agent_id: str | None, channel: Channel,
               by: ClosedBy) -> None:
        self.engine.timers.cancel(f"sla:{conversation_id}")
        if agent_id is None:
            self.engine.withdraw(conversation_id)
            return
        self._ended(conversation_id, ContactOutcome.CLOSED)
        self.released(agent_id, channel)
        if channel == Channel.VOICE and by == ClosedBy.AGENT:
            self.engine.start_after_call_work(agent_id)

    def _ended(self, conversation_id: str, outcome: ContactOutcome) -> None:
        for watcher in self.engine.contact_watchers:
            watcher.contact_ended(conversation_id, outcome, self.engine.clock.now_ms())

    def taken(self, agent_id: str, channel: Channel) -> None:
        """A conversation was handed to the agent outside an offer (an attended
        transfer): it takes capacity like an accepted offer."""
        state = self.engine.agent(agent_id)
        state.load[channel] = state.load.get(channel, 0) + 1
        self.engine.refresh_busy(state)

    def released(self, agent_id: str, channel: Channel) -> None:
        """A conversation of the agent ended or moved away: capacity freed."""
        state = self.engine.agent(agent_id)
        state.load[channel] = max(0, state.load.get(channel, 0) - 1)
        self.engine.refresh_busy(state)
        self.engine.dispatch_agent(agent_id)

    def first_reply(self, conversation_id: str) -> None:
        for watcher in self.engine.contact_watchers:
            watcher.contact_replied(conversation_id, self.engine.clock.now_ms())
        event = self.store.mark_first_reply(conversation_id, self.engine.clock.now_ms())
        if event is None:
            return
        row = self.store.conversation_row(conversation_id)
        if row is not None and row.channel != Channel.VOICE.value:
            self.engine.timers.cancel(f"sla:{conversation_id}")
        if row is not None and row.agent_id:
            self.fanout.publish(row.agent_id, event)

    def reopen_or_create(self, customer_id: str) -> tuple[Conversation, str | None]:
        """The customer writes with no open chat: one closed within the reopen window
        continues (with the agent who had it, to be offered it first); else a new one."""
        window_ms = int(self.settings.reopen_window_s * 1000)
        row = self.store.reopenable(customer_id, now_ms() - window_ms)
        if row is not None:
            self.store.reopen(row.id)
            conv = self.store.conversation(row.id)
            assert conv is not None
            return conv, row.agent_id
        return self.store.create_conversation(customer_id, queue="chat"), None

    def config_frame(self, agent_id: str) -> str:
        state = self.engine.agent(agent_id)

        def info(q_id: str) -> rp.QueueInfo | None:
            q = self.settings.queue(q_id)
            return None if q is None else rp.QueueInfo(
                id=q.id, name=q.name, channel=q.channel, dispositions=list(q.dispositions))

        served = [i for i in (info(q) for q in sorted(state.queues)) if i is not None]
        return encode_text(rp.RoutingConfig(
            role=state.role,
            queues=served,
            all_queues=[i for i in (info(q.id) for q in self.settings.queues) if i is not None],
            away_reasons=list(rp.AwayReason),
            offer_timeout_s={c.value: int(s) for c, s in self.settings.offer_timeout_s.items()},
            auto_accept_chat=state.auto_accept_chat or self.settings.auto_accept_chat,
            disposition_required=self.settings.disposition_required,
            presence=rp.PresenceDetail(presence=state.presence, away_reason=state.away_reason,
                                       ends_at=state.ends_at, missed_offers=state.missed),
            offers=self.store.offer_frames(agent_id),
            agents=[a for a in self.store.all_agent_infos() if a.id != agent_id],
        ))

    def routable(self, agent_id: str) -> bool:
        state = self.engine.agent(agent_id)
        return state.connected and state.presence in ROUTABLE
