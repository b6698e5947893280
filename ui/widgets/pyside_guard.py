"""Defence against a reference-counting bug in PySide6 6.12.0.

In that release ``SignalInstance.emit()`` returns ``True`` without owning a
reference to it, so every signal emitted from Python drops the refcount of
``True`` by one. After a few thousand emits it reaches zero and CPython aborts
("bool_dealloc: deallocating True or False"). The project pins a fixed release;
this guard keeps a machine that has the broken one alive: it detects the leak once
at start-up and gives ``True`` a reserve of references no session can use up.
``True`` is never freed anyway (Python 3.12 makes it immortal).
"""

from __future__ import annotations

import ctypes
import logging
import sys

from PySide6.QtCore import QObject, Signal

log = logging.getLogger(__name__)

_RESERVE = 1 << 40
_PROBES = 16


class _Probe(QObject):
    ping = Signal()


def emit_leaks_true() -> bool:
    probe = _Probe()
    before = sys.getrefcount(True)
    for _ in range(_PROBES):
        probe.ping.emit()
    lost = before - sys.getrefcount(True)
    probe.deleteLater()
    return lost >= _PROBES


def guard_signal_refcounts() -> bool:
    """Returns True when the bug was found and neutralised."""
    if sys.implementation.name != "cpython" or sys.version_info >= (3, 12):
        return False  # immortal True: the leak is harmless
    if not emit_leaks_true():
        return False
    # ob_refcnt is the first field of every CPython object.
    ctypes.c_ssize_t.from_address(id(True)).value += _RESERVE
    log.info("PySide6 %s leaks references in Signal.emit(); guarded", _pyside_version())
    return True


def _pyside_version() -> str:
    import PySide6

    return str(PySide6.__version__)
