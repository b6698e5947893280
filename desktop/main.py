"""``zuoxi``: start the agent desktop.

With no arguments it runs a local hub with demo data and signs in as the demo
agent; ``--hub URL`` connects to a remote hub instead (and remembers it).

For benchmarks: ``--exit-after-shown [SECONDS]`` quits that long after the main
window is first exposed on screen, and ``--report-startup FILE`` (or the
environment variable ``ZUOXI_STARTUP_REPORT``) writes a JSON report with the time
from process start to the window being shown and the resident memory then and at
exit. One line ``zuoxi: window shown after N ms`` is printed to stdout as well.
"""

from __future__ import annotations

import time

_T0 = time.perf_counter()  # as early as possible: start-up is measured from here too

import argparse  # noqa: E402
import dataclasses  # noqa: E402
import gc  # noqa: E402
import json  # noqa: E402
import logging  # noqa: E402
import os  # noqa: E402
import signal  # noqa: E402
import sys  # noqa: E402
import traceback  # noqa: E402
from pathlib import Path  # noqa: E402
from types import TracebackType  # noqa: E402
from typing import TYPE_CHECKING  # noqa: E402

if TYPE_CHECKING:
    from desktop.settings import Settings

log = logging.getLogger("zuoxi")

LANGUAGE_FLAGS = ("en", "zh_CN", "zh_TW", "zh")
GC_RESUME_LATEST_S = 10.0  # the collector rests during start-up at most this long


def process_age_ms() -> float | None:
    """Milliseconds since this process was created (Linux), else None."""
    try:
        with open("/proc/self/stat") as stat_file:
            fields = stat_file.read().rsplit(")", 1)[1].split()
        start_ticks = int(fields[19])  # field 22 of stat(5), counted after "(comm)"
        with open("/proc/uptime") as uptime_file:
            uptime = float(uptime_file.read().split()[0])
        return (uptime - start_ticks / os.sysconf("SC_CLK_TCK")) * 1000
    except (OSError, ValueError, IndexError):
        return None


def rss_kb() -> int | None:
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return None


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="zuoxi",
        description="Zuoxi agent desktop. Without --hub it runs a local hub with demo data.",
    )
    parser.add_argument("--hub", metavar="URL", help="connect to this hub (remembered)")
    parser.add_argument(
        "--embedded", action="store_true", help="run the local hub even if a hub is remembered"
    )
    parser.add_argument("--lang", metavar="LANG",
                        help="UI language: en, zh_CN, zh_TW (default: system)")
    parser.add_argument("--theme", choices=["light", "dark"], help="colour theme")
    parser.add_argument(
        "--data-dir", metavar="DIR", type=Path, help="where the cache and settings live"
    )
    parser.add_argument(
        "--exit-after-shown",
        metavar="SECONDS",
        type=float,
        nargs="?",
        const=0.0,
        help="quit this long after the window is first shown (benchmarks)",
    )
    parser.add_argument(
        "--report-startup", metavar="FILE", type=Path, help="write start-up timings as JSON"
    )
    parser.add_argument(
        "--check-consistency",
        action="store_true",
        help="compare the local cache with the hub and exit (0 equal, 1 different, 2 error)",
    )
    parser.add_argument(
        "--rotate-cache-key",
        action="store_true",
        help="re-encrypt the local cache under a new key from the system keyring and exit "
             "(0 done, 2 not possible); the desktop must not be running",
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="log more")
    parser.add_argument("--debug", action="store_true",
                        help="log everything, libraries included (secrets are blanked)")
    return parser


def choose_hub(args: argparse.Namespace, hub_url: str | None, settings: Settings,
               remembered_url: str) -> tuple[str | None, bool]:
    """The hub to use (None: the local demo hub) and whether it was remembered.

    ``--hub URL`` is remembered; later starts without it use that hub again (and say
    so) until ``--embedded`` or the sign-in dialog's "Use the local demo hub"."""
    if args.embedded:
        return None, False
    if args.hub and hub_url:
        settings.hub_url = hub_url
        return hub_url, False
    if remembered_url:
        print(f"zuoxi: using the hub remembered from an earlier --hub: {remembered_url} "
              "(the local demo hub: --embedded)", flush=True)
        return remembered_url, True
    return None, False


