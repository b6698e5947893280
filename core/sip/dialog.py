"""SIP dialogs (RFC 3261 §12): the state two user agents share for one call."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field

from core.sip.message import Request, Response, SipParseError, parse_name_addr

__all__ = ["Dialog", "new_branch", "new_tag"]

BRANCH_MAGIC = "z9hG4bK"


def new_branch() -> str:
    return BRANCH_MAGIC + secrets.token_hex(8)


def new_tag() -> str:
    return secrets.token_hex(6)


def _contact_uri(message: Request | Response) -> str:
    contact = message.header("Contact")
    if contact is None:
        raise SipParseError("dialog-forming message without Contact")
    return parse_name_addr(contact).uri


@dataclass
class Dialog:
    call_id: str
    local_tag: str
    remote_tag: str
    local_party: str   # From value we send (without tag)
    remote_party: str  # To value we send (without tag)
    remote_target: str
    route_set: list[str] = field(default_factory=list)
    local_cseq: int = 1
    remote_cseq: int | None = None

    @property
    def key(self) -> tuple[str, str, str]:
        return self.call_id, self.local_tag, self.remote_tag

    @classmethod
    def as_caller(cls, request: Request, response: Response) -> Dialog:
        """From our INVITE and the 2xx that answered it."""
        local, remote = request.from_, response.to
        if local.tag is None or remote.tag is None:
            raise SipParseError("2xx without a To tag")
        routes = list(reversed(response.header_values("Record-Route")))
        return cls(call_id=request.call_id, local_tag=local.tag, remote_tag=remote.tag,
                   local_party=_strip_tag(request.require("From")),
                   remote_party=_strip_tag(request.require("To")),
                   remote_target=_contact_uri(response), route_set=routes,
                   local_cseq=request.cseq[0])

    @classmethod
    def as_callee(cls, request: Request, local_tag: str) -> Dialog:
        """From an INVITE we received and the tag we put in our answer."""
        remote = request.from_
        if remote.tag is None:
            raise SipParseError("INVITE without a From tag")
        return cls(call_id=request.call_id, local_tag=local_tag, remote_tag=remote.tag,
                   local_party=_strip_tag(request.require("To")),
                   remote_party=_strip_tag(request.require("From")),
                   remote_target=_contact_uri(request),
                   route_set=request.header_values("Record-Route"),
                   local_cseq=secrets.randbelow(10_000) + 1,
                   remote_cseq=request.cseq[0])

    def new_request(self, method: str, *, via: str, contact: str | None,
                    body: bytes = b"", content_type: str | None = None,
                    extra: list[tuple[str, str]] | None = None,
                    cseq: int | None = None) -> Request:
        """An in-dialog request; ACK passes the INVITE's ``cseq``."""
        if cseq is None:
            self.local_cseq += 1
            cseq = self.local_cseq
        headers = [("Via", via), ("Max-Forwards", "70")]
        headers += [("Route", route) for route in self.route_set]
        headers += [("From", f"{self.local_party};tag={self.local_tag}"),
                    ("To", f"{self.remote_party};tag={self.remote_tag}"),
                    ("Call-ID", self.call_id), ("CSeq", f"{cseq} {method}")]
        if contact is not None:
            headers.append(("Contact", contact))
        if content_type is not None:
            headers.append(("Content-Type", content_type))
        headers += extra or []
        return Request(headers=headers, body=body, method=method, uri=self.remote_target)

    def accept_remote_cseq(self, request: Request) -> bool:
        """False for an out-of-order request (§12.2.2: answer 500)."""
        number = request.cseq[0]
        if self.remote_cseq is not None and number <= self.remote_cseq and request.method != "ACK":
            return False
        if request.method != "ACK":
            self.remote_cseq = number
        return True

    def refresh_target(self, message: Request | Response) -> None:
        """A re-INVITE or its 2xx may move the remote target."""
        if message.header("Contact") is not None:
            self.remote_target = _contact_uri(message)


def _strip_tag(value: str) -> str:
    addr = parse_name_addr(value)
    params = "".join(f";{k}={v}" if v else f";{k}" for k, v in addr.params.items() if k != "tag")
    name = f'"{addr.display}" ' if addr.display else ""
    return f"{name}<{addr.uri}>{params}"
