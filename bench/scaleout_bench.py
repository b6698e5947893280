"""Scale-out benchmark: failover of routing between hub processes.

Three ``zuoxi-hub serve`` processes on one throw-away PostgreSQL cluster, chat load
on all of them (customers arriving on the live processes, agents accepting and
closing: ``testbed.routing_load``), then the routing process is SIGKILLed, ``runs``
times (it comes back as a follower after each). For each kill:

* routing resumed: from the kill to the first offer made after it (by the next
  router; customers keep arriving, so there is always work to offer);
* agents resumed: from the kill to the last of the killed process's agents signed
  in again on a live process from its cursor (the desktops reconnect at once here,
  as nginx would send them; a real desktop's back-off adds to this).

Median and max over the runs.
"""

from __future__ import annotations

import asyncio
import tempfile
from pathlib import Path
from typing import Any

from bench.stats import summary
from hub.process import HubProcess
from testbed.pg_cluster import PostgresCluster
from testbed.routing_load import ChatLoad, Failover, add_agents, routing_file

PROCESSES = ("a", "b", "c")
AGENTS = 9
CAPACITY = 3


async def _measure(hubs: dict[str, HubProcess], db: str, runs: int) -> list[Failover]:
    load = ChatLoad(hubs, db, [f"bench{n}" for n in range(AGENTS)], customers_per_s=5.0)
    await load.start()
    failovers = []
    try:
        for _ in range(runs):
            await asyncio.sleep(2.0)  # load running on every process
            failover = await load.kill_router()
            failovers.append(failover)
            await load.restart(failover.killed)
    finally:
        await load.stop()
    return failovers


def run_scaleout_benchmark(runs: int = 5) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="zuoxi-bench-scaleout-") as tmp:
        root = Path(tmp)
        cluster = PostgresCluster()
        cluster.start()
        hubs: dict[str, HubProcess] = {}
        try:
            cluster.execute("CREATE DATABASE zuoxi")
            db = cluster.url("zuoxi")
            routing = routing_file(root, offer_timeout_s=10)
            for name in PROCESSES:
                hubs[name] = HubProcess(db, root / name, extra_args=[
                    "--process-name", name, "--routing-config", str(routing),
                    "--new-visitors-per-minute", "100000"])
                hubs[name].start(timeout=90)
            add_agents(db, [f"bench{n}" for n in range(AGENTS)], CAPACITY)
            failovers = asyncio.run(_measure(hubs, db, runs))
        finally:
            for hub in hubs.values():
                hub.stop()
            cluster.stop()
    return {
        "processes": len(PROCESSES), "agents": AGENTS, "runs": runs,
        "routing_resumed_ms": summary([f.routing_resumed_s * 1000 for f in failovers], "ms"),
        "agents_resumed_ms": summary([f.agents_resumed_s * 1000 for f in failovers], "ms"),
        "elected_ms": summary([f.elected_s * 1000 for f in failovers], "ms"),
        "agents_moved": [f.agents_moved for f in failovers],
    }


if __name__ == "__main__":
    import json

    print(json.dumps(run_scaleout_benchmark(), indent=2))
