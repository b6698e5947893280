"""The self-service bot: answer latency and hand-off correctness, with 10,000 articles.

Its own hub with the bot on for chats without a topic, over 10,000 generated
articles plus the demo's (``bench.kb_hub``). The scripted conversations of
bench/data/selfservice/*.jsonl (questions the knowledge base answers, ones it
does not, angry ones, people asked for) are played by websocket customers, one
after the other. Correctness: each conversation's outcome (``contained``: the
customer said an answer helped and was not handed off; else
``handoff:<reason>``) against the one the script expects; ``stuck_with_bot``
counts the conversations that should have reached a person and did not (the
target is none). Latency at the socket: a customer message sent → the bot's frame
(an answer or a hand-off).

Bot answer latency in the page: headless Chromium on the real widget
(bench/widget_bot_latency.mjs) asks the labelled answerable questions; the page
times Enter → the first frame painted after the bot's reply appeared. The hub's
share: the bot's stored reply (or hand-off line) minus the customer's stored
message, both stamped by the hub.
"""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.assist_retrieval_bench import load_questions
from bench.kb_hub import kb_hub, read_only
from bench.stats import summary
from core.protocol import customer as cp
from hub.demo.simulator import SimCustomer

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(__file__).parent / "data" / "selfservice"
ROUTING = ROOT / "hub" / "routing.toml"
PAGE_SCRIPT = Path(__file__).parent / "widget_bot_latency.mjs"
PLAYWRIGHT = ROOT / "tests" / "browser" / "node_modules" / "playwright-core"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
TIMEOUT_S = 30.0
UNHELPED_NOS = 5
PAGE_QUESTIONS = 60  # the first of the labelled answerable questions, zh and en


def bot_routing() -> str:
    """The shipped routing file with the bot holding chats without a topic."""
    return ROUTING.read_text(encoding="utf-8").replace("\n[bot]\n", "\n[bot]\nno_topic = true\n")


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


def _outcome(customer: SimCustomer) -> str:
    frames = _bot(customer)
    handoff = next((f for f in frames if f.code == "handoff"), None)
    if handoff is not None:
        return f"handoff:{handoff.reason}"
    return "contained" if frames and frames[-1].code == "glad" else "open"


async def _decline_until_person(customer: SimCustomer) -> None:
    """An unhelped customer after the script: "No" to each answer the bot offers."""
    for _ in range(UNHELPED_NOS):
        answers = [f for f in _bot(customer) if f.code == "answer" and f.article]
        if not answers or _outcome(customer).startswith("handoff:"):
            return
        article = answers[-1].article
        assert article is not None
        seen = len(_bot(customer))
        await customer._send_frame(cp.BotFeedback(article_id=article.id, answered=False))
        await _next_bot_frame(customer, seen)


async def _play(url: str, script: dict[str, Any], latencies: list[float]) -> tuple[str, str]:
    """The outcome of the script, and the outcome after an unhelped customer then said
    "No" to the answers (for a conversation that should reach a person)."""
    customer = SimCustomer(url, name=f"Bench {script['id']}", easy=bool(script.get("easy")))
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
                    return "no-answer-to-rate", _outcome(customer)
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
        scripted = _outcome(customer)
        if reaches_person(script["expect"]) and not reaches_person(scripted):
            await _decline_until_person(customer)
        return scripted, _outcome(customer)
    finally:
        await customer.disconnect()


def reaches_person(expect: str) -> bool:
    return expect.startswith("handoff:")


async def play_all(url: str, scripts: list[dict[str, Any]]) -> dict[str, Any]:
    latencies: list[float] = []
    results = []
    for script in scripts:
        try:
            outcome, finally_ = await _play(url, script, latencies)
        except TimeoutError:
            outcome = finally_ = "timeout"
        results.append({"id": script["id"], "expect": script["expect"], "got": outcome,
                        "after_saying_no": finally_})
    wrong = [r for r in results if r["got"] != r["expect"]]
    expected_contained = [r for r in results if r["expect"] == "contained"]
    should_reach_person = [r for r in results if reaches_person(r["expect"])]
    return {
        "conversations": len(results),
        "should_reach_person": len(should_reach_person),
        # reached a person as scripted (any reason)
        "reached_person_as_scripted": sum(reaches_person(r["got"])
                                          for r in should_reach_person),
        # the bot kept them even after the customer said "No" to its answers
        "stuck_with_bot": [r for r in should_reach_person
                           if not reaches_person(r["after_saying_no"])],
        "correct": len(results) - len(wrong),
        "correct_pct": round(100 * (len(results) - len(wrong)) / max(1, len(results)), 1),
        "containment_pct": round(100 * sum(r["got"] == "contained" for r in results)
                                 / max(1, len(results)), 1),
        "contained_when_expected": f"{sum(r['got'] == 'contained' for r in expected_contained)}"
                                   f"/{len(expected_contained)}",
        "wrong": wrong,
        "bot_reply_ms": summary(latencies, "ms") if latencies else None,
    }


