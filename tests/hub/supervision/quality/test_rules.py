"""The quality rules file: the shipped one loads; a bad one is refused naming its line."""

from __future__ import annotations

from pathlib import Path

import pytest

from hub.supervision.quality.rules import DEFAULT_PATH, QualityRulesError, RuleKind, load, parse

GOOD = """\
[settings]
sample_rate = 0.1

[[rule]]
id = "greeting"
kind = "greeting"
points = 10
phrases = ["您好", "hello"]

[[rule]]
id = "abuse"
kind = "banned_phrase"
points = 20
fatal = true
phrases = ["shut up"]
"""


def test_the_shipped_rules_cover_every_kind() -> None:
    rules = load()
    assert rules.source == str(DEFAULT_PATH)
    assert {r.kind for r in rules.rules} == set(RuleKind)
    assert any(r.fatal for r in rules.rules) and not all(r.fatal for r in rules.rules)
    assert 0 < rules.settings.sample_rate < 1


def test_a_good_file_and_its_version() -> None:
    rules = parse(GOOD)
    assert [r.id for r in rules.rules] == ["greeting", "abuse"]
    assert rules.settings.sample_rate == 0.1 and rules.settings.review_below == 70
    assert parse(GOOD).version == rules.version != parse(GOOD + "\n# changed\n").version


@pytest.mark.parametrize(("change", "line", "words"), [
    (("points = 20", "points = 200"), 13, "points must be a whole number from 0 to 100"),
    (('kind = "banned_phrase"', 'kind = "banned"'), 12, "has no known kind"),
    (("fatal = true", 'fatal = "yes"'), 14, "fatal must be true or false"),
    (('phrases = ["shut up"]', 'phrases = ["shut up", ""]'), 15, "holds an empty string"),
    (('phrases = ["shut up"]', 'phrases = ["shut up"]\nwithin = 2'), 16, "has no setting 'within'"),
    (("sample_rate = 0.1", "sample_rate = 2"), 2, "sample_rate must be a number from 0 to 1"),
    (("sample_rate = 0.1", "sample = 0.1"), 2, "[settings] has no setting 'sample'"),
    (('id = "abuse"', 'id = "greeting"'), 11, "is defined twice"),
    (('id = "abuse"', 'id = "Abuse!"'), 11, "needs an id"),
    (('points = 10\nphrases = ["您好", "hello"]', "points = 10"), 4, "needs phrases"),
    (("[settings]", "[setings]"), 1, "unknown section"),
    (('phrases = ["您好", "hello"]', 'phrases = ["您好", "hello"'), 10, "not valid TOML"),
    (('[[rule]]\nid = "abuse"', '[[rule]]\nid = "abuse"\nchannels = ["fax"]'), 12,
     "channels must be among"),
])
def test_a_bad_file_names_the_line(tmp_path: Path, change: tuple[str, str], line: int,
                                   words: str) -> None:
    old, new = change
    assert old in GOOD
    path = tmp_path / "quality_rules.toml"
    path.write_text(GOOD.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(QualityRulesError) as caught:
        load(path)
    assert caught.value.line == line, str(caught.value)
    assert words in caught.value.problem
    assert str(caught.value).startswith(f"{path}:{line}: ")


def test_files_that_cannot_be_read(tmp_path: Path) -> None:
    with pytest.raises(QualityRulesError, match="cannot read the rules file"):
        load(tmp_path / "missing.toml")
    binary = tmp_path / "binary.toml"
    binary.write_bytes(b"\xff\xfe\x00")
    with pytest.raises(QualityRulesError, match="not UTF-8"):
        load(binary)
    with pytest.raises(QualityRulesError, match=r"no \[\[rule\]\]"):
        parse("[settings]\nsample_rate = 0.1\n")
