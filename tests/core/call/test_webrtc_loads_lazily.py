"""The WebRTC stack (aiortc, PyAV: tens of megabytes) loads when a call needs it,
on the media thread, not when the desktop starts."""

from __future__ import annotations

import os
import subprocess
import sys

SCRIPT = """
import sys, time
from core.call.call_manager import CallManager
from core.call.media_thread import MediaEngine, MediaThread
import desktop.call_setup  # what the desktop imports at start
assert "aiortc" not in sys.modules and "av" not in sys.modules, "loaded at start"
thread = MediaThread()
thread.start()
engine = MediaEngine(thread)
engine.prepare()  # what a ringing call does
for _ in range(400):
    if "aiortc" in sys.modules:
        break
    time.sleep(0.025)
thread.stop()
assert "aiortc" in sys.modules, "prepare() did not load the stack"
print("ok")
"""


def test_webrtc_stack_loads_on_first_call_not_at_start() -> None:
    proc = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True,
                          timeout=60, env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert proc.stdout.strip() == "ok"
