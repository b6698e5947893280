"""Variants of the shipped routing file (hub/routing.toml) for hubs under test."""

from __future__ import annotations

from pathlib import Path

from hub.routing.config import DEFAULT_PATH


def routing_variant(directory: Path, changes: dict[str, str], name: str = "routing.toml") -> Path:
    """Write the shipped file with each ``old`` line replaced by ``new``; returns the path.

    Every ``old`` must be a whole line of the shipped file, so a test cannot silently
    keep a default it meant to change.
    """
    lines = DEFAULT_PATH.read_text(encoding="utf-8").splitlines()
    for old, new in changes.items():
        if old not in lines:
            raise KeyError(f"{old!r} is not a line of {DEFAULT_PATH.name}")
        lines[lines.index(old)] = new
    path = directory / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path
