"""Make resources/translations/zuoxi_zh_TW.ts (Traditional Chinese, Taiwan) from the
Simplified Chinese catalog, with OpenCC's Taiwan phrase conversion (s2twp).

    python build/make_zh_tw.py          # rewrite zuoxi_zh_TW.ts
    python build/make_zh_tw.py --check  # exit 1 if it is not up to date

A build-time tool: it needs the `opencc` command (Debian: opencc), the desktop does
not. Only translations are converted; sources, placeholders ({0}, %n) and shortcut
markers (&) are checked to come through unchanged. TERMS lists where the phrase
conversion reads wrong for this product and what Taiwanese agents say instead;
the converted catalog was read through once and these are the corrections.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
from pathlib import Path
from xml.sax.saxutils import escape, unescape

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "resources" / "translations" / "zuoxi_zh_CN.ts"
TARGET = ROOT / "resources" / "translations" / "zuoxi_zh_TW.ts"
SEPARATOR = "\u2063"  # invisible separator: one per translation, never in a text

# after conversion: (converted, wanted)
TERMS = [
    ("後臺", "後台"),
    ("坐蓆", "坐席"),  # the product's name stays as it is
    ("質量", "品質"),  # call quality
    ("郵箱", "信箱"),  # mailbox, e-mail address
    ("渠道", "管道"),  # channel (chat, email, voice)
    ("賬單", "帳單"),
    ("服務水平", "服務水準"),  # service level
    ("訪問", "存取"),  # access (permissions)
    ("只讀", "唯讀"),
    ("“", "「"),  # Taiwan quotes with corner brackets
    ("”", "」"),
    ("‘", "『"),
    ("’", "』"),
]

_TEXT = re.compile(r"(<translation(?: type=\"[^\"]*\")?>)(.*?)(</translation>)"
                   r"|(<numerusform>)(.*?)(</numerusform>)", re.S)


def convert(texts: list[str]) -> list[str]:
    if shutil.which("opencc") is None:
        raise SystemExit("opencc is needed (Debian: apt-get install opencc)")
    joined = f"\n{SEPARATOR}\n".join(texts)
    out = subprocess.run(["opencc", "-c", "s2twp.json"], input=joined, capture_output=True,
                         text=True, check=True).stdout
    result = out.split(f"\n{SEPARATOR}\n")
    if len(result) != len(texts):
        raise SystemExit("opencc changed the number of texts")
    fixed = []
    for text in result:
        for wrong, right in TERMS:
            text = text.replace(wrong, right)
        fixed.append(text)
    return fixed


def _markers(text: str) -> list[str]:
    return sorted(re.findall(r"\{\d+\}|%n|%\d|&(?=\w)", text))


def build() -> str:
    source = SOURCE.read_text(encoding="utf-8")
    found = [m for m in _TEXT.finditer(source)]
    texts = [unescape(m.group(2) if m.group(1) else m.group(5)) for m in found]
    # a <translation> holding <numerusform>s is converted through its forms
    plain = [i for i, m in enumerate(found) if not (m.group(1) and "<numerusform>" in m.group(2))]
    converted = convert([texts[i] for i in plain])
    for i, text in zip(plain, converted, strict=True):
        if _markers(text) != _markers(texts[i]):
            raise SystemExit(f"placeholders changed: {texts[i]!r} -> {text!r}")
    out, last = [], 0
    by_index = dict(zip(plain, converted, strict=True))
    for i, m in enumerate(found):
        if i not in by_index:
            continue
        out.append(source[last:m.start()])
        if m.group(1):
            out.append(m.group(1) + escape(by_index[i]) + m.group(3))
        else:
            out.append(m.group(4) + escape(by_index[i]) + m.group(6))
        last = m.end()
    out.append(source[last:])
    return "".join(out).replace('language="zh_CN"', 'language="zh_TW"', 1)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args(argv)
    text = build()
    if args.check:
        current = TARGET.read_text(encoding="utf-8") if TARGET.exists() else ""
        if current != text:
            print(f"{TARGET.name} is out of date: run build/make_zh_tw.py", file=sys.stderr)
            return 1
        return 0
    TARGET.write_text(text, encoding="utf-8")
    print(f"wrote {TARGET.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