def import_sqlite_utils_without_numpy() -> None:
    """Import sqlite_utils before anything else does, hiding numpy and pandas from it.

    sqlite_utils imports numpy (and pandas) when they are installed, only to map
    their scalar types to column types; the cache never stores such values. numpy is
    here for call audio, which loads it when a call needs it. Hidden this way
    (``None`` in ``sys.modules`` makes an import fail), start-up saves about
    150 ms and 15 MB. Later imports of numpy work as usual.
    """
    if "sqlite_utils" in sys.modules:
        return
    hidden = [name for name in ("numpy", "pandas") if name not in sys.modules]
    for name in hidden:
        sys.modules[name] = None  # type: ignore[assignment]
    load_on_first_use("dateutil.parser")
    try:
        import sqlite_utils  # noqa: F401
    finally:
        for name in hidden:
            if sys.modules.get(name, "") is None:
                del sys.modules[name]


def load_on_first_use(name: str) -> None:
    """Register module ``name`` so that it is executed when first used, not imported.

    sqlite_utils imports dateutil's date parser (its ``parsedate`` recipe; the cache
    never calls it), about 15 ms of start-up. Nothing changes for a caller: the
    module runs at its first attribute access.
    """
    if name in sys.modules:
        return
    import importlib.util

    spec = importlib.util.find_spec(name)
    if spec is None or spec.loader is None:
        return
    spec.loader = importlib.util.LazyLoader(spec.loader)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    parent, _, child = name.rpartition(".")
    if parent:
        # bound in its package as an import would, so ``from parent import child``
        # finds it without asking the import system (which would load it)
        setattr(sys.modules[parent], child, module)


