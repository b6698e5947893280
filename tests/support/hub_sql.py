"""Reading a running hub's database from a test, whichever database it is."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import sqlalchemy as sa

from hub.store.base import create_engine


def hub_rows(db: Path | str, sql: str, **params: Any) -> list[tuple[Any, ...]]:
    """The rows of ``sql`` (``:name`` parameters) in the hub database ``db``."""
    engine = create_engine(db)
    try:
        with engine.connect() as conn:
            return [tuple(row) for row in conn.execute(sa.text(sql), params)]
    finally:
        engine.dispose()
