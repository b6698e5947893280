"""`./dev bench`: run the benchmarks against a real hub; write results to a JSON file.

Machines here are shared and noisy: every figure is a median or a percentile over
repeated runs, and the file records the machine it ran on.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import datetime as dt
import importlib
import json
import os
import platform
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench.report import update_readme
from bench.stats import summary
from hub.demo.seed import DEMO_PASSWORD
from hub.process import HubProcess
from hub.routing.config import DEFAULT_PATH as ROUTING_DEFAULTS

RESULTS = Path(__file__).resolve().parent / "results" / "latest.json"

# name -> (target, unit, "max"|"min") for the README's pass/miss column
TARGETS: dict[str, tuple[float, str]] = {
    "desktop_cold_start_ms": (1000.0, "median ≤ 1000 ms"),
    "desktop_idle_rss_mb": (150.0, "median ≤ 150 MB"),
    "chat_to_screen_ms": (50.0, "p95 ≤ 50 ms"),
    "resolve_ms": (5.0, "p99 ≤ 5 ms"),
    "thread_open_ms": (150.0, "p95 ≤ 150 ms"),
}


def _hub_latency(hub: HubProcess, args: argparse.Namespace) -> dict[str, Any]:
    from bench.hub_latency import login, measure

    token = login(hub.url, "alex", DEMO_PASSWORD)
    samples = asyncio.run(measure(hub.url, token, args.messages, 0.12))
    return summary(samples, "ms")


def _desktop(hub: HubProcess, args: argparse.Namespace) -> dict[str, Any]:
    from bench.desktop_bench import run_desktop_benchmarks

    # Its own hub, configured like the shared one: the clock stops at the painted
    # bubble, so no conversation another suite left behind may hold the screen.
    with tempfile.TemporaryDirectory(prefix="zuoxi-bench-desktop-") as tmp:
        own = _bench_hub(Path(tmp))
        own.start()
        try:
            return run_desktop_benchmarks(own, runs=args.runs, messages=args.messages)
        finally:
            own.stop()


def _sync(hub: HubProcess, args: argparse.Namespace) -> dict[str, Any]:
    from bench.sync_bench import run_sync_benchmarks

    return run_sync_benchmarks(hub, runs=args.runs)


def _profile_hub(hub: HubProcess, args: argparse.Namespace) -> dict[str, Any]:
    from bench.profile_hub_bench import run_profile_hub_benchmark

    # Its own large database: the running hub's demo data is far too small.
    return run_profile_hub_benchmark(customers=args.profile_customers,
                                     messages=args.profile_customers * 10)


def _profile_client(hub: HubProcess, args: argparse.Namespace) -> dict[str, Any]:
    from bench.profile_client_bench import run_profile_client_benchmarks

    return run_profile_client_benchmarks(args.runs)


def _email_view(hub: HubProcess, args: argparse.Namespace) -> dict[str, Any]:
    from bench.email_view_bench import run_email_view_benchmark

    return run_email_view_benchmark(args.runs)


def _email(hub: HubProcess, args: argparse.Namespace) -> dict[str, Any]:
    from bench.email_bench import run_email_benchmark

    # Its own Dovecot and hub databases: 10,000 mails imported per run.
    return run_email_benchmark(runs=min(args.runs, 3), mails=args.email_mails)


def _calls(hub: HubProcess, args: argparse.Namespace) -> dict[str, Any]:
    from bench.call_bench import run_call_benchmarks

    # Its own hub, inside a network namespace (aioice ignores loopback).
    return run_call_benchmarks(args.call_seconds, args.call_impair_seconds)


def _routing(hub: HubProcess, args: argparse.Namespace) -> dict[str, Any]:
    from bench.routing_bench import run_routing_benchmarks

    # Its own hub, configured so three agents can take 50 chats a second.
    return run_routing_benchmarks(seconds=args.routing_seconds)


def _selfservice(hub: HubProcess, args: argparse.Namespace) -> dict[str, Any]:
    from bench.selfservice_bench import run_selfservice_benchmark

    # Its own hub over generated articles, with the bot answering chats without a
    # topic; headless Chromium on the widget for the reply in the page.
    return run_selfservice_benchmark(articles=args.kb_articles)


# The assist suite is a list of parts, each "module:function" returning its figures
# (and taking no arguments); a part is added with one line.
ASSIST_PARTS: dict[str, str] = {
    "classification": "bench.assist_classify_bench:run",
}


def _assist(hub: HubProcess, args: argparse.Namespace) -> dict[str, Any]:
    # In-process, on the labelled sets and their own knowledge bases: the running hub
    # is not needed.
    figures: dict[str, Any] = {}
    for name, target in ASSIST_PARTS.items():
        module, function = target.split(":")
        figures[name] = getattr(importlib.import_module(module), function)()
    from bench.assist_retrieval_bench import run as run_retrieval

    # The demo knowledge base for accuracy, generated articles (embeddings cached in
    # the user's cache folder) for latency and memory.
    figures["retrieval"] = run_retrieval(articles=args.kb_articles)
    from bench.assist_suggestion_bench import run_suggestion_benchmark

    # Its own hub over the same generated articles and a real desktop process: the
    # customer's message to the suggestions painted in the agent's panel.
    figures["suggestions"] = run_suggestion_benchmark(articles=args.kb_articles)
    from bench.kb_window_bench import run as run_kb_window

    # The knowledge-base window over as many cached articles, in a Qt process of its own.
    figures["kb_window"] = run_kb_window(articles=args.kb_articles)
    return figures


def _quality(hub: HubProcess, args: argparse.Namespace) -> dict[str, Any]:
    from bench.quality_bench import run as run_quality

    # In-process, on its own generated database: the running hub is not needed.
    return run_quality(conversations=args.qa_conversations)


def _recording(hub: HubProcess, args: argparse.Namespace) -> dict[str, Any]:
    from bench.recording_bench import run as run_recording

    # In-process: the recorder and its encoder, no hub.
    return run_recording(runs=min(args.runs, 5))


def _transcripts(hub: HubProcess, args: argparse.Namespace) -> dict[str, Any]:
    from bench.transcripts_bench import run as run_transcripts

    # In-process on generated speech files: the running hub is not needed.
    return run_transcripts(runs=min(args.runs, 3))


def _telephony(hub: HubProcess, args: argparse.Namespace) -> dict[str, Any]:
    from bench.telephony_bench import run as run_telephony

    # Its own network namespace with Kamailio, rtpengine, sipp far phones and a hub
    # of its own for the widget calls.
    return run_telephony(runs=min(args.runs, args.telephony_runs),
                         window_s=args.telephony_cpu_seconds)


def _reports(hub: HubProcess, args: argparse.Namespace) -> dict[str, Any]:
    from bench.report_bench import run_report_benchmark

    # Its own SQLite database with a generated week (and the week before it).
    return run_report_benchmark(conversations=args.report_conversations)


def _supervision(hub: HubProcess, args: argparse.Namespace) -> dict[str, Any]:
    from bench.supervision_bench import run_supervision_benchmark

    # Its own hub, whose store holds a day of 25,000 contacts and 500 agents.
    return run_supervision_benchmark(runs=min(args.runs, 3))


def _startup(hub: HubProcess, args: argparse.Namespace) -> dict[str, Any]:
    from bench.startup_bench import run_startup_benchmark

    # Its own Xvfb and D-Bus; Zuoxi with its own local hub, as `./dev run` starts it.
    return run_startup_benchmark(runs=args.runs)


def _access(hub: HubProcess, args: argparse.Namespace) -> dict[str, Any]:
    from bench.access_bench import run as run_access

    return run_access()


def _scaleout(hub: HubProcess, args: argparse.Namespace) -> dict[str, Any]:
    from bench.scaleout_bench import run_scaleout_benchmark

    # Its own PostgreSQL cluster and three hub processes on it.
    return run_scaleout_benchmark(runs=5)


def _xframes(hub: HubProcess, args: argparse.Namespace) -> dict[str, Any]:
    from bench.xframes_bench import run_xframes_benchmark

    # Its own PostgreSQL cluster and two hub processes on it.
    return run_xframes_benchmark()
def _scaleout_throughput(hub: HubProcess, args: argparse.Namespace) -> dict[str, Any]:
    from bench.scaleout_load_bench import run_throughput_benchmark

    # Its own hubs: one on SQLite, one on PostgreSQL, three on PostgreSQL behind nginx.
    return run_throughput_benchmark(step_s=args.scale_step_seconds)


def _scaleout_connections(hub: HubProcess, args: argparse.Namespace) -> dict[str, Any]:
    from bench.scaleout_load_bench import run_connections_benchmark

    return run_connections_benchmark(agents=args.scale_agents, customers=args.scale_customers)


def _bench_hub(tmp: Path) -> HubProcess:
    """A hub for the suites: chats are accepted as they are offered (an agent
    setting), so the desktop and latency suites time the path to the screen, not a
    click on the offer; every suite's customers come from this machine."""
    routing = tmp / "routing.toml"
    routing.write_text(ROUTING_DEFAULTS.read_text(encoding="utf-8").replace(
        "auto_accept_chat = false", "auto_accept_chat = true"), encoding="utf-8")
    return HubProcess(tmp / "hub.sqlite3", tmp,
                      extra_args=["--routing-config", str(routing),
                                  "--new-visitors-per-minute", "100000"])


