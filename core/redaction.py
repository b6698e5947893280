"""Secrets never reach a log: a filter on every handler that blanks them.

Libraries log what they hold at DEBUG: qasync logs each callback it schedules,
and a callback that signs in carries the password and, once answered, the token
(finding 16). The filter blanks every secret registered here (``remember``: the
password typed, the token the hub gave, the one read from the keyring) wherever it
appears in a record's message, arguments, traceback or stack, and the shapes a
secret takes in a request whatever its value (``"password": "…"``,
``Bearer …``, ``token=…``). The registry is process-wide, like logging itself.
Thread: any.
"""

from __future__ import annotations

import logging
import re
import threading

MASK = "***"
_MIN_SECRET = 4  # shorter strings would blank ordinary words

_SHAPES = [
    re.compile(r"""(?i)(["']?(?:password|passwd|token|secret)["']?\s*[:=]\s*["']?)"""
               r"""([^"'\s,&;)}]+)"""),
    re.compile(r"(?i)(bearer\s+)([A-Za-z0-9._~+/=-]+)"),
]

_lock = threading.Lock()
_secrets: set[str] = set()


def remember(secret: str | None) -> None:
    """Blank ``secret`` in every log record from now on."""
    if secret and len(secret) >= _MIN_SECRET:
        with _lock:
            _secrets.add(secret)


def redact(text: str) -> str:
    with _lock:
        secrets = sorted(_secrets, key=len, reverse=True)
    for secret in secrets:
        if secret in text:
            text = text.replace(secret, MASK)
        shown = repr(secret)[1:-1]  # as it appears inside a repr (escaped)
        if shown != secret and shown in text:
            text = text.replace(shown, MASK)
    for shape in _SHAPES:
        text = shape.sub(lambda m: m.group(1) + MASK, text)
    return text


class RedactingFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a broken format string: keep it, args and all, as text
            message = f"{record.msg!r} {record.args!r}"
            record.msg, record.args = redact(message), None
        else:
            self._redact_message(record, message)
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        return True


    @staticmethod
    def _redact_message(record: logging.LogRecord, message: str) -> None:
        """Keep the record's shape (its ``args``: some formatters read them, such as
        uvicorn's access lines) when redacting each part is enough; else the whole
        message, redacted, becomes the text."""
        if redact(message) == message:
            return  # nothing to hide
        if isinstance(record.args, tuple) and isinstance(record.msg, str):
            args = tuple(redact(a) if isinstance(a, str) else a for a in record.args)
            msg = redact(record.msg)
            try:
                shaped = msg % args if args else msg
            except Exception:
                shaped = None
            if shaped is not None and redact(shaped) == shaped:
                record.msg, record.args = msg, args
                return
        record.msg, record.args = redact(message), None


def install(root: logging.Logger | None = None) -> RedactingFilter:
    """Put the filter on every handler there is (the root's and every logger's)."""
    flt = RedactingFilter()
    loggers = [root or logging.getLogger()]
    loggers += [lg for lg in logging.Logger.manager.loggerDict.values()
                if isinstance(lg, logging.Logger)]
    for logger in loggers:
        for handler in logger.handlers:
            if not any(isinstance(f, RedactingFilter) for f in handler.filters):
                handler.addFilter(flt)
    return flt
