"""The email thread benchmark runs through the bench command (its number is judged
in the README, not here)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_email_view_suite_writes_its_figures(tmp_path: Path) -> None:
    out = tmp_path / "results.json"
    proc = subprocess.run(
        [sys.executable, "-m", "bench", "--only", "email_view", "--runs", "1",
         "--output", str(out)],
        cwd=ROOT, capture_output=True, text=True, timeout=240,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    result = json.loads(out.read_text())["results"]["email_view"]
    assert result["mails_per_thread"] == 50 and result["html_bytes_per_mail"] > 1000
    assert result["thread_open_ms"]["n"] >= 5 and result["thread_open_ms"]["median"] > 0
