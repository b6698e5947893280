"""Knowledge-base retrieval: accuracy on labelled questions, latency and memory at 10,000 articles.

* accuracy: the demo knowledge base (hub/assist/demo_kb) and the labelled questions
  in bench/data/assist (``questions_dev.jsonl``, and ``questions_holdout.jsonl``
  which was written once before any tuning). For the fused retrieval and, in the
  same run, the lexical-only baseline (BM25): top-1 and top-3 over the answerable
  questions (a question counts when one of its expected articles is among the
  results the search returns, i.e. above the confidence threshold), and the share
  of unanswerable questions that get [].
* latency: 10,000 generated articles; one question's retrieval on the hub
  (``KnowledgeBase.suggest``: segmentation, embedding the question, BM25, fusion),
  p50 and p95, its CPU time, the embedding alone, and a question asked again.
  Their embeddings are cached on disk in the work directory, so only the first
  run pays for them.
* memory: what the embedding model and the 10,000-article index add to a fresh
  process's resident memory.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from bench.stats import summary
from hub.assist.kb_import import import_folder, read_folder
from hub.assist.kb_store import ArticleContent, KnowledgeBaseStore, Language
from hub.assist.knowledge_base import KnowledgeBase
from hub.store import schema
from hub.store.base import create_engine

ROOT = Path(__file__).resolve().parent.parent
DEMO_KB = ROOT / "hub" / "assist" / "demo_kb"
DATA = Path(__file__).resolve().parent / "data" / "assist"
QUESTION_SETS = ("dev", "holdout")
GENERATOR_VERSION = 1


def default_workdir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "zuoxi" / "bench-assist"


def load_questions(name: str) -> list[dict[str, Any]]:
    path = DATA / f"questions_{name}.jsonl"
    with path.open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def open_kb(db: Path) -> KnowledgeBase:
    engine = create_engine(db)
    schema.migrate(engine)
    return KnowledgeBase(KnowledgeBaseStore(engine))


def evaluate(
    kb: KnowledgeBase,
    questions: list[dict[str, Any]],
    lexical_only: bool = False,
    with_language: bool = False,
) -> dict[str, Any]:
    """top-1 / top-3 over answerable questions, [] rate over unanswerable ones.

    ``with_language`` gives each question's language (as ``kb search --lang`` does).
    """
    top1 = top3 = answerable = empty = unanswerable = 0
    misses: list[str] = []
    for q in questions:
        language = Language(q["lang"]) if with_language else None
        hits = kb.search(q["question"], language, limit=3, lexical_only=lexical_only)
        ids = [h.id for h in hits]
        expected = set(q["expected"])
        if not expected:
            unanswerable += 1
            empty += not ids
            continue
        answerable += 1
        top1 += bool(ids) and ids[0] in expected
        found = bool(expected & set(ids))
        top3 += found
        if not found:
            misses.append(q["question"])
    return {
        "answerable": answerable,
        "top1": round(top1 / max(answerable, 1), 3),
        "top3": round(top3 / max(answerable, 1), 3),
        "unanswerable": unanswerable,
        "unanswerable_empty": round(empty / max(unanswerable, 1), 3),
        "misses": misses,
    }


def accuracy(workdir: Path, sets: tuple[str, ...] = QUESTION_SETS) -> dict[str, Any]:
    db = workdir / "demo-kb.sqlite3"
    db.unlink(missing_ok=True)
    kb = open_kb(db)
    import_folder(kb.store, DEMO_KB, "bench")
    kb.refresh()
    results: dict[str, Any] = {}
    for name in sets:
        questions = load_questions(name)
        results[name] = {
            "questions": len(questions),
            "fused": evaluate(kb, questions),
            "fused_with_lang": evaluate(kb, questions, with_language=True),
            "lexical": evaluate(kb, questions, lexical_only=True),
        }
    return results


# ---- 10,000 articles ------------------------------------------------------------

_PRODUCTS_EN = [
    "wireless earbuds", "4K television", "robot vacuum", "air fryer", "electric toothbrush",
    "gaming laptop", "smart watch", "coffee machine", "standing desk", "office chair",
    "hiking boots", "winter jacket", "baby stroller", "microwave oven", "dishwasher",
    "e-reader", "bluetooth speaker", "tablet", "mechanical keyboard", "air purifier",
    "rice cooker", "hair dryer", "camera lens", "electric scooter", "mattress",
]
_PRODUCTS_ZH = [
    "无线耳机", "4K 电视", "扫地机器人", "空气炸锅", "电动牙刷", "游戏本", "智能手表", "咖啡机",
    "升降桌", "办公椅", "登山鞋", "羽绒服", "婴儿推车", "微波炉", "洗碗机", "电子书阅读器",
    "蓝牙音箱", "平板电脑", "机械键盘", "空气净化器", "电饭煲", "吹风机", "相机镜头", "电动滑板车",
    "床垫",
]


def generated_articles(count: int, seed: int = 11) -> list[ArticleContent]:
    """``count`` articles: the demo's topics, each made specific to products and variants."""
    rng = random.Random(seed)
    bases = [p.content for p in read_folder(DEMO_KB)]
    articles = []
    for n in range(count):
        base = bases[n % len(bases)]
        zh = base.language is Language.ZH
        product = rng.choice(_PRODUCTS_ZH if zh else _PRODUCTS_EN)
        variant = n // len(bases)
        if zh:
            title = f"{product}：{base.title}（{variant}）"
            extra = f"本条适用于{product}，型号批次 {variant}。"
        else:
            title = f"{base.title} — {product} ({variant})"
            extra = f"This applies to the {product}, model batch {variant}."
        body = base.body.replace(base.title, title, 1)
        paragraphs = body.split("\n\n")
        if len(paragraphs) > 1:
            paragraphs[1] = f"{extra} {paragraphs[1]}"
        articles.append(
            ArticleContent(
                id=f"gen-{n:05d}", title=title, body="\n\n".join(paragraphs),
                language=base.language, tags=base.tags,
            )
        )
    return articles


