"""Knowledge-base articles as Markdown files with a YAML front matter.

A file starts with a front matter between two ``---`` lines::

    ---
    id: en-returns-policy
    title: Returning an item within 7 days
    language: en            # zh | en
    tags: [returns, policy]
    status: published       # optional: draft | published (the default)
    ---
    # Returning an item within 7 days

    You can return most items within 7 days ...

The **answer paragraph** — what an agent inserts into a reply — is the text of a
section headed ``Answer`` / ``答案`` / ``简答`` / ``回答`` when there is one (up to the
next heading), otherwise the first paragraph of the body after its leading
``#`` title heading. Other keys in the front matter are ignored.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import yaml

from hub.assist.kb_store import ArticleContent, ArticleStatus, Language

ID_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,119}$")
ANSWER_HEADINGS = {"answer", "short answer", "答案", "简答", "回答", "解答"}
_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_FENCE = "---"
MAX_TAGS = 30
MAX_TITLE = 300


class FrontMatterError(ValueError):
    """A file that is not a valid article; ``line`` is 1-based in that file."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(f"line {line}: {message}")
        self.line = line
        self.message = message


@dataclass(frozen=True)
class ParsedArticle:
    content: ArticleContent
    id_line: int  # where ``id`` is written, for errors about it (duplicates)


def _key_line(lines: list[str], key: str, default: int) -> int:
    """The 1-based file line where ``key:`` is written in the front matter."""
    pattern = re.compile(rf"^{re.escape(key)}\s*:")
    for number, line in enumerate(lines, start=2):
        if pattern.match(line):
            return number
    return default


def parse_article(text: str) -> ParsedArticle:
    """One article from a file's text; raises FrontMatterError naming the line."""
    if text.startswith("\ufeff"):
        text = text[1:]
    lines = text.splitlines()
    if not lines or lines[0].strip() != _FENCE:
        raise FrontMatterError(1, "no front matter: the file must start with a '---' line")
    try:
        end = next(i for i in range(1, len(lines)) if lines[i].strip() == _FENCE)
    except StopIteration:
        raise FrontMatterError(1, "the front matter is not closed by a '---' line") from None
    header = lines[1:end]
    try:
        data = yaml.safe_load("\n".join(header))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 2 if mark is not None else 1
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise FrontMatterError(line, f"the front matter is not valid YAML: {problem}") from None
    if not isinstance(data, dict):
        raise FrontMatterError(2, "the front matter must be a mapping of keys to values")

    def need(key: str) -> object:
        if key not in data or data[key] is None or data[key] == "":
            raise FrontMatterError(end + 1, f"the front matter has no '{key}'")
        return data[key]

    article_id = need("id")
    id_line = _key_line(header, "id", 1)
    if isinstance(article_id, bool) or not isinstance(article_id, str | int):
        raise FrontMatterError(id_line, "'id' must be a short text")
    article_id = str(article_id)
    if not ID_PATTERN.match(article_id):
        raise FrontMatterError(
            id_line,
            f"'id' {article_id!r} must be 1-120 letters, digits, '.', '_' or '-' "
            "(starting with a letter or digit)",
        )
    title = need("title")
    title_line = _key_line(header, "title", 1)
    if not isinstance(title, str | int | float) or isinstance(title, bool):
        raise FrontMatterError(title_line, "'title' must be text")
    title = " ".join(str(title).split())
    if len(title) > MAX_TITLE:
        raise FrontMatterError(title_line, f"'title' is longer than {MAX_TITLE} characters")
    language = need("language")
    try:
        lang = Language(str(language).strip().lower())
    except ValueError:
        raise FrontMatterError(
            _key_line(header, "language", 1),
            f"'language' must be zh or en, not {language!r}",
        ) from None
    tags = _tags(need("tags"), _key_line(header, "tags", 1))
    status = ArticleStatus.PUBLISHED
    if data.get("status") is not None:
        try:
            status = ArticleStatus(str(data["status"]).strip().lower())
        except ValueError:
            raise FrontMatterError(
                _key_line(header, "status", 1),
                f"'status' must be draft or published, not {data['status']!r}",
            ) from None
    body = "\n".join(lines[end + 1 :]).strip("\n")
    if not body.strip():
        raise FrontMatterError(end + 1, "the article has no text after its front matter")
    return ParsedArticle(ArticleContent(article_id, title, body, lang, tags, status), id_line)


def _tags(value: object, line: int) -> tuple[str, ...]:
    if isinstance(value, str):
        items: list[object] = [part for part in value.split(",")]
    elif isinstance(value, list):
        items = value
    else:
        raise FrontMatterError(line, "'tags' must be a list, e.g. [returns, refunds]")
    tags: list[str] = []
    for item in items:
        if isinstance(item, bool) or not isinstance(item, str | int | float):
            raise FrontMatterError(line, f"every tag must be text, not {item!r}")
        tag = " ".join(str(item).split())
        if tag and tag not in tags:
            tags.append(tag)
    if len(tags) > MAX_TAGS:
        raise FrontMatterError(line, f"at most {MAX_TAGS} tags")
    return tuple(tags)


# ---- the body's parts ---------------------------------------------------------


@dataclass(frozen=True)
class Section:
    heading: str  # "" for text before the first heading
    text: str


def sections(body: str) -> list[Section]:
    """The body split at headings; the leading ``#`` title heading is dropped."""
    found: list[Section] = []
    heading = ""
    chunk: list[str] = []
    first_heading = True
    for line in body.splitlines():
        match = _HEADING.match(line)
        if match:
            if (chunk and "\n".join(chunk).strip()) or heading:
                found.append(Section(heading, "\n".join(chunk).strip()))
            chunk = []
            # The first level-1 heading before any text is the title.
            if first_heading and len(match.group(1)) == 1 and not found:
                heading = ""
            else:
                heading = match.group(2).strip()
            first_heading = False
            continue
        chunk.append(line)
    if (chunk and "\n".join(chunk).strip()) or heading:
        found.append(Section(heading, "\n".join(chunk).strip()))
    return found


def _first_paragraph(text: str) -> str:
    paragraph: list[str] = []
    for line in text.splitlines():
        if not line.strip():
            if paragraph:
                break
            continue
        paragraph.append(line.strip())
    return " ".join(paragraph) if paragraph else ""


def answer_paragraph(body: str) -> str:
    """What an agent inserts: the ``Answer`` section, else the first paragraph."""
    parts = sections(body)
    for section in parts:
        if section.heading.strip().rstrip(":：").lower() in ANSWER_HEADINGS and section.text:
            return "\n\n".join(
                " ".join(line.strip() for line in block.splitlines())
                for block in re.split(r"\n\s*\n", section.text)
                if block.strip()
            )
    for section in parts:
        paragraph = _first_paragraph(section.text)
        if paragraph:
            return paragraph
    return ""


def plain_text(markdown: str) -> str:
    """Markdown without its markup, for indexing."""
    text = re.sub(r"```.*?```", " ", markdown, flags=re.S)
    text = re.sub(r"!\[([^\]]*)\]\([^)]*\)", r"\1", text)
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
    text = re.sub(r"^\s{0,3}(#{1,6}|>|[-*+]|\d+\.)\s+", "", text, flags=re.M)
    text = re.sub(r"[*_`~|]", " ", text)
    return text
