"""Live suggestions end to end: customer message → suggestions painted in the agent's
panel, on a hub holding 10,000 articles.

Its own hub over 10,000 generated articles (``bench.kb_hub``) plus the demo seed;
chats are accepted as they are offered. The agent is a real desktop process on a drawn
screen (Xvfb when there is no display); the customer a websocket client asking
the labelled answerable questions (bench/data/assist), each once, one after the
other, in Chinese and English.

The clock starts before the customer's frame is sent and stops when the desktop's
suggestion panel has painted the answers for that message (its paint probe,
written to the desktop's trace: ``desktop/startup_trace.py``). The hub's share is
read from the hub's own event stream: the ``assist_suggestions`` event's
timestamp minus that of the agent's ``message_added`` event for the same
message (both stamped by the hub when it wrote them, in ms). A message for which
the hub found nothing to suggest has no event and no paint: counted apart.
The rest of the path is split too (``phases_ms``: send → stored, event → the
desktop's GUI thread, → painted), and the CPU time the hub and the desktop spend
per question is read from /proc (it depends far less on a shared machine's load).
Questions start once the desktop's first listing of the knowledge base into its
offline copy is over; ``kb_listing`` says how long that took (sign-in online → the
copy complete, on the desktop's encrypted cache), the longest stall of the GUI
loop meanwhile and how many exceeded 50 ms, and the desktop's CPU time for it.

Also: the import of the 10,000 articles with their vectors, and the hub's start
over them (spawn → ready: the index is built and the model loaded before the hub
says it is ready) after a first start.
"""

from __future__ import annotations

import asyncio
import json
import os
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.assist_retrieval_bench import load_questions
from bench.desktop_bench import DesktopRun, display
from bench.hub_latency import login
from bench.kb_hub import kb_hub, read_only
from bench.stats import summary
from hub.demo.seed import DEMO_PASSWORD
from hub.demo.simulator import SimCustomer
from hub.process import HubProcess
from hub.routing.config import DEFAULT_PATH as ROUTING_DEFAULTS

AGENT = "alex"
PAINT_TIMEOUT_S = 5.0
GAP_S = 0.2  # between sends: under the hub's per-customer rate limit
LISTING_TIMEOUT_S = 600.0


def questions() -> list[str]:
    """The labelled answerable questions, each once (dev then held-out)."""
    return [q["question"] for name in ("dev", "holdout") for q in load_questions(name)
            if q["expected"]]


def _hub_stamps(db: Path, agent_id: str) -> tuple[dict[str, int], dict[str, int]]:
    """message id → ts of the agent's message_added and assist_suggestions events."""
    added: dict[str, int] = {}
    suggested: dict[str, int] = {}
    conn = read_only(db)
    try:
        rows = conn.execute("SELECT ts, body FROM agent_events WHERE agent_id = ? "
                            "ORDER BY seq", (agent_id,)).fetchall()
    finally:
        conn.close()
    for ts, body in rows:
        event = json.loads(body)
        if event.get("kind") == "message_added":
            added.setdefault(event["message"]["id"], int(ts))
        elif event.get("kind") == "assist_suggestions":
            suggested.setdefault(event["message_id"], int(ts))
    return added, suggested


def _agent_id(db: Path, username: str) -> str:
    conn = read_only(db)
    try:
        row = conn.execute("SELECT id FROM agents WHERE username = ?", (username,)).fetchone()
    finally:
        conn.close()
    return str(row[0])


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _painted(run: DesktopRun) -> dict[str, float]:
    return {fields[1]: float(fields[-1]) for fields in run.trace_lines()
            if fields[0] == "suggestions"}


def _stamp(run: DesktopRun, kind: str) -> float | None:
    return next((float(f[-1]) for f in run.trace_lines() if f[0] == kind), None)


