"""`zuoxi-hub kb import`: idempotent by id, versions with author, all or nothing on errors."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import sqlalchemy as sa

from hub.assist.kb_import import KbImportError, import_folder
from hub.assist.kb_store import ArticleStatus, KnowledgeBaseStore, Language
from hub.store import schema
from hub.store.base import create_engine

ROOT = Path(__file__).resolve().parents[3]
DEMO_KB = ROOT / "hub" / "assist" / "demo_kb"


def article(article_id: str, title: str, body: str, language: str = "en",
            extra: str = "") -> str:
    return (f"---\nid: {article_id}\ntitle: {title}\nlanguage: {language}\n"
            f"tags: [test]\n{extra}---\n# {title}\n\n{body}\n")


@pytest.fixture
def store(tmp_path: Path) -> KnowledgeBaseStore:
    engine = create_engine(tmp_path / "hub.sqlite3")
    schema.migrate(engine)
    return KnowledgeBaseStore(engine)


def _counts(store: KnowledgeBaseStore) -> tuple[int, int]:
    with store.engine.connect() as conn:
        return (
            conn.execute(sa.select(sa.func.count()).select_from(schema.kb_articles)).scalar_one(),
            conn.execute(
                sa.select(sa.func.count()).select_from(schema.kb_article_versions)
            ).scalar_one(),
        )


def test_import_then_again_adds_nothing_and_a_change_is_a_new_version(
    store: KnowledgeBaseStore, tmp_path: Path
) -> None:
    folder = tmp_path / "kb"
    folder.mkdir()
    (folder / "a.md").write_text(article("a", "Refunds", "Refunds take 3 days."), "utf-8")
    (folder / "b.md").write_text(article("b", "退货", "七天无理由退货。", "zh"), "utf-8")
    first = import_folder(store, folder, "ops")
    assert (sorted(first.added), first.updated, first.unchanged) == (["a", "b"], [], [])
    again = import_folder(store, folder, "ops")
    assert (again.added, again.updated, sorted(again.unchanged)) == ([], [], ["a", "b"])
    assert _counts(store) == (2, 2)

    (folder / "a.md").write_text(article("a", "Refunds", "Refunds take 5 days."), "utf-8")
    third = import_folder(store, folder, "editor")
    assert (third.added, third.updated, third.unchanged) == ([], ["a"], ["b"])
    versions = store.versions("a")
    assert [(v.version, v.author) for v in versions] == [(1, "ops"), (2, "editor")]
    assert "3 days" in versions[0].body and "5 days" in versions[1].body
    current = store.article("a")
    assert current is not None
    assert (current.version, current.language, current.status) == (
        2, Language.EN, ArticleStatus.PUBLISHED,
    )
    assert current.created_by == "ops" and current.author == "editor"


def test_a_draft_status_is_kept(store: KnowledgeBaseStore, tmp_path: Path) -> None:
    (tmp_path / "d.md").write_text(article("d", "Draft", "Not yet.", extra="status: draft\n"))
    import_folder(store, tmp_path / "d.md", "ops")
    assert [a.id for a in store.articles(ArticleStatus.DRAFT)] == ["d"]
    assert store.articles(ArticleStatus.PUBLISHED) == []


def test_one_bad_file_names_file_and_line_and_nothing_is_applied(
    store: KnowledgeBaseStore, tmp_path: Path
) -> None:
    folder = tmp_path / "kb"
    folder.mkdir()
    (folder / "a.md").write_text(article("a", "Refunds", "Refunds take 3 days."), "utf-8")
    import_folder(store, folder, "ops")
    # A changed good file, a new good file and a broken one: none of it lands.
    (folder / "a.md").write_text(article("a", "Refunds", "Changed."), "utf-8")
    (folder / "c.md").write_text(article("c", "New", "New article."), "utf-8")
    (folder / "z-bad.md").write_text(
        "---\nid: z\ntitle: Bad\nlanguage: klingon\ntags: []\n---\nx\n", "utf-8"
    )
    with pytest.raises(KbImportError) as info:
        import_folder(store, folder, "ops")
    [problem] = info.value.problems
    assert problem.path.name == "z-bad.md" and problem.line == 4
    assert "zh or en" in problem.message
    assert _counts(store) == (1, 1)
    current = store.article("a")
    assert current is not None and "3 days" in current.body


def test_duplicate_ids_name_both_files(store: KnowledgeBaseStore, tmp_path: Path) -> None:
    (tmp_path / "one.md").write_text(article("same", "One", "x"), "utf-8")
    (tmp_path / "two.md").write_text(article("same", "Two", "y"), "utf-8")
    with pytest.raises(KbImportError) as info:
        import_folder(store, tmp_path, "ops")
    [problem] = info.value.problems
    assert problem.path.name == "two.md" and problem.line == 2
    assert "duplicate id 'same'" in problem.message and "one.md:2" in problem.message
    assert _counts(store) == (0, 0)


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "hub", "kb", *args], capture_output=True, text=True,
        cwd=ROOT, timeout=600,
    )


def test_cli_imports_the_demo_kb_idempotently_and_refuses_a_bad_folder(tmp_path: Path) -> None:
    db = tmp_path / "hub.sqlite3"
    first = _cli("import", "--db", str(db), str(DEMO_KB))
    assert first.returncode == 0, first.stderr
    files = len(list(DEMO_KB.glob("*.md")))
    assert f"{files} added, 0 updated, 0 unchanged" in first.stdout
    second = _cli("import", "--db", str(db), str(DEMO_KB))
    assert second.returncode == 0, second.stderr
    assert f"0 added, 0 updated, {files} unchanged" in second.stdout

    bad = tmp_path / "bad"
    shutil.copytree(DEMO_KB, bad)
    (bad / "broken.md").write_text("no front matter here\n", "utf-8")
    (bad / "en-gift-cards.md").write_text(
        (bad / "en-gift-cards.md").read_text("utf-8").replace("3 years", "5 years"), "utf-8"
    )
    refused = _cli("import", "--db", str(db), str(bad))
    assert refused.returncode == 1
    assert f"{bad / 'broken.md'}:1: no front matter" in refused.stderr
    assert "nothing was imported" in refused.stderr
    engine = create_engine(db)
    store = KnowledgeBaseStore(engine)
    gift = store.article("en-gift-cards")
    assert gift is not None and gift.version == 1 and "3 years" in gift.body


def test_the_demo_seed_imports_the_demo_knowledge_base(tmp_path: Path) -> None:
    from hub.auth import Authenticator
    from hub.demo.seed import seed_demo
    from hub.store.store import Store

    engine = create_engine(tmp_path / "demo.sqlite3")
    schema.migrate(engine)
    hub_store = Store(engine)
    seed_demo(hub_store, Authenticator(hub_store), customers=2)
    articles = KnowledgeBaseStore(engine).articles(ArticleStatus.PUBLISHED)
    files = sorted(DEMO_KB.glob("*.md"))
    assert len(files) >= 30 and len(articles) == len(files)
    languages = [a.language for a in articles]
    assert languages.count(Language.ZH) >= 15 and languages.count(Language.EN) >= 15
    assert all(a.author == "demo" for a in articles)
