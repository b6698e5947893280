"""The labelled sets in bench/data/assist as tests, with the issue's targets as thresholds.

The development set is the one the rules were tuned on; the held-out set was
written before tuning and never tuned against.
"""

from __future__ import annotations

import pytest

from bench.assist_classify_bench import SETS, classifier_predict, evaluate, load_set, mistakes


@pytest.mark.parametrize("name", sorted(SETS))
def test_set_meets_the_targets(name: str) -> None:
    rows = load_set(SETS[name])
    predict = classifier_predict()
    figures = evaluate(rows, predict)
    wrong = "\n".join(mistakes(rows, predict))
    assert figures["n"] >= (150 if name == "dev" else 80)
    assert figures["sentiment_macro_f1"] >= 0.8, wrong
    assert figures["escalation_recall"] >= 0.9, wrong
    assert figures["escalation_precision"] >= 0.8, wrong


@pytest.mark.parametrize("name", sorted(SETS))
def test_set_is_balanced_and_well_formed(name: str) -> None:
    rows = load_set(SETS[name])
    chinese = sum(any("\u4e00" <= ch <= "\u9fff" for ch in r["text"]) for r in rows)
    assert 0.35 <= chinese / len(rows) <= 0.65
    for row in rows:
        assert row["escalate"] is bool(row["reasons"]), row
    assert len({r["text"] for r in rows}) == len(rows)


def test_sets_share_no_message() -> None:
    dev = {r["text"] for r in load_set(SETS["dev"])}
    holdout = {r["text"] for r in load_set(SETS["holdout"])}
    assert not dev & holdout
