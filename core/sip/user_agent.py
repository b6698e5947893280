"""A SIP phone over one websocket connection (RFC 7118), sans-I/O.

Inputs: ``receive(text, now)``, ``tick(now)``, ``transport_did_connect/drop`` and
the commands (``register``, ``call``, ``answer``, ``reject``, ``hang_up``,
``reoffer``, ``answer_reoffer``, ``send_dtmf``, ``refer``, ``refer_replacing``).
Outputs: ``data_to_send()`` (one string per websocket frame) and ``events()``
(``core.sip.events``). Time is always an argument; ``next_deadline()`` says when to tick.

An INVITE with Replaces (RFC 3891, ``core.sip.replaces``) that matches one of our
confirmed dialogs arrives as an ``IncomingCall`` with ``replaces`` set and does not
ring; answering it sends the BYE that ends the dialog it replaces.

Requests challenged with 401/407 are sent again once with digest credentials
(again after a ``stale`` nonce); a second rejection is final.
"""

from __future__ import annotations

import logging
import secrets
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import quote

from core.sip.dialog import Dialog, new_branch, new_tag
from core.sip.digest import DigestError, authorization, parse_challenge
from core.sip.events import (
    CallDidAnswer,
    CallDidConfirm,
    CallDidEnd,
    CallDidProgress,
    CallDirection,
    CallState,
    DtmfDidArrive,
    EndReason,
    IncomingCall,
    KeepaliveDidFail,
    OfferDidArrive,
    OfferWanted,
    ReofferDidComplete,
    ReofferDidFail,
    SipEvent,
    TransferDidProgress,
)
from core.sip.identity import caller_number
from core.sip.message import (
    Request,
    Response,
    SipParseError,
    parse_message,
    parse_name_addr,
)
from core.sip.registrator import Account, Registrator
from core.sip.replaces import Replaces, ReplacesRefusal, replaces_of
from core.sip.transaction import (
    ClientTransaction,
    ServerTransaction,
    TransactionLayer,
    make_response,
)

__all__ = ["ALLOWED_METHODS", "DTMF_DIGITS", "CallError", "SipCall", "UserAgent"]

log = logging.getLogger(__name__)

ALLOWED_METHODS = "INVITE, ACK, CANCEL, BYE, OPTIONS, INFO, REFER, NOTIFY, UPDATE"
SDP = "application/sdp"
DTMF_DIGITS = frozenset("0123456789*#ABCD")
ResponseHandler = Callable[[Response, float], None]


class CallError(Exception):
    """A command that does not fit the call's state (or an unknown call)."""


@dataclass
class SipCall:
    call_id: str
    direction: CallDirection
    state: CallState
    remote_uri: str
    invite: Request
    dialog: Dialog | None = None
    invite_tx: ServerTransaction | None = None     # inbound, until answered
    local_tag: str = ""
    cancel_wanted: bool = False
    provisional_seen: bool = False
    reinvite_in: ServerTransaction | None = None   # their re-INVITE awaiting our answer
    reinvite_in_request: Request | None = None
    reinvite_out: bool = False
    ack_deadline: float | None = None   # inbound: answered, the ACK must come by then
    offer_in_answer: bool = False       # our 200 to an offerless re-INVITE held the offer
    replaces: str | None = None         # inbound with Replaces: the call it takes over


@dataclass
class _Pending:
    request: Request
    handler: ResponseHandler
    auth_tries: int = 0


def _key(request: Request) -> tuple[str, str]:
    return request.top_via.branch, request.cseq[1]


