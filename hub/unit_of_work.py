"""One command, one unit of work: its writes commit together, then its frames go out.

Inside ``UnitOfWork.run()`` every store write joins one transaction
(hub.store.database) and the fan-out holds every frame (hub.transport.fanout). When the
block ends normally the transaction commits and then the frames are sent; when
it raises, the transaction rolls back and the frames are dropped, so nobody
hears of a change that did not happen.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

from hub.store.database import Database
from hub.transport.fanout import SocketFanOut


class UnitOfWork:
    def __init__(self, db: Database, fanout: SocketFanOut) -> None:
        self.db = db
        self.fanout = fanout

    @contextlib.contextmanager
    def run(self) -> Iterator[None]:
        # The fan-out is entered first so that it flushes after the commit.
        with self.fanout.held(), self.db.unit():
            yield
