"""Quality inspection: conversations scored per second on one core.

Two figures over generated closed conversations (testbed.quality_conversations: six
or four messages each, sentiment records, some transfers): ``inspect_per_s`` is the
rules alone on facts in memory; ``store_per_s`` is the catch-up worker end to end on
a SQLite file (read the facts in bulk, score, write scores, audit and cursor), as
the hub runs it. Both run in this one thread; each is the median of three runs.
"""

from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from hub.routing import config as routing_config
from hub.store import schema as t
from hub.store.store import Store, create_engine
from hub.supervision.quality import rules as quality_rules
from hub.supervision.quality.inspection import inspect
from hub.supervision.quality.scoring import scorer_for
from testbed import quality_conversations as qc

START = 1_760_000_000_000


def run(conversations: int = 20_000) -> dict[str, Any]:
    rules = quality_rules.load()
    routing = routing_config.load(None)
    store_rates, inspect_rates = [], []
    with tempfile.TemporaryDirectory(prefix="zuoxi-bench-quality-") as tmp:
        for attempt in range(3):
            engine = create_engine(Path(tmp) / f"hub{attempt}.sqlite3")
            t.migrate(engine)
            store = Store(engine)
            agents = [store.create_agent(f"agent{n}", f"坐席{n}", "h") for n in range(50)]
            with engine.begin() as conn:
                customer = qc.customer(conn)
                crafted = qc.demo(agents, conversations, START, seed=attempt)
                for n in range(0, len(crafted), 2000):
                    qc.write(conn, crafted[n:n + 2000], customer)
            scorer = scorer_for(store.db, routing, rules, clock=lambda: START + 10**10)
            began = time.perf_counter()
            scored = scorer.score_pending()
            store_rates.append(scored / (time.perf_counter() - began))
            assert scored == conversations, (scored, conversations)
            with engine.connect() as conn:
                rows = scorer.reader.conversations(conn, sa.true())
                facts = scorer.reader.facts(conn, rows)
            began = time.perf_counter()
            for one in facts:
                inspect(rules, one, scorer.standards)
            inspect_rates.append(len(facts) / (time.perf_counter() - began))
            engine.dispose()
    return {
        "conversations": conversations,
        "rules": len(rules.rules),
        "store_per_s": round(statistics.median(store_rates)),
        "inspect_per_s": round(statistics.median(inspect_rates)),
    }


if __name__ == "__main__":
    print(run())