class UserAgent:
    """One SIP account's phone. Thread: whichever owns it (never shared)."""

    def __init__(self, account: Account, *, instance_id: str | None = None,
                 keepalive_s: float | None = None) -> None:
        self.account = account
        # OPTIONS to the registrar every ``keepalive_s`` while connected: a PBX whose
        # SIP side hangs behind a live websocket shows up as KeepaliveDidFail.
        self.keepalive_s = keepalive_s
        self.keepalives_answered = 0
        self._keepalive_at: float | None = None
        self._keepalive_out = False
        self.instance_id = instance_id or str(uuid.uuid4())
        self.contact_host = f"{secrets.token_hex(6)}.invalid"
        self.transactions = TransactionLayer(reliable=True)
        self.registrator = Registrator(account, self)
        self.calls: dict[str, SipCall] = {}
        self.connected = False
        self._events: list[SipEvent] = []
        self._out: list[str] = []
        self._pending: dict[tuple[str, str], _Pending] = {}  # (branch, method) → context
        self._nonce_counts: dict[str, int] = {}

    # ---- plumbing -----------------------------------------------------------------

    @property
    def contact(self) -> str:
        return f"<sip:{self.account.username}@{self.contact_host};transport=ws>"

    def via(self, branch: str | None = None) -> str:
        return f"SIP/2.0/WSS {self.contact_host};branch={branch or new_branch()};rport"

    def emit(self, event: SipEvent) -> None:
        self._events.append(event)

    def events(self) -> list[SipEvent]:
        out, self._events = self._events, []
        return out

    def data_to_send(self) -> list[str]:
        for message in self.transactions.take_outgoing():
            self._out.append(message.to_text())
        out, self._out = self._out, []
        return out

    def next_deadline(self) -> float | None:
        times = [t for t in (self.transactions.next_deadline(),
                             self.registrator.next_deadline(), self._keepalive_at,
                             *(c.ack_deadline for c in self.calls.values()))
                 if t is not None]
        return min(times) if times else None

    def transport_did_connect(self, now: float) -> None:
        self.connected = True
        self._keepalive_out = False
        self._keepalive_at = now + self.keepalive_s if self.keepalive_s else None
        self.registrator.transport_did_connect(now)

    def transport_did_drop(self, now: float) -> None:
        """The websocket closed: every call on it is gone (RFC 7118 has no recovery
        of dialogs over a new connection); registration resumes on reconnect."""
        self.connected = False
        self._keepalive_at = None
        self.transactions = TransactionLayer(reliable=True)
        self._pending.clear()
        for call in list(self.calls.values()):
            self._end(call, EndReason.TRANSPORT_LOST)
        self.registrator.transport_did_drop(now)

    def send_request(self, request: Request, now: float, handler: ResponseHandler) -> None:
        self.transactions.send_request(request, now)
        self._pending[_key(request)] = _Pending(request, handler)

    def tick(self, now: float) -> None:
        for tx in self.transactions.tick(now):
            if isinstance(tx, ClientTransaction):
                pending = self._pending.pop(_key(tx.request), None)
                if pending is not None:
                    timeout = make_response(tx.request, 408, "Request Timeout")
                    pending.handler(timeout, now)
            elif tx.request.method == "INVITE":
                log.info("no ACK for our failure response to %s", tx.request.call_id)
        self.registrator.tick(now)
        for call in list(self.calls.values()):
            if call.ack_deadline is not None and now >= call.ack_deadline:
                # §13.3.1.4: no ACK for our 2xx — confirm nothing, end the dialog.
                call.ack_deadline = None
                self._send_bye(call, now)
                self._end(call, EndReason.TIMEOUT)
        if self._keepalive_at is not None and now >= self._keepalive_at:
            self._keepalive_at = None
            self._send_keepalive(now)

    def _send_keepalive(self, now: float) -> None:
        assert self.keepalive_s is not None
        self._keepalive_at = now + self.keepalive_s
        if not self.connected or self._keepalive_out:
            return
        domain = self.account.domain
        request = Request(method="OPTIONS", uri=f"sip:{domain}", headers=[
            ("Via", self.via()), ("Max-Forwards", "70"),
            ("From", f"{self.account.address};tag={new_tag()}"), ("To", f"<sip:{domain}>"),
            ("Call-ID", secrets.token_hex(12)), ("CSeq", "1 OPTIONS"),
            ("User-Agent", self.account.user_agent)])
        self._keepalive_out = True

        def done(response: Response, at: float) -> None:
            if response.status < 200:
                return
            self._keepalive_out = False
            if response.status == 408:
                self.emit(KeepaliveDidFail(response.status))
            else:
                self.keepalives_answered += 1  # any final answer: the PBX is there

        self.send_request(request, now, done)

    # ---- receiving ----------------------------------------------------------------

    def receive(self, text: str | bytes, now: float) -> None:
        """One websocket frame. Malformed input is logged and dropped (a request we
        can parse far enough is answered 400)."""
        if not text.strip():
            return  # keepalive (RFC 5626 CRLF)
        try:
            message = parse_message(text)
        except SipParseError as exc:
            log.warning("dropping a malformed SIP message: %s", exc)
            return
        if isinstance(message, Response):
            self._receive_response(message, now)
        else:
            self._receive_request(message, now)

    def _receive_response(self, response: Response, now: float) -> None:
        tx = self.transactions.receive_response(response, now)
        if tx is None:
            self._stray_response(response)
            return
        pending = self._pending.get(_key(tx.request))
        if pending is None:
            return
        if response.status >= 200:
            self._pending.pop(_key(tx.request), None)
        if response.status in (401, 407) and self._retry_with_credentials(pending, response, now):
            return
        pending.handler(response, now)

    def _stray_response(self, response: Response) -> None:
        """A 2xx to our INVITE retransmitted after the transaction ended: ACK again."""
        try:
            method = response.cseq[1]
        except SipParseError:
            return
        call = self.calls.get(response.call_id)
        if method == "INVITE" and 200 <= response.status < 300 and call and call.dialog:
            self._send_ack(call, response.cseq[0])

    def _retry_with_credentials(self, pending: _Pending, response: Response, now: float) -> bool:
        header = "WWW-Authenticate" if response.status == 401 else "Proxy-Authenticate"
        value = response.header(header)
        if value is None:
            return False
        try:
            challenge = parse_challenge(value)
        except (DigestError, SipParseError) as exc:
            log.warning("cannot answer the challenge: %s", exc)
            return False
        if pending.auth_tries >= 1 and not challenge.stale:
            return False  # the credentials were wrong
        if pending.auth_tries >= 3:
            return False
        request = pending.request
        if len(self._nonce_counts) > 64:
            self._nonce_counts.clear()  # old nonces are long expired
        count = self._nonce_counts.get(challenge.nonce, 0) + 1
        self._nonce_counts[challenge.nonce] = count
        credentials = authorization(
            challenge, username=self.account.auth_username or self.account.username,
            password=self.account.password, method=request.method, uri=request.uri,
            nonce_count=count)
        retry = Request(headers=list(request.headers), body=request.body,
                        method=request.method, uri=request.uri)
        retry.remove_header("Authorization")
        retry.remove_header("Proxy-Authorization")
        retry.set_header("Via", self.via())
        number, method = request.cseq
        self._bump_cseq(retry, number + 1)
        retry.add_header("Authorization" if response.status == 401 else "Proxy-Authorization",
                         credentials)
        self.transactions.send_request(retry, now)
        self._pending[_key(retry)] = _Pending(retry, pending.handler, pending.auth_tries + 1)
        call = self.calls.get(request.call_id)
        if call is not None:
            if method == "INVITE" and call.invite.cseq == request.cseq:
                call.invite = retry
            if call.dialog is not None:
                # an in-dialog request took a CSeq: later ones must go above it
                call.dialog.local_cseq = max(call.dialog.local_cseq, number + 1)
        self.registrator.request_was_resent(request, retry)
        return True

    @staticmethod
    def _bump_cseq(request: Request, number: int) -> None:
        request.set_header("CSeq", f"{number} {request.cseq[1]}")
        # keep Via first for readability
        via = request.require("Via")
        request.remove_header("Via")
        request.add_header("Via", via, first=True)

    def _receive_request(self, request: Request, now: float) -> None:
        if request.method == "ACK":
            if not self.transactions.absorb_ack(request, now):
                self._ack_of_2xx(request)
            return
        tx = self.transactions.receive_request(request, now)
        if tx is None:
            return  # a retransmission, answered by the transaction
        handler = {
            "INVITE": self._on_invite, "CANCEL": self._on_cancel, "BYE": self._on_bye,
            "OPTIONS": self._on_options, "INFO": self._on_info, "NOTIFY": self._on_notify,
            "UPDATE": self._on_update,
        }.get(request.method)
        if handler is None:
            allow = [("Allow", ALLOWED_METHODS)]
            status, reason = (405, "Method Not Allowed") if request.method in (
                "REGISTER", "SUBSCRIBE", "PUBLISH", "MESSAGE", "PRACK", "REFER") \
                else (501, "Not Implemented")
            tx.respond(make_response(request, status, reason, extra=allow), now)
            return
        try:
            handler(request, tx, now)
        except SipParseError as exc:
            log.warning("bad %s: %s", request.method, exc)
            tx.respond(make_response(request, 400, "Bad Request"), now)

    # ---- inbound requests ---------------------------------------------------------

    def _in_dialog_call(self, request: Request) -> SipCall | None:
        call = self.calls.get(request.call_id)
        if call is None or call.dialog is None:
            return None
        if request.to.tag != call.dialog.local_tag:
            return None
        return call

    def _on_invite(self, request: Request, tx: ServerTransaction, now: float) -> None:
        if request.to.tag is not None:
            self._on_reinvite(request, tx, now)
            return
        if request.call_id in self.calls:
            tx.respond(make_response(request, 482, "Loop Detected"), now)
            return
        if SDP not in (request.header("Content-Type") or "").lower() or not request.body:
            # Offerless INVITEs would need the offer in our 200: not supported.
            tx.respond(make_response(request, 488, "Not Acceptable Here"), now)
            return
        replaced: SipCall | None = None
        wanted = replaces_of(request)
        if wanted is not None:
            found = self._replaceable(wanted)
            if isinstance(found, ReplacesRefusal):
                tx.respond(make_response(request, found.status, found.reason), now)
                return
            replaced = found
        caller = request.from_
        call = SipCall(call_id=request.call_id, direction=CallDirection.INBOUND,
                       state=CallState.RINGING, remote_uri=caller.uri, invite=request,
                       invite_tx=tx, local_tag=new_tag(),
                       replaces=replaced.call_id if replaced is not None else None)
        call.dialog = Dialog.as_callee(request, call.local_tag)
        self.calls[call.call_id] = call
        if replaced is None:  # a replacing call is answered at once, without ringing
            tx.respond(make_response(request, 180, "Ringing", to_tag=call.local_tag,
                                     extra=[("Contact", self.contact)]), now)
        self.emit(IncomingCall(call.call_id, caller.uri, caller.display, caller.user,
                               request.text_body, caller_number(request), call.replaces))

    def _replaceable(self, wanted: Replaces) -> SipCall | ReplacesRefusal:
        """The confirmed dialog an INVITE's Replaces names, or why it is refused."""
        match = next((c for c in self.calls.values() if c.dialog is not None
                      and c.dialog.call_id == wanted.call_id
                      and c.dialog.local_tag == wanted.to_tag
                      and c.dialog.remote_tag == wanted.from_tag), None)
        if match is None or match.state != CallState.ESTABLISHED:
            # Early dialogs are not replaced (no call pick-up); a terminated one is
            # gone from ``calls`` already.
            return ReplacesRefusal(481, "Call/Transaction Does Not Exist")
        if wanted.early_only:
            return ReplacesRefusal(486, "Busy Here")
        if any(c.replaces == match.call_id for c in self.calls.values()):
            return ReplacesRefusal(486, "Busy Here")  # another INVITE replaces it already
        return match

    def _on_reinvite(self, request: Request, tx: ServerTransaction, now: float) -> None:
        call = self._in_dialog_call(request)
        if call is None or call.state != CallState.ESTABLISHED:
            tx.respond(make_response(request, 481, "Call/Transaction Does Not Exist"), now)
            return
        assert call.dialog is not None
        if not call.dialog.accept_remote_cseq(request):
            tx.respond(make_response(request, 500, "Server Internal Error"), now)
            return
        if call.reinvite_out or call.reinvite_in is not None:
            tx.respond(make_response(request, 491, "Request Pending"), now)
            return
        call.dialog.refresh_target(request)
        call.reinvite_in, call.reinvite_in_request = tx, request
        if not request.body:
            # A refresh without an offer (session timers): our 200 carries an offer,
            # the answer comes in the ACK.
            self.emit(OfferWanted(call.call_id))
            return
        self.emit(OfferDidArrive(call.call_id, request.text_body))

    def _on_update(self, request: Request, tx: ServerTransaction, now: float) -> None:
        """UPDATE (RFC 3311) as a session refresh; offers by UPDATE are not taken."""
        call = self._in_dialog_call(request)
        if call is None:
            tx.respond(make_response(request, 481, "Call/Transaction Does Not Exist"), now)
            return
        if request.body:
            tx.respond(make_response(request, 488, "Not Acceptable Here"), now)
            return
        tx.respond(make_response(request, 200, "OK", extra=[("Contact", self.contact)]), now)

    def _on_cancel(self, request: Request, tx: ServerTransaction, now: float) -> None:
        call = self.calls.get(request.call_id)
        invite_tx = call.invite_tx if call else None
        if call is None or invite_tx is None or call.state != CallState.RINGING or \
                invite_tx.request.top_via.branch != request.top_via.branch:
            tx.respond(make_response(request, 481, "Call/Transaction Does Not Exist"), now)
            return
        tx.respond(make_response(request, 200, "OK"), now)
        invite_tx.respond(make_response(call.invite, 487, "Request Terminated",
                                        to_tag=call.local_tag), now)
        self._end(call, EndReason.CANCELLED)

    def _on_bye(self, request: Request, tx: ServerTransaction, now: float) -> None:
        call = self._in_dialog_call(request)
        if call is None:
            tx.respond(make_response(request, 481, "Call/Transaction Does Not Exist"), now)
            return
        tx.respond(make_response(request, 200, "OK"), now)
        if call.reinvite_in is not None:
            call.reinvite_in.respond(make_response(call.reinvite_in.request, 487,
                                                   "Request Terminated"), now)
        self._end(call, EndReason.REMOTE_HANGUP)

    def _on_options(self, request: Request, tx: ServerTransaction, now: float) -> None:
        tx.respond(make_response(request, 200, "OK", to_tag=new_tag(), extra=[
            ("Allow", ALLOWED_METHODS), ("Accept", SDP), ("Contact", self.contact)]), now)

    def _on_info(self, request: Request, tx: ServerTransaction, now: float) -> None:
        call = self._in_dialog_call(request)
        if call is None:
            tx.respond(make_response(request, 481, "Call/Transaction Does Not Exist"), now)
            return
        kind = (request.header("Content-Type") or "").lower()
        if "dtmf-relay" not in kind and "dtmf" not in kind:
            tx.respond(make_response(request, 415, "Unsupported Media Type",
                                     extra=[("Accept", "application/dtmf-relay")]), now)
            return
        fields = {k.strip().lower(): v.strip() for k, _, v in
                  (line.partition("=") for line in request.text_body.splitlines())}
        digit = fields.get("signal", request.text_body.strip()[:1]).upper()
        if digit not in DTMF_DIGITS:
            tx.respond(make_response(request, 400, "Bad DTMF Signal"), now)
            return
        try:
            duration = int(fields.get("duration", "160"))
        except ValueError:
            duration = 160
        tx.respond(make_response(request, 200, "OK"), now)
        self.emit(DtmfDidArrive(call.call_id, digit, duration))

    def _on_notify(self, request: Request, tx: ServerTransaction, now: float) -> None:
        call = self._in_dialog_call(request)
        if call is None or (request.header("Event") or "").split(";")[0].strip() != "refer":
            tx.respond(make_response(request, 481, "Subscription Does Not Exist"), now)
            return
        tx.respond(make_response(request, 200, "OK"), now)
        frag = request.text_body.strip().split("\r\n")[0].split("\n")[0].split()
        status = int(frag[1]) if len(frag) >= 2 and frag[1].isdigit() else 0
        terminated = "terminated" in (request.header("Subscription-State") or "").lower()
        self.emit(TransferDidProgress(call.call_id, status, final=terminated or status >= 200))

    def _ack_of_2xx(self, request: Request) -> None:
        call = self._in_dialog_call(request)
        if call is None:
            return
        if call.state == CallState.RINGING and call.invite_tx is None:
            call.ack_deadline = None
            call.state = CallState.ESTABLISHED
            self.emit(CallDidConfirm(call.call_id))
        elif call.offer_in_answer:
            call.offer_in_answer = False
            if request.body:
                self.emit(ReofferDidComplete(call.call_id, request.text_body))
            else:
                self.emit(ReofferDidFail(call.call_id, 488))

    # ---- commands -----------------------------------------------------------------

    def register(self, now: float) -> None:
        self.registrator.register(now)

    def unregister(self, now: float) -> None:
        self.registrator.unregister(now)

    def _call(self, call_id: str) -> SipCall:
        call = self.calls.get(call_id)
        if call is None:
            raise CallError(f"no call {call_id}")
        return call

    def call(self, target: str, offer_sdp: str, now: float) -> str:
        """Start an outbound call; ``target`` is a SIP URI or a number/user at our domain."""
        uri = target if target.startswith(("sip:", "sips:")) else \
            f"sip:{target}@{self.account.domain}"
        parse_name_addr(f"<{uri}>")
        call_id = secrets.token_hex(12)
        local = self.account.address
        headers = [("Via", self.via()), ("Max-Forwards", "70"),
                   ("From", f"{local};tag={new_tag()}"), ("To", f"<{uri}>"),
                   ("Call-ID", call_id), ("CSeq", "1 INVITE"), ("Contact", self.contact),
                   ("Allow", ALLOWED_METHODS), ("Content-Type", SDP),
                   ("User-Agent", self.account.user_agent)]
        invite = Request(headers=headers, body=offer_sdp.encode(), method="INVITE", uri=uri)
        call = SipCall(call_id=call_id, direction=CallDirection.OUTBOUND,
                       state=CallState.CALLING, remote_uri=uri, invite=invite)
        self.calls[call_id] = call
        self.send_request(invite, now, lambda r, t: self._invite_response(call, r, t))
        return call_id

    def _invite_response(self, call: SipCall, response: Response, now: float) -> None:
        if call.state == CallState.TERMINATED:
            if 200 <= response.status < 300:
                call.dialog = Dialog.as_caller(call.invite, response)
                self._send_ack(call, response.cseq[0])
                self._send_bye(call, now)
            return
        if response.status < 200:
            call.provisional_seen = True
            if call.cancel_wanted:
                self._send_cancel(call, now)
            elif response.status > 100:
                call.state = CallState.RINGING
                self.emit(CallDidProgress(call.call_id, response.status))
            return
        if response.status < 300:
            call.dialog = Dialog.as_caller(call.invite, response)
            self._send_ack(call, response.cseq[0])
            if call.cancel_wanted:
                self._send_bye(call, now)
                self._end(call, EndReason.LOCAL_HANGUP)
                return
            call.state = CallState.ESTABLISHED
            self.emit(CallDidAnswer(call.call_id, response.text_body))
            return
        reason = {486: EndReason.BUSY, 600: EndReason.BUSY, 603: EndReason.DECLINED,
                  487: EndReason.CANCELLED, 408: EndReason.TIMEOUT}.get(response.status,
                                                                        EndReason.REJECTED)
        if call.cancel_wanted:
            reason = EndReason.CANCELLED
        self._end(call, reason, response.status)

    def _send_ack(self, call: SipCall, cseq: int) -> None:
        assert call.dialog is not None
        ack = call.dialog.new_request("ACK", via=self.via(), contact=None, cseq=cseq)
        for name in ("Authorization", "Proxy-Authorization"):
            value = call.invite.header(name)
            if value is not None:
                ack.add_header(name, value)
        self.transactions.send_stateless(ack)

    def _send_cancel(self, call: SipCall, now: float) -> None:
        invite = call.invite
        headers = [("Via", invite.require("Via")), ("Max-Forwards", "70")]
        headers += [(n, v) for n, v in invite.headers if n == "Route"]
        headers += [("From", invite.require("From")), ("To", invite.require("To")),
                    ("Call-ID", invite.call_id), ("CSeq", f"{invite.cseq[0]} CANCEL")]
        cancel = Request(headers=headers, method="CANCEL", uri=invite.uri)
        self.send_request(cancel, now, lambda r, t: None)

    def _send_bye(self, call: SipCall, now: float) -> None:
        assert call.dialog is not None
        bye = call.dialog.new_request("BYE", via=self.via(), contact=None)
        self.send_request(bye, now, lambda r, t: None)

    def answer(self, call_id: str, answer_sdp: str, now: float) -> None:
        """Answer an inbound call; a replacing call's answer also ends (BYE) the
        call it replaces, or is 603 when that call ended meanwhile."""
        call = self._call(call_id)
        if call.direction != CallDirection.INBOUND or call.invite_tx is None:
            raise CallError(f"call {call_id} is not waiting to be answered")
        replaced = self.calls.get(call.replaces) if call.replaces is not None else None
        if call.replaces is not None and (replaced is None
                                          or replaced.state != CallState.ESTABLISHED):
            self.reject(call_id, now, 603)
            raise CallError(f"the call {call.replaces} that {call_id} replaces has ended")
        tx, call.invite_tx = call.invite_tx, None
        tx.respond(make_response(call.invite, 200, "OK", to_tag=call.local_tag,
                                 body=answer_sdp.encode(),
                                 extra=[("Contact", self.contact), ("Allow", ALLOWED_METHODS),
                                        ("Content-Type", SDP)]), now)
        call.ack_deadline = now + 64 * self.transactions.timers.t1
        if replaced is not None:
            self._send_bye(replaced, now)
            self._end(replaced, EndReason.REPLACED)

    def reject(self, call_id: str, now: float, status: int = 486) -> None:
        """Busy (486) or decline (603) an inbound call that is still ringing."""
        call = self._call(call_id)
        if call.invite_tx is None:
            raise CallError(f"call {call_id} cannot be rejected now")
        reasons = {486: "Busy Here", 603: "Decline", 480: "Temporarily Unavailable"}
        tx, call.invite_tx = call.invite_tx, None
        tx.respond(make_response(call.invite, status, reasons.get(status, "Rejected"),
                                 to_tag=call.local_tag), now)
        self._end(call, {486: EndReason.BUSY, 603: EndReason.DECLINED}.get(
            status, EndReason.REJECTED), status)

    def hang_up(self, call_id: str, now: float) -> None:
        """End the call whatever its state: CANCEL, 603 or BYE as fits."""
        call = self._call(call_id)
        if call.state == CallState.TERMINATED:
            return
        if call.direction == CallDirection.INBOUND and call.invite_tx is not None:
            self.reject(call_id, now, 603)
            return
        if call.state in (CallState.CALLING, CallState.RINGING) and call.dialog is None:
            call.cancel_wanted = True
            if call.provisional_seen:
                self._send_cancel(call, now)
            return  # the 487 (or a late 2xx, then ACK + BYE) ends it
        if call.dialog is not None:
            self._send_bye(call, now)
        self._end(call, EndReason.LOCAL_HANGUP)

    def reoffer(self, call_id: str, offer_sdp: str, now: float) -> None:
        """A re-INVITE with a new offer (hold/resume); the answer arrives as
        ``ReofferDidComplete`` (or ``ReofferDidFail``)."""
        call = self._call(call_id)
        if call.state != CallState.ESTABLISHED or call.dialog is None:
            raise CallError(f"call {call_id} is not established")
        if call.reinvite_out or call.reinvite_in is not None:
            raise CallError(f"call {call_id} is already renegotiating")
        request = call.dialog.new_request("INVITE", via=self.via(), contact=self.contact,
                                          body=offer_sdp.encode(), content_type=SDP)
        call.reinvite_out = True

        def done(response: Response, at: float) -> None:
            if response.status < 200:
                return
            call.reinvite_out = False
            if call.state == CallState.TERMINATED or call.dialog is None:
                return
            if response.status < 300:
                call.dialog.refresh_target(response)
                ack = call.dialog.new_request("ACK", via=self.via(), contact=None,
                                              cseq=response.cseq[0])
                self.transactions.send_stateless(ack)
                self.emit(ReofferDidComplete(call.call_id, response.text_body))
            else:
                self.emit(ReofferDidFail(call.call_id, response.status))
                if response.status in (408, 481):
                    self._send_bye(call, at)
                    self._end(call, EndReason.REMOTE_HANGUP, response.status)

        self.send_request(request, now, done)

    def answer_reoffer(self, call_id: str, answer_sdp: str, now: float) -> None:
        call = self._call(call_id)
        tx, request = call.reinvite_in, call.reinvite_in_request
        if tx is None or request is None:
            raise CallError(f"call {call_id} has no offer waiting")
        call.reinvite_in = call.reinvite_in_request = None
        # For an offerless re-INVITE this is our offer; the answer comes in the ACK.
        call.offer_in_answer = not request.body
        tx.respond(make_response(request, 200, "OK", body=answer_sdp.encode(), extra=[
            ("Contact", self.contact), ("Content-Type", SDP)]), now)

    def refuse_reoffer(self, call_id: str, now: float) -> None:
        call = self._call(call_id)
        tx, request = call.reinvite_in, call.reinvite_in_request
        if tx is None or request is None:
            raise CallError(f"call {call_id} has no offer waiting")
        call.reinvite_in = call.reinvite_in_request = None
        tx.respond(make_response(request, 488, "Not Acceptable Here"), now)

    def send_dtmf(self, call_id: str, digit: str, now: float, duration_ms: int = 160) -> None:
        """One digit as SIP INFO (application/dtmf-relay)."""
        digit = digit.upper()
        if len(digit) != 1 or digit not in DTMF_DIGITS:
            raise CallError(f"not a DTMF digit: {digit!r}")
        call = self._call(call_id)
        if call.state != CallState.ESTABLISHED or call.dialog is None:
            raise CallError(f"call {call_id} is not established")
        body = f"Signal={digit}\r\nDuration={duration_ms}\r\n".encode()
        info = call.dialog.new_request("INFO", via=self.via(), contact=self.contact, body=body,
                                       content_type="application/dtmf-relay")
        self.send_request(info, now, lambda r, t: None)

    def refer(self, call_id: str, target: str, now: float) -> None:
        """Blind transfer: ask the other side to call ``target``."""
        uri = target if target.startswith(("sip:", "sips:")) else \
            f"sip:{target}@{self.account.domain}"
        parse_name_addr(f"<{uri}>")
        self._send_refer(call_id, f"<{uri}>", now)

    def refer_replacing(self, call_id: str, consult_call_id: str, now: float) -> None:
        """Attended transfer (RFC 5589 §7): ask the other side of ``call_id`` to call
        the party of ``consult_call_id`` with an INVITE that replaces our consult
        dialog (RFC 3891), so that party is not rung again."""
        consult = self._call(consult_call_id)
        if consult.state != CallState.ESTABLISHED or consult.dialog is None:
            raise CallError(f"call {consult_call_id} is not established")
        dialog = consult.dialog
        # Seen from the party that receives the INVITE: its tag is the to-tag.
        replaces = quote(f"{dialog.call_id};to-tag={dialog.remote_tag};"
                         f"from-tag={dialog.local_tag}", safe="")
        target = parse_name_addr(dialog.remote_party).uri
        self._send_refer(call_id, f"<{target}?Replaces={replaces}>", now)

    def _send_refer(self, call_id: str, refer_to: str, now: float) -> None:
        call = self._call(call_id)
        if call.state != CallState.ESTABLISHED or call.dialog is None:
            raise CallError(f"call {call_id} is not established")
        request = call.dialog.new_request("REFER", via=self.via(), contact=self.contact, extra=[
            ("Refer-To", refer_to), ("Referred-By", self.account.address)])

        def done(response: Response, at: float) -> None:
            if response.status >= 200:
                self.emit(TransferDidProgress(call.call_id, response.status,
                                              final=response.status >= 300))

        self.send_request(request, now, done)

    # ---- the end ------------------------------------------------------------------

    def _end(self, call: SipCall, reason: EndReason, status: int | None = None) -> None:
        if call.state == CallState.TERMINATED:
            return
        call.state = CallState.TERMINATED
        self.calls.pop(call.call_id, None)
        self.emit(CallDidEnd(call.call_id, reason, status))
