"""Build the installable desktop: a PyInstaller one-folder bundle in build/out/dist/zuoxi.

    python build/build_desktop.py           # build (PyInstaller fetched into build/out/tools
                                            # on the first run if it is not installed)
    build/out/dist/zuoxi/zuoxi              # run it: the local demo hub, like ./dev run

PyInstaller is a build-time tool only: it is installed into build/out/tools (ignored
by git), never into the project's environment, and the bundle does not contain it.
The desktop entry, icon and AppStream metadata are in packaging/.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "build" / "out"
TOOLS = OUT / "tools"
DIST = OUT / "dist"
BUNDLE = DIST / "zuoxi"
PYINSTALLER = "pyinstaller>=6.10"


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(TOOLS), str(ROOT), env.get("PYTHONPATH", "")])
    return env


def ensure_pyinstaller() -> None:
    probe = subprocess.run([sys.executable, "-c", "import PyInstaller"], env=_env(),
                           capture_output=True)
    if probe.returncode == 0:
        return
    print(f"fetching {PYINSTALLER} into {TOOLS.relative_to(ROOT)} (build-time only)",
          flush=True)
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--target", str(TOOLS),
                    PYINSTALLER], check=True)


def build() -> Path:
    subprocess.run([sys.executable, str(ROOT / "build" / "build_translations.py"), "--force"],
                   check=True, cwd=ROOT)
    ensure_pyinstaller()
    subprocess.run([sys.executable, "-m", "PyInstaller", str(ROOT / "packaging" / "zuoxi.spec"),
                    "--noconfirm", "--log-level", "WARN", "--distpath", str(DIST),
                    "--workpath", str(OUT / "pyinstaller-work")],
                   check=True, cwd=ROOT, env=_env())
    executable = BUNDLE / "zuoxi"
    if not executable.exists():
        raise SystemExit(f"the build left no {executable}")
    return executable


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.parse_args(argv)
    print(build().relative_to(ROOT))
    return 0


if __name__ == "__main__":
    sys.exit(main())
