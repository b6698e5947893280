"""Turn bench/results/latest.json into the README's benchmark table.

`./dev bench` rewrites the block between the two markers in README.md, so the
figures there are always those of the last run, with "met" or "missed" computed
from the numbers, never typed by hand.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
START, END = "<!-- bench:start -->", "<!-- bench:end -->"

# (suite whose figures the row shows, what, target, cell)
Row = tuple[str, str, str, Callable[[dict[str, Any]], tuple[str, bool | None]]]


def _get(results: dict[str, Any], *path: str) -> Any:
    node: Any = results
    for key in path:
        if not isinstance(node, dict) or key not in node:
            return None
        node = node[key]
    return node


def _stat(path: tuple[str, ...], stat: str, limit: float | None, unit: str,
          also: str | None = None, painted: bool = False,
          ) -> Callable[[dict[str, Any]], tuple[str, bool | None]]:
    """``painted``: the figure counts only if its clock stopped at the views' paint
    (results from before the paint probe stopped at a model signal or a cache count)."""
    def cell(results: dict[str, Any]) -> tuple[str, bool | None]:
        node = _get(results, *path)
        if not node:
            return "not run", None
        if painted and _get(results, *path[:-1], "clock_stops") != "painted":
            return "not run since the clock stops at the paint", None
        value = float(node[stat])
        text = f"{stat} {value:,.1f} {unit}"
        if also:
            text += f" ({also} {float(node[also]):,.1f})"
        if node.get("n"):
            text += f", n={node['n']}"
        return text, (None if limit is None else value <= limit)
    return cell


def _percent(path: tuple[str, ...]) -> Callable[[dict[str, Any]], tuple[str, None]]:
    def cell(results: dict[str, Any]) -> tuple[str, None]:
        value = _get(results, *path)
        return ("not run" if value is None else f"{float(value):.0f} %"), None
    return cell


def _rate(path: tuple[str, ...], minimum: float,
          unit: str = "events/s") -> Callable[[dict[str, Any]], tuple[str, bool]]:
    def cell(results: dict[str, Any]) -> tuple[str, bool]:
        value = float(_get(results, *path) or 0)
        return f"{value:,.0f} {unit}", value >= minimum
    return cell


def _cipher(key: str, stat: str, limit: float | None,
            unit: str = "ms") -> Callable[[dict[str, Any]], tuple[str, bool | None]]:
    """The encrypted cache's figure with the plain cache's beside it (one run)."""
    def cell(results: dict[str, Any]) -> tuple[str, bool | None]:
        node = _get(results, "cache_cipher", key)
        if not node or "encrypted" not in node:
            return "not run", None
        enc, plain = node["encrypted"], node["plain"]
        value = float(enc[stat])
        text = (f"encrypted {stat} {value:,.1f} {unit} (plain {float(plain[stat]):,.1f}), "
                f"n={enc['n']}")
        return text, (None if limit is None else value <= limit)
    return cell


def _cipher_apply(results: dict[str, Any]) -> tuple[str, bool | None]:
    node = _get(results, "cache_cipher", "apply")
    if not node:
        return "not run", None
    enc, plain = node["encrypted"], node["plain"]
    return (f"encrypted {enc['events_per_s']:,} events/s (plain {plain['events_per_s']:,}); "
            f"slice p95 {enc['slice_ms']['p95']:,.1f} ms (plain "
            f"{plain['slice_ms']['p95']:,.1f})"), None


def _cipher_first_start(results: dict[str, Any]) -> tuple[str, bool | None]:
    node = _get(results, "cache_cipher", "first_start_encrypt")
    if not node:
        return "not run", None
    return f"{node['seconds']:,.1f} s for {node['file_mb']:,.0f} MB, n=1", None


def _pipeline(results: dict[str, Any]) -> tuple[str, bool | None]:
    pipe = _get(results, "calls", "pipeline_one_way_ms")
    base = _get(results, "calls", "baseline_one_way_ms")
    if not pipe or not base or "median" not in pipe:
        return "not run", None
    extra = float(pipe["median"]) - float(base["median"])
    text = (f"median {pipe['median']:.1f} ms (plain aiortc {base['median']:.1f} ms, "
            f"{extra:+.1f}), n={pipe['n']}")
    return text, float(pipe["median"]) <= 100 and extra <= 20


def _mouth_to_ear(results: dict[str, Any]) -> tuple[str, bool | None]:
    node = _get(results, "calls", "mouth_to_ear_ms")
    if not node or "median" not in node:
        return "not run", None
    text = f"median {node['median']:.1f} ms (p95 {node['p95']:.1f})"
    if node.get("granted_input_ms") is None:
        # the null device could not be opened: the figure lacks the device latency
        return text + ", device latency not measured (no ALSA null device)", None
    text += (f", of which granted input {node['granted_input_ms']:.1f} + output "
             f"{node['granted_output_ms']:.1f} ms, n={node['n']}")
    return text, float(node["median"]) <= 150


def _impaired(results: dict[str, Any]) -> tuple[str, bool | None]:
    node = _get(results, "calls", "impaired")
    if not node or node.get("growth_ms") is None:
        return "not run", None
    q = node.get("quality") or {}
    plain = _get(results, "calls", "plain_aiortc_impaired_ms") or {}
    text = (f"{node['seconds'] / 60:.0f} min: start {node['start_ms']:.0f} ms, end "
            f"{node['end_ms']:.0f} ms (+{node['growth_ms']:.1f}); loss {q.get('loss_pct')} %, "
            f"MOS {q.get('mos')}; plain aiortc: {plain.get('median', float('nan')):.0f} ms")
    return text, float(node["growth_ms"]) <= 20


def _cadence(results: dict[str, Any]) -> tuple[str, bool | None]:
    node = _get(results, "calls", "send_gap_under_gui_load_ms")
    load = _get(results, "calls", "gui_load") or {}
    if not node or "p99" not in node:
        return "not run", None
    gaps = load.get("audible_gaps_in_recording")
    text = (f"p99 {node['p99']:.1f} ms (max {node['max']:.1f}), n={node['n']}; "
            f"{load.get('rebuilds')} rebuilds; silent frames heard: {gaps}")
    return text, float(node["p99"]) <= 30 and gaps == 0


def _side_by_side(results: dict[str, Any]) -> tuple[str, bool | None]:
    ours = _get(results, "startup", "zuoxi", "window_ms")
    theirs = _get(results, "startup", "linphone", "window_ms")
    if not ours:
        return "not run", None
    text = f"Zuoxi median {ours['median']:,.0f} ms (max {ours['max']:,.0f})"
    if not theirs:
        return text + "; Linphone not run", None
    text += (f"; Linphone median {theirs['median']:,.0f} ms (max {theirs['max']:,.0f}), "
             f"n={ours['n']} each")
    return text, float(ours["median"]) <= 1000 and float(ours["median"]) < float(
        theirs["median"])


def _side_by_side_memory(results: dict[str, Any]) -> tuple[str, bool | None]:
    ours = _get(results, "startup", "zuoxi", "rss_mb")
    tree = _get(results, "startup", "zuoxi", "rss_with_children_mb")
    theirs = _get(results, "startup", "linphone", "rss_mb")
    if not ours:
        return "not run", None
    text = f"Zuoxi desktop median {ours['median']:,.0f} MB"
    if tree:
        text += f" (with its local hub process {tree['median']:,.0f} MB)"
    text += f"; Linphone {theirs['median']:,.0f} MB" if theirs else "; Linphone not run"
    return text, float(ours["median"]) <= 150


def _cpu(results: dict[str, Any]) -> tuple[str, bool | None]:
    value = _get(results, "calls", "agent_process_cpu_pct_of_core")
    if value is None:
        return "not run", None
    thread = _get(results, "calls", "agent_media_thread_cpu_pct_of_core")
    return f"{value:.1f} % (media thread alone {thread} %)", float(value) <= 10


def _sentiment(part: str) -> Callable[[dict[str, Any]], tuple[str, bool | None]]:
    def cell(results: dict[str, Any]) -> tuple[str, bool | None]:
        node = _get(results, "assist", "classification", part)
        if not node:
            return "not run", None
        ours, base = node["classifier"], node["lexicon_only"]
        text = (f"{ours['sentiment_macro_f1']:.3f} (lexicon-only "
                f"{base['sentiment_macro_f1']:.3f}), n={ours['n']}")
        return text, float(ours["sentiment_macro_f1"]) >= 0.8
    return cell


def _escalation(part: str) -> Callable[[dict[str, Any]], tuple[str, bool | None]]:
    def cell(results: dict[str, Any]) -> tuple[str, bool | None]:
        node = _get(results, "assist", "classification", part)
        if not node:
            return "not run", None
        ours, base = node["classifier"], node["lexicon_only"]
        text = (f"P {ours['escalation_precision']:.3f} R {ours['escalation_recall']:.3f} "
                f"(lexicon-only P {base['escalation_precision']:.3f} R "
                f"{base['escalation_recall']:.3f}), n={ours['n']}")
        return text, (float(ours["escalation_recall"]) >= 0.9
                      and float(ours["escalation_precision"]) >= 0.8)
    return cell


def _retrieval_accuracy(results: dict[str, Any]) -> tuple[str, bool | None]:
    node = _get(results, "assist", "retrieval", "accuracy", "holdout")
    if not node:
        return "not run", None
    ours, base = node["fused"], node["lexical"]
    text = (f"top-3 {ours['top3']:.3f}, top-1 {ours['top1']:.3f}, unanswerable → nothing "
            f"{ours['unanswerable_empty']:.3f} (lexical-only top-3 {base['top3']:.3f}), "
            f"n={ours['answerable'] + ours['unanswerable']}")
    return text, float(ours["top3"]) >= 0.9


def _kb_window_stalls(results: dict[str, Any]) -> tuple[str, bool | None]:
    node = _get(results, "assist", "kb_window", "longest_gui_stall_ms")
    if not node:
        return "not run", None
    worst = max(float(node["open"]), float(node["search"]), float(node["scroll"]))
    load = _get(results, "assist", "kb_window", "load_average") or []
    text = (f"{float(node['open']):,.0f} / {float(node['search']):,.0f} / "
            f"{float(node['scroll']):,.0f} ms; built {float(node['build_and_open']):,.0f} ms"
            f" (load average {' → '.join(str(x) for x in load)})")
    return text, worst <= 100


def _kb_listing(results: dict[str, Any]) -> tuple[str, bool | None]:
    node = _get(results, "assist", "suggestions", "kb_listing")
    if not node or node.get("seconds") is None or "longest_gui_stall_ms" not in node:
        return "not run", None
    text = (f"{float(node['seconds']):,.1f} s, longest GUI stall "
            f"{float(node['longest_gui_stall_ms']):,.0f} ms (GUI thread CPU in it "
            f"{float(node['its_gui_thread_cpu_ms']):,.0f} ms), "
            f"{node['stalls_over_50_ms']} stalls over 50 ms; desktop CPU "
            f"{float(node['desktop_cpu_s']):,.1f} s, n=1")
    return text, float(node["seconds"]) <= 10 and float(node["longest_gui_stall_ms"]) <= 50


def _model_memory(results: dict[str, Any]) -> tuple[str, bool | None]:
    node = _get(results, "assist", "retrieval", "memory")
    if not node:
        return "not run", None
    return (f"model {float(node['model_mb']):,.0f} MB, index of the articles "
            f"{float(node['index_mb']):,.0f} MB; the desktop loads neither (a test proves it)",
            None)


def _hub_start(path: tuple[str, ...]) -> Callable[[dict[str, Any]], tuple[str, None]]:
    def cell(results: dict[str, Any]) -> tuple[str, None]:
        node = _get(results, *path)
        if not node:
            return "not run", None
        text = f"{float(node['start_s']):,.1f} s"
        if node.get("stand_in_vectors"):
            text += (f" ({node['real_vectors']:,} articles with their own vector, "
                     f"{node['stand_in_vectors']:,} with their topic's: see docs/assist.md)")
        elif "import_s" in node:
            text += (f" (every article with its own vector, stored at import: "
                     f"{float(node['import_s']):,.0f} s, {node['vectors_computed']:,} "
                     "of them computed then, the rest from the on-disk vector cache)")
        return text, None
    return cell


def _retrieval_alone(results: dict[str, Any]) -> tuple[str, None]:
    node = _get(results, "assist", "retrieval", "latency_ms")
    if not node or "cpu_ms" not in node:
        return "not run", None
    return (f"p95 {float(node['p95']):,.1f} ms (median {float(node['median']):,.1f}); CPU "
            f"median {float(node['cpu_ms']['median']):,.1f} ms (p95 "
            f"{float(node['cpu_ms']['p95']):,.1f}), n={node['n']}"), None


def _containment(results: dict[str, Any]) -> tuple[str, bool | None]:
    node = _get(results, "selfservice")
    if not node or node.get("stuck_with_bot") is None:
        return "not run", None
    stuck = len(node["stuck_with_bot"])
    text = (f"outcome as scripted {node['correct']}/{node['conversations']}; contained "
            f"{node['contained_when_expected']} of those the bot should answer; reached a "
            f"person {node['reached_person_as_scripted']}/{node['should_reach_person']} as "
            f"scripted, stuck with the bot after saying No: {stuck}")
    return text, stuck == 0


def _weekly_report(results: dict[str, Any]) -> tuple[str, bool | None]:
    node = _get(results, "reports")
    if not node or node.get("report_s") is None:
        return "not run", None
    text = (f"{float(node['report_s']):,.1f} s (build {float(node['build_s']):,.1f}, files "
            f"{float(node['write_s']):,.1f}), peak memory {float(node['peak_rss_mb']):,.0f} MB, "
            f"n={int(node['conversations']):,}")
    return text, float(node["report_s"]) <= 60 and int(node["conversations"]) >= 100_000


def _quality(results: dict[str, Any]) -> tuple[str, bool | None]:
    node = _get(results, "quality")
    if not node or node.get("store_per_s") is None:
        return "not run", None
    text = (f"{int(node['store_per_s']):,} conversations/s read, scored and stored (rules "
            f"alone {int(node['inspect_per_s']):,}/s), {int(node['rules'])} rules, "
            f"n={int(node['conversations']):,}")
    return text, None


def _sustained(name: str) -> Callable[[dict[str, Any]], tuple[str, None]]:
    def cell(results: dict[str, Any]) -> tuple[str, None]:
        node = _get(results, "scaleout_throughput", "deployments", name)
        if not node:
            return "not run", None
        limit = node.get("limited_by")
        return (f"{float(node['sustained_per_s']):,.0f} messages/s"
                + (f"; next step limited by {limit}" if limit else "")), None
    return cell


def _cpu_ratio(results: dict[str, Any]) -> tuple[str, bool | None]:
    node = _get(results, "scaleout_throughput")
    if not node or node.get("three_vs_one_cpu_ratio") is None:
        return "not run", None
    per = node["cpu_ms_per_message"]
    parts = "; ".join(
        f"{name}: hubs {v['hubs']:.2f}, PostgreSQL {v['postgresql']:.2f}, nginx "
        f"{v['nginx']:.2f} ms" for name, v in per.items())
    ratio = float(node["three_vs_one_cpu_ratio"])
    above = node.get("three_vs_one_cpu_ratio_above_idle")
    more = f"; above idle {float(above):.2f}×" if above is not None else ""
    return (f"{ratio:.2f}× at {float(node['compared_at_per_s']):,.0f}/s ({parts}){more}",
            ratio <= 1.3)


def _per_connection(results: dict[str, Any]) -> tuple[str, None]:
    node = _get(results, "scaleout_connections")
    if not node:
        return "not run", None
    return (f"agent {float(node['kb_per_agent_connection']):,.0f} KB, customer "
            f"{float(node['kb_per_customer_connection']):,.0f} KB "
            f"({node['agents']:,} agents, {node['customers_connected']:,} customers)"), None


def _telephony_cpu(kind: str, what: str
                   ) -> Callable[[dict[str, Any]], tuple[str, bool | None]]:
    """CPU of the agent's process per call or conference (``kind``: sip | widget),
    judged on the median against the issue's target, with p95 and the load."""
    def cell(results: dict[str, Any]) -> tuple[str, bool | None]:
        if _get(results, "telephony", "skipped"):
            return f"not run: {_get(results, 'telephony', 'skipped')}", None
        node = _get(results, "telephony", kind, what)
        if not node:
            return "not run", None
        load = node["load_1min"]
        text = (f"median {node['median']:.1f} % (p95 {node['p95']:.1f}), n={node['n']}; "
                f"load average median {load['median']:.1f} (max {load['max']:.1f})")
        return text, float(node["median"]) <= float(node["target"])
    return cell


