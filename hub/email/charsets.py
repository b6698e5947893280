"""Decoding mail bytes to text: declared charsets, their supersets, and mislabels.

Chinese mail is often labelled with a charset narrower than what it contains
(GB2312 holding GBK characters, Big5 holding HKSCS ones), or labelled as Latin-1
or not at all. Each declared charset is decoded with its superset; when the bytes
do not fit the label, the usual suspects are tried and the text is flagged as
mislabeled; when nothing fits, the undecodable bytes become U+FFFD and the text is
flagged — never an exception, never silent mojibake.
"""

from __future__ import annotations

import base64
import binascii
import codecs
import enum
import re

# A declared charset -> the codec that decodes everything it may hold.
_SUPERSETS = {
    "gb2312": "gb18030",
    "gb_2312-80": "gb18030",
    "euc-cn": "gb18030",
    "x-euc-cn": "gb18030",
    "gbk": "gb18030",
    "x-gbk": "gb18030",
    "cp936": "gb18030",
    "ms936": "gb18030",
    "windows-936": "gb18030",
    "gb18030": "gb18030",
    "big5": "big5hkscs",
    "x-big5": "big5hkscs",
    "cp950": "big5hkscs",
    "big5-hkscs": "big5hkscs",
    "us-ascii": "ascii",
    "ascii": "ascii",
    "iso-8859-1": "cp1252",
    "latin1": "cp1252",
    "latin-1": "cp1252",
    "windows-1252": "cp1252",
    "utf8": "utf-8",
    "unicode-1-1-utf-7": "utf-7",
}
# Labels that say "one byte, one western character": CJK bytes often hide behind them.
_SINGLE_BYTE = {"ascii", "cp1252"}
# Tried, in order, when the label does not fit.
_SUSPECTS = ("utf-8", "gb18030", "big5hkscs")

_CJK = re.compile(r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]")
_ENCODED_WORD = re.compile(r"=\?([^?\s]+)\?([bBqQ])\?([^?\s]*)\?=")


class Decoding(enum.Enum):
    CLEAN = "clean"
    MISLABELED = "mislabeled"  # decoded with another charset than declared
    UNDECODABLE = "undecodable"  # some bytes became U+FFFD


def codec_for(declared: str | None) -> str | None:
    """The Python codec to decode ``declared`` with, or None if it is unknown."""
    if not declared:
        return None
    label = declared.strip().strip('"').lower()
    label = _SUPERSETS.get(label, label)
    try:
        return codecs.lookup(label).name
    except LookupError:
        return None


def _plausible(text: str) -> bool:
    """Decoded text that looks like language, not like bytes read with the wrong table."""
    wide = [c for c in text if ord(c) > 0x7F]
    if not wide:
        return True
    if any(0x80 <= ord(c) < 0xA0 or c == "\ufffd" for c in wide):
        return False
    cjk = sum(1 for c in wide if _CJK.match(c))
    return cjk / len(wide) >= 0.6 or all(ord(c) < 0x3000 for c in wide)


def _try(data: bytes, codec: str) -> str | None:
    try:
        return data.decode(codec)
    except (UnicodeDecodeError, LookupError):
        return None


def _common_simplified(text: str) -> float:
    """Share of the CJK characters of ``text`` that GB2312 (common simplified) holds."""
    cjk = [c for c in text if _CJK.match(c)]
    if not cjk:
        return 1.0
    common = 0
    for c in cjk:
        try:
            c.encode("gb2312")
            common += 1
        except UnicodeEncodeError:
            pass
    return common / len(cjk)


def _guess(data: bytes, exclude: str | None) -> str | None:
    found: dict[str, str] = {}
    for suspect in _SUSPECTS:
        if suspect == exclude:
            continue
        text = _try(data, suspect)
        if text is not None and _plausible(text):
            if suspect == "utf-8":
                return text  # random bytes are almost never valid UTF-8
            found[suspect] = text
    gb, big5 = found.get("gb18030"), found.get("big5hkscs")
    if gb is not None and big5 is not None and _common_simplified(gb) < 0.9:
        return big5  # Big5 bytes read as GBK give rare characters
    return gb if gb is not None else big5


