"""`zuoxi-hub`: run the hub, seed demo data, manage agents."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import getpass
import ipaddress
import json
import logging
import os
import signal
import socket
import sys
import time
from pathlib import Path

import sqlalchemy as sa
import uvicorn

from core import redaction
from hub.access import access_cli, role_store
from hub.access.audit_log import AuditAction
from hub.access.roles_file import RolesFileError
from hub.app import Hub
from hub.assist import classify_cli
from hub.assist.escalation_rules import RulesError
from hub.assist.kb_cli import add_kb_parser, run_kb
from hub.calls.transcripts import cli as transcribe_cli
from hub.config import HubConfig
from hub.demo.seed import is_empty as db_is_empty
from hub.demo.seed import seed_agents, seed_demo
from hub.demo.seed_large import seed_large
from hub.email.cli_options import add_email_arguments, email_config
from hub.email.config import ConfigError, EmailConfig
from hub.email.demo_mail import banner_lines, seed_demo_mail
from hub.feedback.config import FeedbackConfig
from hub.operations import json_logs
from hub.outreach.config import OutreachConfigError
from hub.profile.config import ProfileConfigError
from hub.routing.config import RoutingConfigError
from hub.selfservice import cli as bot_cli
from hub.store import schema
from hub.store.base import create_engine, database_url
from hub.store.health import is_storage_error, lost_connection, storage_problem
from hub.store.schema import SchemaTooNewError
from hub.store.transfer import TransferError, copy_database
from hub.supervision.quality import qa_cli
from hub.supervision.quality.rules import QualityRulesError
from hub.supervision.reports import cli as report_cli
from hub.supervision.reports.settings import ReportsConfigError
from hub.supervision.thresholds import ThresholdsError
from hub.transport.serving import GuardSettings, HalfOpen, descriptor_budget, uvicorn_config
from hub.widget.page import FrameAncestorError, check_frame_ancestor

log = logging.getLogger("hub")


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _port(value: str) -> int:
    try:
        port = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a port number: {value!r}") from None
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"port out of range 0-65535: {port}")
    return port


def _seconds(value: str) -> float:
    try:
        seconds = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number of seconds: {value!r}") from None
    if not 0 <= seconds <= 86_400:
        raise argparse.ArgumentTypeError(f"seconds out of range 0-86400: {value}")
    return seconds


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="zuoxi-hub", description="Zuoxi hub server")
    sub = parser.add_subparsers(dest="command", required=True)

    serve = sub.add_parser("serve", help="run the hub")
    serve.add_argument("--db", required=True, help="SQLite file (or SQLAlchemy URL)")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=_port, default=8765, help="0 picks a free port")
    serve.add_argument("--tls-cert", help="PEM certificate; enables HTTPS/WSS")
    serve.add_argument("--public-url", help="where customers reach the hub, for emailed "
                       "rating links (default: http://HOST:PORT)")
    serve.add_argument("--nps-period-days", type=float, default=90.0,
                       help="ask a customer NPS at most once in this many days")
    serve.add_argument("--rating-link-ttl", type=int, default=14 * 86400, metavar="SECONDS",
                       help="how long an emailed rating link works")
    serve.add_argument("--tls-key", help="PEM private key for --tls-cert")
    serve.add_argument(
        "--insecure", action="store_true", help="allow plain HTTP on a non-loopback address"
    )
    serve.add_argument(
        "--trusted-proxy",
        action="append",
        default=[],
        metavar="ADDRESS",
        help="a reverse proxy whose X-Forwarded-For/-Proto headers are believed (repeatable; "
        "none by default: the peer's address is the client's)",
    )
    serve.add_argument(
        "--widget-frame-ancestor",
        action="append",
        default=[],
        metavar="ORIGIN",
        help="a site allowed to show the widget in a frame, e.g. https://shop.example.com "
        "(repeatable; default: only the hub's own pages)",
    )
    serve.add_argument(
        "--widget-idle-prompt",
        type=_seconds,
        default=600.0,
        metavar="SECONDS",
        help="the widget asks \"are you still there?\" after this long without the "
        "customer's activity in an open chat (default 600; 0: never; easy mode never asks)",
    )
    serve.add_argument(
        "--widget-idle-close",
        type=_seconds,
        default=120.0,
        metavar="SECONDS",
        help="the widget ends the chat this long after asking (default 120; 0: never)",
    )
    serve.add_argument(
        "--new-visitors-per-minute",
        type=float,
        default=60.0,
        metavar="N",
        help="new widget visitors (each a customer record) one address may start per "
        "minute, in bursts of as many (default 60; load tests from one machine need more)",
    )
    serve.add_argument(
        "--seed-demo", action="store_true", help="fill an empty database with demo data first"
    )
    serve.add_argument("--ready-file", help="write {url, widget_url} here once listening")
    serve.add_argument(
        "--away-grace",
        type=_seconds,
        default=30.0,
        metavar="SECONDS",
        help="mark a disconnected agent away after this long (default 30)",
    )
    serve.add_argument(
        "--one-login-per-agent",
        action="store_true",
        help="a login ends the agent's other sessions, on every hub process; their "
        "desktops say why (default: an agent may use several desktops at once)",
    )
    serve.add_argument(
        "--release-after",
        type=_seconds,
        default=120.0,
        metavar="SECONDS",
        help="give a disconnected agent's conversations to others after this long (default 120)",
    )
    serve.add_argument(
        "--profile-config",
        metavar="PATH",
        help="TOML file of custom attributes and automatic-tag rules "
        "(default: the hub's profile_rules.toml)",
    )
    serve.add_argument(
        "--call-ring-timeout",
        type=_seconds,
        default=None,
        metavar="SECONDS",
        help="ring an agent this long before trying the next one "
        "(default: the routing file's voice offer timeout, 20 s)",
    )
    serve.add_argument(
        "--call-queue-timeout",
        type=_seconds,
        default=120.0,
        metavar="SECONDS",
        help="the longest a call waits in the queue for a free agent before it ends "
        "(default: 120 s)",
    )
    serve.add_argument(
        "--ice-server",
        action="append",
        default=[],
        metavar="URL",
        help="STUN/TURN server for calls, e.g. stun:turn.example.com:3478 (repeatable; "
        "none by default: on a LAN none is needed)",
    )
    serve.add_argument(
        "--routing-config",
        metavar="PATH",
        help="TOML file of queues, skills, offers and service levels "
        "(default: the hub's routing.toml)",
    )
    serve.add_argument(
        "--outreach",
        metavar="FILE",
        help="TOML file of proactive outreach triggers and limits (e.g. the hub's "
        "outreach.toml; default: no triggers)",
    )
    serve.add_argument(
        "--supervision-thresholds",
        metavar="PATH",
        help="TOML file of the supervisor tiles' amber and red lines per queue "
        "(default: the hub's supervision_thresholds.toml)",
    )
    serve.add_argument(
        "--assist-rules",
        metavar="PATH",
        help="TOML file of the words and patterns that escalate a customer message "
        "(default: the hub's assist/escalation_rules.toml)",
    )
    serve.add_argument(
        "--quality-rules",
        metavar="PATH",
        help="TOML file of the quality inspection rules "
        "(default: the hub's supervision/quality/quality_rules.toml)",
    )
    serve.add_argument(
        "--reports-config",
        metavar="PATH",
        help="TOML file of the weekly report's schedule and mailing list and of how long "
        "data is kept (default: the hub's supervision/reports/reports.toml)",
    )
    serve.add_argument(
        "--recordings-dir",
        metavar="PATH",
        help="folder of uploaded call recordings (default: beside a SQLite database, "
        "else the user's data folder)",
    )
    serve.add_argument(
        "--log-level", default="warning", choices=["debug", "info", "warning", "error"]
    )
    serve.add_argument(
        "--log-format", default="text", choices=["text", "json"],
        help="json: one JSON object per line (time, level, logger, message, pid, process)",
    )
    serve.add_argument(
        "--process-name", metavar="NAME",
        help="this hub process's name in /metrics and JSON logs, e.g. hub-a "
        "(default: HOSTNAME-PID)",
    )
    serve.add_argument(
        "--metrics-token-file", metavar="PATH",
        help="a file holding a token that lets a scraper on another machine read /metrics "
        "(Authorization: Bearer TOKEN); without it only this machine may, straight to the hub",
    )
    add_email_arguments(serve)

    seed = sub.add_parser("seed", help="fill an empty database with demo data")
    seed.add_argument("--db", required=True)
    seed.add_argument("--customers", type=int, default=40)
    seed.add_argument(
        "--messages",
        type=int,
        help="generate a large multi-channel history of about this many messages "
        "(bulk, for benchmarks) instead of the small demo",
    )
    seed.add_argument("--seed", type=int, default=7, help="random seed (deterministic data)")

    migrate = sub.add_parser(
        "migrate",
        help="bring a database's schema up to this hub's version; with --from, "
        "copy another hub database into it",
    )
    migrate.add_argument("--db", required=True, help="SQLite file or postgresql:// URL")
    migrate.add_argument(
        "--from",
        dest="source",
        metavar="DB",
        help="copy every table of this hub database (e.g. sqlite:///old.db, stopped hub) "
        "into --db, which must be empty",
    )

    add = sub.add_parser("create-agent", help="add an agent (asks for the password)")
    add.add_argument("--db", required=True)
    add.add_argument("username")
    add.add_argument("--name", required=True, help="display name")
    add.add_argument("--role", default="agent",
                     help="agent, picker, supervisor, admin, or a custom role "
                     "(zuoxi-hub roles list)")
    add.add_argument("--team", help="the team the agent belongs to (the supervisor's roster)")
    access_cli.add_parsers(sub)
    classify_cli.add_parser(sub)
    add_kb_parser(sub.add_parser("kb", help="the knowledge base: import articles, search them"))
    bot_cli.add_parser(sub)
    report_cli.add_parser(sub)
    qa_cli.add_parser(sub)
    transcribe_cli.add_parser(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=getattr(logging, getattr(args, "log_level", "warning").upper()),
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    redaction.install()  # tokens in headers or frames never reach the log
    try:
        if args.command == "serve":
            return _serve(args, parser)
        if args.command == "seed":
            return _seed(args)
        if args.command == "assist":
            return classify_cli.run(args)
        if args.command == "kb":
            return run_kb(args)
        if args.command == "migrate":
            return _migrate(args)
        if args.command == "bot":
            return bot_cli.run(args)
        if args.command == "report":
            return report_cli.run(args)
        if args.command == "qa":
            return qa_cli.run(args)
        if args.command == "transcribe":
            return transcribe_cli.run(args)
        if args.command in ("roles", "set-role", "audit"):
            return access_cli.run(args)
        return _create_agent(args)
    except (SchemaTooNewError, ProfileConfigError, RoutingConfigError, RulesError,
            TransferError, ThresholdsError, QualityRulesError, ReportsConfigError,
            RolesFileError, OutreachConfigError) as exc:
        print(f"zuoxi-hub: {exc}", file=sys.stderr)
        return 2
    except sa.exc.DBAPIError as exc:
        # A read-only or full disk, a missing directory, an unreachable server: one
        # clear line, no traceback.
        if is_storage_error(exc) and not lost_connection(exc):
            print(f"zuoxi-hub: cannot use the database {args.db}: {storage_problem(exc)} "
                  "(check the disk's free space and that the file and its directory are "
                  "writable)", file=sys.stderr)
        else:
            reason = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
            print(f"zuoxi-hub: cannot use the database: {reason}", file=sys.stderr)
        return 2


def _open(
    db: str,
    away_grace_s: float = 30.0,
    release_after_s: float = 120.0,
    profile_config: str | None = None,
    email: EmailConfig | None = None,
    call_ring_timeout_s: float | None = None,
    call_queue_timeout_s: float = 120.0,
    call_ice_servers: list[str] | None = None,
    routing_config: str | None = None,
    assist_rules: str | None = None,
    supervision_thresholds: str | None = None,
    quality_rules: str | None = None,
    reports_config: str | None = None,
    recordings_dir: str | None = None,
    new_visitors_per_minute: float = 60.0,
    widget_frame_ancestors: list[str] | None = None,
    feedback: FeedbackConfig | None = None,
    process_name: str = "hub",
    metrics_token: str | None = None,
    widget_idle_s: tuple[float, float] = (600.0, 120.0),
    outreach_config: str | None = None,
    one_login_per_agent: bool = False,
) -> Hub:
    if "://" not in db:
        Path(db).expanduser().parent.mkdir(parents=True, exist_ok=True)
    config = HubConfig(
        db=os.path.expanduser(db),
        away_grace_s=away_grace_s,
        release_after_s=release_after_s,
        profile_config=profile_config,
        email=email,
        call_ring_timeout_s=call_ring_timeout_s,
        call_queue_timeout_s=call_queue_timeout_s,
        call_ice_servers=list(call_ice_servers or []),
        routing_config=routing_config,
        assist_rules=assist_rules,
        supervision_thresholds=supervision_thresholds,
        quality_rules=quality_rules,
        reports_config=reports_config,
        recordings_dir=recordings_dir,
        new_visitors_per_minute=new_visitors_per_minute,
        new_visitors_burst=new_visitors_per_minute,
        widget_frame_ancestors=list(widget_frame_ancestors or ["'self'"]),
        feedback=feedback or FeedbackConfig(),
        process_name=process_name,
        metrics_token=metrics_token,
        widget_idle_prompt_s=widget_idle_s[0],
        widget_idle_close_s=widget_idle_s[1],
        outreach_config=outreach_config,
        one_login_per_agent=one_login_per_agent,
    )
    return Hub(config)


def _seed(args: argparse.Namespace) -> int:
    hub = _open(args.db)
    if not db_is_empty(hub.store):
        print("zuoxi-hub: the database already has data; not seeding", file=sys.stderr)
        return 1
    if args.customers < 0 or (args.messages is not None and args.messages < 0):
        print("zuoxi-hub: --customers and --messages must not be negative", file=sys.stderr)
        return 2
    if args.messages is None:
        seed_demo(hub.store, hub.auth, customers=args.customers, seed=args.seed)
    else:
        agents = seed_agents(hub.store, hub.auth)
        started = time.monotonic()
        counts = seed_large(
            hub.store, list(agents.values()), args.customers, args.messages, seed=args.seed
        )
        print(
            f"generated {counts['customers']:,} customers, {counts['identities']:,} identities, "
            f"{counts['conversations']:,} conversations, {counts['messages']:,} messages, "
            f"{counts['notes']:,} notes in {time.monotonic() - started:.1f} s"
        )
    print(f"seeded {args.db}")
    return 0


def _migrate(args: argparse.Namespace) -> int:
    target_db = _db(args.db)
    if args.source is None:
        engine = create_engine(target_db)
        try:
            before = schema.migrate(engine)
        finally:
            engine.dispose()
        if before == schema.LATEST_VERSION:
            print(f"schema already at version {before}")
        else:
            print(f"schema upgraded from version {before} to {schema.LATEST_VERSION}")
        return 0
    source_db = _db(args.source)
    if database_url(source_db) == database_url(target_db):
        print("zuoxi-hub: --from and --db name the same database", file=sys.stderr)
        return 2
    if "://" not in args.source and not Path(source_db).exists():
        print(f"zuoxi-hub: no such database file: {args.source}", file=sys.stderr)
        return 2
    source, target = create_engine(source_db), create_engine(target_db)
    try:
        started = time.monotonic()
        found = copy_database(source, target, say=print)
    finally:
        source.dispose()
        target.dispose()
    rows = sum(d.rows for d in found.values())
    print(
        f"copied {rows:,} rows in {len(found)} tables in {time.monotonic() - started:.1f} s; "
        "every table's row count and digest equal the source's"
    )
    return 0


def _db(db: str) -> str:
    """A SQLite file path (``~`` expanded) or a URL as given."""
    return db if "://" in db else os.path.expanduser(db)


def _create_agent(args: argparse.Namespace) -> int:
    hub = _open(args.db)
    if hub.store.agent_by_username(args.username):
        print(f"zuoxi-hub: agent {args.username!r} exists", file=sys.stderr)
        return 1
    with hub.store.db.connect() as conn:
        if not role_store.known_role(conn, args.role):
            print(f"zuoxi-hub: no role {args.role!r} (zuoxi-hub roles list)", file=sys.stderr)
            return 2
    password = os.environ.get("ZUOXI_NEW_PASSWORD") or getpass.getpass("Password: ")
    if len(password) < 8:
        print("zuoxi-hub: the password needs at least 8 characters", file=sys.stderr)
        return 2
    team = (args.team or "").strip() or None
    if team is not None and len(team) > 80:
        print("zuoxi-hub: a team name has at most 80 characters", file=sys.stderr)
        return 2
    with hub.store.db.unit():  # the agent and its audit row commit together
        agent_id = hub.store.create_agent(args.username, args.name,
                                          hub.auth.hash_password(password), args.role, team)
        hub.service.access.audit.record(access_cli.cli_actor(), AuditAction.AGENT_CREATED,
                                        target=f"agent:{agent_id}",
                                        detail={"username": args.username, "role": args.role})
    print(f"created agent {args.username}")
    return 0


def _write_ready(path: str, url: str, email: dict[str, str] | None = None) -> None:
    # Written whole then renamed: a reader never sees half a file.
    tmp = Path(path + ".tmp")
    data = {"url": url, "widget_url": f"{url}/", "pid": os.getpid(), "email": email or {}}
    tmp.write_text(json.dumps(data))
    tmp.replace(path)


def _metrics_token(path: str | None, parser: argparse.ArgumentParser) -> str | None:
    if path is None:
        return None
    try:
        token = Path(path).read_text().strip()
    except OSError as exc:
        parser.error(f"--metrics-token-file: cannot read {path}: {exc.strerror}")
    if len(token) < 16:
        parser.error("--metrics-token-file: the token needs at least 16 characters")
    redaction.remember(token)
    return token


def _serve(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    tls = bool(args.tls_cert or args.tls_key)
    if tls and not (args.tls_cert and args.tls_key):
        parser.error("--tls-cert and --tls-key go together")
    if not tls and not is_loopback(args.host) and not args.insecure:
        parser.error(
            f"refusing to listen on {args.host} without TLS: customers and agents would send "
            "passwords and messages in clear. Give --tls-cert/--tls-key, or --insecure."
        )
    for origin in args.widget_frame_ancestor:
        try:
            check_frame_ancestor(origin)
        except FrameAncestorError as exc:
            parser.error(f"--widget-frame-ancestor: {exc}")
    if args.release_after < args.away_grace:
        parser.error("--release-after must not be shorter than --away-grace")
    try:
        email = email_config(args)
    except ConfigError as exc:
        parser.error(str(exc))
    process_name = args.process_name or f"{socket.gethostname()}-{os.getpid()}"
    metrics_token = _metrics_token(args.metrics_token_file, parser)
    if args.log_format == "json":
        json_logs.install(process_name)
    hub = _open(
        args.db,
        away_grace_s=args.away_grace,
        release_after_s=args.release_after,
        call_ring_timeout_s=args.call_ring_timeout,
        call_queue_timeout_s=args.call_queue_timeout,
        call_ice_servers=args.ice_server,
        profile_config=args.profile_config,
        email=email,
        routing_config=args.routing_config,
        assist_rules=args.assist_rules,
        supervision_thresholds=args.supervision_thresholds,
        quality_rules=args.quality_rules,
        reports_config=args.reports_config,
        recordings_dir=args.recordings_dir,
        new_visitors_per_minute=args.new_visitors_per_minute,
        widget_frame_ancestors=args.widget_frame_ancestor,
        feedback=FeedbackConfig(
            nps_period_s=int(args.nps_period_days * 86400), link_ttl_s=args.rating_link_ttl,
            public_url=args.public_url or "",
        ),
        process_name=process_name,
        metrics_token=metrics_token,
        widget_idle_s=(args.widget_idle_prompt, args.widget_idle_close),
        one_login_per_agent=args.one_login_per_agent,
        outreach_config=args.outreach,
    )
    if args.seed_demo and db_is_empty(hub.store):
        seed_demo(hub.store, hub.auth)
        seed_demo_mail(hub.email)  # only with --email-demo-sink

    family = socket.AF_INET6 if ":" in args.host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((args.host, args.port))
    except OSError as exc:
        print(
            f"zuoxi-hub: cannot listen on {args.host}:{args.port}: {exc.strerror}", file=sys.stderr
        )
        return 2
    port = sock.getsockname()[1]
    scheme = "https" if tls else "http"
    shown_host = f"[{args.host}]" if ":" in args.host else args.host
    url = f"{scheme}://{shown_host}:{port}"
    if not args.public_url and hub.service.feedback is not None:
        hub.service.feedback.public_url = url  # the port is known only now (--port 0)

    budget = descriptor_budget()
    half_open = HalfOpen(GuardSettings())
    guard = half_open.settings
    log.info("descriptor budget %d; per address %d connections with unfinished headers "
             "(%.0f s to finish them), %d more in a burst (%.0f s), none past that", budget,
             guard.half_open_per_address, guard.header_timeout_s,
             guard.half_open_hard_cap - guard.half_open_per_address, guard.burst_timeout_s)
    config = uvicorn_config(
        hub.app, half_open, log_level=args.log_level, ws_max_size=hub.config.ws_max_size,
        ssl_certfile=args.tls_cert, ssl_keyfile=args.tls_key, trusted_proxies=args.trusted_proxy,
    )
    redaction.install()  # again: uvicorn.Config installed handlers of its own
    if args.log_format == "json":
        json_logs.install(process_name)  # uvicorn's handlers too
    server = uvicorn.Server(config)

    async def announce() -> None:
        while not server.started:  # noqa: ASYNC110 - uvicorn offers no started event
            await asyncio.sleep(0.02)
        print(f"Zuoxi hub listening on {url}", flush=True)
        print(f"Customer web widget: {url}/", flush=True)
        email_banner = hub.email.announce()
        for line in banner_lines(email_banner):
            print(line, flush=True)
        if args.ready_file:
            _write_ready(args.ready_file, url, email_banner)

    def reload_rules() -> None:
        try:
            rules = hub.assist.reload_rules()
        except RulesError as exc:
            log.error("escalation rules not reloaded, the rules in force stay: %s", exc)
        else:
            log.warning("escalation rules reloaded from %s", rules.source)

    async def run() -> None:
        task = asyncio.create_task(announce())
        # `kill -HUP` reads the escalation rules file again (a broken one is refused).
        with contextlib.suppress(NotImplementedError):  # no signals on this platform
            asyncio.get_running_loop().add_signal_handler(signal.SIGHUP, reload_rules)
        try:
            await server.serve(sockets=[sock])
        finally:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    asyncio.run(run())
    return 0
