"""The escalation rules file: the shipped one loads, a center's edits take effect, and a
broken file is reported with its name and the line at fault."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.protocol.sentiment import EscalationReason as R
from hub.assist.escalation_rules import DEFAULT_PATH, RulesError, load, parse
from hub.assist.sentiment import default_classifier


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "rules.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_the_shipped_rules_load_with_every_reason() -> None:
    rules = load()
    assert rules.source == str(DEFAULT_PATH)
    for reason in R:
        rule = rules.rule(reason)
        assert rule is not None and (rule.words or rule.patterns), reason


def test_a_centers_own_word_escalates(tmp_path: Path) -> None:
    text = DEFAULT_PATH.read_text(encoding="utf-8").replace(
        '"投诉", "12315",', '"投诉", "12315", "退一赔三",')
    classifier = default_classifier().with_rules(load(_write(tmp_path, text)))
    assert classifier.classify("不处理我就要求退一赔三").reasons == (R.COMPLAINT,)
    assert not default_classifier().classify("不处理我就要求退一赔三").escalate


def test_an_empty_file_escalates_on_nothing_but_fury(tmp_path: Path) -> None:
    classifier = default_classifier().with_rules(load(_write(tmp_path, "")))
    assert not classifier.classify("我要投诉").escalate
    assert classifier.classify("I'm filing a complaint with the BBB").reasons == ()


@pytest.mark.parametrize(("text", "line", "words"), [
    ('[complaint]\nwords = ["a", "b"\n', 3, "not valid TOML"),
    ('[complaint]\nwords = ["ok"]\n\n[safety]\npatterns = ["(unclosed"]\n', 5,
     "not a valid regular expression"),
    ('[complaint]\nwords = "投诉"\n', 2, "must be a list of strings"),
    ('[complaint]\nwords = ["投诉", ""]\n', 2, "empty string"),
    ('[complaint]\nword = ["投诉"]\n', 2, "no setting 'word'"),
    ('# rules\n[complaints]\nwords = ["投诉"]\n', 2, "unknown section [complaints]"),
    ('[sentiment]\nnegative_below = 0.5\n', 2, "negative_below must be a number"),
    ('[negation]\nzh = ["不是"]\nen_window = "two"\n', 3, "en_window must be a number"),
])
def test_a_bad_file_names_the_file_and_line(tmp_path: Path, text: str, line: int,
                                             words: str) -> None:
    path = _write(tmp_path, text)
    with pytest.raises(RulesError) as caught:
        load(path)
    assert caught.value.line == line
    assert str(caught.value).startswith(f"{path}:{line}: ")
    assert words in str(caught.value)


def test_a_missing_or_binary_file(tmp_path: Path) -> None:
    with pytest.raises(RulesError, match="cannot read the rules file"):
        load(tmp_path / "absent.toml")
    path = tmp_path / "latin1.toml"
    path.write_bytes('[complaint]\nwords = ["plainte é"]\n'.encode("latin-1"))
    with pytest.raises(RulesError, match="not UTF-8"):
        load(path)


def test_parse_without_a_file_names_the_source() -> None:
    with pytest.raises(RulesError, match=r"^<rules>:1: "):
        parse("[complaint\n")
