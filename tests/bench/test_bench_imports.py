"""What the wheel ships never imports tests/ (the wheel does not ship it)."""

from __future__ import annotations

import ast
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _shipped_packages() -> list[str]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    packages: list[str] = config["tool"]["hatch"]["build"]["targets"]["wheel"]["packages"]
    return packages


def imports_of_tests(source: str) -> list[str]:
    """The modules under ``tests`` that ``source`` imports, wherever the import is."""
    found = []
    for node in ast.walk(ast.parse(source)):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        found += [n for n in names if n == "tests" or n.startswith("tests.")]
    return found


def test_the_check_sees_top_level_and_nested_imports() -> None:
    source = (
        "import os\nimport tests\nfrom tests.support import x\n"
        "def f():\n    import tests.support.netns as n\n    from testbed import y\n"
    )
    assert imports_of_tests(source) == ["tests", "tests.support", "tests.support.netns"]


def test_bench_and_every_shipped_package_import_nothing_from_tests() -> None:
    packages = _shipped_packages()
    assert "bench" in packages and "testbed" in packages
    offenders = {
        str(path.relative_to(ROOT)): found
        for package in packages
        for path in sorted((ROOT / package).rglob("*.py"))
        if (found := imports_of_tests(path.read_text(encoding="utf-8")))
    }
    assert offenders == {}
