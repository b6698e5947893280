"""The Replaces header (RFC 3891): an INVITE that takes the place of a dialog.

This phone is the *target* of someone else's attended transfer: the colleague who
consulted us asks the customer to call us with ``Replaces: <our dialog with the
colleague>``; the new call is accepted without ringing (we already accepted the
call it replaces) and the replaced dialog ends with a BYE.

Matching (§3): the ``to-tag`` is compared with *our* tag of the dialog, the
``from-tag`` with the other side's. What this module decides, sans-I/O:

- no dialog of ours matches → 481;
- a matching dialog that is still early (ringing either way) → 481: replacing
  an early dialog (call pick-up) is not supported;
- a confirmed dialog and ``early-only`` → 486;
- a confirmed dialog → accepted.
"""

from __future__ import annotations

from dataclasses import dataclass

from core.sip.message import Request, SipParseError

__all__ = ["Replaces", "ReplacesRefusal", "parse_replaces", "replaces_of"]


@dataclass(frozen=True)
class Replaces:
    call_id: str
    to_tag: str     # the receiver's (our) tag of the dialog to replace
    from_tag: str   # the other side's tag
    early_only: bool = False


@dataclass(frozen=True)
class ReplacesRefusal:
    status: int
    reason: str


def parse_replaces(value: str) -> Replaces:
    """``callid;to-tag=a;from-tag=b[;early-only]``; SipParseError when malformed."""
    parts = [p.strip() for p in value.split(";")]
    call_id, params = parts[0], parts[1:]
    if not call_id or any(c.isspace() for c in call_id):
        raise SipParseError(f"Replaces without a Call-ID: {value!r}")
    tags: dict[str, str] = {}
    early_only = False
    for param in params:
        name, _, tag = param.partition("=")
        name = name.strip().lower()
        if name == "early-only":
            early_only = True
        elif name in ("to-tag", "from-tag"):
            if not tag.strip() or name in tags:
                raise SipParseError(f"Replaces with a bad {name}: {value!r}")
            tags[name] = tag.strip()
    if set(tags) != {"to-tag", "from-tag"}:
        raise SipParseError(f"Replaces needs to-tag and from-tag: {value!r}")
    return Replaces(call_id, tags["to-tag"], tags["from-tag"], early_only)


def replaces_of(request: Request) -> Replaces | None:
    """The INVITE's Replaces, None without one; more than one is malformed (§6.1)."""
    values = request.header_values("Replaces")
    if not values:
        return None
    if len(values) > 1:
        raise SipParseError("more than one Replaces header")
    return parse_replaces(values[0])