def _wait_listed(run: DesktopRun) -> float:
    """Wait for the steady state an agent works in: the first sign-in's listing of
    the knowledge base into the desktop's offline copy (10,000 articles) is over.
    Returns when it was (the trace's clock)."""
    deadline = time.monotonic() + LISTING_TIMEOUT_S
    while (listed := _stamp(run, "kb_listed")) is None:
        if time.monotonic() > deadline:
            raise RuntimeError("the desktop did not finish listing the knowledge base")
        time.sleep(0.1)
    return listed


def _listing(run: DesktopRun, online: float | None, listed: float,
             cpu_s: float) -> dict[str, Any]:
    """The first listing (online → the offline copy complete): how long, and the GUI
    loop's stalls meanwhile (the trace's ``lag`` lines: ms late, and the GUI thread's
    own CPU in that time, which tells working from waiting for a core)."""
    if online is None:
        return {"seconds": None}
    lags = [(float(f[1]), float(f[2])) for f in run.trace_lines()
            if f[0] == "lag" and online <= float(f[-1]) <= listed]
    longest = max(lags, default=(0.0, 0.0))
    return {"seconds": round(listed - online, 1),
            "longest_gui_stall_ms": longest[0], "its_gui_thread_cpu_ms": longest[1],
            "stalls_over_50_ms": sum(lag > 50 for lag, _cpu in lags),
            "desktop_cpu_s": round(cpu_s, 1)}


def _arrived(run: DesktopRun, painted: dict[str, float]) -> dict[str, float]:
    """message id → when its suggestions reached the desktop's GUI thread: the last
    ``suggestions_arrived`` line before the panel painted them (one conversation,
    one question at a time)."""
    arrivals = sorted(float(f[-1]) for f in run.trace_lines() if f[0] == "suggestions_arrived")
    found: dict[str, float] = {}
    for message_id, at in painted.items():
        before = [a for a in arrivals if a <= at]
        if before:
            found[message_id] = before[-1]
    return found


async def _ask(run: DesktopRun, hub: HubProcess, texts: list[str]
               ) -> tuple[dict[str, float], dict[str, float], list[float]]:
    """Sends each text; (message id → send time, message id → painted time, GUI lags)."""
    customer = SimCustomer(hub.customer_ws_url, name="Bench Customer", locale="zh-CN")
    await customer.connect()
    warm = "warm-up: opens the conversation"
    await customer.send(warm)
    deadline = time.monotonic() + 30
    while not any(f[0] == "message" and f[1] == warm for f in run.trace_lines()):
        if time.monotonic() > deadline:
            raise RuntimeError("the conversation did not reach the agent's screen")
        await asyncio.sleep(0.05)
    sent: dict[str, float] = {}
    painted: dict[str, float] = {}
    for text in texts:
        started = time.monotonic()
        message = await customer.send(text)
        sent[message.id] = started
        deadline = started + PAINT_TIMEOUT_S
        while time.monotonic() < deadline:
            found = _painted(run)
            if message.id in found:
                painted[message.id] = found[message.id]
                break
            await asyncio.sleep(0.01)
        await asyncio.sleep(max(0.0, started + GAP_S - time.monotonic()))
    await customer.disconnect()
    lags = [float(f[1]) for f in run.trace_lines() if f[0] == "lag"]
    return sent, painted, lags


def _phases(sent: dict[str, float], painted: dict[str, float], arrived: dict[str, float],
            added: dict[str, int], suggested: dict[str, int], wall_offset: float
            ) -> dict[str, Any]:
    """Where the time went, per message: the hub's stamps (wall clock, ms) are put on
    the monotonic clock with ``wall_offset`` (time.time() - time.monotonic())."""
    def on_mono(ts_ms: int) -> float:
        return ts_ms / 1000 - wall_offset

    parts: dict[str, list[float]] = {"send_to_stored": [], "event_to_gui": [],
                                     "gui_to_painted": []}
    for m, started in sent.items():
        if m in added:
            parts["send_to_stored"].append((on_mono(added[m]) - started) * 1000)
        if m in suggested and m in arrived:
            parts["event_to_gui"].append((arrived[m] - on_mono(suggested[m])) * 1000)
        if m in arrived and m in painted:
            parts["gui_to_painted"].append((painted[m] - arrived[m]) * 1000)
    return {k: summary(v, "ms") if v else None for k, v in parts.items()}