def large_kb(workdir: Path, count: int) -> tuple[Path, dict[str, int]]:
    """A database of ``count`` generated articles, kept on disk, each with its own
    passage vector (computed as an import does, from the on-disk sentence-vector
    cache where a run has computed it: bench/kb_hub.py); how many were computed."""
    db = workdir / f"kb-{count}-v{GENERATOR_VERSION}.sqlite3"
    kb = open_kb(db)
    if kb.store.kb_revision()[0] != count:
        with kb.store.db.unit():
            for article in generated_articles(count):
                kb.store.save_article(article, "bench")
    # Vectors of an earlier run (stand-ins once) make way for each article's own (from
    # the on-disk cache: seconds, once it holds them).
    with kb.store.db.begin() as conn:
        conn.execute(schema.kb_embeddings.delete())
    _vectors, embedded = kb.ensure_embeddings(kb.store.articles())
    return db, {"own_vectors": count, "embedded_now": embedded}


def _forget_questions(kb: KnowledgeBase) -> None:
    """Every timed question is embedded: the hub remembers recent questions' vectors,
    and the rounds repeat the same questions."""
    forget = getattr(kb.embedder, "forget_questions", None)
    if forget is not None:
        forget()


def latency(db: Path, rounds: int = 1) -> dict[str, Any]:
    """One question's retrieval (wall and process CPU, all threads), the embedding of
    the question alone, and the rest; plus a question asked again (its vector
    remembered, as when the bot hands a chat off and the agent's suggestions follow)."""
    kb = open_kb(db)
    started = time.monotonic()
    kb.refresh()
    build_s = time.monotonic() - started
    questions = [q["question"] for name in QUESTION_SETS for q in load_questions(name)]
    kb.suggest("warm up")
    samples, cpu, embed, again = [], [], [], []
    for _ in range(rounds):
        for text in questions:
            _forget_questions(kb)
            t0, c0 = time.perf_counter(), time.process_time()
            kb.suggest(text)
            samples.append((time.perf_counter() - t0) * 1000)
            cpu.append((time.process_time() - c0) * 1000)
            t0 = time.perf_counter()
            kb.suggest(text)
            again.append((time.perf_counter() - t0) * 1000)
            _forget_questions(kb)
            t0 = time.perf_counter()
            kb.embedder.query(text)
            embed.append((time.perf_counter() - t0) * 1000)
    return {"articles": kb.store.kb_revision()[0], "index_build_s": round(build_s, 2),
            "load_average_1min": round(os.getloadavg()[0], 2),
            **summary(samples, "ms"), "cpu_ms": summary(cpu, "ms"),
            "embedding_ms": summary(embed, "ms"), "asked_again_ms": summary(again, "ms")}


def _rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def memory(db: Path) -> dict[str, Any]:
    """Measured in a fresh process, so nothing else this run did is counted."""
    out = subprocess.run(
        [sys.executable, "-m", "bench.assist_retrieval_bench", "--memory-probe", str(db)],
        capture_output=True, text=True, check=True, cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    result: dict[str, Any] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def _memory_probe(db: Path) -> dict[str, float]:
    kb = open_kb(db)
    kb.store.kb_revision()
    before = _rss_mb()
    kb.embedder.query("warm up")  # the model
    model = _rss_mb()
    kb.refresh()
    kb.suggest("退货")  # the index, jieba's dictionary
    index = _rss_mb()
    return {
        "rss_before_mb": round(before, 1),
        "model_mb": round(model - before, 1),
        "index_mb": round(index - model, 1),
        "total_added_mb": round(index - before, 1),
    }


def run(workdir: Path | None = None, articles: int = 10_000) -> dict[str, Any]:
    workdir = workdir or default_workdir()
    workdir.mkdir(parents=True, exist_ok=True)
    result: dict[str, Any] = {"accuracy": accuracy(workdir)}
    db, vectors = large_kb(workdir, articles)
    result["latency_ms"] = {**latency(db), **vectors}
    result["memory"] = memory(db)
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--workdir", type=Path, default=None)
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--accuracy-only", action="store_true")
    parser.add_argument("--set", choices=QUESTION_SETS, action="append",
                        help="question sets for --accuracy-only (default: all)")
    parser.add_argument("--memory-probe", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.memory_probe:
        print(json.dumps(_memory_probe(args.memory_probe)))
        return 0
    if args.accuracy_only:
        workdir = args.workdir or default_workdir()
        workdir.mkdir(parents=True, exist_ok=True)
        sets = tuple(args.set) if args.set else QUESTION_SETS
        print(json.dumps(accuracy(workdir, sets), indent=2, ensure_ascii=False))
        return 0
    print(json.dumps(run(args.workdir, args.articles), indent=2, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
