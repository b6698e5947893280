"""Hub identity resolution against a large customer base.

Seeds a fresh hub database with the large demo data set (100,000 customers and
1,000,000 messages by default) and resolves inbound contact points against it the
way a channel does (``Store.resolve_identity``: normalise, then an exact lookup of
a verified identity), in the spellings people type: Chinese mobiles as
``+86 138 ...``, ``0086-138-...`` or bare national numbers, US numbers, emails
with stray case and spaces, WeChat ids, and contact points nobody has.
"""

from __future__ import annotations

import random
import tempfile
import time
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from bench.stats import summary
from core.protocol.models import IdentityKind
from hub.auth import Authenticator
from hub.demo.seed import seed_agents
from hub.demo.seed_large import seed_large
from hub.store import schema as t
from hub.store.store import Store, create_engine


def _spellings(kind: str, value: str, rng: random.Random) -> str:
    if kind == "phone" and value.startswith("+86"):
        national = value[3:]
        return rng.choice([
            f"+86 {national[:3]} {national[3:7]} {national[7:]}",
            national,
            f"0086-{national[:3]}-{national[3:7]}-{national[7:]}",
            f"({national[:3]}) {national[3:7]}.{national[7:]}",
        ])
    if kind == "phone":
        return rng.choice([f"+1 ({value[2:5]}) {value[5:8]}-{value[8:]}",
                           f"001 {value[2:5]} {value[5:8]} {value[8:]}"])
    if kind == "email":
        return rng.choice([f"  {value.upper()} ", value.capitalize(), f"mailto:{value}"])
    return value.replace("wechat:", rng.choice(["WeChat:", "wechat: "]))


def run_profile_hub_benchmark(customers: int = 100_000, messages: int = 1_000_000,
                              lookups: int = 10_000, seed: int = 7) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="zuoxi-profile-bench-") as tmp:
        engine = create_engine(Path(tmp) / "hub.sqlite3")
        t.migrate(engine)
        store = Store(engine)
        agents = seed_agents(store, Authenticator(store))
        started = time.perf_counter()
        counts = seed_large(store, list(agents.values()), customers, messages, seed=seed,
                            progress=lambda _line: None)
        seed_s = time.perf_counter() - started
        rng = random.Random(seed)
        with engine.connect() as conn:
            idents = conn.execute(sa.select(t.identities.c.kind, t.identities.c.value,
                                            t.identities.c.customer_id)).all()
        probes: list[tuple[IdentityKind, str, str | None]] = []
        for _ in range(lookups):
            if rng.random() < 0.1:  # a contact point nobody has
                probes.append((IdentityKind.PHONE, f"+86 199 {rng.randrange(10**8):08d}", None))
                continue
            kind, value, owner = rng.choice(idents)
            probes.append((IdentityKind(kind), _spellings(kind, value, rng), owner))
        for kind, raw, _ in probes[:200]:  # warm the page cache and the pool
            store.resolve_identity(kind, raw)
        samples: list[float] = []
        wrong = 0
        for kind, raw, owner in probes:
            t0 = time.perf_counter()
            found = store.resolve_identity(kind, raw)
            samples.append((time.perf_counter() - t0) * 1000)
            wrong += found != owner
        engine.dispose()
    if wrong:
        raise RuntimeError(f"{wrong} of {lookups} lookups resolved to the wrong customer")
    return {
        "data": counts,
        "seed_s": round(seed_s, 1),
        "resolve_ms": summary(samples, "ms"),
        "target": "p99 ≤ 5 ms",
    }