def install_excepthook() -> None:
    """Uncaught errors (including those of async slots) are logged, not fatal."""

    def hook(kind: type[BaseException], value: BaseException, tb: TracebackType | None) -> None:
        if issubclass(kind, KeyboardInterrupt):
            sys.__excepthook__(kind, value, tb)
            return
        log.error("uncaught error:\n%s", "".join(traceback.format_exception(kind, value, tb)))

    sys.excepthook = hook


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)  # bad flags: a usage message and exit status 2
    logging.basicConfig(
        level=logging.DEBUG if args.debug else logging.INFO if args.verbose else logging.WARNING,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    from core import redaction

    redaction.install()  # on every handler: passwords and tokens never reach a log
    if args.lang and args.lang not in LANGUAGE_FLAGS:
        parser.error(f"--lang: unknown language {args.lang!r} (choose from en, zh_CN, zh_TW)")
    if args.exit_after_shown is not None and args.exit_after_shown < 0:
        parser.error("--exit-after-shown needs a non-negative number of seconds")
    os.environ.setdefault("QT_API", "pyside6")

    import platformdirs

    from core.session.auth import InvalidHubUrl, normalize_hub_url

    hub_url: str | None = None
    if args.hub:
        try:
            hub_url = normalize_hub_url(args.hub)
        except InvalidHubUrl as exc:
            parser.error(f"--hub: {exc}")
    data_dir: Path = args.data_dir or Path(platformdirs.user_data_dir("zuoxi", appauthor=False))
    try:
        data_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        parser.error(f"cannot use the data directory {data_dir}: {exc}")
    settings_path = (
        data_dir / "settings.ini"
        if args.data_dir
        else Path(platformdirs.user_config_dir("zuoxi", appauthor=False)) / "settings.ini"
    )
    report_path = args.report_startup or (
        Path(os.environ["ZUOXI_STARTUP_REPORT"]) if os.environ.get("ZUOXI_STARTUP_REPORT") else None
    )
    if args.rotate_cache_key:
        from desktop.cache_rotation import run_rotation

        return run_rotation(args, hub_url, data_dir, settings_path)
    if args.check_consistency:
        from desktop.consistency_check import run_check

        return run_check(args, hub_url, data_dir, settings_path)
    return run(args, hub_url, data_dir, settings_path, report_path)


def run(
    args: argparse.Namespace,
    hub_url: str | None,
    data_dir: Path,
    settings_path: Path,
    report_path: Path | None,
) -> int:
    # Start-up builds a few hundred thousand objects that live as long as the app
    # and leaves almost no garbage (about a thousand objects), yet the collector
    # would sweep them all over again as they pile up: some 40 ms of the way to
    # the first window. It rests until the window is shown (see ``shown``).
    gc.disable()
    try:
        return _run(args, hub_url, data_dir, settings_path, report_path)
    finally:
        gc.enable()


def _run(
    args: argparse.Namespace,
    hub_url: str | None,
    data_dir: Path,
    settings_path: Path,
    report_path: Path | None,
) -> int:
    import_sqlite_utils_without_numpy()
    import qasync
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from core.session.preferences import ThemeName
    from desktop.app import DesktopApp, Options
    from desktop.crash_report import CrashWatch
    from desktop.settings import Settings
    from desktop.translations import install_translators, resolve_language
    from ui.widgets.theme import app_icon

    crash = CrashWatch(data_dir)
    crash_report = crash.collect()  # the last run died: its report, to show now
    if crash_report is not None:
        print(f"zuoxi: the last run stopped unexpectedly; crash report: {crash_report}",
              file=sys.stderr, flush=True)
    crash.start()
    install_excepthook()
    app = QApplication(sys.argv[:1])
    app.setApplicationName("Zuoxi")
    app.setOrganizationName("Zuoxi")
    app.setDesktopFileName("zuoxi")
    app.setWindowIcon(app_icon())
    app.setQuitOnLastWindowClosed(False)  # DesktopApp decides when to quit

    settings = Settings(settings_path)
    preferences = settings.preferences()
    if args.theme:
        preferences = dataclasses.replace(preferences, theme=ThemeName(args.theme))
    hub_url, remembered = choose_hub(args, hub_url, settings, preferences.hub_url)
    language = resolve_language(args.lang or preferences.language)
    translators = install_translators(app, language)

    loop = qasync.QEventLoop(app)
    options = Options(
        hub_url=hub_url,
        data_dir=data_dir,
        language=language,
        theme_override=args.theme,
        exit_after_shown=args.exit_after_shown,
        report_path=report_path,
        hub_remembered=remembered,
        crash_report=crash_report,
    )
    desktop = DesktopApp(app, options, settings, preferences=preferences)
    desktop.translators = translators  # replaced when the agent picks another language
    exit_code = 0

    def finished(code: int) -> None:
        nonlocal exit_code
        exit_code = code
        loop.stop()

    desktop.finished.connect(finished)
    report: dict[str, object] = {}

    def shown() -> None:
        if report:
            return
        # What start-up imported and built lives as long as the app: keep it out of
        # the collector's full sweeps, which otherwise stall a big catch-up.
        gc.freeze()
        gc.enable()
        report.update(
            window_shown_ms=round((time.perf_counter() - _T0) * 1000, 1),
            since_process_start_ms=_round(process_age_ms()),
            rss_kb_at_shown=rss_kb(),
            modules_at_shown=len(sys.modules),
            language=language,
            embedded=hub_url is None,
        )
        print(f"zuoxi: window shown after {report['window_shown_ms']} ms", flush=True)
        if args.exit_after_shown is not None:
            desktop.run_later(args.exit_after_shown, desktop.quit)

    desktop.window_shown.connect(shown)
    desktop.login_shown.connect(shown)

    # Ctrl+C and SIGTERM quit cleanly (stopping the local hub). Python only runs its
    # signal handlers when the interpreter gets control, so a timer hands it over.
    for number in (signal.SIGINT, signal.SIGTERM):
        signal.signal(number, lambda *_: desktop.quit())
    wake_python = QTimer()
    wake_python.timeout.connect(lambda: None)
    wake_python.start(250)
    with loop:
        loop.call_later(GC_RESUME_LATEST_S, gc.enable)  # shown or not, it comes back
        loop.call_soon(desktop.start)
        loop.run_forever()
    if report_path is not None and report:
        report["rss_kb_at_exit"] = rss_kb()
        report_path.write_text(json.dumps(report, indent=2))
    del translators
    crash.stop()
    return exit_code


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


if __name__ == "__main__":
    sys.exit(main())
