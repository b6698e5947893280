"""The HTML alternative of a mail the agent wrote as plain text.

Mail clients show the HTML part when there is one, so a plain reply gets a faithful
HTML twin: every character the agent typed is escaped (what looks like a tag stays
text), blank lines make paragraphs, single line breaks stay line breaks, quoted
``> `` lines become (nested) blockquotes, and http(s) links and mail addresses
become clickable. Nothing else is added: no remote resources, no scripts.
"""

from __future__ import annotations

import html
import re

# A link ends before whitespace or an angle bracket/quote; trailing punctuation
# of the sentence is not part of it.
_LINK = re.compile(
    r"(?P<url>\bhttps?://[^\s<>\"']+)|(?P<mail>\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b)",
    re.IGNORECASE,
)
_TRAILING = ".,;:!?)]}'\"。，；：！？）】"
_QUOTE = re.compile(r"^ ?>")
BLOCKQUOTE_STYLE = "margin:0 0 0 .8ex;border-left:2px solid #ccc;padding-left:1ex;color:#555"


def _linked(text: str) -> str:
    """Escaped ``text`` with its links as anchors."""
    out: list[str] = []
    pos = 0
    for found in _LINK.finditer(text):
        target = found.group(0)
        trimmed = target.rstrip(_TRAILING)
        if target.endswith(")") and "(" in trimmed:  # a Wikipedia-style URL keeps its ")"
            trimmed = target.rstrip(_TRAILING.replace(")", ""))
        out.append(html.escape(text[pos:found.start()], quote=False))
        href = trimmed if found.group("url") else f"mailto:{trimmed}"
        out.append(f'<a href="{html.escape(href, quote=True)}">'
                   f"{html.escape(trimmed, quote=False)}</a>")
        pos = found.start() + len(trimmed)
    out.append(html.escape(text[pos:], quote=False))
    return "".join(out)


def _paragraphs(lines: list[str]) -> list[str]:
    parts: list[str] = []
    block: list[str] = []

    def flush() -> None:
        if block:
            parts.append("<p>" + "<br>\n".join(_linked(line) for line in block) + "</p>")
            block.clear()

    for line in lines:
        if line.strip():
            block.append(line)
        else:
            flush()
    flush()
    return parts


def _body(lines: list[str], depth: int = 0) -> list[str]:
    """HTML of ``lines``: runs of quoted lines nest as blockquotes (up to 20 deep)."""
    parts: list[str] = []
    plain: list[str] = []
    quoted: list[str] = []
    for line in [*lines, None]:
        is_quote = line is not None and depth < 20 and _QUOTE.match(line) is not None
        if is_quote:
            assert line is not None
            if plain:
                parts += _paragraphs(plain)
                plain = []
            inner = _QUOTE.sub("", line, count=1)
            quoted.append(inner[1:] if inner.startswith(" ") else inner)
            continue
        if quoted:
            parts.append(f'<blockquote type="cite" style="{BLOCKQUOTE_STYLE}">\n'
                         + "\n".join(_body(quoted, depth + 1)) + "\n</blockquote>")
            quoted = []
        if line is not None:
            plain.append(line)
    parts += _paragraphs(plain)
    return parts


def text_to_html(text: str) -> str:
    """A complete HTML document showing ``text`` as the agent wrote it."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    body = "\n".join(_body(lines))
    return ('<!DOCTYPE html>\n<html><head><meta charset="utf-8"></head>\n'
            f'<body style="font-family:sans-serif;font-size:14px">\n{body}\n</body></html>\n')
