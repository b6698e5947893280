"""A supervisor's monitoring and coaching intents, and what the desktop reads of them.

Held by ``AgentService`` as ``service.coaching``. Every intent is a command in the
outbox (sent once the link is up, safe to repeat; the hub audits it and answers
``forbidden`` to anyone but a supervisor). The list of live conversations to
monitor is a read: asked when live, answered by ``live_conversations``
(``live_conversations_did_change``). Notes and monitored conversations are read
from the cache (``coaching_did_change``, ``monitors_did_change``).
"""

from __future__ import annotations

from collections.abc import Callable

from core.cache.cache import Cache
from core.protocol import coaching as cop
from core.protocol.models import Presence
from core.protocol.routing import AwayReason
from core.supervision import coaching_cache
from core.supervision.coaching_cache import CoachingItem, MonitoredConversation
from core.sync.outbox import Outbox, new_id

Wake = Callable[[], None]
Request = Callable[[cop.FetchLiveConversations], bool]
MAX_NOTE_CHARS = 4000
MAX_REASON_CHARS = 500


class CoachingClient:
    def __init__(self, cache: Cache, outbox: Outbox, wake: Wake, request: Request,
                 answered: Callable[[], None]) -> None:
        self._cache = cache
        self._outbox = outbox
        self._wake = wake
        self._request = request
        self._answered = answered
        self._live: list[cop.LiveConversation] = []
        self._asked: str | None = None

    # ---- intents ---------------------------------------------------------------------------

    def monitor(self, conversation_id: str) -> None:
        self._queue(cop.MonitorConversation(op=new_id(), conversation_id=conversation_id))

    def stop_monitoring(self, conversation_id: str) -> None:
        self._queue(cop.StopMonitoring(op=new_id(), conversation_id=conversation_id))

    def whisper(self, conversation_id: str, text: str) -> str:
        """A coaching note to the conversation's agent; the note's id."""
        body = _text(text, MAX_NOTE_CHARS, "note")
        note_id = new_id()
        self._queue(cop.Whisper(op=new_id(), conversation_id=conversation_id,
                                note_id=note_id, text=body))
        return note_id

    def barge_in(self, conversation_id: str) -> None:
        self._queue(cop.BargeIn(op=new_id(), conversation_id=conversation_id))

    def send_as_supervisor(self, conversation_id: str, text: str) -> str:
        """A message to the customer under the supervisor's name (after barging in)."""
        body = _text(text, MAX_NOTE_CHARS, "message")
        message_id = new_id()
        self._queue(cop.BargeMessage(op=new_id(), conversation_id=conversation_id,
                                     message_id=message_id, text=body))
        return message_id

    def reassign(self, conversation_id: str, *, to_agent: str | None = None,
                 to_queue: str | None = None, note: str = "") -> None:
        if (to_agent is None) == (to_queue is None):
            raise ValueError("reassign to exactly one of an agent or a queue")
        self._queue(cop.Reassign(op=new_id(), conversation_id=conversation_id,
                                 to_agent=to_agent, to_queue=to_queue,
                                 note=note.strip()[:1000]))

    def set_agent_state(self, agent_id: str, presence: Presence, reason: str,
                        away_reason: AwayReason | None = None) -> None:
        if presence not in (Presence.AVAILABLE, Presence.AWAY, Presence.OFFLINE):
            raise ValueError("set available, away or offline")
        if len(reason.strip()) > MAX_REASON_CHARS:
            raise ValueError(f"the reason is longer than {MAX_REASON_CHARS} characters")
        self._queue(cop.SetAgentState(
            op=new_id(), agent_id=agent_id, presence=presence,
            away_reason=away_reason if presence is Presence.AWAY else None,
            reason=reason.strip()))

    def _queue(self, command: cop.CoachingCommand) -> None:
        with self._cache.db.atomic():
            self._outbox.queue(command, conversation_id=getattr(command, "conversation_id",
                                                                  None))
        self._wake()

    # ---- the live list (a read) ----------------------------------------------------------

    def fetch_live(self) -> bool:
        """Ask the hub for the live conversations; False when not connected."""
        frame = cop.FetchLiveConversations(op=new_id())
        if not self._request(frame):
            return False
        self._asked = frame.op
        return True

    def owns(self, op: str) -> bool:
        return op == self._asked

    def answered(self, frame: cop.LiveConversations) -> None:
        if frame.op != self._asked:
            return
        self._asked = None
        self._live = list(frame.conversations)
        self._answered()

    def failed(self, op: str) -> None:
        if op == self._asked:
            self._asked = None
            self._live = []
            self._answered()

    def live(self) -> list[cop.LiveConversation]:
        return list(self._live)

    # ---- reads from the cache ----------------------------------------------------------------

    def items(self, conversation_id: str) -> list[CoachingItem]:
        """Coaching notes and supervisors joining, oldest first."""
        return coaching_cache.items(self._cache, conversation_id)

    def monitored(self) -> list[MonitoredConversation]:
        """Open conversations this supervisor monitors, newest first."""
        return coaching_cache.monitored(self._cache)


def _text(text: str, limit: int, what: str) -> str:
    body = text.strip()
    if not body:
        raise ValueError(f"the {what} is empty")
    if len(body) > limit:
        raise ValueError(f"the {what} is longer than {limit} characters")
    return body
