"""What the hub does while an agent is disconnected.

New work stops at once (routing only picks connected agents). After a grace
period the agent is marked away, so supervisors and the agent's other devices see
it; after a longer one the agent's open conversations are released to others, so
no customer waits on a desktop that is gone. A reconnect in time cancels both.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable


class AbsenceTimers:
    """Two timers per disconnected agent. Use from the hub's event loop only."""

    def __init__(
        self,
        grace_s: float,
        release_s: float,
        on_grace: Callable[[str], None],
        on_release: Callable[[str], None],
    ) -> None:
        self.grace_s = grace_s
        self.release_s = release_s
        self._on_grace = on_grace
        self._on_release = on_release
        self._timers: dict[str, list[asyncio.TimerHandle]] = {}

    def start(self, agent_id: str) -> None:
        self.cancel(agent_id)
        loop = asyncio.get_running_loop()
        self._timers[agent_id] = [
            loop.call_later(self.grace_s, self._on_grace, agent_id),
            loop.call_later(self.release_s, self._fire_release, agent_id),
        ]

    def _fire_release(self, agent_id: str) -> None:
        self._timers.pop(agent_id, None)
        self._on_release(agent_id)

    def cancel(self, agent_id: str) -> None:
        for handle in self._timers.pop(agent_id, []):
            handle.cancel()

    def pending(self) -> list[str]:
        return list(self._timers)

    def cancel_all(self) -> None:
        for agent_id in list(self._timers):
            self.cancel(agent_id)
