"""The self-service bot: answer latency and hand-off correctness.

Its own hub with the bot on for chats without a topic; the scripted conversations
of bench/data/selfservice/*.jsonl are played by websocket customers, one after the
other. Latency: a customer message sent → the bot's frame (an answer or a hand-off)
at that customer's socket. Correctness: each conversation's outcome (``contained``:
the customer said an answer helped and was not handed off; else
``handoff:<reason>``) against the one the script expects.
"""

from __future__ import annotations

import asyncio
import json
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.stats import summary
from core.protocol import customer as cp
from hub.demo.simulator import SimCustomer
from hub.process import HubProcess

DATA = Path(__file__).parent / "data" / "selfservice"
ROUTING = Path(__file__).resolve().parents[1] / "hub" / "routing.toml"
TIMEOUT_S = 30.0


def load_conversations() -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for path in sorted(DATA.glob("*.jsonl")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            row = json.loads(line)
            if not isinstance(row.get("turns"), list) or not isinstance(row.get("expect"), str):
                raise ValueError(f"{path.name}:{number}: needs turns (a list) and expect")
            rows.append(row)
    return rows


def _bot(customer: SimCustomer) -> list[cp.BotReply]:
    return [f for f in customer.frames if isinstance(f, cp.BotReply)]


async def _next_bot_frame(customer: SimCustomer, seen: int) -> None:
    await customer.wait_for(lambda: len(_bot(customer)) > seen, TIMEOUT_S)


async def _play(url: str, script: dict[str, Any], latencies: list[float]) -> str:
    customer = SimCustomer(url, name=f"Bench {script['id']}")
    await customer.connect()
    try:
        for turn in script["turns"]:
            seen = len(_bot(customer))
            if "say" in turn:
                started = time.perf_counter()
                await customer.send(turn["say"], timeout=TIMEOUT_S)
                await _next_bot_frame(customer, seen)
                latencies.append((time.perf_counter() - started) * 1000)
            elif "feedback" in turn:
                answers = [f for f in _bot(customer) if f.code == "answer" and f.article]
                if not answers:
                    return "no-answer-to-rate"
                article = answers[-1].article
                assert article is not None
                await customer._send_frame(cp.BotFeedback(article_id=article.id,
                                                          answered=bool(turn["feedback"])))
                await _next_bot_frame(customer, seen)
            elif turn.get("button") == "person":
                await customer._send_frame(cp.AskPerson())
                await _next_bot_frame(customer, seen)
            if any(f.code == "handoff" for f in _bot(customer)):
                break
        frames = _bot(customer)
        handoff = next((f for f in frames if f.code == "handoff"), None)
        if handoff is not None:
            return f"handoff:{handoff.reason}"
        return "contained" if frames and frames[-1].code == "glad" else "open"
    finally:
        await customer.disconnect()


async def _run(url: str, scripts: list[dict[str, Any]]) -> dict[str, Any]:
    latencies: list[float] = []
    results = []
    for script in scripts:
        try:
            outcome = await _play(url, script, latencies)
        except TimeoutError:
            outcome = "timeout"
        results.append({"id": script["id"], "expect": script["expect"], "got": outcome})
    wrong = [r for r in results if r["got"] != r["expect"]]
    expected_contained = [r for r in results if r["expect"] == "contained"]
    return {
        "conversations": len(results),
        "correct": len(results) - len(wrong),
        "correct_pct": round(100 * (len(results) - len(wrong)) / max(1, len(results)), 1),
        "containment_pct": round(100 * sum(r["got"] == "contained" for r in results)
                                 / max(1, len(results)), 1),
        "contained_when_expected": f"{sum(r['got'] == 'contained' for r in expected_contained)}"
                                   f"/{len(expected_contained)}",
        "wrong": wrong,
        "bot_reply_ms": summary(latencies, "ms") if latencies else None,
    }


def run_selfservice_benchmark(rounds: int = 1) -> dict[str, Any]:
    scripts = load_conversations()
    with tempfile.TemporaryDirectory(prefix="zuoxi-bench-bot-") as tmp:
        routing = Path(tmp) / "routing.toml"
        routing.write_text(ROUTING.read_text(encoding="utf-8").replace(
            "\n[bot]\n", "\n[bot]\nno_topic = true\n"), encoding="utf-8")
        hub = HubProcess(Path(tmp) / "hub.sqlite3", Path(tmp),
                         extra_args=["--routing-config", str(routing),
                                     "--new-visitors-per-minute", "100000"])
        hub.start()
        try:
            figures: dict[str, Any] = {}
            for number in range(rounds):
                figures = asyncio.run(_run(hub.customer_ws_url, scripts))
                figures["round"] = number + 1
            return figures
        finally:
            hub.stop()
