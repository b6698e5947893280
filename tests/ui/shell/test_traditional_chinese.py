"""Traditional Chinese (zh_TW) beside Simplified Chinese: made from zh_CN by build/
make_zh_tw.py (OpenCC's Taiwan phrases plus reviewed terms), complete, and chosen for
Taiwan, Hong Kong and Macau."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QCoreApplication, QLocale

from desktop.translations import install_translators, resolve_language

ROOT = Path(__file__).resolve().parents[3]
TS = ROOT / "resources" / "translations"


def _messages(path: Path) -> list[tuple[str, str]]:
    text = path.read_text(encoding="utf-8")
    return re.findall(r"<source>(.*?)</source>.*?<translation[^>]*>(.*?)</translation>",
                      text, flags=re.S)


def test_every_simplified_string_has_its_traditional_twin() -> None:
    simplified, traditional = _messages(TS / "zuoxi_zh_CN.ts"), _messages(TS / "zuoxi_zh_TW.ts")
    assert [s for s, _ in simplified] == [s for s, _ in traditional]
    assert len(traditional) > 500
    for (source, cn), (_, tw) in zip(simplified, traditional, strict=True):
        assert tw.strip(), f"empty: {source}"
        marks = sorted(re.findall(r"\{\d+\}|%n|&amp;\w", cn))
        assert sorted(re.findall(r"\{\d+\}|%n|&amp;\w", tw)) == marks, source
    tw_text = " ".join(tw for _, tw in traditional)
    for simplified_only in ("设置", "信息", "显示", "软件", "网络", "数据"):
        assert simplified_only not in tw_text


@pytest.mark.skipif(shutil.which("opencc") is None, reason="needs opencc (Debian: opencc)")
def test_the_catalog_is_what_the_build_script_makes_of_zh_cn() -> None:
    result = subprocess.run([sys.executable, "build/make_zh_tw.py", "--check"], cwd=ROOT,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr


def test_language_choice_and_the_installed_catalog(qapp: Any) -> None:
    assert resolve_language("zh_TW") == "zh_TW"
    assert resolve_language("zh_HK") == "zh_TW"
    assert resolve_language("zh_CN") == "zh_CN"
    assert resolve_language("zh_SG") == "zh_CN"
    previous = QLocale()
    for language, expected in (("zh_TW", "簡易模式"), ("zh_CN", "简易模式")):
        translators = install_translators(qapp, language)
        try:
            assert QCoreApplication.translate("SettingsDialog", "Easy mode") == expected
        finally:
            for translator in translators:
                qapp.removeTranslator(translator)
    QLocale.setDefault(previous)
