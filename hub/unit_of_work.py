"""One command, one unit of work: its writes commit together, then its frames go out.

Inside ``UnitOfWork.run()`` every store write joins one transaction
(hub.store.database) and the fan-out holds every frame (hub.transport.fanout). When the
block ends normally the transaction commits and then the frames are sent; when
it raises, the transaction rolls back and the frames are dropped, so nobody
hears of a change that did not happen.
"""

from __future__ import annotations

import contextlib
import logging
import threading
from collections.abc import Callable, Iterator

from hub.store.base import StoreError
from hub.store.database import Database, retrying_conflicts
from hub.transport.fanout import SocketFanOut

log = logging.getLogger(__name__)

# ``UnitOfWork.run``: what parts that act on their own (timers) are given.
UnitRunner = Callable[[], contextlib.AbstractContextManager[None]]


def run_in_unit(unit: UnitRunner | None, what: str, work: Callable[[], None]) -> None:
    """Work the hub does on its own (a timer fired) as one unit of work, run again if
    the database broke a deadlock. A failure is logged here, as nothing up the event
    loop could handle it: the unit left nothing behind and the router in memory was
    rebuilt from the store (``UnitOfWork.on_failure``). ``unit`` None: run as is
    (parts built without a store's units, e.g. in unit tests)."""
    if unit is None:
        work()
        return
    runner = unit

    def once() -> None:
        with runner():
            work()

    try:
        retrying_conflicts(once)
    except StoreError as exc:
        log.info("%s refused: %s", what, exc)
    except Exception:
        log.exception("%s failed; nothing of it was kept", what)


class UnitOfWork:
    def __init__(self, db: Database, fanout: SocketFanOut,
                 on_failure: Callable[[], None] | None = None) -> None:
        self.db = db
        self.fanout = fanout
        # Called once when an outermost unit fails other than by a refusal (a
        # ``StoreError``): the composition root rebuilds the in-memory router from
        # the store there, which kept nothing of the unit.
        self.on_failure = on_failure
        self._local = threading.local()  # how deep this thread's units are nested

    @contextlib.contextmanager
    def run(self) -> Iterator[None]:
        depth = getattr(self._local, "depth", 0) + 1
        self._local.depth = depth
        try:
            # The fan-out is entered first so that it flushes after the commit.
            with self.fanout.held(), self.db.unit():
                yield
        except StoreError:
            raise
        except Exception:
            if depth == 1 and self.on_failure is not None:
                self.on_failure()
            raise
        finally:
            self._local.depth = depth - 1
