"""Supervisor commands: monitor, whisper, barge in, reassign, set an agent's state.

``CoachingService.apply`` runs inside the command's unit of work (``HubService``
holds it, records the op id and answers): the state change, its events and the
audit row commit together, and frames go out after the commit through the
fan-out. Only supervisors and admins may; anyone else gets ``forbidden``.

Monitoring supervisors see a conversation's live events because ``published``,
told of every event batch after it went out, copies the events of a monitored
conversation's agent into each monitor's stream (its own unit of work, like
suggestions do). A coaching note is not a message: it is stored apart and only
ever appended to agents' streams, so no path leads from it to the customer.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager

from core.protocol import agent as ap
from core.protocol import coaching as cop
from core.protocol import customer as cp
from core.protocol import email as ep
from core.protocol.models import Presence
from core.protocol.sentiment import MessageClassified
from hub.routing.actions import RoutingActions
from hub.routing.engine import RoutingEngine
from hub.store.base import StoreError
from hub.supervision.coaching_store import CoachingStore
from hub.transport.fanout import FanOut

Unit = Callable[[], AbstractContextManager[None]]
A = cop.SupervisionAction



def _conversation_of(body: ap.EventBody) -> str | None:
    """The conversation of an event that a monitored conversation's monitors get too."""
    if isinstance(body, ap.MessageAdded | ep.EmailReceived | ep.EmailSent):
        return body.message.conversation_id
    if isinstance(body, ap.MessageStatusChanged | ap.ConversationClosed | MessageClassified):
        return body.conversation_id
    return None


class CoachingService:
    def __init__(self, store: CoachingStore, fanout: FanOut, routing: RoutingEngine,
                 routing_actions: RoutingActions, unit: Unit) -> None:
        self.store = store
        self.fanout = fanout
        self.routing = routing
        self.routing_actions = routing_actions
        self.unit = unit

    # ---- commands ---------------------------------------------------------------------------

    def apply(self, agent_id: str, cmd: cop.CoachingCommand) -> int | None:
        """Apply one supervisor command inside the caller's unit; the seq it produced
        in the supervisor's stream, if any."""
        name = self.store.require_supervisor(agent_id)
        if isinstance(cmd, cop.MonitorConversation):
            event = self.store.start_monitor(agent_id, cmd.conversation_id)
            self.fanout.publish(agent_id, event)
            self.store.audit(agent_id, A.MONITOR, cmd.op, conversation_id=cmd.conversation_id)
            return event.seq
        if isinstance(cmd, cop.StopMonitoring):
            ended = self.store.stop_monitor(agent_id, cmd.conversation_id)
            self.fanout.publish(agent_id, ended)
            self.store.audit(agent_id, A.STOP_MONITOR, cmd.op,
                             conversation_id=cmd.conversation_id)
            return ended.seq if ended else None
        if isinstance(cmd, cop.Whisper):
            seq, events = self.store.add_note(agent_id, name, cmd)
            self._publish(events)
            self.store.audit(agent_id, A.WHISPER, cmd.op, conversation_id=cmd.conversation_id,
                             target_agent_id=self.store.owner_of(cmd.conversation_id),
                             note_id=cmd.note_id)
            return seq
        if isinstance(cmd, cop.BargeIn):
            events = self.store.barge(agent_id, name, cmd.conversation_id)
            self._publish(events)
            self.store.audit(agent_id, A.BARGE_IN, cmd.op, conversation_id=cmd.conversation_id,
                             target_agent_id=self.store.owner_of(cmd.conversation_id))
            return next(e.seq for r, e in events if r == agent_id)
        if isinstance(cmd, cop.BargeMessage):
            msg, customer_id, events = self.store.add_barge_message(agent_id, name, cmd)
            self._publish(events)
            self.fanout.to_customer(customer_id, cp.NewMessage(message=msg))
            self.routing_actions.first_reply(cmd.conversation_id)
            self.store.audit(agent_id, A.BARGE_MESSAGE, cmd.op,
                             conversation_id=cmd.conversation_id, message_id=msg.id)
            return next(e.seq for r, e in events if r == agent_id)
        if isinstance(cmd, cop.Reassign):
            return self._reassign(agent_id, cmd)
        return self._set_state(agent_id, name, cmd)

    def _reassign(self, agent_id: str, cmd: cop.Reassign) -> int | None:
        previous = self.store.owner_of(cmd.conversation_id)
        self.routing_actions.move(cmd.conversation_id, cmd.to_agent, cmd.to_queue, cmd.note,
                                  by=agent_id)
        self.store.audit(agent_id, A.REASSIGN, cmd.op, conversation_id=cmd.conversation_id,
                         target_agent_id=previous, reason=cmd.note, to_agent=cmd.to_agent,
                         to_queue=cmd.to_queue)
        return None  # the events are the agents'; the supervisor's stream is unchanged

    def _set_state(self, agent_id: str, name: str, cmd: cop.SetAgentState) -> int | None:
        if self.routing.router.agents.get(cmd.agent_id) is None:
            try:
                self.routing.agent(cmd.agent_id)
            except KeyError:
                raise StoreError("not_found", "no such agent") from None
        if cmd.presence not in (Presence.AVAILABLE, Presence.AWAY, Presence.OFFLINE):
            raise StoreError("invalid", "set available, away or offline")
        told = self.store.mirror(cmd.agent_id, cop.AgentStateSet(
            presence=cmd.presence, by_name=name, reason=cmd.reason))
        self.fanout.publish(cmd.agent_id, told)
        self.routing.set_presence(cmd.agent_id, cmd.presence, cmd.away_reason)
        self.store.audit(agent_id, A.SET_AGENT_STATE, cmd.op, target_agent_id=cmd.agent_id,
                         reason=cmd.reason, presence=cmd.presence.value,
                         away_reason=cmd.away_reason.value if cmd.away_reason else None)
        return None

    def _publish(self, events: list[tuple[str, ap.Event]]) -> None:
        for reader, event in events:
            self.fanout.publish(reader, event)

    def live_conversations(self, agent_id: str,
                           frame: cop.FetchLiveConversations) -> cop.LiveConversations:
        self.store.require_supervisor(agent_id)
        return cop.LiveConversations(op=frame.op,
                                     conversations=self.store.live_conversations(frame.limit))

    # ---- the mirror -------------------------------------------------------------------------

    def publishing(self, agent_id: str, events: Sequence[ap.Event]) -> None:
        """Events being published to an agent: monitors of the conversation get a
        copy, written in the same unit of work as the events (a crash or a failure
        leaves both or neither; with several hub processes, only the one that wrote
        the events copies them).

        Only events in the stream of the conversation's own agent are copied (a
        copy, in a monitor's stream, is never copied again); a monitor's own barge
        message reached them directly."""
        wanted = [(c, e.body) for e in events if (c := _conversation_of(e.body)) is not None]
        if not wanted:
            return
        with self.unit():
            for conversation_id, body in wanted:
                for monitor in self._monitors_to_copy(agent_id, conversation_id, body):
                    self.fanout.publish(monitor, self.store.mirror(monitor, body))
                if isinstance(body, ap.ConversationClosed):
                    self.store.end_monitors(conversation_id)

    def _monitors_to_copy(self, agent_id: str, conversation_id: str,
                          body: ap.EventBody) -> Iterator[str]:
        monitors = self.store.monitors_of(conversation_id)
        if not monitors or agent_id in monitors:
            return
        if self.store.owner_of(conversation_id) != agent_id:
            return
        for monitor in monitors:
            if isinstance(body, ap.MessageAdded) and body.message.agent_id == monitor:
                continue
            yield monitor
