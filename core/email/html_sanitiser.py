"""Untrusted email HTML made safe to show: an allow-list sanitiser (nh3, the ammonia
binding) plus the checks ammonia does not do for us.

What comes out holds no scripts, forms, frames, objects or event handlers; no
``javascript:`` or ``data:`` links (``data:`` is kept only for raster images); no
style that hides content (``display:none``, ``visibility:hidden``, tiny fonts,
transparency, off-screen positioning, text coloured like its background); and no
CSS ``url()``. Remote images become placeholders (``zuoxi-blocked:N``) unless the
caller allows them for this message; ``cid:`` inline images stay (the renderer
serves them from downloaded attachments). Link targets are recorded so the view can
show where a link really goes. Thread: any; no Qt.
"""

from __future__ import annotations

import enum
import html as html_lib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import nh3

# Bigger HTML bodies are cut (the raw message stays available from the hub).
MAX_HTML_CHARS = 1_000_000
# Deeper nesting is an HTML bomb: parsing cost grows with depth squared.
MAX_NESTING = 400
BLOCKED_SCHEME = "zuoxi-blocked"

ALLOWED_TAGS = frozenset({
    "a", "abbr", "b", "blockquote", "br", "caption", "center", "code", "col", "colgroup",
    "dd", "del", "div", "dl", "dt", "em", "font", "h1", "h2", "h3", "h4", "h5", "h6", "hr",
    "i", "img", "ins", "kbd", "li", "ol", "p", "pre", "q", "s", "small", "span", "strike",
    "strong", "sub", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "tt", "u",
    "ul",
})
# Removed together with everything inside them.
CONTENT_TAGS = frozenset({"script", "style", "title", "noscript", "template", "head"})
ALLOWED_ATTRIBUTES: dict[str, set[str]] = {
    "*": {"style", "align", "dir", "lang", "title"},
    "a": {"href"},
    "img": {"src", "alt", "width", "height"},
    "font": {"color", "face"},
    "td": {"colspan", "rowspan", "valign", "width"},
    "th": {"colspan", "rowspan", "valign", "width"},
    "table": {"width", "cellpadding", "cellspacing", "border"},
    "ol": {"start"},
}
URL_SCHEMES = frozenset({"http", "https", "mailto", "cid", "data"})
LINK_SCHEMES = frozenset({"http", "https", "mailto"})
DATA_IMAGE = re.compile(r"^data:image/(png|gif|jpeg|webp);base64,[A-Za-z0-9+/=\s]*$", re.I)

# Style properties kept (after their value is checked); everything else goes,
# including display, visibility, opacity, position, offsets, overflow, clip, height.
STYLE_PROPERTIES = frozenset({
    "color", "background-color", "background", "font-weight", "font-style", "font-family",
    "font-size", "text-decoration", "text-align", "vertical-align", "white-space",
    "margin", "margin-left", "margin-right", "margin-top", "margin-bottom",
    "padding", "padding-left", "padding-right", "padding-top", "padding-bottom",
    "border", "border-top", "border-bottom", "border-left", "border-right",
    "border-collapse", "border-color", "border-style", "border-width", "width",
})
MIN_FONT_PX = 8.0
WHITE = frozenset({"#fff", "#ffffff", "white", "rgb(255,255,255)", "rgba(255,255,255,1)"})
_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9]*)[^>]*?(/?)>")
_VOID = frozenset({"br", "hr", "img", "meta", "link", "input", "col", "area", "base", "wbr"})
_SIZE = re.compile(r"^\s*([\d.]+)\s*(px|pt|em|rem|%)?\s*$")


class Finding(enum.StrEnum):
    """What the sanitiser changed, for a line under the message."""

    HIDDEN_STYLE = "hidden_style"
    REMOTE_IMAGES_BLOCKED = "remote_images_blocked"
    TOO_DEEP = "too_deep"
    TRUNCATED = "truncated"


@dataclass(frozen=True)
class Link:
    target: str
    scheme: str


@dataclass(frozen=True)
class SafeHtml:
    """Sanitised HTML and what was found on the way."""

    html: str
    links: tuple[Link, ...] = ()
    remote_images: tuple[str, ...] = ()  # in placeholder order: zuoxi-blocked:0, :1, ...
    cid_images: tuple[str, ...] = ()
    findings: frozenset[Finding] = frozenset()


