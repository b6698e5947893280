"""The owner's reminder before a follow-up is due: timers on the hub's clock.

Each follow-up stores its ``remind_at`` and, once reminded, ``reminded_at``; the
timers here are only what is in memory. On start every follow-up not solved and
not reminded is armed again (one whose time passed while the hub was down fires
at once), so a restart loses no reminder. When the timer fires, the reminder is
claimed with a conditional update in one unit of work with its event, so a
second hub process arming the same follow-up does not remind twice.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable, Iterator

from core.protocol import followups as fp
from hub.followups.followup_store import FollowUpStore
from hub.routing.offers import Clock, Timers
from hub.transport.fanout import FanOut

log = logging.getLogger(__name__)


class Reminders:
    def __init__(self, store: FollowUpStore, fanout: FanOut, clock: Clock,
                 unit: Callable[[], contextlib.AbstractContextManager[None]]) -> None:
        self.store = store
        self.fanout = fanout
        self.clock = clock
        self.unit = unit
        self.timers = Timers(clock)
        # Told of each reminder after its unit committed (tests wait on it).
        self.sent: list[Callable[[fp.FollowUp], None]] = []

    def start(self) -> int:
        """Arm every stored reminder still to come; returns how many."""
        pending = self.store.pending_reminders()
        for followup_id, remind_at in pending:
            self.arm(followup_id, remind_at)
        return len(pending)

    def stop(self) -> None:
        self.timers.cancel_all()

    def arm(self, followup_id: str, remind_at: int) -> None:
        delay_s = max(0.0, (remind_at - self.clock.now_ms()) / 1000)
        self.timers.start(followup_id, delay_s, lambda: self._fire(followup_id))

    def disarm(self, followup_id: str) -> None:
        self.timers.cancel(followup_id)

    def armed(self) -> list[str]:
        return self.timers.names()

    def _fire(self, followup_id: str) -> None:
        try:
            with self._unit() as done:
                followup = self.store.claim_reminder(followup_id, self.clock.now_ms())
                if followup is None or followup.owner_id is None:
                    return
                event = self.store.publish_to(followup.owner_id,
                                              fp.FollowUpReminder(followup=followup))
                self.fanout.publish(followup.owner_id, event)
                done.append(followup)
        except Exception:
            # Not reminded (the claim rolled back with it): the next start arms it again.
            log.exception("reminding of follow-up %s failed", followup_id)

    @contextlib.contextmanager
    def _unit(self) -> Iterator[list[fp.FollowUp]]:
        done: list[fp.FollowUp] = []
        with self.unit():
            yield done
        for followup in done:
            for listener in self.sent:
                listener(followup)
