"""Email channel settings: the support mailbox, IMAP in, SMTP out, the embedded receiver.

Passwords never come from the command line (they would show in ``ps``): they are
read from an environment variable or from a file only its owner may read (0600).
``Secret`` never prints its value, so a config can be logged safely.
"""

from __future__ import annotations

import enum
import ipaddress
import logging
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path

log = logging.getLogger(__name__)


class ConfigError(ValueError):
    """A setting is missing or unsafe; the message says which and why."""


def is_loopback_host(host: str) -> bool:
    """Only ``localhost`` and loopback addresses: a name could resolve anywhere."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def check_transport(kind: str, host: str, security: Security, allow_plain_remote: bool) -> None:
    """Refuse clear text to anything but loopback unless explicitly allowed.

    A plain IMAP or SMTP session sends the password (and every mail) in clear.
    The override is logged as a warning each time it is used, so it shows.
    """
    if security is not Security.PLAIN or is_loopback_host(host):
        return
    flag = f"--{kind.lower()}-allow-plain-remote"
    if not allow_plain_remote:
        raise ConfigError(
            f"refusing plain {kind} to {host}: the password and mail would cross the network "
            f"in clear. Use TLS, or give {flag} if this network is trusted."
        )
    log.warning("INSECURE: plain %s to %s (%s): the password and mail travel in clear",
                kind, host, flag)


class Secret:
    def __init__(self, value: str) -> None:
        self._value = value

    def reveal(self) -> str:
        return self._value

    def __repr__(self) -> str:
        return "Secret('***')"

    __str__ = __repr__


def read_secret(env: str | None = None, path: str | Path | None = None) -> Secret | None:
    """A password from ``$env`` or from ``path`` (which must be 0600 or stricter)."""
    if env:
        value = os.environ.get(env)
        if value is None:
            raise ConfigError(f"environment variable {env} is not set")
        return Secret(value)
    if path:
        file = Path(path)
        try:
            mode = file.stat().st_mode
        except OSError as exc:
            raise ConfigError(f"cannot read the password file {file}: {exc.strerror}") from None
        if mode & (stat.S_IRWXG | stat.S_IRWXO):
            raise ConfigError(f"the password file {file} must be readable by its owner only "
                              f"(chmod 600)")
        return Secret(file.read_text(encoding="utf-8").strip())
    return None


class Security(enum.StrEnum):
    TLS = "tls"  # implicit TLS (IMAPS 993, SMTPS 465)
    STARTTLS = "starttls"
    PLAIN = "plain"  # loopback test servers only


class AfterImport(enum.StrEnum):
    FLAG = "flag"  # mark \\Seen (and leave it where it is)
    MOVE = "move"  # move to ``processed_folder``
    NONE = "none"


@dataclass
class ImapSettings:
    host: str
    port: int = 993
    username: str = ""
    password: Secret | None = None
    folder: str = "INBOX"
    security: Security = Security.TLS
    ca_file: str | None = None  # trust this CA (self-signed servers)
    after_import: AfterImport = AfterImport.FLAG
    processed_folder: str = "Zuoxi/Processed"
    poll_s: float = 60.0  # when the server has no IDLE, or between IDLE renewals
    idle: bool = True
    batch: int = 200  # messages fetched per round trip
    allow_plain_remote: bool = False  # clear text to a non-loopback host (logged loudly)
    # With several hub processes on one database one imports: its lease lasts this long
    # after each renewal (renewed every third of it); another takes over after that.
    lease_s: float = 30.0

    def __post_init__(self) -> None:
        check_transport("IMAP", self.host, self.security, self.allow_plain_remote)
        if not 1.0 <= self.lease_s <= 3600.0:
            raise ConfigError("the IMAP lease must last between 1 and 3600 seconds")


@dataclass
class SmtpSettings:
    host: str
    port: int = 587
    username: str = ""
    password: Secret | None = None
    security: Security = Security.STARTTLS
    ca_file: str | None = None
    timeout_s: float = 30.0
    max_attempts: int = 6
    backoff_s: float = 30.0  # doubled after each temporary failure
    allow_plain_remote: bool = False  # clear text to a non-loopback host (logged loudly)

    def __post_init__(self) -> None:
        check_transport("SMTP", self.host, self.security, self.allow_plain_remote)


@dataclass
class ReceiverSettings:
    host: str = "127.0.0.1"
    port: int = 2525
    max_bytes: int = 25 * 1024 * 1024


@dataclass
class DemoSinkSettings:
    """Replies are submitted to a loopback SMTP server that keeps them (hub.email.demo_sink)."""

    directory: str  # a Maildir
    port: int = 0  # 0: any free loopback port
    max_bytes: int = 40 * 1024 * 1024


@dataclass
class EmailConfig:
    mailbox: str  # the support address customers write to, e.g. support@example.com
    display_name: str = "Support"
    imap: ImapSettings | None = None
    smtp: SmtpSettings | None = None
    receiver: ReceiverSettings | None = None
    demo_sink: DemoSinkSettings | None = None  # demos only: never with ``smtp``
    # Uploads no mail used are deleted after this long.
    upload_ttl_s: float = 24 * 3600
    # Where delivery of other domains' mail goes when nothing is configured: nowhere.
    extra: dict[str, str] = field(default_factory=dict)
