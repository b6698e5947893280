"""Custom roles from a TOML file: every mistake names the file and its line."""

from __future__ import annotations

from pathlib import Path

import pytest

from hub.access.permissions import BUILTIN_ROLES, Permission
from hub.access.roles_file import RolesFileError, load, parse

GOOD = """\
# roles of the Shanghai center
[roles.qa_analyst]
description = "Reviews quality, reads reports"
permissions = ["qa.own", "qa.review", "reports", "customers.read", "transcripts"]

[roles.trainee]
like = "agent"
without = ["transfer", "customers.merge"]
"""


def test_a_good_file_defines_its_roles(tmp_path: Path) -> None:
    file = tmp_path / "roles.toml"
    file.write_text(GOOD)
    roles = {r.name: r for r in load(file)}
    assert roles["qa_analyst"].permissions == {
        Permission.QA_OWN, Permission.QA_REVIEW, Permission.REPORTS,
        Permission.CUSTOMERS_READ, Permission.TRANSCRIPTS}
    assert roles["qa_analyst"].description == "Reviews quality, reads reports"
    assert roles["trainee"].permissions == BUILTIN_ROLES["agent"] - {
        Permission.TRANSFER, Permission.CUSTOMERS_MERGE}


@pytest.mark.parametrize(("text", "line", "words"), [
    ("[roles.qa]\npermissions = [\"qa.review\", \"fly\"]\n", 2, "unknown permission 'fly'"),
    ("[roles.qa]\n\npermisions = [\"qa.review\"]\n", 3, "unknown key 'permisions'"),
    ("\n[roles.supervisor]\npermissions = [\"qa.review\"]\n", 2, "built-in role"),
    ("[roles.Bad_Name]\npermissions = [\"chat\"]\n", 1, "role name 'Bad_Name'"),
    ("[roles.x]\nlike = \"boss\"\n", 2, "not a built-in role"),
    ("[roles.x]\ndescription = \"nothing\"\n", 1, "grants no permission"),
    # Found by tests/fuzz: a list where a role's name belongs raised TypeError.
    ("[roles.x]\nlike = []\n", 2, "not a built-in role"),
    ("[roles.x]\npermissions = \"chat\"\n", 2, "must be a list"),
    ("[roles.x]\npermissions = [\"chat\",,]\n", 2, "not valid TOML"),
    ("[roles.x]\npermissions = [\"chat\"\n\n", 3, "not valid TOML"),
    ("[roles.a]\npermissions = [\"chat\"]\n[roles.b]\nwithout = [\"chat\"]\n", 3,
     "grants no permission"),
])
def test_mistakes_name_the_file_and_line(text: str, line: int, words: str) -> None:
    with pytest.raises(RolesFileError) as caught:
        parse(text, "/etc/zuoxi/roles.toml")
    assert caught.value.line == line
    assert str(caught.value).startswith(f"/etc/zuoxi/roles.toml:{line}: ")
    assert words in str(caught.value)


def test_an_unreadable_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(RolesFileError, match=r"roles\.toml: cannot be read"):
        load(tmp_path / "roles.toml")