def page_latency(widget_url: str, questions: list[str], workdir: Path) -> dict[str, Any]:
    """Bot answer latency measured in headless Chromium (see the module's docstring)."""
    node = shutil.which("node")
    if node is None or not PLAYWRIGHT.exists() or not Path(CHROMIUM).exists():
        return {"skipped": "needs node, chromium and `npm ci` in tests/browser"}
    listed = workdir / "page-questions.json"
    listed.write_text(json.dumps(questions, ensure_ascii=False), encoding="utf-8")
    env = {**os.environ, "WIDGET_URL": widget_url, "QUESTIONS": str(listed),
           "CHROMIUM": CHROMIUM, "PLAYWRIGHT": str(PLAYWRIGHT)}
    out = subprocess.run([node, str(PAGE_SCRIPT)], capture_output=True, text=True, env=env,
                         timeout=60 + 40 * len(questions), cwd=ROOT)
    lines = out.stdout.strip().splitlines()
    if not lines:
        raise RuntimeError(f"the page benchmark printed nothing: {out.stderr[-2000:]}")
    report: dict[str, Any] = json.loads(lines[-1])
    if not report.get("ok"):
        raise RuntimeError(f"the page benchmark failed: {report.get('error')}")
    samples = report["samples"]
    return {
        "bot_reply_in_page_ms": summary([float(s["ms"]) for s in samples], "ms"),
        "answers": sum(s["reply"] == "answer" for s in samples),
        "handoffs": sum(s["reply"] == "handoff" for s in samples),
        "pages_opened": report["pages"],
        "page_errors": report["page_errors"],
        "clock_stops": "painted",
    }


def hub_share(db: Path) -> dict[str, Any] | None:
    """Customer message stored → the bot's reply (or hand-off line) stored, per
    customer message of a chat the bot held, from the hub's own timestamps."""
    conn = read_only(db)
    try:
        rows = conn.execute(
            "SELECT m.conversation_id, m.author, m.created_at FROM messages m "
            "WHERE m.conversation_id IN (SELECT conversation_id FROM messages "
            "WHERE author = 'bot') ORDER BY m.conversation_id, m.created_at, m.rowid"
        ).fetchall()
    finally:
        conn.close()
    shares: list[float] = []
    asked: dict[str, int] = {}
    for conversation, author, created in rows:
        if author == "customer":
            asked.setdefault(conversation, int(created))
        elif author in ("bot", "system") and conversation in asked:
            shares.append(float(int(created) - asked.pop(conversation)))
    return summary(shares, "ms") if shares else None


def page_questions(count: int = PAGE_QUESTIONS) -> list[str]:
    """Answerable labelled questions, alternating Chinese and English sets."""
    answerable = [q for q in load_questions("dev") if q["expected"]]
    zh = [q["question"] for q in answerable if q["lang"] == "zh"]
    en = [q["question"] for q in answerable if q["lang"] == "en"]
    return (zh[: count // 2] + en[: count - count // 2])[:count]


def run_selfservice_benchmark(articles: int = 10_000, rounds: int = 1) -> dict[str, Any]:
    scripts = load_conversations()
    with tempfile.TemporaryDirectory(prefix="zuoxi-bench-bot-") as tmp_name:
        tmp = Path(tmp_name)
        hub, starts = kb_hub(tmp, articles, bot_routing())
        try:
            figures: dict[str, Any] = {}
            for number in range(rounds):
                figures = asyncio.run(play_all(hub.customer_ws_url, scripts))
                figures["round"] = number + 1
            figures["page"] = page_latency(hub.widget_url, page_questions(), tmp)
        finally:
            hub.stop()
        figures["hub_share_ms"] = hub_share(tmp / "hub.sqlite3")
    figures["articles"] = articles
    figures["hub_start"] = starts
    return figures


if __name__ == "__main__":
    print(json.dumps(run_selfservice_benchmark(), indent=2, ensure_ascii=False))
