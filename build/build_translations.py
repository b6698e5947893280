"""Compile resources/translations/*.ts into build/out/translations/*.qm.

    python build/build_translations.py            # compile the catalogs that changed
    python build/build_translations.py --force    # compile every catalog
    python build/build_translations.py --update   # first refresh the .ts from the sources

It prints a line per catalog it compiled, and nothing when all are up to date (so
``./dev run`` stays quiet at every start).

The desktop also compiles a missing or stale catalog at start-up; this script is
for packaging and for translators who want to check their work.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from desktop.translations import QM_DIR, TS_DIR, compile_catalog  # noqa: E402


def update_sources() -> None:
    """Re-extract tr() strings from ui/ and desktop/ into every .ts (keeps translations)."""
    lupdate = Path(sys.executable).parent / "pyside6-lupdate"
    sources = sorted(
        str(p.relative_to(ROOT)) for d in ("ui", "desktop") for p in (ROOT / d).rglob("*.py")
    )
    for ts in sorted(TS_DIR.glob("zuoxi_*.ts")):
        # English is the source language: its catalog only needs the plural forms.
        extra = ["-pluralonly", "-locations", "none"] if ts.stem == "zuoxi_en" else []
        subprocess.run([str(lupdate), *sources, "-ts", str(ts.relative_to(ROOT)), "-no-obsolete",
                        *extra], cwd=ROOT, check=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--update", action="store_true", help="run lupdate first")
    parser.add_argument("--force", action="store_true", help="compile even when up to date")
    args = parser.parse_args(argv)
    if args.update:
        update_sources()
    failures = 0
    for ts in sorted(TS_DIR.glob("zuoxi_*.ts")):
        qm = QM_DIR / ts.with_suffix(".qm").name
        fresh = qm.exists() and qm.stat().st_mtime >= ts.stat().st_mtime
        if fresh and not args.force and not args.update:
            continue
        if compile_catalog(ts, qm):
            print(f"{ts.relative_to(ROOT)} -> {qm.relative_to(ROOT)}")
        else:
            print(f"failed: {ts.relative_to(ROOT)}", file=sys.stderr)
            failures += 1
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
