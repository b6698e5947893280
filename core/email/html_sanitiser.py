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

import base64
import binascii
import enum
import html as html_lib
import re
import struct
from collections.abc import Iterable
from dataclasses import dataclass, field
from html.parser import HTMLParser
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
# Text whose colour is this close to its background is hidden (WCAG contrast ratio:
# 1 is identical, 21 black on white; #ddd on white is 1.36).
MIN_CONTRAST = 1.25
# A data: image is decoded by the renderer into width x height x 4 bytes: a 20,000
# pixel square is 1.6 GB. Larger images, and any whose size cannot be read, go.
MAX_IMAGE_SIDE = 4096
MAX_IMAGE_PIXELS = 16_000_000
MAX_DATA_IMAGE_BYTES = 512 * 1024
# The only CSS functions a kept value may call (colours); url(), image-set() and
# the rest go, however they are spelled.
_CSS_FUNCTION = re.compile(r"([a-z-]*)\s*\(")
_COLOUR_FUNCTIONS = frozenset({"rgb", "rgba", "hsl", "hsla"})
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
    IMAGE_REFUSED = "image_refused"  # a data: image too large to decode safely


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
        if tag == "img" and attr in ("width", "height") and not _small_enough(value):
            self.findings.add(Finding.IMAGE_REFUSED)
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
            if not DATA_IMAGE.match(src):
                return None
            if not _data_image_fits(src):
                self.findings.add(Finding.IMAGE_REFUSED)
                return None
            return src
        if scheme in ("http", "https"):
            if self.allow_remote:
                self.remote.append(src)
                return src
            self.findings.add(Finding.REMOTE_IMAGES_BLOCKED)
            self.remote.append(src)
            return f"{BLOCKED_SCHEME}:{len(self.remote) - 1}"
        return None

    def style(self, value: str) -> str | None:
        if "\\" in value or "/*" in value:
            # CSS escapes and comments can spell anything (\75rl( is url(): no
            # mail needs them, so the whole style goes rather than be decoded.
            return None
        kept: dict[str, str] = {}
        for declaration in value.split(";"):
            name, sep, raw = declaration.partition(":")
            name, raw = name.strip().lower(), raw.strip()
            if not sep or not raw:
                continue
            lowered = raw.lower()
            calls = set(_CSS_FUNCTION.findall(lowered))
            if name not in STYLE_PROPERTIES or not calls <= _COLOUR_FUNCTIONS:
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


def _small_enough(value: str) -> bool:
    match = _SIZE.match(value)
    return match is None or float(match.group(1)) <= MAX_IMAGE_SIDE


def image_size(data: bytes) -> tuple[int, int] | None:
    """(width, height) from a PNG, GIF, JPEG or WebP header; None if unreadable."""
    try:
        if data.startswith(b"\x89PNG\r\n\x1a\n") and data[12:16] == b"IHDR":
            w, h = struct.unpack(">II", data[16:24])
            return int(w), int(h)
        if data[:6] in (b"GIF87a", b"GIF89a"):
            w, h = struct.unpack("<HH", data[6:10])
            return int(w), int(h)
        if data.startswith(b"\xff\xd8"):
            return _jpeg_size(data)
        if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
            chunk = data[12:16]
            if chunk == b"VP8X":
                w = int.from_bytes(data[24:27], "little") + 1
                h = int.from_bytes(data[27:30], "little") + 1
                return w, h
            if chunk == b"VP8L":
                bits = int.from_bytes(data[21:25], "little")
                return (bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1
            if chunk == b"VP8 ":
                w, h = struct.unpack("<HH", data[26:30])
                return int(w) & 0x3FFF, int(h) & 0x3FFF
    except struct.error:
        return None
    return None


def _jpeg_size(data: bytes) -> tuple[int, int] | None:
    i = 2
    while i + 9 < len(data):
        if data[i] != 0xFF:
            return None
        marker = data[i + 1]
        if marker in (0xD8, 0x01) or 0xD0 <= marker <= 0xD7:
            i += 2
            continue
        length = int.from_bytes(data[i + 2:i + 4], "big")
        if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
            h, w = struct.unpack(">HH", data[i + 5:i + 9])
            return int(w), int(h)
        i += 2 + length
    return None


def _data_image_fits(src: str) -> bool:
    payload = src.partition(",")[2]
    if len(payload) > MAX_DATA_IMAGE_BYTES * 4 // 3 + 4:
        return False
    try:
        data = base64.b64decode("".join(payload.split()), validate=True)
    except (binascii.Error, ValueError):
        return False
    size = image_size(data)
    if size is None:
        return False
    width, height = size
    return 0 < width <= MAX_IMAGE_SIDE and 0 < height <= MAX_IMAGE_SIDE \
        and width * height <= MAX_IMAGE_PIXELS


_NAMED = {"white": (255, 255, 255), "black": (0, 0, 0), "red": (255, 0, 0),
          "green": (0, 128, 0), "blue": (0, 0, 255), "yellow": (255, 255, 0),
          "gray": (128, 128, 128), "grey": (128, 128, 128), "silver": (192, 192, 192),
          "navy": (0, 0, 128), "maroon": (128, 0, 0)}
_RGB = re.compile(r"^rgba?\((\d+),(\d+),(\d+)(?:,([\d.]+))?\)$")


def _rgb(value: str) -> tuple[int, int, int] | None:
    colour = _colour(value)
    if colour in _NAMED:
        return _NAMED[colour]
    if re.fullmatch(r"#[0-9a-f]{6}", colour):
        return int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16)
    found = _RGB.match(colour)
    if found:
        return int(found.group(1)) % 256, int(found.group(2)) % 256, int(found.group(3)) % 256
    return None


