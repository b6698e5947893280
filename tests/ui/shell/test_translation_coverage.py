"""Every string the UI passes through tr() has a Simplified Chinese translation."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
TS = ROOT / "resources" / "translations" / "zuoxi_zh_CN.ts"


def test_lupdate_finds_no_untranslated_string(tmp_path: Path) -> None:
    lupdate = Path(sys.executable).parent / "pyside6-lupdate"
    assert lupdate.exists(), "pyside6-lupdate ships with PySide6"
    ts = tmp_path / TS.name
    shutil.copy(TS, ts)
    sources = sorted(str(p) for d in ("ui", "desktop") for p in (ROOT / d).rglob("*.py"))
    subprocess.run([str(lupdate), *sources, "-ts", str(ts)], check=True, capture_output=True)
    text = ts.read_text(encoding="utf-8")
    unfinished = re.findall(r"<source>(.*?)</source>\s*(?:<comment>.*?</comment>\s*)?"
                            r"<translation type=\"unfinished\"", text, flags=re.S)
    assert unfinished == [], f"untranslated: {unfinished[:10]}"
    assert text.count("<message") >= 50
