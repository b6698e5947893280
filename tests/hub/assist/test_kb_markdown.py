"""Article files: front matter checks with the line they name, the answer paragraph."""

from __future__ import annotations

import pytest

from hub.assist.kb_markdown import FrontMatterError, answer_paragraph, parse_article, sections
from hub.assist.kb_store import ArticleStatus, Language

GOOD = """---
id: en-returns
title: Returning an item
language: en
tags: [returns, policy]
---
# Returning an item

You can return most items
within 7 days.

## Exceptions

Gift cards cannot be returned.
"""


def test_a_good_file_gives_its_fields_and_published_by_default() -> None:
    parsed = parse_article(GOOD)
    content = parsed.content
    assert (content.id, content.title, content.language) == (
        "en-returns", "Returning an item", Language.EN,
    )
    assert content.tags == ("returns", "policy")
    assert content.status is ArticleStatus.PUBLISHED
    assert content.body.startswith("# Returning an item")
    assert parsed.id_line == 2


def test_the_answer_is_the_first_paragraph_after_the_title() -> None:
    body = parse_article(GOOD).content.body
    assert answer_paragraph(body) == "You can return most items within 7 days."
    assert [s.heading for s in sections(body)] == ["", "Exceptions"]


def test_a_section_headed_answer_wins_over_the_first_paragraph() -> None:
    body = (
        "# Title\n\nSome background first.\n\n## 答案\n\n先备份数据。\n\n"
        "再恢复出厂设置。\n\n## More\n\nx"
    )
    assert answer_paragraph(body) == "先备份数据。\n\n再恢复出厂设置。"


def _error(text: str) -> FrontMatterError:
    with pytest.raises(FrontMatterError) as info:
        parse_article(text)
    return info.value


def test_no_front_matter_is_line_1() -> None:
    err = _error("# Just a heading\n\ntext\n")
    assert err.line == 1 and "no front matter" in err.message


def test_bad_yaml_names_its_line() -> None:
    err = _error("---\nid: a\ntitle: [unclosed\nlanguage: en\ntags: []\n---\ntext\n")
    assert err.line in (3, 4) and "not valid YAML" in err.message


@pytest.mark.parametrize(
    ("header", "line", "words"),
    [
        ("id: a\nlanguage: en\ntags: [x]\n", 5, "no 'title'"),
        ("id: a\ntitle: T\nlanguage: fr\ntags: [x]\n", 4, "zh or en"),
        ("id: a b\ntitle: T\nlanguage: en\ntags: [x]\n", 2, "'id'"),
        ("id: a\ntitle: T\nlanguage: en\ntags: {x: 1}\n", 5, "'tags' must be a list"),
        ("id: a\ntitle: T\nlanguage: zh\ntags: [x]\nstatus: live\n", 6, "draft or published"),
    ],
)
def test_missing_or_invalid_fields_name_the_line(header: str, line: int, words: str) -> None:
    err = _error(f"---\n{header}---\nbody\n")
    assert err.line == line
    assert words in err.message


def test_an_unclosed_front_matter_and_an_empty_body_are_refused() -> None:
    assert "not closed" in _error("---\nid: a\n").message
    assert "no text" in _error("---\nid: a\ntitle: T\nlanguage: en\ntags: []\n---\n\n").message
