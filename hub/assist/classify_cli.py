"""`zuoxi-hub assist classify`: classify JSON lines of customer messages from stdin.

Each input line ``{"text": "…"}`` gives exactly one output line, in order:
``{"sentiment", "score", "escalate", "reasons"}``, or ``{"error": "…"}`` for a line
that is not a JSON object with a text. Processing goes on after a bad line; the
exit status is then 1, with a summary on stderr.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import IO, TYPE_CHECKING, Any

if TYPE_CHECKING:
    from hub.assist.sentiment import Classifier


def add_parser(sub: Any) -> None:
    assist = sub.add_parser("assist", help="agent assist tools")
    assist_sub = assist.add_subparsers(dest="assist_command", required=True)
    classify = assist_sub.add_parser(
        "classify", help='classify JSON lines {"text": ...} from stdin, one JSON line out each')
    classify.add_argument("--rules", metavar="FILE",
                          help="escalation rules file (default: the hub's escalation_rules.toml)")


def _parse(raw: bytes) -> str:
    """The text of one input line, or ``ValueError`` saying what is wrong."""
    try:
        line = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise ValueError("not UTF-8") from None
    try:
        data = json.loads(line)
    except json.JSONDecodeError as exc:
        raise ValueError(f"not JSON: {exc.msg} at column {exc.colno}") from None
    if not isinstance(data, dict):
        raise ValueError('not a JSON object: expected {"text": "..."}')
    text = data.get("text")
    if not isinstance(text, str):
        raise ValueError('no "text" string')
    return text


def classify_stream(classifier: Classifier, source: IO[bytes], out: IO[str]) -> list[int]:
    """Classify every line of ``source`` into ``out``; returns the numbers of bad lines."""
    bad = []
    for number, raw in enumerate(source, 1):
        try:
            result: dict[str, Any] = classifier.classify(_parse(raw.rstrip(b"\r\n"))).as_json()
        except ValueError as exc:
            result = {"error": f"line {number}: {exc}"}
            bad.append(number)
        out.write(json.dumps(result, ensure_ascii=False) + "\n")
        out.flush()  # a caller may write a line and wait for its answer
    return bad


def run(args: argparse.Namespace) -> int:
    # Imported here: the lexicons are for this command, not every zuoxi-hub start.
    from hub.assist.escalation_rules import RulesError
    from hub.assist.escalation_rules import load as load_rules
    from hub.assist.sentiment import Classifier

    try:
        classifier = Classifier(load_rules(args.rules))
    except RulesError as exc:
        print(f"zuoxi-hub: {exc}", file=sys.stderr)
        return 2
    bad = classify_stream(classifier, sys.stdin.buffer, sys.stdout)
    if bad:
        shown = ", ".join(str(n) for n in bad[:10]) + (" …" if len(bad) > 10 else "")
        print(f"zuoxi-hub: {len(bad)} input line(s) could not be classified (line {shown}); "
              'each line must be a JSON object {"text": "..."}', file=sys.stderr)
        return 1
    return 0
