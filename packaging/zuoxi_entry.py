"""Entry point of the frozen desktop (PyInstaller one-folder build).

The desktop starts its embedded hub as ``sys.executable -m hub serve …``; in a
frozen build ``sys.executable`` is this program, so ``-m hub`` is dispatched here
to the hub's command line, and anything else starts the desktop.
"""

from __future__ import annotations

import multiprocessing
import sys


def main() -> int:
    multiprocessing.freeze_support()
    if sys.argv[1:3] == ["-m", "hub"]:
        from hub.cli import main as hub_main

        sys.argv = ["zuoxi-hub", *sys.argv[3:]]
        return int(hub_main() or 0)
    from desktop.main import main as desktop_main

    return int(desktop_main() or 0)


if __name__ == "__main__":
    sys.exit(main())