def _cache_cipher(hub: HubProcess, args: argparse.Namespace) -> dict[str, Any]:
    from bench.cache_cipher_bench import run_cache_cipher_benchmarks

    # Its own cache files; plain and encrypted side by side.
    return run_cache_cipher_benchmarks(args.runs)


SUITES: dict[str, Callable[[HubProcess, argparse.Namespace], dict[str, Any]]] = {
    "hub_latency": _hub_latency,
    "desktop": _desktop,
    "startup": _startup,
    "sync": _sync,
    "profile_hub": _profile_hub,
    "profile_client": _profile_client,
    "cache_cipher": _cache_cipher,
    "email_view": _email_view,
    "email": _email,
    "calls": _calls,
    "routing": _routing,
    "assist": _assist,
    "selfservice": _selfservice,
    "quality": _quality,
    "recording": _recording,
    "access": _access,
    "reports": _reports,
    "supervision": _supervision,
    "transcripts": _transcripts,
    "telephony": _telephony,
    "scaleout": _scaleout,
    "xframes": _xframes,
    "scaleout_throughput": _scaleout_throughput,
    "scaleout_connections": _scaleout_connections,
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="zuoxi-bench", description=__doc__)
    parser.add_argument("--only", choices=sorted(SUITES), action="append",
                        help="run only these suites (repeatable)")
    parser.add_argument("--runs", type=int, default=7, help="repetitions of start-up runs")
    parser.add_argument("--messages", type=int, default=100, help="messages per latency run")
    parser.add_argument("--profile-customers", type=int, default=100_000,
                        help="customers in the identity-resolution data set (10 messages each)")
    parser.add_argument("--email-mails", type=int, default=10_000,
                        help="mails in the IMAP import benchmark")
    parser.add_argument("--call-seconds", type=float, default=20.0,
                        help="seconds of audio per call delay measurement")
    parser.add_argument("--call-impair-seconds", type=float, default=300.0,
                        help="seconds of the call under 30 ms jitter and 3%% loss (default 5 min)")
    parser.add_argument("--telephony-runs", type=int, default=7,
                        help="runs of each telephony measurement (at most --runs)")
    parser.add_argument("--telephony-cpu-seconds", type=float, default=8.0,
                        help="seconds of each established call or conference whose CPU the "
                        "telephony suite measures")
    parser.add_argument("--routing-seconds", type=float, default=20.0,
                        help="how long the sustained routing run sends 50 chats/s")
    parser.add_argument("--kb-articles", type=int, default=10_000,
                        help="articles in the knowledge-base, suggestion and bot latency "
                        "benchmarks")
    parser.add_argument("--qa-conversations", type=int, default=20_000,
                        help="closed conversations in the quality-scoring benchmark")
    parser.add_argument("--report-conversations", type=int, default=100_000,
                        help="conversations in the weekly report's week (as many the week "
                        "before)")
    parser.add_argument("--scale-agents", type=int, default=1000,
                        help="agents connected in the scale-out connections benchmark")
    parser.add_argument("--scale-customers", type=int, default=10_000,
                        help="customers connected in the scale-out connections benchmark")
    parser.add_argument("--scale-step-seconds", type=float, default=8.0,
                        help="how long each rate of the scale-out throughput benchmark runs")
    parser.add_argument("--output", type=Path, default=RESULTS)
    args = parser.parse_args(argv)
    if args.runs < 1 or args.messages < 1 or args.profile_customers < 1 or args.email_mails < 1:
        parser.error("--runs, --messages, --profile-customers and --email-mails must be at "
                     "least 1")
    if args.telephony_runs < 1 or args.telephony_cpu_seconds <= 0:
        parser.error("--telephony-runs must be at least 1 and --telephony-cpu-seconds "
                     "greater than 0")
    if args.routing_seconds <= 0:
        parser.error("--routing-seconds must be greater than 0")
    if args.scale_step_seconds <= 0 or args.scale_agents < 1 or args.scale_customers < 1:
        parser.error("--scale-step-seconds, --scale-agents and --scale-customers must be "
                     "greater than 0")

    now = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    previous: dict[str, Any] = {}
    if args.only and args.output.exists():
        # A partial run keeps the other suites' last figures (each says when).
        with contextlib.suppress(ValueError, OSError):
            previous = json.loads(args.output.read_text()).get("results", {})
    machine = {
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "platform": platform.platform(),
        # the machine is shared: how busy it was when this run began
        "load_average_1min": round(os.getloadavg()[0], 2),
    }
    results: dict[str, Any] = {"when": now, "machine": machine, "results": previous}
    with tempfile.TemporaryDirectory(prefix="zuoxi-bench-") as tmp:
        hub = _bench_hub(Path(tmp))
        hub.start(timeout=120)  # a busy shared machine can take over 30 s
        try:
            # always in SUITES' order: later suites leave work in the shared hub (the
            # sync suite's conversations would take the screen from the desktop's)
            for name in [n for n in SUITES if not args.only or n in args.only]:
                print(f"== {name}", file=sys.stderr, flush=True)
                results["results"][name] = {**SUITES[name](hub, args), "when": now,
                                            "machine": machine}
                print(json.dumps(results["results"][name], indent=2, ensure_ascii=False),
                      file=sys.stderr)
        finally:
            hub.stop()
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    print(f"wrote {args.output}")
    if args.output.resolve() == RESULTS.resolve() and update_readme(RESULTS):
        print("updated the benchmark table in README.md")
    return 0
