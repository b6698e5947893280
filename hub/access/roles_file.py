"""Custom roles from a TOML file, validated; every error names the file and line.

    [roles.qa_analyst]
    description = "Reviews quality and reads reports"
    like = "agent"                       # optional: start from a built-in role
    permissions = ["qa.review", "reports"]
    without = ["transfer"]               # optional: taken away from ``like``

A role's name is 1-20 lowercase letters, digits, ``_`` or ``-``, starting with a
letter, and may not be a built-in role's name.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from hub.access.permissions import BUILTIN_ROLES, Permission

ROLE_NAME = re.compile(r"[a-z][a-z0-9_-]{0,19}")
_KEYS = ("description", "like", "permissions", "without")
_TOML_LINE = re.compile(r"at line (\d+)")


class RolesFileError(ValueError):
    """The roles file is wrong: ``file:line: message``."""

    def __init__(self, file: str, line: int | None, message: str) -> None:
        where = f"{file}:{line}" if line is not None else file
        super().__init__(f"{where}: {message}")
        self.file = file
        self.line = line


@dataclass(frozen=True)
class RoleDefinition:
    name: str
    permissions: frozenset[Permission]
    description: str = ""


class _Lines:
    """Finds the line a table or key was written on (tomllib keeps no positions)."""

    def __init__(self, text: str) -> None:
        self._lines = text.splitlines()

    def of_table(self, name: str) -> int | None:
        header = re.compile(r"\s*\[\s*roles\s*\.\s*[\"']?" + re.escape(name) + r"[\"']?\s*\]")
        for n, line in enumerate(self._lines, 1):
            if header.match(line):
                return n
        return None

    def of_key(self, table: str, key: str) -> int | None:
        start = self.of_table(table)
        if start is None:
            return None
        pattern = re.compile(r"\s*[\"']?" + re.escape(key) + r"[\"']?\s*=")
        for n in range(start, len(self._lines)):
            line = self._lines[n]
            if line.lstrip().startswith("["):
                break
            if pattern.match(line):
                return n + 1
        return start


def _names(value: Any, file: str, line: int | None, key: str) -> frozenset[Permission]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise RolesFileError(file, line, f"{key} must be a list of permission names")
    known = {p.value for p in Permission}
    for v in value:
        if v not in known:
            raise RolesFileError(file, line, f"{key}: unknown permission {v!r}; known: "
                                 + ", ".join(sorted(known)))
    return frozenset(Permission(v) for v in value)


def parse(text: str, file: str = "<roles>") -> list[RoleDefinition]:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        found = _TOML_LINE.search(str(exc))
        at = int(found.group(1)) if found else max(1, len(text.splitlines()))
        raise RolesFileError(file, at, f"not valid TOML ({exc})") from None
    lines = _Lines(text)
    unknown = sorted(set(data) - {"roles"})
    if unknown:
        raise RolesFileError(file, None, f"unknown table or key {unknown[0]!r}; roles are "
                             "written as [roles.NAME]")
    roles = data.get("roles", {})
    if not isinstance(roles, dict):
        raise RolesFileError(file, None, "roles must be tables: [roles.NAME]")
    out: list[RoleDefinition] = []
    for name, body in roles.items():
        line = lines.of_table(name)
        if not ROLE_NAME.fullmatch(name):
            raise RolesFileError(file, line, f"role name {name!r}: use 1-20 lowercase "
                                 "letters, digits, _ or -, starting with a letter")
        if name in BUILTIN_ROLES:
            raise RolesFileError(file, line, f"{name!r} is a built-in role; choose another "
                                 "name")
        if not isinstance(body, dict):
            raise RolesFileError(file, line, f"roles.{name} must be a table")
        for key in body:
            if key not in _KEYS:
                raise RolesFileError(file, lines.of_key(name, key),
                                     f"roles.{name}: unknown key {key!r}; use "
                                     + ", ".join(_KEYS))
        description = body.get("description", "")
        if not isinstance(description, str) or len(description) > 200:
            raise RolesFileError(file, lines.of_key(name, "description"),
                                 f"roles.{name}.description must be text (200 characters)")
        granted: frozenset[Permission] = frozenset()
        if "like" in body:
            like = body["like"]
            if not isinstance(like, str) or like not in BUILTIN_ROLES:
                raise RolesFileError(file, lines.of_key(name, "like"),
                                     f"roles.{name}.like: {like!r} is not a built-in role ("
                                     + ", ".join(BUILTIN_ROLES) + ")")
            granted = BUILTIN_ROLES[like]
        if "permissions" in body:
            granted |= _names(body["permissions"], file, lines.of_key(name, "permissions"),
                              f"roles.{name}.permissions")
        if "without" in body:
            granted -= _names(body["without"], file, lines.of_key(name, "without"),
                              f"roles.{name}.without")
        if not granted:
            raise RolesFileError(file, line, f"roles.{name} grants no permission")
        out.append(RoleDefinition(name, granted, description))
    return out


def load(path: str | Path) -> list[RoleDefinition]:
    file = Path(path)
    try:
        text = file.read_text(encoding="utf-8")
    except OSError as exc:
        raise RolesFileError(str(file), None, f"cannot be read ({exc.strerror})") from None
    except UnicodeDecodeError:
        raise RolesFileError(str(file), None, "is not UTF-8 text") from None
    return parse(text, str(file))