def _telephony_setup(results: dict[str, Any]) -> tuple[str, None]:
    sip = _get(results, "telephony", "sip", "answer_to_two_way_audio_ms")
    widget = _get(results, "telephony", "widget", "answer_to_two_way_audio_ms")
    if not sip or not widget:
        return "not run", None
    return (f"SIP median {sip['median']:.0f} ms (p95 {sip['p95']:.0f}), n={sip['n']}; widget "
            f"call median {widget['median']:.0f} ms (p95 {widget['p95']:.0f}), "
            f"n={widget['n']}"), None


def _telephony_delay(results: dict[str, Any]) -> tuple[str, None]:
    out = _get(results, "telephony", "sip", "agent_to_far_one_way_ms")
    into = _get(results, "telephony", "sip", "far_to_agent_one_way_ms")
    widget = _get(results, "telephony", "widget", "customer_to_agent_one_way_ms")
    if not out or not into or not widget:
        return "not run", None
    return (f"SIP agent → far phone median {out['median']:.1f} ms (p95 {out['p95']:.1f}), "
            f"far phone → agent's sink median {into['median']:.1f} ms (p95 "
            f"{into['p95']:.1f}), n={out['n']}; widget customer → agent's sink median "
            f"{widget['median']:.1f} ms (p95 {widget['p95']:.1f}), n={widget['n']}"), None


