"""Debian's nginx in front of hub processes, for tests and benchmarks: one address.

The site is the shipped example (packaging/nginx/zuoxi.conf) with its upstream
servers, listen address and TLS lines replaced, so the tests exercise the
configuration operators copy. nginx runs in the foreground (``daemon off``) with
one worker, on a loopback port, with its pid file, logs and temporary files in
its own directory: nothing under /etc, /run or /var is touched, and it runs the
same as root or not (as root its worker stays root, so that it can use the
directory).
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import time
from pathlib import Path

EXAMPLE = Path(__file__).resolve().parent.parent / "packaging" / "nginx" / "zuoxi.conf"


class NginxError(RuntimeError):
    """nginx is missing, refused the configuration or did not start."""


def nginx_binary() -> str:
    found = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists()
                                      else None)
    if found is None:
        raise NginxError("nginx not found (apt-get install nginx-light)")
    return found


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _replace(pattern: str, replacement: str, text: str, what: str, count: int = 0) -> str:
    """Replace ``pattern`` in the example; a pattern that no longer matches is an
    error, so a changed example cannot silently leave a line meant for production."""
    new, n = re.subn(pattern, replacement, text, count=count, flags=re.MULTILINE)
    if n == 0:
        raise NginxError(f"the example config has no {what} to replace ({EXAMPLE})")
    return new


def site_config(upstreams: list[str], port: int, fail_timeout_s: int = 10) -> str:
    """The example's site, serving ``upstreams`` (``host:port`` each) on loopback ``port``."""
    text = EXAMPLE.read_text()
    servers = "".join(
        f"    server {u} max_fails=1 fail_timeout={fail_timeout_s}s;\n" for u in upstreams)
    text = _replace(r"^    server \S+:\d+ max_fails=.*\n", "", text, "upstream server")
    text = _replace(r"^(    least_conn;\n)", r"\g<1>" + servers, text, "least_conn line", 1)
    text = _replace(r"^    listen 443 ssl http2;$", f"    listen 127.0.0.1:{port};", text,
                    "listen line")
    text = _replace(r"^    ssl_certificate.*\n", "", text, "certificate lines")
    return text


def main_config(root: Path, site: str) -> str:
    user = "user root;\n" if os.geteuid() == 0 else ""
    temp = "\n".join(f"    {kind}_temp_path {root / 'tmp' / kind};"
                     for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    return (
        f"{user}daemon off;\nworker_processes 1;\npid {root / 'nginx.pid'};\n"
        f"error_log {root / 'error.log'} info;\n"
        "events { worker_connections 4096; }\n"
        "http {\n"
        f"    access_log {root / 'access.log'};\n{temp}\n"
        + site + "}\n"
    )


class Nginx:
    """``Nginx(["127.0.0.1:8001", "127.0.0.1:8002"], workdir).start()``; ``url`` is the
    one address."""

    def __init__(self, upstreams: list[str], workdir: Path, fail_timeout_s: int = 10) -> None:
        if not upstreams:
            raise NginxError("nginx needs at least one hub process behind it")
        self.upstreams = list(upstreams)
        self.root = Path(workdir)
        self.fail_timeout_s = fail_timeout_s
        self.port = 0
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def config_path(self) -> Path:
        return self.root / "nginx.conf"

    def start(self, timeout: float = 10) -> None:
        binary = nginx_binary()
        (self.root / "tmp").mkdir(parents=True, exist_ok=True)
        self.port = _free_port()
        site = site_config(self.upstreams, self.port, self.fail_timeout_s)
        self.config_path.write_text(main_config(self.root, site))
        # -e: the error log before the configuration is read (the default is /var/log).
        args = [binary, "-p", str(self.root), "-e", str(self.root / "error.log"),
                "-c", str(self.config_path)]
        checked = subprocess.run([*args, "-t", "-q"], capture_output=True, text=True, check=False)
        if checked.returncode != 0:
            raise NginxError(f"nginx refused the configuration:\n{checked.stderr}")
        self.proc = subprocess.Popen(args, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                     stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + timeout
        while True:
            if self.proc.poll() is not None:
                raise NginxError(f"nginx exited with {self.proc.returncode}:\n{self.log_text()}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                    return
            except OSError:
                if time.monotonic() > deadline:
                    self.stop()
                    raise NginxError(f"nginx did not listen within {timeout:.0f} s:\n"
                                     f"{self.log_text()}") from None
                time.sleep(0.02)

    def stop(self) -> None:
        if self.proc is None or self.proc.poll() is not None:
            return
        self.proc.send_signal(signal.SIGTERM)  # fast shutdown: connections are closed
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(5)

    def log_text(self) -> str:
        path = self.root / "error.log"
        return path.read_text(errors="replace")[-4000:] if path.exists() else ""

    def __enter__(self) -> Nginx:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()
