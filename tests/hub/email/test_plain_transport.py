"""Finding 9: plain IMAP/SMTP sends the password in clear, so it is refused for
anything but loopback unless explicitly allowed, and the override is logged.

The "remote" server is a real SMTP server (aiosmtpd) on this machine's own
non-loopback address: a connection to it would cross a real interface."""

from __future__ import annotations

import logging
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from hub.email.config import ConfigError, ImapSettings, Secret, Security, SmtpSettings
from hub.email.outbound import SmtpSubmitter
from hub.process import PACKAGE_ROOT
from tests.support.smtp_server import SmtpServer


def _own_address() -> str | None:
    """This machine's address on its default route (no packet is sent)."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        try:
            s.connect(("203.0.113.1", 9))
        except OSError:
            return None
        address = str(s.getsockname()[0])
    return None if address.startswith("127.") else address


ADDRESS = _own_address()
pytestmark = pytest.mark.skipif(ADDRESS is None, reason="needs a non-loopback address")
RAW = b"From: support@example.com\r\nTo: ana@example.net\r\nSubject: hi\r\n\r\nhello\r\n"


@pytest.fixture
def listener() -> Iterator[socket.socket]:
    """A bare listening socket on the non-loopback address: shows any connection."""
    sock = socket.socket()
    sock.bind((ADDRESS, 0))
    sock.listen(8)
    sock.setblocking(False)
    yield sock
    sock.close()


def _connections(sock: socket.socket) -> int:
    n = 0
    while True:
        try:
            conn, _ = sock.accept()
        except BlockingIOError:
            return n
        conn.close()
        n += 1


def test_plain_smtp_and_imap_to_a_remote_host_are_refused(listener: socket.socket) -> None:
    port = listener.getsockname()[1]
    assert ADDRESS is not None
    with pytest.raises(ConfigError, match="--smtp-allow-plain-remote"):
        SmtpSettings(host=ADDRESS, port=port, username="u", password=Secret("pw"),
                     security=Security.PLAIN)
    with pytest.raises(ConfigError, match="--imap-allow-plain-remote"):
        ImapSettings(host=ADDRESS, port=port, security=Security.PLAIN)
    # Settings changed after they were checked are checked again before connecting.
    settings = SmtpSettings(host="127.0.0.1", port=port, username="u", password=Secret("pw"),
                            security=Security.PLAIN)
    settings.host = ADDRESS
    with pytest.raises(ConfigError):
        SmtpSubmitter(settings).submit_blocking(RAW, "support@example.com", ["ana@example.net"])
    # The connect would have completed into the backlog before the call returned.
    assert _connections(listener) == 0
    # Loopback stays allowed (test servers), and TLS to anywhere.
    SmtpSettings(host="127.0.0.1", security=Security.PLAIN)
    SmtpSettings(host="localhost", security=Security.PLAIN)
    SmtpSettings(host=ADDRESS, security=Security.STARTTLS)


def test_the_override_sends_and_says_so_loudly(caplog: pytest.LogCaptureFixture) -> None:
    assert ADDRESS is not None
    server = SmtpServer(host=ADDRESS, user="relay", password="relay-pw").start()
    try:
        with caplog.at_level(logging.WARNING, logger="hub.email.config"):
            settings = SmtpSettings(host=ADDRESS, port=server.port, username="relay",
                                    password=Secret("relay-pw"), security=Security.PLAIN,
                                    allow_plain_remote=True)
            SmtpSubmitter(settings).submit_blocking(RAW, "support@example.com",
                                                    ["ana@example.net"])
    finally:
        server.stop()
    assert [d.recipients for d in server.deliveries] == [["ana@example.net"]]
    warnings = [r.getMessage() for r in caplog.records
                if r.levelno == logging.WARNING and r.name == "hub.email.config"]
    # Once when configured, once per connection.
    assert len(warnings) == 2
    assert all("INSECURE" in w and ADDRESS in w for w in warnings)
    assert not any("relay-pw" in r.getMessage() for r in caplog.records)


@pytest.mark.parametrize("kind", ["smtp", "imap"])
def test_the_hub_refuses_to_start_with_plain_remote_mail(
    kind: str, listener: socket.socket, tmp_path: Path
) -> None:
    assert ADDRESS is not None
    port = str(listener.getsockname()[1])
    args = [sys.executable, "-m", "hub", "serve", "--db", f"{tmp_path}/hub.sqlite3",
            "--port", "0", "--email-mailbox", "support@example.com",
            f"--{kind}-host", ADDRESS, f"--{kind}-port", port, f"--{kind}-security", "plain"]
    done = subprocess.run(args, cwd=PACKAGE_ROOT, capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    assert f"--{kind}-allow-plain-remote" in done.stderr
    assert "Traceback" not in done.stderr
    assert _connections(listener) == 0