@dataclass
class _Scan:
    allow_remote: bool
    links: list[Link] = field(default_factory=list)
    remote: list[str] = field(default_factory=list)
    cids: list[str] = field(default_factory=list)
    findings: set[Finding] = field(default_factory=set)

    def attribute(self, tag: str, attr: str, value: str) -> str | None:
        if attr == "style":
            return self.style(value)
        if tag == "a" and attr == "href":
            return self.href(value)
        if tag == "img" and attr == "src":
            return self.image(value)
        if tag == "font" and attr == "color" and _colour(value) in WHITE:
            self.findings.add(Finding.HIDDEN_STYLE)
            return None
        return value

    def href(self, value: str) -> str | None:
        target = value.strip()
        scheme = urlsplit(target).scheme.lower()
        if scheme not in LINK_SCHEMES:
            return None
        self.links.append(Link(target, scheme))
        return target

    def image(self, value: str) -> str | None:
        src = value.strip()
        scheme = urlsplit(src).scheme.lower()
        if scheme == "cid":
            self.cids.append(src[4:].strip("<>"))
            return src
        if scheme == "data":
            return src if DATA_IMAGE.match(src) else None
        if scheme in ("http", "https"):
            if self.allow_remote:
                self.remote.append(src)
                return src
            self.findings.add(Finding.REMOTE_IMAGES_BLOCKED)
            self.remote.append(src)
            return f"{BLOCKED_SCHEME}:{len(self.remote) - 1}"
        return None

    def style(self, value: str) -> str | None:
        kept: dict[str, str] = {}
        for declaration in value.split(";"):
            name, sep, raw = declaration.partition(":")
            name, raw = name.strip().lower(), raw.strip()
            if not sep or not raw:
                continue
            lowered = raw.lower()
            if name not in STYLE_PROPERTIES or "url(" in lowered or "expression(" in lowered:
                if _hides(name, lowered):
                    self.findings.add(Finding.HIDDEN_STYLE)
                continue
            if name == "font-size" and _tiny(lowered):
                self.findings.add(Finding.HIDDEN_STYLE)
                continue
            kept[name] = raw
        colour = _colour(kept.get("color", ""))
        background = _colour(kept.get("background-color", kept.get("background", "")))
        if colour and (colour == background or (not background and colour in WHITE)):
            self.findings.add(Finding.HIDDEN_STYLE)
            del kept["color"]
        if not kept:
            return None
        return "; ".join(f"{k}: {v}" for k, v in kept.items())


def _hides(name: str, value: str) -> bool:
    """Whether a dropped declaration was one that hides content (for the finding)."""
    if name == "display":
        return value.startswith("none")
    if name == "visibility":
        return value.startswith(("hidden", "collapse"))
    if name == "opacity":
        try:
            return float(value) < 0.5
        except ValueError:
            return True
    if name in ("position", "left", "top", "text-indent", "clip", "clip-path", "transform"):
        return True
    if name in ("height", "max-height", "width", "max-width", "line-height"):
        return _tiny(value)
    return False


def _tiny(value: str) -> bool:
    if value.startswith(("xx-small", "x-small")):
        return False
    match = _SIZE.match(value)
    if match is None:
        return False
    number, unit = float(match.group(1)), match.group(2) or "px"
    factor = {"px": 1.0, "pt": 1.33, "em": 16.0, "rem": 16.0, "%": 0.16}[unit]
    return number * factor < MIN_FONT_PX


def _colour(value: str) -> str:
    colour = value.strip().lower().replace(" ", "").removesuffix("!important")
    if colour.startswith("#") and len(colour) == 4:
        colour = "#" + "".join(c * 2 for c in colour[1:])
    names = {"#ffffff": "white", "rgb(255,255,255)": "white", "rgba(255,255,255,1)": "white"}
    return names.get(colour, colour)


def nesting_depth(html: str) -> int:
    """Maximum element depth, estimated from the tags alone (cheap, before parsing)."""
    depth = deepest = 0
    for closing, name, self_closing in _TAG.findall(html):
        if name.lower() in _VOID or self_closing:
            continue
        if closing:
            depth = max(0, depth - 1)
        else:
            depth += 1
            deepest = max(deepest, depth)
    return deepest


def sanitise(html: str, *, allow_remote_images: bool = False) -> SafeHtml:
    """Sanitise one message's HTML body."""
    findings: set[Finding] = set()
    if len(html) > MAX_HTML_CHARS:
        html = html[:MAX_HTML_CHARS]
        findings.add(Finding.TRUNCATED)
    if nesting_depth(html) > MAX_NESTING:
        findings.add(Finding.TOO_DEEP)
        return SafeHtml(text_to_html(html_to_text(html)), findings=frozenset(findings))
    scan = _Scan(allow_remote_images)
    clean = nh3.clean(
        html,
        tags=set(ALLOWED_TAGS),
        clean_content_tags=set(CONTENT_TAGS),
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=set(URL_SCHEMES),
        attribute_filter=scan.attribute,
        strip_comments=True,
        link_rel="noopener noreferrer nofollow",
    )
    return SafeHtml(
        clean,
        links=tuple(scan.links),
        remote_images=tuple(scan.remote),
        cid_images=tuple(scan.cids),
        findings=frozenset(findings | scan.findings),
    )


_BLOCK_END = re.compile(r"</(p|div|tr|li|h[1-6]|blockquote|table)\s*>|<br\s*/?>", re.I)
_ANY_TAG = re.compile(r"<[^>]*>")
_DROPPED = re.compile(r"<(script|style|head|title)\b.*?</\1\s*>", re.I | re.S)
_BLANK_LINES = re.compile(r"\n{3,}")


def html_to_text(html: str) -> str:
    """A plain-text rendering of HTML (for quoting, previews and the fallback)."""
    text = _DROPPED.sub("", html[:MAX_HTML_CHARS])
    text = _BLOCK_END.sub("\n", text)
    text = html_lib.unescape(_ANY_TAG.sub("", text))
    lines = (line.rstrip() for line in text.replace("\r\n", "\n").split("\n"))
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()


def text_to_html(text: str) -> str:
    """Plain text as HTML that keeps its line breaks (and nothing clickable)."""
    return (
        '<div style="white-space: pre-wrap">' + html_lib.escape(text).replace("\n", "<br>")
        + "</div>"
    )


def quote_text(text: str) -> str:
    """The original quoted for a reply: every line prefixed with '> '."""
    return "\n".join("> " + line if line else ">" for line in text.splitlines())


def hosts(links: Iterable[Link]) -> list[str]:
    return sorted({urlsplit(link.target).hostname or link.target for link in links})