def decode_bytes(data: bytes, declared: str | None) -> tuple[str, Decoding]:
    """Text of ``data`` labelled ``declared`` (None: no label), and how it went."""
    if data.isascii():
        return data.decode("ascii"), Decoding.CLEAN
    codec = codec_for(declared)
    if codec is not None and codec not in _SINGLE_BYTE:
        text = _try(data, codec)
        if text is not None:
            # A GB18030 / Big5 table accepts many byte strings: only trust a plausible read.
            if codec == "utf-8" or _plausible(text):
                return text, Decoding.CLEAN
            guess = _guess(data, codec)
            if guess is not None:
                return guess, Decoding.MISLABELED
            return text, Decoding.CLEAN
        guess = _guess(data, codec)
        if guess is not None:
            return guess, Decoding.MISLABELED
        return data.decode(codec, errors="replace"), Decoding.UNDECODABLE
    # No label, an unknown one, or a single-byte one over bytes that may be CJK.
    guess = _guess(data, None)
    if guess is not None:
        if codec == "cp1252" and _try(data, "utf-8") is None and not _looks_cjk(guess):
            return data.decode("cp1252"), Decoding.CLEAN  # really Latin-1 text
        return guess, Decoding.MISLABELED
    if codec == "cp1252":
        return data.decode("cp1252", errors="replace"), Decoding.CLEAN
    return data.decode("utf-8", errors="replace"), Decoding.UNDECODABLE


def _looks_cjk(text: str) -> bool:
    wide = [c for c in text if ord(c) > 0x7F]
    return bool(wide) and sum(1 for c in wide if _CJK.match(c)) / len(wide) >= 0.6


def worst(*outcomes: Decoding) -> Decoding:
    if Decoding.UNDECODABLE in outcomes:
        return Decoding.UNDECODABLE
    if Decoding.MISLABELED in outcomes:
        return Decoding.MISLABELED
    return Decoding.CLEAN


def decode_header_value(raw: str) -> tuple[str, Decoding]:
    """A header as stored by the parser (8-bit bytes kept as surrogates) -> text.

    Encoded words (RFC 2047) are decoded with the superset of their charset; raw
    8-bit header bytes (common in Chinese mail) are decoded as undeclared text.
    """
    outcomes: list[Decoding] = []
    if any("\udc80" <= c <= "\udcff" for c in raw):
        data = raw.encode("ascii", errors="surrogateescape")
        raw, outcome = decode_bytes(data, None)
        outcomes.append(outcome)
        if outcome is Decoding.MISLABELED and _try(data, "utf-8") is not None:
            outcomes[-1] = Decoding.CLEAN  # raw UTF-8 headers are allowed (RFC 6532)
    if "=?" not in raw:
        return _unfold(raw), worst(*outcomes)
    text, outcome = _decode_words(_unfold(raw))
    return text, worst(*outcomes, outcome)


def _word_bytes(encoding: str, payload: str) -> bytes | None:
    try:
        if encoding.lower() == "b":
            return base64.b64decode(payload + "=" * (-len(payload) % 4))
        return binascii.a2b_qp(payload.encode("ascii", errors="replace"), header=True)
    except (binascii.Error, ValueError):
        return None


def _decode_words(value: str) -> tuple[str, Decoding]:
    """Decode encoded words; adjacent words of one charset are joined as bytes first,
    since some mailers split a multi-byte character across two words."""
    out: list[str] = []
    outcomes: list[Decoding] = []
    pending: bytearray = bytearray()
    pending_charset: str | None = None
    pos = 0

    def flush() -> None:
        nonlocal pending, pending_charset
        if pending_charset is not None:
            text, outcome = decode_bytes(bytes(pending), pending_charset)
            out.append(text)
            outcomes.append(outcome)
        pending, pending_charset = bytearray(), None

    for match in _ENCODED_WORD.finditer(value):
        gap = value[pos : match.start()]
        charset = match.group(1).split("*", 1)[0]  # RFC 2231 language suffix
        data = _word_bytes(match.group(2), match.group(3))
        if gap.strip() or pending_charset is None or pending_charset != charset:
            flush()
            if gap.strip() or not out or pos == 0:
                out.append(gap)
        if data is None:
            flush()
            out.append(match.group(0))
            outcomes.append(Decoding.UNDECODABLE)
        else:
            pending += data
            pending_charset = charset
        pos = match.end()
    flush()
    out.append(value[pos:])
    return "".join(out).strip(), worst(*outcomes)


_LINE_BREAKING = re.compile(r"[\x00-\x1f\x7f\x85\u2028\u2029]+")


def one_line(text: str) -> str:
    """Header text as one line: each run of controls or line separators (CR, LF, NUL,
    U+2028…) becomes a space, whatever an encoded word held; the ends trimmed."""
    return _LINE_BREAKING.sub(" ", text).strip()


def _unfold(value: str) -> str:
    return re.sub(r"\r?\n[ \t]*", " ", value).strip()