def _luminance(rgb: tuple[int, int, int]) -> float:
    def channel(c: int) -> float:
        v = c / 255
        return v / 12.92 if v <= 0.03928 else float(((v + 0.055) / 1.055) ** 2.4)

    r, g, b = (channel(c) for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: tuple[int, int, int], b: tuple[int, int, int]) -> float:
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


class _Visibility(HTMLParser):
    """Finds text drawn in a colour too close to the background it sits on,
    following backgrounds down the tree (``#000001`` inside a black table)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        white = (255, 255, 255)
        self._stack: list[tuple[str, tuple[int, int, int], tuple[int, int, int] | None]] = [
            ("", white, None)]
        self.hidden = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        _, background, colour = self._stack[-1]
        for name, value in attrs:
            if name == "style" and value:
                for declaration in value.split(";"):
                    prop, _, raw = declaration.partition(":")
                    prop = prop.strip().lower()
                    if prop in ("background", "background-color"):
                        background = _rgb(raw.strip().split(" ")[0]) or background
                    elif prop == "color":
                        colour = _rgb(raw) or colour
            elif name == "color" and value and tag == "font":
                colour = _rgb(value) or colour
        if tag not in _VOID:
            self._stack.append((tag, background, colour))

    def handle_endtag(self, tag: str) -> None:
        for i in range(len(self._stack) - 1, 0, -1):
            if self._stack[i][0] == tag:
                del self._stack[i:]
                return

    def handle_data(self, data: str) -> None:
        _, background, colour = self._stack[-1]
        if colour is not None and data.strip() and contrast(colour, background) < MIN_CONTRAST:
            self.hidden = True


def _hidden_text(html: str) -> bool:
    finder = _Visibility()
    finder.feed(html)
    finder.close()
    return finder.hidden


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
    if _hidden_text(clean):
        # Text coloured like what is behind it: shown in the reader's colours.
        scan.findings.add(Finding.HIDDEN_STYLE)
        clean = nh3.clean(
            clean, tags=set(ALLOWED_TAGS), attributes=ALLOWED_ATTRIBUTES,
            url_schemes=set(URL_SCHEMES), attribute_filter=_without_colours,
            strip_comments=True, link_rel="noopener noreferrer nofollow",
        )
    return SafeHtml(
        clean,
        links=tuple(scan.links),
        remote_images=tuple(scan.remote),
        cid_images=tuple(scan.cids),
        findings=frozenset(findings | scan.findings),
    )


def _without_colours(tag: str, attr: str, value: str) -> str | None:
    if tag == "font" and attr == "color":
        return None
    if attr != "style":
        return value
    kept = [d for d in value.split(";") if d.partition(":")[0].strip().lower()
            not in ("color", "background", "background-color")]
    return ";".join(kept).strip() or None


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
