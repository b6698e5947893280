"""``zuoxi-hub bot report``: how the self-service bot did, for supervisors."""

from __future__ import annotations

import argparse
import json
import sys
import time
from dataclasses import asdict
from pathlib import Path
from typing import Any

from hub.selfservice.records import report
from hub.store import schema
from hub.store.base import create_engine
from hub.store.database import Database


def add_parser(sub: Any) -> None:
    bot = sub.add_parser("bot", help="the self-service bot: its report")
    bot_sub = bot.add_subparsers(dest="bot_command", required=True)
    rep = bot_sub.add_parser(
        "report", help="contained chats, hand-off reasons, unanswered questions grouped")
    rep.add_argument("--db", required=True)
    rep.add_argument("--days", type=float, default=None,
                     help="only the last N days (default: all)")
    rep.add_argument("--json", action="store_true", help="print one JSON object")


def run(args: argparse.Namespace) -> int:
    db = args.db
    if "://" not in db:
        path = Path(db).expanduser()
        if not path.exists():
            print(f"zuoxi-hub bot report: no database at {path}", file=sys.stderr)
            return 2
        db = str(path)
    engine = create_engine(db)
    schema.migrate(engine)
    since = 0 if args.days is None else int((time.time() - args.days * 86400) * 1000)
    result = report(Database(engine), since)
    if args.json:
        print(json.dumps(asdict(result), ensure_ascii=False))
        return 0
    rate = result.contained / result.conversations if result.conversations else 0.0
    print(f"chats the bot held: {result.conversations}; contained: {result.contained} "
          f"({rate:.0%})")
    for reason, count in sorted(result.handoffs.items(), key=lambda kv: -kv[1]):
        print(f"  handed off ({reason}): {count}")
    print(f"unanswered questions: {sum(len(g.questions) for g in result.unanswered)} "
          f"in {len(result.unanswered)} groups")
    for group in result.unanswered:
        print(f"  {len(group.questions):4d}  {group.example}")
    return 0
