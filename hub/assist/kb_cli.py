"""`zuoxi-hub kb import` and `zuoxi-hub kb search`: operators check their knowledge base."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from hub.assist.kb_import import KbImportError, import_folder
from hub.assist.kb_store import KnowledgeBaseStore, Language
from hub.assist.knowledge_base import MAX_LIMIT, KnowledgeBase
from hub.store import schema
from hub.store.base import create_engine


def _limit(value: str) -> int:
    try:
        limit = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {value!r}") from None
    if not 1 <= limit <= MAX_LIMIT:
        raise argparse.ArgumentTypeError(f"--limit must be 1-{MAX_LIMIT}, not {limit}")
    return limit


def add_kb_parser(kb: argparse.ArgumentParser) -> None:
    """The ``kb`` command's subcommands, on the parser made for it."""
    kb_sub = kb.add_subparsers(dest="kb_command", required=True)
    imp = kb_sub.add_parser(
        "import",
        help="import a folder of Markdown articles with YAML front matter (all or nothing)",
    )
    imp.add_argument("--db", required=True, help="SQLite file (or SQLAlchemy URL)")
    imp.add_argument("--author", default="import", help="recorded as the versions' author")
    imp.add_argument("path", type=Path, help="a folder of .md files (or one file)")
    search = kb_sub.add_parser("search", help="the articles that answer a question")
    search.add_argument("--db", required=True, help="SQLite file (or SQLAlchemy URL)")
    search.add_argument("text", help="the question, in Chinese or English")
    search.add_argument(
        "--lang", choices=[lang.value for lang in Language],
        help="the question's language (detected when not given); articles in either "
        "language answer it",
    )
    search.add_argument("--limit", type=_limit, default=3, help="at most this many (default 3)")
    search.add_argument("--drafts", action="store_true", help="include draft articles")
    search.add_argument("--json", action="store_true",
                        help='print a JSON array of {"id", "title", "score"}')


def _store(db: str) -> KnowledgeBaseStore:
    if "://" not in db:
        Path(db).expanduser().parent.mkdir(parents=True, exist_ok=True)
        db = str(Path(db).expanduser())
    engine = create_engine(db)
    schema.migrate(engine)
    return KnowledgeBaseStore(engine)


def run_kb(args: argparse.Namespace) -> int:
    if args.kb_command == "import":
        return _import(args)
    return _search(args)


def _import(args: argparse.Namespace) -> int:
    store = _store(args.db)
    try:
        summary = import_folder(store, args.path, args.author)
    except KbImportError as exc:
        for problem in exc.problems:
            print(f"zuoxi-hub kb import: {problem}", file=sys.stderr)
        print("zuoxi-hub kb import: nothing was imported", file=sys.stderr)
        return 1
    print(f"imported {args.path}: {summary.line()}")
    for label, ids in (("added", summary.added), ("updated", summary.updated)):
        for article_id in ids:
            print(f"  {label}: {article_id}")
    if summary.changed:
        # Embeddings now, so the first search does not pay for them.
        stats = KnowledgeBase(store).refresh(force=True)
        print(f"indexed {len(stats)} articles")
    return 0


def _search(args: argparse.Namespace) -> int:
    if "://" not in args.db and not Path(args.db).expanduser().is_file():
        print(f"zuoxi-hub kb search: no database at {args.db}", file=sys.stderr)
        return 2
    store = _store(args.db)
    kb = KnowledgeBase(store)
    language = Language(args.lang) if args.lang else None
    hits = kb.search(args.text, language, args.limit, include_drafts=args.drafts)
    if args.json:
        print(json.dumps(
            [{"id": h.id, "title": h.title, "score": h.score} for h in hits], ensure_ascii=False
        ))
        return 0
    if not hits:
        print("no article answers this confidently enough")
    for h in hits:
        print(f"{h.score:.2f}  {h.id}  {h.title}")
        if h.matched:
            print(f"      matched: {', '.join(h.matched)}")
    return 0
