"""Shared fixtures: real hub processes on free loopback ports."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from hub.process import HubProcess

__all__ = ["HubProcess"]


@pytest.fixture
def make_hub(tmp_path: Path) -> Iterator[Callable[..., HubProcess]]:
    """Start hubs with extra ``zuoxi-hub serve`` flags; all are stopped afterwards."""
    started: list[HubProcess] = []

    def start(*extra_args: str, name: str = "hub") -> HubProcess:
        workdir = tmp_path / name
        proc = HubProcess(db_path=workdir / "hub.sqlite3", workdir=workdir,
                          extra_args=list(extra_args))
        proc.start()
        started.append(proc)
        return proc

    yield start
    for proc in started:
        proc.stop()
        if os.environ.get("ZUOXI_SHOW_HUB_LOG"):
            print(proc.log_text())


@pytest.fixture
def hub(make_hub: Callable[..., HubProcess]) -> HubProcess:
    return make_hub()
