"""Finding, compiling and installing the UI translations.

Sources are ``resources/translations/zuoxi_<lang>.ts`` (``zuoxi_en.ts`` holds only
English plural forms); compiled catalogs go to
``build/out/translations`` (never committed). A missing or stale catalog is
compiled at start-up with Qt's lrelease, which takes a fraction of a second once.
"""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
import sys
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

log = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parent.parent
TS_DIR = ROOT / "resources" / "translations"
QM_DIR = ROOT / "build" / "out" / "translations"
AVAILABLE = ("zh_CN", "zh_TW")  # English is the source language
# Traditional Chinese where the system locale is one of these
TRADITIONAL = ("zh_TW", "zh_HK", "zh_MO", "zh_Hant")


def lrelease_command() -> list[str] | None:
    import PySide6

    bundled = Path(PySide6.__file__).parent / "lrelease"
    if bundled.exists():
        return [str(bundled)]
    for candidate in (
        shutil.which("pyside6-lrelease"),
        str(Path(sys.executable).parent / "pyside6-lrelease"),
        shutil.which("lrelease"),
    ):
        if candidate and Path(candidate).exists():
            return [candidate]
    return None


def compile_catalog(ts: Path, qm: Path) -> bool:
    command = lrelease_command()
    if command is None:
        log.warning("lrelease not found: cannot compile %s", ts)
        return False
    qm.parent.mkdir(parents=True, exist_ok=True)
    # Written beside it, then renamed over it: a running desktop maps the catalog
    # into memory, and rewriting that file in place would crash it (SIGBUS).
    fresh = qm.with_name(f".{qm.name}.{os.getpid()}.tmp")
    result = subprocess.run(
        [*command, "-silent", str(ts), "-qm", str(fresh)], capture_output=True, text=True
    )
    if result.returncode != 0 or not fresh.exists():
        log.warning("lrelease failed for %s: %s", ts, result.stderr.strip())
        fresh.unlink(missing_ok=True)
        return False
    os.replace(fresh, qm)
    return True


def catalog_for(language: str) -> Path | None:
    """The compiled catalog for ``language``, compiling it when missing or stale."""
    ts = TS_DIR / f"zuoxi_{language}.ts"
    qm = QM_DIR / f"zuoxi_{language}.qm"
    shipped = TS_DIR / f"zuoxi_{language}.qm"  # frozen builds ship compiled catalogs
    if not ts.exists():
        return shipped if shipped.exists() else None
    stale = not qm.exists() or qm.stat().st_mtime < ts.stat().st_mtime
    if stale and not compile_catalog(ts, qm):
        return qm if qm.exists() else None
    return qm


def resolve_language(requested: str | None) -> str:
    """``"zh_CN"``, ``"zh_TW"``, ``"en"``; "" or None follow the system locale."""
    name = requested or QLocale.system().name()
    if name in AVAILABLE or name == "en":
        return name
    if name in TRADITIONAL or "Hant" in name:
        return "zh_TW"
    prefix = name.split("_")[0]
    for language in AVAILABLE:
        if language.split("_")[0] == prefix:
            return language
    return "en"


def install_translators(app: QCoreApplication, language: str) -> list[QTranslator]:
    """Install Zuoxi's and Qt's own catalogs; returns them (keep them alive)."""
    installed: list[QTranslator] = []
    if language == "en":
        # English is the source language; its catalog holds only the plural forms
        # ("1 message", "2 messages") that a "%n message(s)" source cannot show.
        plurals = catalog_for("en")
        translator = QTranslator(app)
        if plurals is not None and translator.load(str(plurals)):
            app.installTranslator(translator)
            installed.append(translator)
        return installed
    QLocale.setDefault(QLocale(language))
    qm = catalog_for(language)
    if qm is not None:
        translator = QTranslator(app)
        if translator.load(str(qm)):
            app.installTranslator(translator)
            installed.append(translator)
        else:
            log.warning("cannot load %s", qm)
    qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    qt_translator = QTranslator(app)
    if qt_translator.load(f"qtbase_{language}", qt_dir):
        app.installTranslator(qt_translator)
        installed.append(qt_translator)
    return installed
