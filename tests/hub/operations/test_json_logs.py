"""JSON log lines: one object per line, the process named, secrets still blanked."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator

import pytest

from core import redaction
from hub.operations.json_logs import JsonFormatter

SECRET = "s3cret-token-value-9f2"


@pytest.fixture
def logger() -> Iterator[tuple[logging.Logger, io.StringIO]]:
    out = io.StringIO()
    handler = logging.StreamHandler(out)
    handler.setFormatter(JsonFormatter("hub-b"))
    handler.addFilter(redaction.RedactingFilter())
    log = logging.getLogger("hub.test_json_logs")
    log.addHandler(handler)
    log.setLevel(logging.INFO)
    log.propagate = False
    yield log, out
    log.removeHandler(handler)


def _lines(out: io.StringIO) -> list[dict[str, object]]:
    return [json.loads(line) for line in out.getvalue().splitlines()]


def test_one_object_per_line_with_the_process(
    logger: tuple[logging.Logger, io.StringIO]
) -> None:
    log, out = logger
    log.warning("first\nline two of %s", "one message")
    log.info("李娜 signed in")
    first, second = _lines(out)
    assert first["message"] == "first\nline two of one message"
    assert first["level"] == "warning" and first["logger"] == "hub.test_json_logs"
    assert first["process"] == "hub-b" and isinstance(first["pid"], int)
    assert str(first["time"]).endswith("Z") and "T" in str(first["time"])
    assert second["message"] == "李娜 signed in"


def test_secrets_are_redacted_in_json_mode(logger: tuple[logging.Logger, io.StringIO]) -> None:
    log, out = logger
    redaction.remember(SECRET)
    log.info("sign-in answered %s", {"token": SECRET})
    log.info('request body {"password": "hunter2-long"}')
    try:
        raise ValueError(f"bad token {SECRET}")
    except ValueError:
        log.exception("failed")
    text = out.getvalue()
    assert SECRET not in text and "hunter2-long" not in text
    lines = _lines(out)
    assert all(redaction.MASK in str(line["message"]) for line in lines[:2])
    assert "ValueError: bad token ***" in str(lines[2]["exception"])


def test_the_formatter_redacts_even_without_the_filter() -> None:
    redaction.remember(SECRET)
    record = logging.LogRecord("hub", logging.ERROR, __file__, 1, "got %s", (SECRET,), None)
    assert SECRET not in JsonFormatter("hub-c").format(record)
