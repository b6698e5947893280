"""A keyring backend for benchmark runs: the token of a returning agent.

The desktop reads its token from the OS keyring at start; benchmark machines have
none, so the bench points ``PYTHON_KEYRING_BACKEND`` here and passes the token in
``ZUOXI_BENCH_TOKEN``. Never used outside the bench.
"""

from __future__ import annotations

import os

from keyring.backend import KeyringBackend


class BenchKeyring(KeyringBackend):
    priority = 1

    def get_password(self, service: str, username: str) -> str | None:
        return os.environ.get("ZUOXI_BENCH_TOKEN")

    def set_password(self, service: str, username: str, password: str) -> None:
        os.environ["ZUOXI_BENCH_TOKEN"] = password

    def delete_password(self, service: str, username: str) -> None:
        os.environ.pop("ZUOXI_BENCH_TOKEN", None)
