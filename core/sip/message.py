"""SIP messages (RFC 3261 §7): parse from text, build, serialise.

A message keeps its headers in order as (canonical name, value) pairs; compact
forms (``i``, ``m``, ``v`` …) are expanded on parse. Bad input raises
``SipParseError`` with what was wrong — never another exception.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

__all__ = [
    "Message",
    "NameAddr",
    "Request",
    "Response",
    "SipParseError",
    "Via",
    "canonical_name",
    "parse_cseq",
    "parse_message",
    "parse_name_addr",
    "parse_params",
    "parse_via",
    "split_header_list",
]

MAX_MESSAGE_BYTES = 65_535

_COMPACT = {
    "i": "Call-ID", "m": "Contact", "f": "From", "t": "To", "v": "Via",
    "l": "Content-Length", "c": "Content-Type", "k": "Supported", "e": "Content-Encoding",
    "s": "Subject", "o": "Event", "r": "Refer-To", "b": "Referred-By", "u": "Allow-Events",
}
_SPECIAL_CASE = {
    "call-id": "Call-ID", "cseq": "CSeq", "www-authenticate": "WWW-Authenticate",
    "max-forwards": "Max-Forwards", "refer-to": "Refer-To", "referred-by": "Referred-By",
    "record-route": "Record-Route", "content-type": "Content-Type",
    "content-length": "Content-Length", "proxy-authenticate": "Proxy-Authenticate",
    "proxy-authorization": "Proxy-Authorization", "user-agent": "User-Agent",
    "sip-etag": "SIP-ETag", "sip-if-match": "SIP-If-Match", "min-expires": "Min-Expires",
    "allow-events": "Allow-Events", "subscription-state": "Subscription-State",
    "remote-party-id": "Remote-Party-ID", "p-asserted-identity": "P-Asserted-Identity",
}
# Headers whose value may be a comma-separated list of entries (RFC 3261 §7.3.1).
_LIST_HEADERS = {"Via", "Route", "Record-Route", "Contact", "Allow", "Supported", "Require"}
_TOKEN = re.compile(r"^[A-Za-z0-9\-.!%*_+`'~]+$")
_STATUS_LINE = re.compile(r"^SIP/2\.0 ([1-6][0-9]{2}) ?(.*)$")
_REQUEST_LINE = re.compile(r"^([A-Za-z0-9\-.!%*_+`'~]+) (\S+) SIP/2\.0$")


class SipParseError(ValueError):
    """The bytes are not a SIP message we can understand; the text says why."""


def canonical_name(name: str) -> str:
    name = name.strip()
    if len(name) == 1 and name.lower() in _COMPACT:
        return _COMPACT[name.lower()]
    low = name.lower()
    if low in _SPECIAL_CASE:
        return _SPECIAL_CASE[low]
    return "-".join(part.capitalize() for part in low.split("-"))


@dataclass
class _Base:
    headers: list[tuple[str, str]] = field(default_factory=list)
    body: bytes = b""

    def header(self, name: str) -> str | None:
        """The first value of a header (first list entry for list headers)."""
        values = self.header_values(name)
        return values[0] if values else None

    def header_values(self, name: str) -> list[str]:
        key = canonical_name(name)
        out: list[str] = []
        for hname, value in self.headers:
            if hname != key:
                continue
            out.extend(split_header_list(value) if key in _LIST_HEADERS else [value])
        return out

    def require(self, name: str) -> str:
        value = self.header(name)
        if value is None:
            raise SipParseError(f"missing {canonical_name(name)} header")
        return value

    def set_header(self, name: str, value: str) -> None:
        key = canonical_name(name)
        self.headers = [(h, v) for h, v in self.headers if h != key]
        self.headers.append((key, value))

    def add_header(self, name: str, value: str, *, first: bool = False) -> None:
        item = (canonical_name(name), value)
        if first:
            self.headers.insert(0, item)
        else:
            self.headers.append(item)

    def remove_header(self, name: str) -> None:
        key = canonical_name(name)
        self.headers = [(h, v) for h, v in self.headers if h != key]

    @property
    def call_id(self) -> str:
        return self.require("Call-ID")

    @property
    def cseq(self) -> tuple[int, str]:
        return parse_cseq(self.require("CSeq"))

    @property
    def from_(self) -> NameAddr:
        return parse_name_addr(self.require("From"))

    @property
    def to(self) -> NameAddr:
        return parse_name_addr(self.require("To"))

    @property
    def top_via(self) -> Via:
        return parse_via(self.require("Via"))

    @property
    def text_body(self) -> str:
        return self.body.decode("utf-8", errors="replace")

    def _serialise(self, first_line: str) -> str:
        lines = [first_line]
        for name, value in self.headers:
            if name != "Content-Length":
                lines.append(f"{name}: {value}")
        lines.append(f"Content-Length: {len(self.body)}")
        return "\r\n".join(lines) + "\r\n\r\n" + self.body.decode("utf-8", errors="replace")


@dataclass
class Request(_Base):
    method: str = ""
    uri: str = ""

    def to_text(self) -> str:
        return self._serialise(f"{self.method} {self.uri} SIP/2.0")


@dataclass
class Response(_Base):
    status: int = 0
    reason: str = ""

    def to_text(self) -> str:
        return self._serialise(f"SIP/2.0 {self.status} {self.reason}")


Message = Request | Response


def parse_message(data: bytes | str) -> Message:
    """One SIP message from one websocket frame (RFC 7118: a frame holds exactly one)."""
    raw = data.encode("utf-8", errors="replace") if isinstance(data, str) else data
    if len(raw) > MAX_MESSAGE_BYTES:
        raise SipParseError(f"message too large ({len(raw)} bytes)")
    head, sep, body = raw.partition(b"\r\n\r\n")
    if not sep:
        head, sep, body = raw.partition(b"\n\n")
        if not sep:
            raise SipParseError("no blank line between headers and body")
    try:
        text = head.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise SipParseError(f"headers are not UTF-8: {exc.reason}") from exc
    lines = text.replace("\r\n", "\n").split("\n")
    while lines and not lines[0].strip():
        lines.pop(0)  # RFC 3261 §7.5: tolerate leading empty lines
    if not lines:
        raise SipParseError("empty message")
    first = lines[0].strip()
    headers = _parse_headers(lines[1:])
    message: Message
    status = _STATUS_LINE.match(first)
    if status:
        message = Response(headers=headers, status=int(status.group(1)), reason=status.group(2))
    else:
        request = _REQUEST_LINE.match(first)
        if not request:
            raise SipParseError(f"not a request or status line: {first[:80]!r}")
        message = Request(headers=headers, method=request.group(1).upper(), uri=request.group(2))
    length_text = message.header("Content-Length")
    if length_text is not None:
        try:
            length = int(length_text.strip())
        except ValueError as exc:
            raise SipParseError(f"bad Content-Length {length_text!r}") from exc
        if length < 0 or length > len(body):
            raise SipParseError(f"Content-Length {length} but {len(body)} body bytes")
        body = body[:length]
    message.body = body
    for name in ("Call-ID", "CSeq", "From", "To", "Via"):
        message.require(name)
    method = message.cseq[1]
    if isinstance(message, Request) and method != message.method and message.method != "ACK":
        raise SipParseError(f"CSeq method {method} does not match {message.method}")
    # A message whose Via, From or To we cannot read cannot be answered at all.
    parse_via(message.require("Via"))
    parse_name_addr(message.require("From"))
    parse_name_addr(message.require("To"))
    return message


def _parse_headers(lines: list[str]) -> list[tuple[str, str]]:
    headers: list[tuple[str, str]] = []
    for line in lines:
        if not line.strip():
            continue
        if line[0] in " \t":
            if not headers:
                raise SipParseError("continuation line before any header")
            name, value = headers[-1]
            headers[-1] = (name, f"{value} {line.strip()}")
            continue
        name, colon, value = line.partition(":")
        if not colon or not _TOKEN.match(name.strip()):
            raise SipParseError(f"bad header line: {line[:80]!r}")
        headers.append((canonical_name(name), value.strip()))
    return headers


def split_header_list(value: str) -> list[str]:
    """Split on commas outside quotes and angle brackets."""
    parts: list[str] = []
    current: list[str] = []
    quoted = angle = False
    escape = False
    for ch in value:
        if escape:
            escape = False
        elif quoted and ch == "\\":
            escape = True
        elif ch == '"':
            quoted = not quoted
        elif not quoted and ch == "<":
            angle = True
        elif not quoted and ch == ">":
            angle = False
        elif ch == "," and not quoted and not angle:
            parts.append("".join(current).strip())
            current = []
            continue
        current.append(ch)
    tail = "".join(current).strip()
    if tail:
        parts.append(tail)
    return [p for p in parts if p]


def parse_params(text: str) -> dict[str, str]:
    """``;a=1;b;c="x"`` → {"a": "1", "b": "", "c": "x"} (names lower-cased)."""
    params: dict[str, str] = {}
    for item in text.split(";"):
        item = item.strip()
        if not item:
            continue
        name, _, value = item.partition("=")
        params[name.strip().lower()] = value.strip().strip('"')
    return params


def parse_cseq(value: str) -> tuple[int, str]:
    parts = value.split()
    if len(parts) != 2 or not parts[0].isdigit():
        raise SipParseError(f"bad CSeq {value!r}")
    number = int(parts[0])
    if number >= 2**31:
        raise SipParseError(f"CSeq number too large: {number}")
    return number, parts[1].upper()


@dataclass(frozen=True)
class NameAddr:
    """From/To/Contact/Refer-To: ``"Name" <sip:u@h;uri-params>;tag=x``."""

    display: str
    uri: str
    params: dict[str, str]

    @property
    def tag(self) -> str | None:
        return self.params.get("tag")

    @property
    def user(self) -> str:
        rest = self.uri.split(":", 1)[-1]
        return rest.split("@", 1)[0] if "@" in rest else ""

    def with_tag(self, tag: str) -> str:
        return format_name_addr(self.display, self.uri, {**self.params, "tag": tag})


def format_name_addr(display: str, uri: str, params: dict[str, str]) -> str:
    name = f'"{display}" ' if display else ""
    tail = "".join(f";{k}={v}" if v else f";{k}" for k, v in params.items())
    return f"{name}<{uri}>{tail}"


def parse_name_addr(value: str) -> NameAddr:
    value = value.strip()
    display = ""
    if value.startswith('"'):
        end = 1
        while end < len(value):
            if value[end] == "\\":
                end += 2
                continue
            if value[end] == '"':
                break
            end += 1
        if end >= len(value):
            raise SipParseError(f"unterminated display name in {value[:80]!r}")
        display = value[1:end]
        value = value[end + 1:].strip()
    if "<" in value:
        before, _, rest = value.partition("<")
        if not display:
            display = before.strip()
        uri, close, tail = rest.partition(">")
        if not close:
            raise SipParseError(f"missing '>' in {value[:80]!r}")
        params = parse_params(tail)
    else:
        # addr-spec without brackets: parameters belong to the header, not the URI
        uri, _, tail = value.partition(";")
        params = parse_params(tail)
    uri = uri.strip()
    if ":" not in uri:
        raise SipParseError(f"not a URI: {uri[:80]!r}")
    return NameAddr(display, uri, params)


@dataclass(frozen=True)
class Via:
    transport: str
    host: str
    params: dict[str, str]

    @property
    def branch(self) -> str:
        return self.params.get("branch", "")


def parse_via(value: str) -> Via:
    proto, _, rest = value.strip().partition(" ")
    pieces = proto.split("/")
    if len(pieces) != 3 or pieces[0].upper() != "SIP":
        raise SipParseError(f"bad Via {value[:80]!r}")
    sent_by, _, tail = rest.strip().partition(";")
    if not sent_by.strip():
        raise SipParseError(f"Via without host: {value[:80]!r}")
    return Via(pieces[2].upper(), sent_by.strip(), parse_params(tail))
