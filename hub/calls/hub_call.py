"""A call as the hub's relay keeps it while it rings, waits, talks or moves."""

from __future__ import annotations

import asyncio
import enum
from dataclasses import dataclass, field

from core.protocol import call as cl
from hub.store.store import now_ms


class HubCallState(enum.Enum):
    RINGING = "ringing"  # an agent's desktop rings (inbound)
    DIALING = "dialing"  # the widget was offered a call (outbound)
    CONNECTED = "connected"
    TRANSFERRING = "transferring"  # waiting for the widget's fresh offer


@dataclass
class HubCall:
    call_id: str
    customer_id: str
    conversation_id: str
    direction: cl.CallDirection
    state: HubCallState
    offer: str = ""
    agent_id: str | None = None
    started_at: int = field(default_factory=now_ms)
    answered_at: int | None = None
    tried: set[str] = field(default_factory=set)
    timer: asyncio.TimerHandle | None = None
    pending_purpose: cl.OfferPurpose | None = None
    transfer_to_agent: str | None = None
    transferred_from: str | None = None
    worst: cl.CallQuality | None = None
    offer_id: str | None = None  # the router's voice offer while it rings
    queue_timer: asyncio.TimerHandle | None = None  # the longest queue wait
    queue_expired: bool = False  # waited too long; ends unless the ringing agent answers
    # The id the customer's widget knows the call by (usually call_id itself).
    customer_ref: str = ""
    # An attended transfer on its way to the colleague of this consult leg.
    consult_leg: str | None = None

    @property
    def ref(self) -> str:
        return self.customer_ref or self.call_id
