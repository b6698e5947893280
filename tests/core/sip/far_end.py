"""The other side of a ``UserAgent`` in unit tests: a registrar/proxy written
against the RFC, which reads what the phone sends and builds real replies."""

from __future__ import annotations

from dataclasses import dataclass, field

from core.sip.digest import digest_response, parse_auth_params
from core.sip.message import Message, Request, Response, parse_message
from core.sip.transaction import make_response
from core.sip.user_agent import UserAgent

REALM = "pbx.test"
PASSWORD = "s3cret"


@dataclass
class FarEnd:
    agent: UserAgent
    now: float = 0.0
    seen: list[Message] = field(default_factory=list)
    nonce_serial: int = 0

    def take(self) -> list[Message]:
        """What the phone sent since last time, parsed (the frames must parse)."""
        out = [parse_message(frame) for frame in self.agent.data_to_send()]
        self.seen.extend(out)
        return out

    def take_one(self, kind: str) -> Message:
        messages = self.take()
        wanted = [m for m in messages if _kind(m) == kind]
        assert len(wanted) == 1, f"expected one {kind}, got {[_kind(m) for m in messages]}"
        return wanted[0]

    def send(self, message: Message | str) -> None:
        self.agent.receive(message if isinstance(message, str) else message.to_text(), self.now)

    def reply(self, request: Request, status: int, reason: str = "X", **kw: object) -> Response:
        response = make_response(request, status, reason, **kw)  # type: ignore[arg-type]
        self.send(response)
        return response

    def challenge(self, request: Request, status: int = 401, *, stale: bool = False) -> str:
        self.nonce_serial += 1
        nonce = f"nonce{self.nonce_serial}"
        header = "WWW-Authenticate" if status == 401 else "Proxy-Authenticate"
        value = f'Digest realm="{REALM}", nonce="{nonce}", qop="auth", algorithm=MD5'
        if stale:
            value += ", stale=true"
        self.reply(request, status, "Unauthorized", extra=[(header, value)])
        return nonce

    @staticmethod
    def credentials_ok(request: Request, password: str = PASSWORD) -> bool:
        value = request.header("Authorization") or request.header("Proxy-Authorization")
        if value is None:
            return False
        params = parse_auth_params(value.partition(" ")[2])
        expected = digest_response(
            username=params["username"], password=password, realm=params["realm"],
            nonce=params["nonce"], method=request.method, uri=params["uri"],
            qop=params.get("qop"), nc=params.get("nc", ""), cnonce=params.get("cnonce", ""))
        return params["response"] == expected and params["uri"] == request.uri


def _kind(message: Message) -> str:
    return message.method if isinstance(message, Request) else str(message.status)


def remote_request(method: str, *, call_id: str, from_tag: str, to_tag: str | None,
                   cseq: int, branch: str, body: str = "", content_type: str | None = None,
                   extra: list[tuple[str, str]] | None = None,
                   uri: str = "sip:agent@x.invalid;transport=ws") -> Request:
    to = "<sip:agent@pbx.test>" + (f";tag={to_tag}" if to_tag else "")
    headers = [
        ("Via", f"SIP/2.0/WSS 10.9.0.1:8080;branch={branch}"),
        ("Record-Route", "<sip:10.9.0.1:8080;transport=ws;lr>"),
        ("From", f'"Caller" <sip:+8613800138000@pbx.test>;tag={from_tag}'), ("To", to),
        ("Call-ID", call_id), ("CSeq", f"{cseq} {method}"),
        ("Contact", "<sip:caller@10.9.0.2:5060>"),
    ]
    if content_type:
        headers.append(("Content-Type", content_type))
    headers += extra or []
    return Request(method=method, uri=uri, headers=headers, body=body.encode())
