"""Which agent gets an offer, and what an agent may still take.

Eligible: connected; available (or busy on other channels but with free capacity
on this one); serving the queue with the queue's skill at its level; not not-
responding; no offer ringing already; not excluded (declined or missed this
conversation). Among them the longest idle wins (the one whose last assignment is
oldest); ties go to the smaller agent id, so the choice is deterministic.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from core.protocol.models import Channel, Presence
from core.protocol.routing import AgentRole, AwayReason
from hub.routing.config import QueueConfig

ROUTABLE = frozenset({Presence.AVAILABLE, Presence.BUSY})
UNSKILLED_LEVEL = 3


@dataclass
class AgentState:
    id: str
    presence: Presence = Presence.OFFLINE
    connected: bool = False
    queues: frozenset[str] = frozenset()
    skills: dict[str, int] = field(default_factory=dict)
    capacity: dict[Channel, int] = field(default_factory=dict)
    load: dict[Channel, int] = field(default_factory=dict)  # open conversations + offers
    last_assigned_at: int = 0
    missed: int = 0
    role: AgentRole = AgentRole.AGENT
    auto_accept_chat: bool = False
    away_reason: AwayReason | None = None
    ends_at: int | None = None
    offer_id: str | None = None  # at most one offer rings at a time

    def free(self, channel: Channel, voice_blocks_chat: bool) -> bool:
        if self.load.get(channel, 0) >= self.capacity.get(channel, 0):
            return False
        return not (
            channel == Channel.CHAT and voice_blocks_chat and self.load.get(Channel.VOICE, 0) > 0
        )

    def has_skill(self, queue: QueueConfig) -> bool:
        if queue.skill is None:
            return True
        if not self.skills:
            # Agents from before skills existed serve their queues at level 3.
            return queue.min_level <= UNSKILLED_LEVEL
        return self.skills.get(queue.skill, 0) >= queue.min_level

    def may_take(self, queue: QueueConfig, voice_blocks_chat: bool) -> bool:
        """Could this agent be offered work of ``queue`` right now?"""
        return (
            self.connected
            and self.presence in ROUTABLE
            and self.offer_id is None
            and queue.id in self.queues
            and self.has_skill(queue)
            and self.free(queue.channel, voice_blocks_chat)
        )

    def at_capacity(self, channels: Iterable[Channel], voice_blocks_chat: bool) -> bool:
        chans = list(channels)
        return bool(chans) and not any(self.free(c, voice_blocks_chat) for c in chans)


def select(
    agents: Iterable[AgentState],
    queue: QueueConfig,
    voice_blocks_chat: bool,
    excluded: frozenset[str] | set[str] = frozenset(),
) -> AgentState | None:
    """The longest idle eligible agent, or None."""
    best: AgentState | None = None
    for agent in agents:
        if agent.id in excluded or not agent.may_take(queue, voice_blocks_chat):
            continue
        if best is None or (agent.last_assigned_at, agent.id) < (best.last_assigned_at, best.id):
            best = agent
    return best
