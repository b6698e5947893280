"""Crash reports: what a desktop that died (SIGABRT, SIGSEGV, a Qt fatal error) left
behind, collected at the next start and shown there.

While the desktop runs, the ``crash/`` folder under the data directory holds:

- ``running``: a marker, removed on a clean exit;
- ``fault.log``: ``faulthandler``'s Python tracebacks of every thread, written by
  the interpreter itself when a fatal signal arrives;
- ``run.log``: the run's log lines and Qt's messages (warnings included), flushed
  line by line, so the last ones survive a crash.

At the next start a marker still there means the last run did not end cleanly:
``CrashWatch.collect()`` joins the traceback and the last log lines into
``crash-<time>.txt`` beside them and returns its path for the desktop to show.
"""

from __future__ import annotations

import faulthandler
import logging
import time
from collections.abc import Callable
from pathlib import Path
from typing import IO

from PySide6.QtCore import QMessageLogContext, QtMsgType, qInstallMessageHandler

log = logging.getLogger(__name__)

TAIL_LINES = 200
KEEP_REPORTS = 10

QtHandler = Callable[[QtMsgType, QMessageLogContext, str], None]

_QT_LEVELS = {
    QtMsgType.QtDebugMsg: logging.DEBUG,
    QtMsgType.QtInfoMsg: logging.INFO,
    QtMsgType.QtWarningMsg: logging.WARNING,
    QtMsgType.QtCriticalMsg: logging.ERROR,
    QtMsgType.QtFatalMsg: logging.CRITICAL,
}


class CrashWatch:
    """Main thread, before the QApplication exists (``start``) and after it is gone
    (``stop``)."""

    def __init__(self, data_dir: Path) -> None:
        self.folder = data_dir / "crash"
        self.marker = self.folder / "running"
        self.fault_log = self.folder / "fault.log"
        self.run_log = self.folder / "run.log"
        self._fault_file: IO[str] | None = None
        self._handler: logging.FileHandler | None = None
        self._previous_qt: QtHandler | None = None

    # ---- the last run ----------------------------------------------------------------

    def collect(self) -> Path | None:
        """The report of a last run that did not end cleanly, written now; else None."""
        if not self.marker.exists():
            return None
        fault = _read(self.fault_log).strip()
        lines = _read(self.run_log).splitlines()[-TAIL_LINES:]
        started = _read(self.marker).strip()
        report = self.folder / time.strftime("crash-%Y%m%d-%H%M%S.txt")
        report.write_text(
            "Zuoxi stopped unexpectedly.\n"
            f"Run started: {started or 'unknown'}\n\n"
            "== Python (faulthandler) ==\n"
            f"{fault or '(no Python traceback: the process was killed or Qt aborted)'}\n\n"
            f"== Last {len(lines)} log lines (Python and Qt) ==\n" + "\n".join(lines) + "\n",
            encoding="utf-8")
        self.marker.unlink(missing_ok=True)
        for old in sorted(self.folder.glob("crash-*.txt"))[:-KEEP_REPORTS]:
            old.unlink(missing_ok=True)
        return report

    # ---- this run --------------------------------------------------------------------

    def start(self) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        self.marker.write_text(time.strftime("%Y-%m-%d %H:%M:%S %z\n"), encoding="utf-8")
        self._fault_file = self.fault_log.open("w", encoding="utf-8")
        faulthandler.enable(self._fault_file, all_threads=True)
        self._handler = logging.FileHandler(self.run_log, mode="w", encoding="utf-8")
        self._handler.setFormatter(logging.Formatter(
            "%(asctime)s %(levelname)s %(name)s: %(message)s"))
        self._handler.setLevel(logging.INFO)
        root = logging.getLogger()
        root.addHandler(self._handler)
        if root.level > logging.INFO:
            # the file wants INFO; the console keeps the level it had
            for handler in root.handlers:
                if handler is not self._handler and handler.level == logging.NOTSET:
                    handler.setLevel(root.level)
            root.setLevel(logging.INFO)
        self._previous_qt = qInstallMessageHandler(self._qt_message)

    def stop(self) -> None:
        """A clean exit: nothing to report next time."""
        qInstallMessageHandler(self._previous_qt)
        faulthandler.disable()
        if self._fault_file is not None:
            self._fault_file.close()
            self._fault_file = None
        if self._handler is not None:
            logging.getLogger().removeHandler(self._handler)
            self._handler.close()
            self._handler = None
        self.marker.unlink(missing_ok=True)

    def _qt_message(self, kind: QtMsgType, context: QMessageLogContext, message: str) -> None:
        level = _QT_LEVELS.get(kind, logging.WARNING)
        logging.getLogger("qt").log(level, "%s", message)
        if self._handler is not None:
            self._handler.flush()


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""