def _transcription_speed(results: dict[str, Any]) -> tuple[str, None]:
    node = _get(results, "transcripts", "greedy", "audio_s_per_cpu_s")
    if not node:
        return "not run", None
    return (f"zh {node['zh']:.2f}, en {node['en']:.2f}, mixed {node['mixed']:.2f} audio s per "
            f"CPU s (greedy + fallback, the setting used), n=1 call each"), None


def _transcription_accuracy(results: dict[str, Any]) -> tuple[str, None]:
    node = _get(results, "transcripts", "greedy")
    if not node:
        return "not run", None
    return (f"English WER {node['wer_en']:.3f}, Chinese CER {node['cer_zh']:.3f} "
            "(espeak-ng voices, Whisper base)"), None


ROWS: list[Row] = [
    ("desktop",
     "desktop cold start: process start → main window shown (returning agent, hub running)",
     "median ≤ 1000 ms", _stat(("desktop", "desktop_cold_start_ms"), "median", 1000, "ms", "p95")),
    ("desktop",
     "… and online (token checked, snapshot applied)", "—",
     _stat(("desktop", "desktop_online_after_spawn_ms"), "median", None, "ms")),
    ("desktop",
     "desktop resident memory, idle 5 s after start", "≤ 150 MB",
     _stat(("desktop", "desktop_idle_rss_mb"), "median", 150, "MB", "max")),
    ("desktop",
     "customer message → its bubble painted in the agent's chat view (real desktop process, "
     "loopback)", "p95 ≤ 50 ms",
     _stat(("desktop", "chat_to_screen_ms"), "p95", 50, "ms", "median", painted=True)),
    ("startup",
     "start side by side on Xvfb: process spawn → first top-level window mapped (Zuoxi as "
     "`./dev run` starts it: local hub, demo agent; Debian's linphone-desktop), alternating "
     "runs", "Zuoxi median ≤ 1000 ms and below Linphone's", _side_by_side),
    ("startup",
     "resident memory 8 s after that window (real X server: Xvfb)", "Zuoxi ≤ 150 MB",
     _side_by_side_memory),
    ("hub_latency",
     "customer message → agent websocket (the hub's share)", "—",
     _stat(("hub_latency",), "p95", None, "ms", "median")),
    ("sync",
     "events applied into the cache (sliced as in sync)", "≥ 20,000 events/s",
     _rate(("sync", "apply", "events_per_s"), 20_000)),
    ("sync",
     "resume after missing 10,000 events (loopback)", "≤ 2 s",
     _stat(("sync", "resume", "catch_up_s"), "median", 2, "s", "max")),
    ("sync",
     "cold snapshot, 200 open conversations / 50,000 messages → inbox painted with all "
     "200", "≤ 3 s",
     _stat(("sync", "cold_snapshot", "inbox_complete_after_spawn_ms"), "median", 3000, "ms",
           "max", painted=True)),
    ("sync",
     "longest GUI-loop stall during that catch-up (worst of each run)", "never > 50 ms",
     _stat(("sync", "cold_snapshot", "worst_gui_stall_ms"), "max", 50, "ms", "median")),
    ("profile_client",
     "screen pop: assignment → side panel with profile and 20 newest timeline items "
     "(100,000 customers, 1,000,000 messages in the cache)", "p95 ≤ 50 ms",
     _stat(("profile_client", "screen_pop_ms"), "p95", 50, "ms", "median")),
    ("profile_client",
     "search in the cache: customers (name, phone, e-mail) and Chinese/English message text",
     "p95 ≤ 50 ms", _stat(("profile_client", "search_ms"), "p95", 50, "ms", "median")),
    ("cache_cipher",
     "cache encrypted at rest (SQLCipher): open before the first paint, 100,000 customers "
     "/ 1,000,000 messages", "—", _cipher("open_large_ms", "median", None)),
    ("cache_cipher",
     "… open of a new agent's (empty) cache", "—", _cipher("open_small_ms", "median", None)),
    ("cache_cipher",
     "… screen pop on the encrypted cache (same data, same run)", "p95 ≤ 50 ms",
     _cipher("screen_pop_ms", "p95", 50)),
    ("cache_cipher",
     "… search on the encrypted cache (same data, same run)", "p95 ≤ 50 ms",
     _cipher("search_ms", "p95", 50)),
    ("cache_cipher",
     "… event apply, 100,000 events sliced as the sync client does", "—", _cipher_apply),
    ("cache_cipher",
     "… first start after the upgrade: the plain large cache encrypted in place", "—",
     _cipher_first_start),
    ("profile_hub",
     "hub identity resolution of an inbound contact (100,000 customers)", "p99 ≤ 5 ms",
     _stat(("profile_hub", "resolve_ms"), "p99", 5, "ms", "median")),
    ("email_view",
     "open an email thread of 50 mails with HTML bodies → painted (offscreen), newest mail "
     "unfolded and sanitised", "≤ 150 ms",
     _stat(("email_view", "thread_open_ms"), "p95", 150, "ms", "median")),
    ("email",
     "import 10,000 stored emails from IMAP (Dovecot, IMAPS on loopback) into conversations: "
     "stored raw, parsed, sender resolved, threaded (median of runs)", "≥ 200 messages/s",
     _rate(("email", "imap_import", "messages_per_s"), 200, "messages/s")),
    ("calls",
     "call audio one way, source frames → sink frames, call set up via the hub "
     "(network namespace)", "median ≤ 100 ms and ≤ plain aiortc + 20 ms", _pipeline),
    ("calls",
     "call mouth-to-ear estimate: pipeline with 20 ms device blocks and the desktop's queues "
     "at both ends + input and output latency PortAudio grants the desktop's streams "
     "(ALSA null device)",
     "median ≤ 150 ms", _mouth_to_ear),
    ("calls",
     "call delay under 30 ms jitter and 3 % loss (user-space shim), start vs end",
     "end ≤ start + 20 ms", _impaired),
    ("calls",
     "answer click → two-way audio", "≤ 300 ms",
     _stat(("calls", "answer_to_two_way_audio_ms"), "max", 300, "ms", "median")),
    ("calls",
     "CPU of the agent's process per active call", "≤ 10 % of a core", _cpu),
    ("calls",
     "audio send cadence while the GUI thread rebuilds a 5,000-row list", "p99 ≤ 30 ms",
     _cadence),
    ("telephony",
     "SIP call (Kamailio + rtpengine + sipp): answer → two-way audio, beside a widget call "
     "in the same run (network namespace)", "—", _telephony_setup),
    ("telephony",
     "… one-way delay through rtpengine (tone onset → first loud packet; far phone → "
     "agent's sink timed from the ACK), beside the widget call's", "—", _telephony_delay),
    ("telephony",
     "CPU of the agent's process during an established SIP call (aiortc PCMU both ways)",
     "median ≤ 10 % of a core", _telephony_cpu("sip", "call_cpu_pct_of_core")),
    ("telephony",
     "… during a SIP three-way conference mixed on the agent's side (two aiortc legs + "
     "the mix)", "median ≤ 20 % of a core",
     _telephony_cpu("sip", "conference_cpu_pct_of_core")),
    ("telephony",
     "… during a widget call (customer and hub in other processes)",
     "median ≤ 10 % of a core", _telephony_cpu("widget", "call_cpu_pct_of_core")),
    ("telephony",
     "… during a widget three-way conference (consult through the hub, mixed on the "
     "agent's media thread)", "median ≤ 20 % of a core",
     _telephony_cpu("widget", "conference_cpu_pct_of_core")),
    ("transcripts",
     "call transcription speed on the generated calls (two channels, Silero VAD + Whisper "
     "base int8, one core's worth)", "—", _transcription_speed),
    ("transcripts",
     "… word/character error rate per language on the generated set", "—",
     _transcription_accuracy),
    ("scaleout",
     "failover: SIGKILL of the router to the next offer (3 processes, 5 runs)", "≤ 5000 ms",
     _stat(("scaleout", "routing_resumed_ms"), "max", 5000, "ms", "median")),
    ("scaleout",
     "failover: SIGKILL to all its agents resumed on another process", "—",
     _stat(("scaleout", "agents_resumed_ms"), "max", None, "ms", "median")),
    ("scaleout_throughput",
     "customer messages/s end to end with p99 send → agent ≤ 100 ms: one hub process on "
     "SQLite", "—", _sustained("sqlite_1")),
    ("scaleout_throughput", "… one hub process on PostgreSQL", "—",
     _sustained("postgresql_1")),
    ("scaleout_throughput", "… three hub processes on PostgreSQL behind nginx", "—",
     _sustained("postgresql_3_nginx")),
    ("scaleout_throughput",
     "CPU per message, three processes vs one (hubs + PostgreSQL + nginx)", "≤ 1.3×",
     _cpu_ratio),
    ("scaleout_connections", "memory per connection (hub RSS growth, 3 processes)", "—",
     _per_connection),
    ("scaleout_connections", "offer delivery at 50 new conversations/s with all connected",
     "p99 ≤ 100 ms",
     _stat(("scaleout_connections", "offer_delivery_ms"), "p99", 100, "ms", "median")),
    ("xframes",
     "agent's reply → the customer's widget, widget on the agent's hub process "
     "(two processes on PostgreSQL)", "—",
     _stat(("xframes", "reply_same_ms"), "p95", None, "ms", "median")),
    ("xframes", "… widget on the other process (stored frame, NOTIFY, read back)", "—",
     _stat(("xframes", "reply_across_ms"), "p95", None, "ms", "median")),
    ("xframes", "delivery receipt → the widget on the other process", "—",
     _stat(("xframes", "receipt_across_ms"), "p95", None, "ms", "median")),
    ("routing",
     "routing decision, 500 agents and 5,000 waiting conversations", "p99 ≤ 5 ms",
     _stat(("routing", "decision_ms"), "p99", 5, "ms", "median")),
    ("routing",
     "50 new chats/s with offers and accepts: customer's send → offer at the agent "
     "(loopback)", "p99 ≤ 100 ms",
     _stat(("routing", "sustained", "offer_delivery_ms"), "p99", 100, "ms", "median")),
    ("routing",
     "… of which in the hub (send → offer event stamped by the hub)", "—",
     _stat(("routing", "sustained", "offer_made_at_hub_ms"), "p99", None, "ms", "median")),
    ("routing",
     "… accept → conversation assigned at the agent", "—",
     _stat(("routing", "sustained", "accept_to_assigned_ms"), "p99", None, "ms", "median")),
    ("routing",
     "… hub process CPU (one core = 100 %)", "—", _percent(("routing", "sustained",
                                                             "hub_cpu_percent"))),
    ("routing",
     "… the benchmark's own clients (1,000 customers, 30 agents) CPU", "—",
     _percent(("routing", "sustained", "clients_cpu_percent"))),
    ("supervision",
     "supervisor's figures, 500 agents, 5,000 waiting, 20,000 finished today: one "
     "recomputation of every tile and the roster (median of runs)", "—",
     _stat(("supervision", "metrics", "recompute_ms"), "median", None, "ms", "max")),
    ("supervision",
     "… the same from all of the day's rows (how the feed computed before)", "—",
     _stat(("supervision", "metrics", "from_all_rows_ms"), "median", None, "ms", "max")),
    ("supervision",
     "… hub CPU on the figures (one recomputation a second at most)", "—",
     _stat(("supervision", "metrics_cpu"), "median", None, "% of a core")),
    ("supervision",
     "customer's message → the supervisor's workspace shows it (real hub, offscreen "
     "workspace, median of runs' p95)", "p95 ≤ 2 s",
     _stat(("supervision", "live_summary", "event_to_screen_ms"), "p95", 2000, "ms")),
    ("supervision",
     "… longest GUI stall of the supervisor's side (median of runs' worst)", "≤ 50 ms",
     _stat(("supervision", "live_summary", "gui_stall_ms"), "max", 50, "ms")),
    ("supervision",
     "… memory (RSS) of the supervisor's side: workspace, figures client, customers' thread",
     "—", _stat(("supervision", "live_summary", "desktop_rss_mb"), "median", None, "MB")),
    ("assist",
     "sentiment of customer messages, macro-F1, held-out labelled set (zh + en)", "≥ 0.8",
     _sentiment("holdout")),
    ("assist",
     "escalation of customer messages, held-out labelled set", "R ≥ 0.9 at P ≥ 0.8",
     _escalation("holdout")),
    ("assist",
     "… the same on the development set the rules were tuned on", "≥ 0.8",
     _sentiment("dev")),
    ("assist",
     "… escalation on the development set", "R ≥ 0.9 at P ≥ 0.8", _escalation("dev")),
    ("assist",
     "messages classified per second, one core", "≥ 500 messages/s",
     _rate(("assist", "classification", "throughput_msgs_per_s"), 500, "messages/s")),
    ("assist",
     "knowledge-base retrieval, held-out labelled questions (zh + en, paraphrased, "
     "cross-lingual)", "top-3 ≥ 0.9", _retrieval_accuracy),
    ("assist",
     "customer message → suggestions painted in the agent's panel (real desktop process, "
     "loopback, 10,000 articles)", "p95 ≤ 150 ms",
     _stat(("assist", "suggestions", "message_to_panel_ms"), "p95", 150, "ms", "median",
           painted=True)),
    ("assist",
     "… of which in the hub (message stored → suggestions event)", "—",
     _stat(("assist", "suggestions", "hub_share_ms"), "p95", None, "ms", "median")),
    ("assist",
     "… retrieval alone on the hub, one new question, 10,000 articles (wall; CPU of all "
     "threads)", "—", _retrieval_alone),
    ("assist",
     "… of which embedding the question", "—",
     _stat(("assist", "retrieval", "latency_ms", "embedding_ms"), "p95", None, "ms",
           "median")),
    ("assist",
     "desktop's first listing of 10,000 articles into its offline copy (sign-in → "
     "searchable offline; encrypted cache): time, longest GUI stall meanwhile",
     "≤ 10 s, stall ≤ 50 ms", _kb_listing),
    ("assist",
     "knowledge-base window over 10,000 cached articles (encrypted cache, drawn on Xvfb): "
     "F1 → first rows painted (the window shown again)", "p95 ≤ 100 ms",
     _stat(("assist", "kb_window", "open_ms"), "p95", 100, "ms", "median", painted=True)),
    ("assist",
     "… the session's first F1 (the window built, then painted)", "—",
     _stat(("assist", "kb_window", "build_and_open_ms"), "p95", None, "ms", "median",
           painted=True)),
    ("assist",
     "… a search typed: each keystroke → its results painted (labelled questions, zh + en)",
     "p95 ≤ 100 ms",
     _stat(("assist", "kb_window", "search_keystroke_ms"), "p95", 100, "ms", "median",
           painted=True)),
    ("assist",
     "… of which the GUI thread's own CPU per keystroke (the work, whatever the load)", "—",
     _stat(("assist", "kb_window", "search_keystroke_gui_cpu_ms"), "p95", None, "ms",
           "median")),
    ("assist",
     "… scroll bar dragged to the end → the last rows painted", "p95 ≤ 100 ms",
     _stat(("assist", "kb_window", "scroll_to_end_ms"), "p95", 100, "ms", "median",
           painted=True)),
    ("assist",
     "… longest GUI-loop stall during them (shown again / search / scroll; built)",
     "≤ 100 ms", _kb_window_stalls),
    ("assist",
     "hub start with 10,000 articles (restart: spawn → ready, index built, model loaded)",
     "—", _hub_start(("assist", "suggestions", "hub_start"))),
    ("assist",
     "memory the embedding model and the 10,000-article index add to the hub", "—",
     _model_memory),
    ("selfservice",
     "customer message → bot reply painted in the widget (headless Chromium, 10,000 "
     "articles)", "p95 ≤ 1 s",
     _stat(("selfservice", "page", "bot_reply_in_page_ms"), "p95", 1000, "ms", "median",
           painted=True)),
    ("selfservice",
     "… of which in the hub (message stored → reply stored)", "—",
     _stat(("selfservice", "hub_share_ms"), "p95", None, "ms", "median")),
    ("selfservice",
     "scripted bot conversations (answered, unanswerable, angry, asking for a person)",
     "none that should reach a person stays with the bot", _containment),
    ("quality",
     "quality inspection of closed conversations, one core (SQLite)", "—", _quality),
    ("reports",
     "weekly feedback report (topics, CSAT/NPS, service levels, QA, knowledge gaps; HTML, "
     "PDF, CSV) over a week of 100,000 conversations", "≤ 60 s", _weekly_report),
]


