"""Store mode: keep every customer carrying the store's tag in the cache.

After going online, the directory pages through ``fetch_customers`` (asking
again with ``after=next_after`` until it is null) and stores each page; it
refreshes every ``REFRESH_S`` seconds while online. Where it got to is kept in the
cache, so a pass interrupted by a dropped link or a restart carries on from the
last stored page. Thread: the loop's (the GUI thread under qasync).
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable

from core.cache.cache import Cache
from core.profile import directory_cache as cache_directory
from core.protocol.agent import Customers
from core.records import Changes
from core.sync.outbox import new_id

log = logging.getLogger(__name__)

REFRESH_S = 600.0
PAGE_SIZE = 200

# (op, tag, after, limit) -> whether the request went out (False: not live)
Fetch = Callable[[str, str, str | None, int], bool]

_TAG, _AFTER, _RUNNING, _REFRESHED = (
    "directory_tag", "directory_after", "directory_running", "directory_refreshed_at"
)


class CustomerDirectory:
    def __init__(self, cache: Cache, *, clock: Callable[[], float] = time.time) -> None:
        self._cache = cache
        self._clock = clock
        self._fetch: Fetch | None = None
        self._op: str | None = None
        self._timer: asyncio.TimerHandle | None = None
        self.tag = cache.state(_TAG) or ""

    # ---- settings and connection -------------------------------------------------

    def attach(self, fetch: Fetch | None) -> None:
        """The transport's fetch (None when disconnected)."""
        self._fetch = fetch
        if fetch is None:
            self._op = None
            self._cancel_timer()

    def set_tag(self, tag: str) -> None:
        """Turn store mode on for ``tag`` ("" turns it off). A new tag starts a fresh pass."""
        tag = tag.strip()
        if tag == self.tag:
            return
        self.tag = tag
        self._op = None
        self._cancel_timer()
        with self._cache.db.atomic():
            self._cache.set_state(_TAG, tag)
            self._cache.set_state(_AFTER, "")
            self._cache.set_state(_RUNNING, "1" if tag else "")
            self._cache.set_state(_REFRESHED, "")
        self.went_live()

    def went_live(self) -> None:
        """Carry on with an unfinished pass, or start one when the last is too old."""
        self._op = None  # a new connection: no answer to an earlier request will come
        if not self.tag:
            return
        if self._cache.state(_RUNNING):
            self._request(self._cache.state(_AFTER) or None)
            return
        due = self.refreshed_at() + REFRESH_S - self._clock()
        if due <= 0:
            self.refresh()
        else:
            self._schedule(due)

    def refresh(self) -> None:
        """Start a new pass from the first page."""
        if not self.tag:
            return
        with self._cache.db.atomic():
            self._cache.set_state(_RUNNING, "1")
            self._cache.set_state(_AFTER, "")
        self._op = None
        self._request(None)

    # ---- state -------------------------------------------------------------------

    @property
    def enabled(self) -> bool:
        return bool(self.tag)

    @property
    def busy(self) -> bool:
        """A pass is under way (or waiting for the link to carry on)."""
        return bool(self.tag and self._cache.state(_RUNNING))

    def refreshed_at(self) -> float:
        """When the last complete pass ended (seconds since the epoch; 0: never)."""
        value = self._cache.state(_REFRESHED)
        return float(value) if value else 0.0

    def count(self) -> int:
        return cache_directory.tagged_count(self._cache, self.tag) if self.tag else 0

    def owns(self, op: str) -> bool:
        return op == self._op

    # ---- answers -----------------------------------------------------------------

    def page_received(self, page: Customers, complete: bool) -> Changes:
        """Store (a slice of) a page; when the page is complete, ask for the next one."""
        if page.op != self._op:
            return Changes()  # an answer to a pass we gave up on
        changes = cache_directory.store_records(self._cache, page.customers)
        if not complete:
            return changes
        self._op = None
        if page.next_after:
            self._cache.set_state(_AFTER, page.next_after)
            self._request(page.next_after)
        else:
            with self._cache.db.atomic():
                self._cache.set_state(_RUNNING, "")
                self._cache.set_state(_AFTER, "")
                self._cache.set_state(_REFRESHED, str(self._clock()))
            log.info("store directory %s: %d customers", self.tag, self.count())
            self._schedule(REFRESH_S)
        return changes

    def failed(self, op: str, code: str) -> None:
        """The hub refused a fetch: try again at the next refresh."""
        if op != self._op:
            return
        log.warning("store directory fetch failed: %s", code)
        self._op = None
        self._schedule(REFRESH_S)

    # ---- helpers -----------------------------------------------------------------

    def _request(self, after: str | None) -> None:
        if self._fetch is None or not self.tag:
            return
        op = new_id()
        if self._fetch(op, self.tag, after, PAGE_SIZE):
            self._op = op

    def _schedule(self, delay: float) -> None:
        self._cancel_timer()
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            return  # no loop (a plain test): the next went_live() checks again
        self._timer = loop.call_later(delay, self._refresh_if_online)

    def _refresh_if_online(self) -> None:
        self._timer = None
        if self._fetch is not None:
            self.refresh()

    def _cancel_timer(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
