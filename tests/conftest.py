"""Shared fixtures: a real hub process on a free loopback port."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from hub.process import HubProcess

__all__ = ["HubProcess"]


@pytest.fixture
def hub(tmp_path: Path) -> Iterator[HubProcess]:
    proc = HubProcess(db_path=tmp_path / "hub.sqlite3", workdir=tmp_path)
    proc.start()
    yield proc
    proc.stop()
    if os.environ.get("ZUOXI_SHOW_HUB_LOG"):
        print(proc.log_text())
