"""Log lines as JSON objects, one per line, for log collectors (``--log-format json``).

Each line holds ``time`` (UTC, ISO 8601 with milliseconds), ``level``, ``logger``,
``message``, the operating-system ``pid`` and the hub process's name
(``process``, from ``--process-name``), and ``exception`` when there is one. The
secrets filter (core.redaction) runs on the handler before any formatter; the
formatter redacts message and exception again, so a handler added after the
filter was installed cannot write a secret either.
"""

from __future__ import annotations

import json
import logging
import os
import time

from core import redaction


class JsonFormatter(logging.Formatter):
    def __init__(self, process_name: str) -> None:
        super().__init__()
        self.process_name = process_name

    def format(self, record: logging.LogRecord) -> str:
        seconds = time.gmtime(record.created)
        stamp = time.strftime("%Y-%m-%dT%H:%M:%S", seconds) + f".{int(record.msecs):03d}Z"
        line: dict[str, object] = {
            "time": stamp,
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": redaction.redact(record.getMessage()),
            "pid": record.process if record.process is not None else os.getpid(),
            "process": self.process_name,
        }
        if record.exc_info and not record.exc_text:
            record.exc_text = self.formatException(record.exc_info)
        if record.exc_text:
            line["exception"] = redaction.redact(record.exc_text)
        if record.stack_info:
            line["stack"] = redaction.redact(record.stack_info)
        return json.dumps(line, ensure_ascii=False, default=str)


def install(process_name: str, root: logging.Logger | None = None) -> JsonFormatter:
    """Give every handler there is (the root's and every logger's, uvicorn's
    included) the JSON formatter."""
    formatter = JsonFormatter(process_name)
    loggers = [root or logging.getLogger()]
    loggers += [lg for lg in logging.Logger.manager.loggerDict.values()
                if isinstance(lg, logging.Logger)]
    for logger in loggers:
        for handler in logger.handlers:
            handler.setFormatter(formatter)
    return formatter
