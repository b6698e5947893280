"""Incremental loading of one customer's timeline: the cache first, the hub behind it.

The pager shows ``depth`` entries read from the cache at once (offline too) and,
while the hub is reachable, asks it for pages down to the same depth; every page
is stored in the cache and the entries are read again, so an item is never shown
twice and the order stays newest first. Views call ``load_more()`` as the agent
scrolls and re-read ``entries`` when ``timeline_did_change`` fires.
"""

from __future__ import annotations

import logging
from typing import Protocol

from core.profile.reads import ReadFailed
from core.protocol.models import Channel
from core.protocol.profile import Timeline
from core.records import TimelineEntry
from core.session.hooks import Hook

log = logging.getLogger(__name__)

PAGE = 20


class TimelineSource(Protocol):
    """What the pager needs from the agent service."""

    def timeline(self, customer_id: str, *, channel: Channel | None = None, limit: int = 20,
                 before: tuple[int, str] | None = None) -> list[TimelineEntry]: ...

    async def fetch_timeline_page(self, customer_id: str, channel: Channel | None,
                                  before: tuple[int, str] | None, limit: int) -> Timeline: ...


class TimelinePager:
    """Thread: the loop's."""

    def __init__(self, source: TimelineSource, customer_id: str,
                 channel: Channel | None = None, page: int = PAGE) -> None:
        self._source = source
        self.customer_id = customer_id
        self.channel = channel
        self.page = page
        self.depth = page
        self.entries: list[TimelineEntry] = []
        self._more_cached = False
        self._hub_cursor: tuple[int, str] | None = None
        self._hub_fetched = 0
        self.hub_done = False
        self.hub_error: str | None = None  # the code of the last failed hub read
        self.loading = False
        self.timeline_did_change: Hook[[]] = Hook("timeline_did_change")
        self.reload()

    @property
    def has_more(self) -> bool:
        """More entries in the cache, or (as far as we know) at the hub."""
        return self._more_cached or (not self.hub_done and self.hub_error is None)

    def reload(self) -> None:
        """Read the current depth from the cache again (after a change)."""
        rows = self._source.timeline(self.customer_id, channel=self.channel,
                                     limit=self.depth + 1)
        self._more_cached = len(rows) > self.depth
        self.entries = rows[: self.depth]

    async def start(self) -> None:
        """Ask the hub for the newest page (the cache is shown already)."""
        await self._fetch_to_depth()

    async def load_more(self) -> None:
        self.depth += self.page
        self.reload()
        self.timeline_did_change.emit()
        await self._fetch_to_depth()

    async def _fetch_to_depth(self) -> None:
        if self.loading:
            return  # the running fetch carries on down to the new depth
        self.loading = True
        try:
            while not self.hub_done and self._hub_fetched < self.depth:
                try:
                    page = await self._source.fetch_timeline_page(
                        self.customer_id, self.channel, self._hub_cursor, self.page
                    )
                except ReadFailed as exc:
                    self.hub_error = exc.code  # offline: the cache is all we have
                    break
                self.hub_error = None
                self._hub_fetched += len(page.items)
                if page.next_before_at is None or page.next_before_id is None:
                    self.hub_done = True
                else:
                    self._hub_cursor = (page.next_before_at, page.next_before_id)
                self.reload()
                self.timeline_did_change.emit()
        finally:
            self.loading = False
        self.reload()
        self.timeline_did_change.emit()
