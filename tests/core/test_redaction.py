"""The log filter that blanks secrets keeps a record's shape where it can: uvicorn's
access formatter reads the record's arguments (with them gone, every access line at
--log-level info was a "Logging error")."""

from __future__ import annotations

import logging

from uvicorn.logging import AccessFormatter

from core.redaction import MASK, RedactingFilter, remember


def access_record(path: str) -> logging.LogRecord:
    return logging.LogRecord("uvicorn.access", logging.INFO, __file__, 1,
                             '%s - "%s %s HTTP/%s" %d',
                             ("127.0.0.1:5000", "GET", path, "1.1", 200), None)


def test_an_access_line_without_secrets_formats_as_uvicorn_means_it() -> None:
    record = access_record("/healthz")
    assert RedactingFilter().filter(record)
    line = AccessFormatter('%(client_addr)s - "%(request_line)s" %(status_code)s',
                           use_colors=False).format(record)
    assert line == '127.0.0.1:5000 - "GET /healthz HTTP/1.1" 200 OK'


def test_a_secret_in_an_argument_is_blanked_and_the_line_still_formats() -> None:
    remember("tok-3f9a7c1e5b")
    record = access_record("/api/calls/c1/recording?token=tok-3f9a7c1e5b")
    assert RedactingFilter().filter(record)
    line = AccessFormatter('%(request_line)s', use_colors=False).format(record)
    assert "tok-3f9a7c1e5b" not in line and MASK in line and line.startswith("GET /api/calls/c1")


def test_a_secret_inside_another_kind_of_argument_blanks_the_whole_message() -> None:
    remember("pw-8d2e6b4a91")
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "login %s",
                               ({"password": "pw-8d2e6b4a91"},), None)
    assert RedactingFilter().filter(record)
    assert record.args is None and "pw-8d2e6b4a91" not in record.getMessage()