def _runs(results: dict[str, Any]) -> dict[str, str]:
    """Suite → run label; one label per distinct run time, oldest first (A, B, …)."""
    times = sorted({str(node["when"]) for node in results.values()
                    if isinstance(node, dict) and node.get("when")})
    label = {when: chr(ord("A") + i) if i < 26 else str(i + 1) for i, when in enumerate(times)}
    return {name: label[str(node["when"])] for name, node in results.items()
            if isinstance(node, dict) and node.get("when")}


def table(data: dict[str, Any]) -> str:
    results = data.get("results", {})
    runs = _runs(results)
    lines = ["Each row comes from the run named in its last column (a partial "
             "`./dev bench --only …` keeps the other suites' figures from their own run):", ""]
    seen: set[str] = set()
    for name in sorted(runs, key=lambda n: (runs[n], n)):
        label = runs[name]
        if label in seen:
            continue
        seen.add(label)
        node = results[name]
        machine = node.get("machine") or data.get("machine", {})
        suites = ", ".join(n for n in sorted(runs) if runs[n] == label)
        # only the run's own record: another run's load says nothing of this one
        load = (node.get("machine") or {}).get("load_average_1min")
        busy = f", load average {load} at its start" if load is not None else ""
        lines.append(f"- run {label}: {node['when']}, {machine.get('cpus', '?')} cores{busy}, "
                     f"Python {machine.get('python', '?')}; suites: {suites}")
    lines += [
        "",
        f"The desktop drawn on {_get(results, 'desktop', 'display') or 'a virtual screen'}. "
        "Full figures: `bench/results/latest.json`.",
        "",
        "| what | target | measured | | run |",
        "|---|---|---|---|---|",
    ]
    for suite, what, target, cell in ROWS:
        text, ok = cell(results)
        verdict = "" if ok is None else ("met" if ok else "**missed**")
        lines.append(f"| {what} | {target} | {text} | {verdict} | {runs.get(suite, '—')} |")
    return "\n".join(lines)


def update_readme(results_path: Path, readme: Path = ROOT / "README.md") -> bool:
    text = readme.read_text(encoding="utf-8")
    if START not in text or END not in text:
        return False
    data = json.loads(results_path.read_text(encoding="utf-8"))
    block = f"{START}\n{table(data)}\n{END}"
    readme.write_text(re.sub(re.escape(START) + r".*?" + re.escape(END), lambda _: block, text,
                             flags=re.S), encoding="utf-8")
    return True


if __name__ == "__main__":
    print(table(json.loads((ROOT / "bench" / "results" / "latest.json").read_text())))
