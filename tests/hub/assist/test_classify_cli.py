"""`zuoxi-hub assist classify` as a subprocess: one JSON line out per line in, in order."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def _run(stdin: bytes, *args: str) -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "hub", "assist", "classify", *args],
                          input=stdin, capture_output=True, env=env, timeout=120, check=False)


def test_lines_in_lines_out_in_order() -> None:
    texts = ["我要去12315投诉你们", "Thanks, the fan works great!", "怎么申请退款？",
             "Get me a human.", "充电器冒烟了"]
    stdin = "".join(json.dumps({"text": t}, ensure_ascii=False) + "\n" for t in texts)
    done = _run(stdin.encode())
    assert done.returncode == 0, done.stderr
    out = [json.loads(line) for line in done.stdout.decode().splitlines()]
    assert [(o["sentiment"], o["escalate"], o["reasons"]) for o in out] == [
        ("negative", True, ["complaint"]),
        ("positive", False, []),
        ("neutral", False, []),
        ("neutral", True, ["ask_human"]),
        ("negative", True, ["safety"]),
    ]
    assert all(set(o) == {"sentiment", "score", "escalate", "reasons"} for o in out)
    assert all(isinstance(o["score"], float) and -1 <= o["score"] <= 1 for o in out)


def test_bad_lines_get_an_error_in_place_and_exit_1() -> None:
    stdin = b'not json\n{"text": "fine, thanks"}\n[1, 2]\n{"txt": "x"}\n\xff\xfe\n\n{"text": "ok"}'
    done = _run(stdin)
    out = [json.loads(line) for line in done.stdout.decode().splitlines()]
    assert len(out) == 7
    assert [("error" in o) for o in out] == [True, False, True, True, True, True, False]
    assert out[0]["error"].startswith("line 1: not JSON")
    assert "not a JSON object" in out[2]["error"] and 'no "text"' in out[3]["error"]
    assert "not UTF-8" in out[4]["error"]
    assert done.returncode == 1
    assert "5 input line(s)" in done.stderr.decode()


def test_own_rules_file_and_a_broken_one(tmp_path: Path) -> None:
    rules = tmp_path / "rules.toml"
    rules.write_text('[complaint]\nwords = ["退一赔三"]\n', encoding="utf-8")
    done = _run('{"text": "我要退一赔三"}\n'.encode(), "--rules", str(rules))
    assert done.returncode == 0
    assert json.loads(done.stdout)["reasons"] == ["complaint"]
    rules.write_text('[complaint]\nwords = ["退一赔三"\n', encoding="utf-8")
    done = _run(b'{"text": "x"}\n', "--rules", str(rules))
    assert done.returncode == 2 and done.stdout == b""
    assert f"{rules}:3: not valid TOML" in done.stderr.decode()


def test_empty_input_is_fine() -> None:
    done = _run(b"")
    assert done.returncode == 0 and done.stdout == b""
