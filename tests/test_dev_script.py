"""The ``dev`` script's help, and a quiet start: no translation build output once
the catalogs are up to date."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("flag", ["--help", "-h", "help"])
def test_dev_help_is_not_an_error(flag: str) -> None:
    done = subprocess.run([str(ROOT / "dev"), flag], capture_output=True, text=True,
                          timeout=30, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("Usage: ./dev")
    for command in ("run", "test", "bench", "setup"):
        assert f"\n  {command} " in done.stdout


def test_dev_unknown_command_shows_the_usage_and_fails() -> None:
    done = subprocess.run([str(ROOT / "dev"), "frobnicate"], capture_output=True, text=True,
                          timeout=30, check=False)
    assert done.returncode != 0
    assert "Usage: ./dev" in done.stderr and "unknown command 'frobnicate'" in done.stderr


def test_translation_build_is_silent_when_up_to_date() -> None:
    script = [sys.executable, str(ROOT / "build" / "build_translations.py")]
    subprocess.run(script, capture_output=True, text=True, timeout=120, check=True)
    again = subprocess.run(script, capture_output=True, text=True, timeout=120, check=True)
    assert again.stdout == "" and again.stderr == ""
