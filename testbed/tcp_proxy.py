"""A TCP proxy the test controls: the network between a hub and its database.

It listens on a loopback port and forwards every connection to a TCP address or a
Unix socket (the test PostgreSQL cluster listens only on one). ``cut()`` makes the
link fail the way a network cut does: every open connection is reset (both ends,
so PostgreSQL ends the backends and their transactions), and new connections are
accepted but never forwarded nor answered (a blackhole: the client's connect
hangs until its own timeout). ``restore()`` forwards new connections again;
connections accepted during the cut stay dead, as their packets were lost.

It runs in its own thread with plain sockets and ``selectors``, so a test whose
event loop is busy cannot slow the link down. Thread: any (the methods lock).
"""

from __future__ import annotations

import contextlib
import selectors
import socket
import struct
import threading
from dataclasses import dataclass

CHUNK = 65536


class ProxyError(RuntimeError):
    """The proxy could not reach its target or was used after stopping."""


@dataclass
class _Link:
    client: socket.socket
    server: socket.socket


def _reset(sock: socket.socket) -> None:
    """Close with a reset (SO_LINGER 0), as a broken network path is seen."""
    with contextlib.suppress(OSError):
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    with contextlib.suppress(OSError):
        sock.close()


class TcpProxy:
    def __init__(self, target: str | tuple[str, int]) -> None:
        """``target``: a Unix socket path, or ``(host, port)``."""
        self.target = target
        self._listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._listener.bind(("127.0.0.1", 0))
        self._listener.listen(128)
        self._listener.setblocking(False)
        self.port: int = self._listener.getsockname()[1]
        self._selector = selectors.DefaultSelector()
        self._lock = threading.Lock()
        self._links: dict[socket.socket, _Link] = {}
        self._held: list[socket.socket] = []  # accepted during a cut: never answered
        self._cut = False
        self._stop = threading.Event()
        self._wake_r, self._wake_w = socket.socketpair()
        self._wake_r.setblocking(False)
        self.accepted = 0
        self.blackholed = 0
        self._thread = threading.Thread(target=self._run, name="tcp-proxy", daemon=True)

    @property
    def address(self) -> tuple[str, int]:
        return ("127.0.0.1", self.port)

    @property
    def is_cut(self) -> bool:
        return self._cut

    def open_links(self) -> int:
        with self._lock:
            return len(self._links) // 2

    def start(self) -> TcpProxy:
        self._selector.register(self._listener, selectors.EVENT_READ, "accept")
        self._selector.register(self._wake_r, selectors.EVENT_READ, "wake")
        self._thread.start()
        return self

    def cut(self) -> int:
        """Reset every open connection and blackhole new ones; how many were reset."""
        with self._lock:
            self._cut = True
            links = {id(link): link for link in self._links.values()}.values()
            for link in links:
                for sock in (link.client, link.server):
                    with contextlib.suppress(KeyError, ValueError):
                        self._selector.unregister(sock)
                    _reset(sock)
            self._links.clear()
        self._wake()
        return len(links)

    def restore(self) -> None:
        """Forward new connections again."""
        with self._lock:
            self._cut = False
        self._wake()

    def stop(self) -> None:
        self._stop.set()
        self._wake()
        self._thread.join(5)
        with self._lock:
            for sock in [*self._links, *self._held]:
                _reset(sock)
            self._links.clear()
            self._held.clear()
        for sock in (self._listener, self._wake_r, self._wake_w):
            sock.close()
        self._selector.close()

    def __enter__(self) -> TcpProxy:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _wake(self) -> None:
        with contextlib.suppress(OSError):
            self._wake_w.send(b"x")

    def _connect_target(self) -> socket.socket:
        if isinstance(self.target, str):
            sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        else:
            sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.settimeout(5)
        sock.connect(self.target)
        sock.setblocking(False)
        return sock

    def _run(self) -> None:
        while not self._stop.is_set():
            for key, _ in self._selector.select(timeout=0.5):
                if key.data == "wake":
                    with contextlib.suppress(OSError):
                        self._wake_r.recv(4096)
                elif key.data == "accept":
                    self._accept()
                else:
                    self._pump(key.fileobj)  # type: ignore[arg-type]

    def _accept(self) -> None:
        try:
            client, _ = self._listener.accept()
        except OSError:
            return
        with self._lock:
            if self._cut:
                self.blackholed += 1
                self._held.append(client)  # open, silent, never forwarded
                return
        try:
            server = self._connect_target()
        except OSError:
            _reset(client)
            return
        client.setblocking(False)
        link = _Link(client, server)
        with self._lock:
            if self._cut:  # cut while connecting
                self._held.append(client)
                _reset(server)
                return
            self.accepted += 1
            self._links[client] = link
            self._links[server] = link
            self._selector.register(client, selectors.EVENT_READ, "pump")
            self._selector.register(server, selectors.EVENT_READ, "pump")

    def _pump(self, sock: socket.socket) -> None:
        with self._lock:
            link = self._links.get(sock)
        if link is None:
            return
        other = link.server if sock is link.client else link.client
        try:
            data = sock.recv(CHUNK)
            if data:
                other.setblocking(True)
                try:
                    other.sendall(data)
                finally:
                    other.setblocking(False)
                return
        except OSError:
            pass
        self._close(link)  # one side ended: end the other

    def _close(self, link: _Link) -> None:
        with self._lock:
            for sock in (link.client, link.server):
                self._links.pop(sock, None)
                with contextlib.suppress(KeyError, ValueError):
                    self._selector.unregister(sock)
                with contextlib.suppress(OSError):
                    sock.close()
