"""A keyring backend for benchmark runs: the token of a returning agent.

The desktop reads its token from the OS keyring at start; benchmark machines have
none, so the bench points ``PYTHON_KEYRING_BACKEND`` here and passes the token in
``ZUOXI_BENCH_TOKEN``. The cache's encryption key (accounts ``cache-key…``) lives in
``ZUOXI_BENCH_CACHE_KEY`` for the process; with ``ZUOXI_BENCH_PLAIN_CACHE=1`` it cannot
be stored, so the desktop keeps a plain cache (the side-by-side runs). Never used
outside the bench.
"""

from __future__ import annotations

import os

from keyring.backend import KeyringBackend


class BenchKeyring(KeyringBackend):
    priority = 1

    @staticmethod
    def _variable(username: str) -> str:
        return "ZUOXI_BENCH_CACHE_KEY" if username.startswith("cache-key") else "ZUOXI_BENCH_TOKEN"

    def get_password(self, service: str, username: str) -> str | None:
        return os.environ.get(self._variable(username))

    def set_password(self, service: str, username: str, password: str) -> None:
        variable = self._variable(username)
        if variable == "ZUOXI_BENCH_CACHE_KEY" and os.environ.get("ZUOXI_BENCH_PLAIN_CACHE"):
            raise RuntimeError("this bench run keeps the cache plain")
        os.environ[variable] = password

    def delete_password(self, service: str, username: str) -> None:
        os.environ.pop(self._variable(username), None)
