"""Import a folder of Markdown articles into the knowledge base, all or nothing.

Every file is read and checked first; one problem anywhere (no or bad front matter,
a missing or invalid field, an id used twice) stops the import with every problem
named by file and line, and nothing is written. A valid folder is written in one
transaction: an article whose content is unchanged gets no new version.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from hub.assist.kb_markdown import FrontMatterError, ParsedArticle, parse_article
from hub.assist.kb_store import KnowledgeBaseStore, SaveOutcome

MAX_FILE_BYTES = 1_000_000
DEMO_KB = Path(__file__).resolve().parent / "demo_kb"


@dataclass(frozen=True)
class ImportProblem:
    path: Path
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


class KbImportError(Exception):
    """The folder cannot be imported; nothing of it was written."""

    def __init__(self, problems: list[ImportProblem]) -> None:
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems


@dataclass
class ImportSummary:
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)

    @property
    def changed(self) -> list[str]:
        return self.added + self.updated

    def line(self) -> str:
        return (
            f"{len(self.added)} added, {len(self.updated)} updated, "
            f"{len(self.unchanged)} unchanged"
        )


def markdown_files(root: Path) -> list[Path]:
    if root.is_file():
        return [root]
    return sorted(
        p for p in root.rglob("*") if p.is_file() and p.suffix.lower() in {".md", ".markdown"}
        and not any(part.startswith(".") for part in p.relative_to(root).parts)
    )


def read_folder(root: Path) -> list[ParsedArticle]:
    """Every article under ``root``, checked; raises KbImportError listing all problems."""
    if not root.exists():
        raise KbImportError([ImportProblem(root, 0, "no such file or folder")])
    files = markdown_files(root)
    if not files:
        raise KbImportError([ImportProblem(root, 0, "no Markdown (.md) files here")])
    problems: list[ImportProblem] = []
    parsed: list[ParsedArticle] = []
    seen: dict[str, tuple[Path, int]] = {}
    for path in files:
        try:
            if path.stat().st_size > MAX_FILE_BYTES:
                raise FrontMatterError(1, f"the file is larger than {MAX_FILE_BYTES} bytes")
            text = path.read_bytes().decode("utf-8")
            article = parse_article(text)
        except UnicodeDecodeError as exc:
            problems.append(ImportProblem(path, 1, f"not UTF-8 text ({exc.reason})"))
            continue
        except FrontMatterError as exc:
            problems.append(ImportProblem(path, exc.line, exc.message))
            continue
        except OSError as exc:
            problems.append(ImportProblem(path, 0, f"cannot read: {exc.strerror}"))
            continue
        article_id = article.content.id
        if article_id in seen:
            first, first_line = seen[article_id]
            problems.append(
                ImportProblem(
                    path,
                    article.id_line,
                    f"duplicate id {article_id!r}: also used by {first}:{first_line}",
                )
            )
            continue
        seen[article_id] = (path, article.id_line)
        parsed.append(article)
    if problems:
        raise KbImportError(problems)
    return parsed


def import_folder(store: KnowledgeBaseStore, root: Path, author: str) -> ImportSummary:
    """Check everything under ``root``, then write it in one transaction."""
    articles = read_folder(root)
    summary = ImportSummary()
    with store.db.unit():
        for article in articles:
            outcome, _version = store.save_article(article.content, author)
            {
                SaveOutcome.ADDED: summary.added,
                SaveOutcome.UPDATED: summary.updated,
                SaveOutcome.UNCHANGED: summary.unchanged,
            }[outcome].append(article.content.id)
    return summary


def seed_demo_kb(store: KnowledgeBaseStore) -> ImportSummary:
    """The demo shop's knowledge base (hub/assist/demo_kb); embedded on first search."""
    return import_folder(store, DEMO_KB, "demo")
