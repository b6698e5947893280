"""Who is calling: the caller's number as the PBX asserts it, for the screen pop."""

from __future__ import annotations

from core.sip.message import Request, SipParseError, parse_name_addr

__all__ = ["caller_number"]

_NUMBER_CHARS = frozenset("+0123456789")
_WITHHELD = {"anonymous", "unknown", "restricted", "unavailable", "private"}


def caller_number(request: Request) -> str:
    """The calling number: P-Asserted-Identity, Remote-Party-ID or From, first that
    holds a number (``tel:`` or a numeric SIP user, visual separators removed).
    "" when the caller withheld it (Privacy: id, or an anonymous From)."""
    privacy = (request.header("Privacy") or "").lower()
    candidates = [*request.header_values("P-Asserted-Identity"),
                  *request.header_values("Remote-Party-ID")]
    if "id" not in privacy.replace(";", " ").split():
        candidates.append(request.require("From"))
    for value in candidates:
        try:
            addr = parse_name_addr(value)
        except SipParseError:
            continue
        scheme, _, rest = addr.uri.partition(":")
        user = rest.split(";")[0] if scheme.lower() == "tel" else addr.user.split(";")[0]
        user = "".join(ch for ch in user if ch not in "-.() ")
        if user.lower() in _WITHHELD:
            return ""
        if user and set(user) <= _NUMBER_CHARS and user.count("+") <= 1 and \
                user.lstrip("+").isdigit():
            return user
    return ""
