"""A throw-away PostgreSQL cluster in a temporary directory, for tests and benchmarks.

Debian's server binaries (``postgresql`` package) live in /usr/lib/postgresql/<v>/bin.
PostgreSQL refuses to run as root, so as root the cluster belongs to the
``postgres`` user (made by the package; ``nobody`` otherwise) and its commands run
through ``runuser``. The cluster listens only on a Unix socket inside its own
directory (no port to collide with), trusts local connections, and trades
durability for speed (no fsync): nothing here outlives the run.
"""

from __future__ import annotations

import contextlib
import os
import pwd
import shutil
import subprocess
import tempfile
from pathlib import Path
from urllib.parse import quote

SUPERUSER = "zuoxi"


class ClusterError(RuntimeError):
    """PostgreSQL's binaries are missing, or the cluster would not start."""


def server_bin_dir() -> Path:
    """The newest installed PostgreSQL server's bin directory."""
    found = sorted(
        (p for p in Path("/usr/lib/postgresql").glob("*/bin") if (p / "initdb").exists()),
        key=lambda p: int(p.parent.name) if p.parent.name.isdigit() else 0,
    )
    if not found:
        raise ClusterError("PostgreSQL server binaries not found (apt-get install postgresql)")
    return found[-1]


def _owner() -> str | None:
    """The user the server runs as when we are root; None: run as ourselves."""
    if os.geteuid() != 0:
        return None
    for name in ("postgres", "nobody"):
        with contextlib.suppress(KeyError):
            pwd.getpwnam(name)
            return name
    raise ClusterError("running as root and neither a postgres nor a nobody user exists")


class PostgresCluster:
    def __init__(self, root: Path | None = None) -> None:
        self.bin = server_bin_dir()
        self.owner = _owner()
        # Unix socket paths are limited to about 100 bytes: keep the directory short.
        self.root = Path(root) if root else Path(tempfile.mkdtemp(prefix="zxpg-", dir="/tmp"))
        self.data = self.root / "data"
        self.socket_dir = self.root
        self.started = False

    def _run(self, *args: str) -> subprocess.CompletedProcess[str]:
        cmd = [str(self.bin / args[0]), *args[1:]]
        if self.owner:
            cmd = ["runuser", "-u", self.owner, "--", *cmd]
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
        if proc.returncode != 0:
            output = proc.stderr or proc.stdout
            raise ClusterError(f"{args[0]} failed ({proc.returncode}): {output}")
        return proc

    def start(self) -> None:
        self.root.mkdir(parents=True, exist_ok=True)
        if self.owner:
            user = pwd.getpwnam(self.owner)
            os.chown(self.root, user.pw_uid, user.pw_gid)
        self._run(
            "initdb", "-D", str(self.data), "-U", SUPERUSER, "--auth=trust",
            "--encoding=UTF8", "--locale=C", "--no-sync",
        )
        options = " ".join((
            "-c listen_addresses=''",
            f"-c unix_socket_directories={self.socket_dir}",
            "-c fsync=off", "-c synchronous_commit=off", "-c full_page_writes=off",
            "-c max_connections=200", "-c shared_buffers=32MB",
        ))
        self._run(
            "pg_ctl", "-D", str(self.data), "-l", str(self.root / "server.log"),
            "-o", options, "-w", "-t", "60", "start",
        )
        self.started = True

    def url(self, database: str = "postgres") -> str:
        """A ``postgresql://`` URL of ``database`` over the cluster's socket."""
        return f"postgresql://{SUPERUSER}@/{database}?host={quote(str(self.socket_dir))}"

    def execute(self, sql: str, database: str = "postgres") -> list[tuple[object, ...]]:
        """Run one statement as the superuser outside a transaction (CREATE DATABASE
        needs that); the rows it returned, if any."""
        import psycopg  # only the PostgreSQL paths need the driver

        with psycopg.connect(
            dbname=database, user=SUPERUSER, host=str(self.socket_dir), autocommit=True
        ) as conn, conn.cursor() as cur:
            cur.execute(sql.encode())
            return list(cur.fetchall()) if cur.description else []

    def stop(self) -> None:
        if self.started:
            with contextlib.suppress(ClusterError, subprocess.TimeoutExpired):
                self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")
            self.started = False
        shutil.rmtree(self.root, ignore_errors=True)

    def log_text(self) -> str:
        path = self.root / "server.log"
        return path.read_text(errors="replace")[-4000:] if path.exists() else ""

    def __enter__(self) -> PostgresCluster:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()
