"""`zuoxi-hub kb search … --json` as operators run it: a subprocess on a real database."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
DEMO_KB = ROOT / "hub" / "assist" / "demo_kb"


def _kb(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "hub", "kb", *args], capture_output=True, text=True, cwd=ROOT,
        timeout=600,
    )


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("kbcli") / "hub.sqlite3"
    done = _kb("import", "--db", str(path), str(DEMO_KB))
    assert done.returncode == 0, done.stderr
    return path


def _search(db: Path, *args: str) -> list[dict[str, object]]:
    done = _kb("search", "--db", str(db), *args, "--json")
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert isinstance(result, list)
    return result


def test_search_prints_id_title_score_best_first(db: Path) -> None:
    hits = _search(db, "my power bank is swelling up, is it dangerous?", "--limit", "2")
    assert 1 <= len(hits) <= 2
    assert all(set(h) == {"id", "title", "score"} for h in hits)
    assert hits[0]["id"] in {"en-battery-safety", "zh-battery-safety"}
    scores = [float(h["score"]) for h in hits]  # type: ignore[arg-type]
    assert scores == sorted(scores, reverse=True) and all(0 <= s <= 1 for s in scores)


def test_search_is_cross_lingual_with_and_without_lang(db: Path) -> None:
    assert _search(db, "怎么注销账号，删除我的个人信息", "--lang", "zh")[0]["id"] == (
        "en-delete-account"
    )
    assert "zh-lost-parcel" in [h["id"] for h in _search(db, "my parcel has not moved for days")]


def test_search_prints_an_empty_array_when_nothing_answers(db: Path) -> None:
    assert _search(db, "what's the capital of France") == []


def test_bad_options_and_a_missing_database_are_refused(db: Path, tmp_path: Path) -> None:
    done = _kb("search", "--db", str(tmp_path / "typo.sqlite3"), "退货", "--json")
    assert done.returncode == 2 and "no database" in done.stderr
    assert not (tmp_path / "typo.sqlite3").exists()
    done = _kb("search", "--db", str(db), "退货", "--limit", "0", "--json")
    assert done.returncode == 2 and "--limit" in done.stderr
    done = _kb("search", "--db", str(db), "退货", "--lang", "fr")
    assert done.returncode == 2
