"""Entry point of the frozen desktop (PyInstaller one-folder build).

The desktop starts its embedded hub as ``sys.executable -m hub serve …``, and the
hub its helper processes as ``sys.executable -m hub.<module> …`` (the SMTP listener);
in a frozen build ``sys.executable`` is this program, so ``-m hub`` and
``-m hub.<module>`` are dispatched here, and anything else starts the desktop.
"""

from __future__ import annotations

import multiprocessing
import runpy
import sys


def main() -> int:
    multiprocessing.freeze_support()
    if sys.argv[1:3] == ["-m", "hub"]:
        from hub.cli import main as hub_main

        sys.argv = ["zuoxi-hub", *sys.argv[3:]]
        return int(hub_main() or 0)
    if sys.argv[1:2] == ["-m"] and len(sys.argv) > 2 and sys.argv[2].startswith("hub."):
        module = sys.argv[2]
        sys.argv = [module, *sys.argv[3:]]
        runpy.run_module(module, run_name="__main__", alter_sys=True)
        return 0
    from desktop.main import main as desktop_main

    return int(desktop_main() or 0)


if __name__ == "__main__":
    sys.exit(main())
