"""A widget call whose customer and agent are on different hub processes.

The relay (hub.calls.relay) keeps each call in the memory of one process: where the
customer placed it. Its frames to the agent cross to the process holding the
agent's desktop through the fan-out (hub.store.bus relays call signalling). This
module carries the other direction: a call command an agent sends to a process
that does not hold the call (answer, decline, hang up, hold, resume, DTMF,
transfer, recording) is stored with a hint (``relay_frames``: an SDP is larger
than a NOTIFY payload); the process holding the call applies it as if the desktop
were connected there, and its answer (ack or error) comes back to that desktop.
A command no process takes within ``UNANSWERED_S`` is refused ``not_found``, as
the relay refuses an unknown call (at once when no other process is alive).
Quality reports, an agent's last desktop leaving, and the router's offers and
their ends (when the router is another process than the call's) travel the same
way. On SQLite (one process) everything stays local.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import msgspec

from core.protocol import agent as ap
from core.protocol import call as cl
from core.protocol import routing as rp
from core.protocol.codec import ErrorCode, encode_text
from hub.calls.relay import CallRelay
from hub.store.relay_frames import RelayFrames
from hub.transport.peers import Peer

if TYPE_CHECKING:
    from hub.store.bus import StreamFanOut

log = logging.getLogger(__name__)

UNANSWERED_S = 5.0
# Commands about a call the relay already holds (a call is started locally).
_FORWARDED = (cl.AnswerCall, cl.DeclineCall, cl.HangupCall, cl.HoldCall, cl.ResumeCall,
              cl.SendDtmf, cl.TransferCall, cl.SetCallRecording)
_commands = msgspec.json.Decoder(
    cl.AnswerCall | cl.DeclineCall | cl.HangupCall | cl.HoldCall | cl.ResumeCall
    | cl.SendDtmf | cl.TransferCall | cl.SetCallRecording)
_quality = msgspec.json.Decoder(cl.ReportQuality)


class RemotePeer(Peer):
    """A desktop connected to another hub process, as the relay sees it: what it
    is sent goes back there; frames for its agent skip it there."""

    def __init__(self, fanout: StreamFanOut, process: str, ref: str) -> None:
        self.fanout = fanout
        self.remote = (process, ref)
        self.label = f"remote {process}/{ref}"
        self.closed = False
        self.stream_seq = None

    def send(self, frame: str) -> None:
        self.fanout.to_remote(self.remote[0], self.remote[1], frame)

    def close(self, code: int = 1000) -> None:
        self.closed = True


class CallForwarding:
    def __init__(self, relay: CallRelay, fanout: StreamFanOut, frames: RelayFrames,
                 others_alive: Callable[[], bool] = lambda: False) -> None:
        self.relay = relay
        self.fanout = fanout
        self.frames = frames
        # Is another hub process running on the database (else nobody else can
        # hold the call, and the relay answers at once)?
        self.others_alive = others_alive
        self._waiting: dict[tuple[str, str], tuple[Peer, asyncio.TimerHandle]] = {}
        fanout.hint_watchers.append(self.hint)
        fanout.agents.last_removed.append(self._agent_gone)

    # ---- the router's voice offers (hub.routing.engine.OfferWatcher) -------------------

    def offer_made(self, conversation_id: str, agent_id: str, offer_id: str) -> None:
        """The router here made an offer: the process holding a call of that
        conversation rings the agent with it (after the offer commits)."""
        if not self._has_call_in(conversation_id):
            self.fanout.announce("call_offer_made", conversation=conversation_id,
                                 agent=agent_id, offer=offer_id)

    def offer_ended(self, conversation_id: str, agent_id: str, offer_id: str,
                    reason: rp.WithdrawReason) -> None:
        if not self._has_call_in(conversation_id):
            self.fanout.announce("call_offer_ended", conversation=conversation_id,
                                 agent=agent_id, offer=offer_id, reason=reason.value)

    def _has_call_in(self, conversation_id: str) -> bool:
        return any(c.conversation_id == conversation_id for c in self.relay.calls.values())

    def _holds(self, agent_id: str, call_id: str) -> bool:
        call = self.relay.calls.get(call_id)
        return call is not None and call.agent_id == agent_id

    # ---- on the desktop's process ----------------------------------------------------

    def agent_command(self, peer: Peer, agent_id: str, cmd: cl.AgentCommand) -> str | None:
        """The relay's answer, or None when the command went to the process holding
        the call (its answer is sent to ``peer`` when it comes)."""
        if (not isinstance(cmd, _FORWARDED) or self._holds(agent_id, cmd.call_id)
                or not self.others_alive()):
            return self.relay.agent_command(peer, agent_id, cmd)
        ref = self.fanout.remember(peer)
        timer = asyncio.get_running_loop().call_later(
            UNANSWERED_S, self._unanswered, ref, cmd.op)
        self._waiting[(ref, cmd.op)] = (peer, timer)
        self.frames.put("call", agent_id, encode_text(cmd), self.fanout.token,
                        {"call": cmd.call_id, "peer": ref}, kind="call_command")
        return None

    def agent_quality(self, agent_id: str, frame: cl.ReportQuality) -> None:
        if self._holds(agent_id, frame.call_id):
            self.relay.agent_quality(agent_id, frame)
        else:
            self.fanout.announce("call_quality", agent=agent_id, call=frame.call_id,
                                 frame=encode_text(frame))

    def _unanswered(self, ref: str, op: str) -> None:
        waiting = self._waiting.pop((ref, op), None)
        if waiting is not None:
            waiting[0].send(encode_text(ap.Error(
                code=ErrorCode.NOT_FOUND, message="no such call of yours in that state", op=op)))

    def _agent_gone(self, agent_id: str) -> None:
        """The agent's last desktop here closed: a process holding its calls hears."""
        try:
            self.fanout.announce("call_agent_gone", agent=agent_id)
        except Exception as exc:  # the database is unreachable: its calls end with it
            log.warning("agent's leaving not announced: %s", exc)

    # ---- on every process: hints -----------------------------------------------------

    def hint(self, kind: str, hint: dict[str, Any]) -> None:
        if kind == "call_command":
            self._command(hint)
        elif kind == "call_answer" and hint.get("to") == self.fanout.token:
            waiting = self._waiting.pop((str(hint["peer"]), str(hint["op"])), None)
            if waiting is not None:
                waiting[1].cancel()
                waiting[0].send(str(hint["frame"]))
        elif kind == "call_quality" and self._holds(str(hint["agent"]), str(hint["call"])):
            self.relay.agent_quality(str(hint["agent"]), _quality.decode(hint["frame"]))
        elif kind == "call_offer_made" and self._has_call_in(str(hint["conversation"])):
            self.relay.offer_made(str(hint["conversation"]), str(hint["agent"]),
                                  str(hint["offer"]))
        elif kind == "call_offer_ended" and self._has_call_in(str(hint["conversation"])):
            self.relay.offer_ended(str(hint["conversation"]), str(hint["agent"]),
                                   str(hint["offer"]), rp.WithdrawReason(hint["reason"]))
        elif kind == "call_agent_gone":
            agent_id = str(hint["agent"])
            if any(c.agent_id == agent_id for c in self.relay.calls.values()):
                self.relay.agent_left(agent_id)  # ends its calls unless it is here

    def _command(self, hint: dict[str, Any]) -> None:
        agent_id, origin, ref = str(hint["owner"]), str(hint["from"]), str(hint["peer"])
        if not self._holds(agent_id, str(hint["call"])):
            return  # another process holds it, or nobody does (the sender times out)
        row = self.frames.get(int(hint["id"]))
        if row is None:
            return
        cmd = _commands.decode(row.frame)
        answer = self.relay.agent_command(RemotePeer(self.fanout, origin, ref), agent_id, cmd)
        self.fanout.announce("call_answer", to=origin, peer=ref, op=cmd.op, frame=answer)
