"""Email settings from `zuoxi-hub serve` options: secrets from env or 0600 files only."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest

from hub.email.cli_options import add_email_arguments, email_config
from hub.email.config import ConfigError, Security


def _args(*argv: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    add_email_arguments(parser)
    return parser.parse_args(list(argv))


def test_no_mailbox_means_no_email() -> None:
    assert email_config(_args()) is None


def test_imap_without_mailbox_is_refused() -> None:
    with pytest.raises(ConfigError, match="--email-mailbox"):
        email_config(_args("--imap-host", "imap.example.com"))


def test_password_file_must_be_private(tmp_path: Path) -> None:
    secret = tmp_path / "pw"
    secret.write_text("hunter2\n")
    secret.chmod(0o644)
    args = _args("--email-mailbox", "s@example.com", "--imap-host", "h",
                 "--imap-password-file", str(secret))
    with pytest.raises(ConfigError, match="chmod 600"):
        email_config(args)
    secret.chmod(0o600)
    config = email_config(args)
    assert config is not None and config.imap is not None
    assert config.imap.password is not None and config.imap.password.reveal() == "hunter2"
    assert "hunter2" not in repr(config)  # safe to log


def test_password_from_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    args = _args("--email-mailbox", "s@example.com", "--smtp-host", "smtp.example.com",
                 "--smtp-password-env", "ZX_TEST_SMTP", "--smtp-security", "tls")
    with pytest.raises(ConfigError, match="ZX_TEST_SMTP"):
        email_config(args)
    monkeypatch.setenv("ZX_TEST_SMTP", "s3cret")
    config = email_config(args)
    assert config is not None and config.smtp is not None
    assert config.smtp.security is Security.TLS
    assert config.smtp.password is not None and config.smtp.password.reveal() == "s3cret"
    assert "s3cret" not in repr(config)
