"""A private network namespace for WebRTC tests and benchmarks.

aioice ignores loopback candidates, and tests may not use the machine's own
external address, so calls run inside a namespace made for the purpose: a veth
pair (both ends inside it, each with a 10.x address), links and ``lo`` up.

``network_namespace()`` creates it and moves the *calling thread* into it with
setns(2); threads and subprocesses started from that thread afterwards are inside
too (the hub subprocess, the media thread, Chromium). On exit the thread returns
to its original namespace and the namespace is deleted.

Needs root and the ``ip`` tool; ``unavailable_reason()`` says clearly why not.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import secrets
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass

CLONE_NEWNET = 0x40000000


def unavailable_reason() -> str | None:
    """Why namespaces cannot be made here, or None when they can."""
    if os.name != "posix" or not os.path.exists("/proc/self/ns/net"):
        return "network namespaces need Linux"
    if os.geteuid() != 0:
        return "creating a network namespace needs root (CI runs as root)"
    if shutil.which("ip") is None:
        return "the `ip` tool (iproute2) is not installed"
    return None


def _ip(*args: str) -> None:
    result = subprocess.run(["ip", *args], capture_output=True, text=True, timeout=10)
    if result.returncode != 0:
        raise RuntimeError(f"ip {' '.join(args)} failed: {result.stderr.strip()}")


def _setns(fd: int) -> None:
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.setns(fd, CLONE_NEWNET) != 0:
        err = ctypes.get_errno()
        raise OSError(err, f"setns failed: {os.strerror(err)}")


@dataclass(frozen=True)
class NetNamespace:
    name: str
    address_a: str  # on veth end "va"
    address_b: str  # on veth end "vb"

    def exec_prefix(self) -> list[str]:
        """Prefix for a command that must run inside from outside the namespace."""
        return ["ip", "netns", "exec", self.name]


@contextlib.contextmanager
def network_namespace() -> Iterator[NetNamespace]:
    reason = unavailable_reason()
    if reason is not None:
        raise RuntimeError(reason)
    name = f"zx-{secrets.token_hex(4)}"
    subnet = f"10.{secrets.randbelow(200) + 20}.{secrets.randbelow(250) + 1}"
    ns = NetNamespace(name, f"{subnet}.1", f"{subnet}.2")
    _ip("netns", "add", name)
    original = os.open("/proc/self/ns/net", os.O_RDONLY)
    try:
        _ip("-n", name, "link", "add", "va", "type", "veth", "peer", "name", "vb")
        _ip("-n", name, "addr", "add", f"{ns.address_a}/24", "dev", "va")
        _ip("-n", name, "addr", "add", f"{ns.address_b}/24", "dev", "vb")
        for dev in ("lo", "va", "vb"):
            _ip("-n", name, "link", "set", dev, "up")
        target = os.open(f"/run/netns/{name}", os.O_RDONLY)
        try:
            _setns(target)
        finally:
            os.close(target)
        try:
            yield ns
        finally:
            _setns(original)
    finally:
        os.close(original)
        subprocess.run(["ip", "netns", "del", name], capture_output=True, timeout=10)