def run_suggestion_benchmark(articles: int = 10_000) -> dict[str, Any]:
    routing = ROUTING_DEFAULTS.read_text(encoding="utf-8").replace(
        "auto_accept_chat = false", "auto_accept_chat = true")
    texts = questions()
    with tempfile.TemporaryDirectory(prefix="zuoxi-bench-suggest-") as tmp_name:
        tmp = Path(tmp_name)
        hub, starts = kb_hub(tmp, articles, routing)
        try:
            token = login(hub.url, AGENT, DEMO_PASSWORD)
            with display() as env:
                run = DesktopRun(hub, token, env, tmp)
                run.start()
                try:
                    deadline = time.monotonic() + 60
                    while run.online_at() is None:
                        if time.monotonic() > deadline or (run.proc and run.proc.poll()
                                                           is not None):
                            raise RuntimeError("the desktop did not come online")
                        time.sleep(0.05)
                    online = run.online_at()
                    assert run.proc is not None
                    listing_cpu = cpu_seconds(run.proc.pid)
                    listed = _wait_listed(run)
                    listing_cpu = cpu_seconds(run.proc.pid) - listing_cpu
                    listing = _listing(run, online, listed, listing_cpu)
                    wall_offset = time.time() - time.monotonic()
                    assert hub.proc is not None and run.proc is not None
                    pids = {"hub": hub.proc.pid, "desktop": run.proc.pid}
                    cpu_before = {k: cpu_seconds(p) for k, p in pids.items()}
                    sent, painted, lags = asyncio.run(_ask(run, hub, texts))
                    # CPU per question does not depend on the machine's load as
                    # wall-clock figures do (the warm-up message is included)
                    cpu_ms = {k: round((cpu_seconds(p) - cpu_before[k]) * 1000
                                       / (len(texts) + 1), 1) for k, p in pids.items()}
                    arrived = _arrived(run, painted)
                finally:
                    run.stop()
        finally:
            hub.stop()
        added, suggested = _hub_stamps(tmp / "hub.sqlite3", _agent_id(tmp / "hub.sqlite3",
                                                                      AGENT))
    to_screen = [(painted[m] - sent[m]) * 1000 for m in sent if m in painted]
    hub_share = [float(suggested[m] - added[m]) for m in sent if m in suggested and m in added]
    return {
        "articles": articles,
        "questions": len(texts),
        "with_suggestions": sum(m in suggested for m in sent),
        "painted": len(painted),
        # suggestions the hub sent that the panel did not paint within the timeout
        "not_painted": sum(m in suggested and m not in painted for m in sent),
        "message_to_panel_ms": summary(to_screen, "ms") if to_screen else None,
        "hub_share_ms": summary(hub_share, "ms") if hub_share else None,
        # the rest of the path: customer send → message stored (hub), suggestions
        # event written (hub) → signal on the desktop's GUI thread, → panel painted
        "phases_ms": _phases(sent, painted, arrived, added, suggested, wall_offset),
        "cpu_ms_per_question": cpu_ms,
        # the desktop's first sign-in: online → its offline copy of every article
        "kb_listing_s": listing["seconds"],
        "kb_listing": listing,
        "load_average": [round(x, 2) for x in os.getloadavg()],
        "clock_stops": "painted",
        "display": env.get("QT_QPA_PLATFORM", ""),
        "longest_gui_stall_ms": max(lags, default=0.0),
        "hub_start": starts,
    }


if __name__ == "__main__":
    print(json.dumps(run_suggestion_benchmark(), indent=2, ensure_ascii=False))
