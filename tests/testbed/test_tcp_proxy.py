"""The proxy a test cuts: forwards, resets on a cut, blackholes while cut, forwards
again after restore (testbed/tcp_proxy.py)."""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from collections.abc import Callable, Iterator

import pytest

from testbed.tcp_proxy import TcpProxy


class EchoServer:
    def __init__(self) -> None:
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        self.accepted = 0
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.accepted += 1
            threading.Thread(target=self._echo, args=(conn,), daemon=True).start()

    @staticmethod
    def _echo(conn: socket.socket) -> None:
        with conn, contextlib.suppress(ConnectionResetError):  # the proxy's cut
            while data := conn.recv(4096):
                conn.sendall(data)


@pytest.fixture
def echo() -> Iterator[EchoServer]:
    server = EchoServer()
    yield server
    server.sock.close()


def _until(condition: Callable[[], bool], timeout: float = 5) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "condition not met in time"
        time.sleep(0.01)


def _round_trip(port: int, data: bytes) -> bytes:
    with socket.create_connection(("127.0.0.1", port), timeout=5) as sock:
        sock.sendall(data)
        return sock.recv(4096)


def test_cut_resets_open_links_blackholes_new_ones_and_restore_forwards(
        echo: EchoServer) -> None:
    with TcpProxy(("127.0.0.1", echo.port)) as proxy:
        assert _round_trip(proxy.port, b"one") == b"one"
        held = socket.create_connection(("127.0.0.1", proxy.port), timeout=5)
        held.sendall(b"two")
        assert held.recv(4096) == b"two"
        _until(lambda: proxy.open_links() == 1)

        assert proxy.cut() == 1
        with pytest.raises(ConnectionResetError):  # reset, as a broken path is seen
            held.sendall(b"x")
            held.recv(4096)
        held.close()
        accepted = echo.accepted
        silent = socket.create_connection(("127.0.0.1", proxy.port), timeout=5)
        silent.sendall(b"lost")
        _until(lambda: proxy.blackholed == 1)
        assert echo.accepted == accepted, "nothing reached the target during the cut"

        proxy.restore()
        assert _round_trip(proxy.port, b"three") == b"three"
        assert echo.accepted == accepted + 1
        silent.close()
