"""Which customer fields a role reads in full, and the masks it sees instead.

Fields fall in three classes (docs/security.md, "Customer fields"):

- profile: name, language, tier, tags, consent, notes, attributes of class
  ``profile``: whoever holds ``customers.read``;
- contact: phone numbers and e-mail addresses (contact points, claims, mail
  addresses, a follow-up's contact), attributes of class ``contact`` (addresses):
  in full with ``customers.contact``, masked (``+86 138****5678``) without;
- sensitive: attributes of class ``sensitive``: masked for everyone in every frame;
  ``customers.sensitive`` reveals one value at a time (``reveal_field``, audited).

Masking happens where frames leave the hub for an agent: every text frame an agent
socket sends passes ``FieldAccess.outgoing`` (hub.transport.endpoints gives it to
the peer), whatever part of the hub made it (replies, events, replays, snapshots,
frames another hub process wrote). The role is read at each frame that carries a
field, so a role change applies to the next one.
"""

from __future__ import annotations

import email.utils
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import msgspec
import phonenumbers
import sqlalchemy as sa

from core.protocol import email as ep
from core.protocol import profile as pp
from core.protocol.models import IdentityKind
from core.protocol.profile import FieldClass
from hub.access import role_store
from hub.access.permissions import Permission
from hub.store import schema as t
from hub.store.database import Database

MASK = "****"
CONTACT_KINDS = frozenset({IdentityKind.PHONE.value, IdentityKind.EMAIL.value})
# Frames that may carry a field worth masking say one of these keys.
_MARKERS = ('"identities"', '"address"', '"contact_phone"', '"contact_email"',
            '"kind":"note"')
# Contact points as the hub writes them into its own notes (normalised).
_NOTE_PHONE = re.compile(r"\+\d{6,15}")
_NOTE_EMAIL = re.compile(r"[^\s@,;:<>()\"]+@[^\s@,;:<>()\"]+\.[A-Za-z]{2,}")
_MASKED_MAIL = re.compile(r"(?:^|[\s<,\"])[^@\s<,\"]\*\*\*@")


def mask_phone(value: str) -> str:
    """``+8613812345678`` -> ``+86 138****5678``: enough to tell numbers apart."""
    try:
        number = phonenumbers.parse(value, None)
        national = str(number.national_number)
        prefix = f"+{number.country_code} "
    except phonenumbers.NumberParseException:
        national = re.sub(r"\D", "", value)
        prefix = ""
    if len(national) >= 8:
        return f"{prefix}{national[:3]}{MASK}{national[-4:]}"
    return f"{prefix}{MASK}{national[-2:]}"


def mask_email(value: str) -> str:
    """``lina.wang@example.com`` -> ``l***@example.com``."""
    local, at, domain = value.rpartition("@")
    if not at:
        return MASK
    return f"{local[:1]}***@{domain}"


def is_masked_email(value: str) -> bool:
    return bool(_MASKED_MAIL.search(value))


def mask_text(value: object) -> str:
    """An address-like text keeps its first characters: ``上海****``."""
    text = str(value)
    keep = 2 if len(text) >= 8 else 0
    return text[:keep] + MASK


def mask_hub_note(text: str) -> str:
    """A note the hub wrote (no author) names contact points as values: masked."""
    text = _NOTE_PHONE.sub(lambda m: mask_phone(m.group()), text)
    return _NOTE_EMAIL.sub(lambda m: mask_email(m.group()), text)


def mask_identity(kind: str, value: str) -> str:
    return mask_phone(value) if kind == IdentityKind.PHONE.value else mask_email(value)


@dataclass(frozen=True)
class FieldView:
    """What one agent reads: ``contact`` in full or not; the attribute keys that are
    masked for them; whether they may reveal sensitive attributes."""

    contact: bool
    masked_attributes: dict[str, FieldClass]
    may_reveal: bool = False

    @property
    def masks_anything(self) -> bool:
        return not self.contact or bool(self.masked_attributes)

    def mask(self, data: Any) -> Any:
        """``data`` (a decoded JSON frame) with what this view may not read masked."""
        if isinstance(data, list):
            return [self.mask(item) for item in data]
        if not isinstance(data, dict):
            return data
        out = {key: self.mask(value) for key, value in data.items()}
        if "identities" in out and "attributes" in out and "id" in out:
            self._mask_customer(out)
        if not self.contact:
            if set(out) == {"address", "name"} and isinstance(out["address"], str):
                out["address"] = mask_email(out["address"])
            for key, masker in (("contact_phone", mask_phone), ("contact_email", mask_email)):
                if isinstance(out.get(key), str):
                    out[key] = masker(out[key])
            # The hub's own notes, in the profile and as timeline items.
            if out.get("kind") == "note" and out.get("agent_name") is None \
                    and isinstance(out.get("preview"), str):
                out["preview"] = mask_hub_note(out["preview"])
        return out

    def _mask_customer(self, customer: dict[str, Any]) -> None:
        identities = customer.get("identities")
        if not self.contact and isinstance(identities, list):
            for identity in identities:
                if isinstance(identity, dict) and identity.get("kind") in CONTACT_KINDS \
                        and isinstance(identity.get("value"), str):
                    identity["value"] = mask_identity(identity["kind"], identity["value"])
        notes = customer.get("notes")
        if not self.contact and isinstance(notes, list):
            for note in notes:
                if isinstance(note, dict) and note.get("author_id") is None \
                        and isinstance(note.get("text"), str):
                    note["text"] = mask_hub_note(note["text"])
        attributes = customer.get("attributes")
        if isinstance(attributes, dict):
            for key, field_class in self.masked_attributes.items():
                if key in attributes and attributes[key] is not None:
                    attributes[key] = MASK if field_class == FieldClass.SENSITIVE \
                        else mask_text(attributes[key])

    def mask_frame(self, text: str) -> str:
        if not self.masks_anything or not any(m in text for m in _MARKERS):
            return text
        return msgspec.json.encode(self.mask(msgspec.json.decode(text))).decode()


def view_for(permissions: frozenset[Permission],
             attributes: list[pp.AttributeDefinition]) -> FieldView:
    contact = Permission.CUSTOMERS_CONTACT in permissions
    masked: dict[str, FieldClass] = {d.key: d.field_class for d in attributes
              if d.field_class == FieldClass.SENSITIVE
              or (d.field_class == FieldClass.CONTACT and not contact)}
    return FieldView(contact=contact, masked_attributes=masked,
                     may_reveal=Permission.CUSTOMERS_SENSITIVE in permissions)


class FieldRefused(Exception):  # noqa: N818
    """An edit of a field the role may not edit; ``str()`` names the permission."""

    def __init__(self, message: str, permission: Permission | None = None) -> None:
        super().__init__(message)
        self.permission = permission


def edit_needs(frame: object, attributes: list[pp.AttributeDefinition]) -> Permission | None:
    """The field permission an edit needs beyond ``customers.edit`` (None: none)."""
    classes = {d.key: d.field_class for d in attributes}
    if isinstance(frame, pp.AddIdentity | pp.RemoveIdentity) and \
            frame.kind.value in CONTACT_KINDS:
        return Permission.CUSTOMERS_CONTACT
    if isinstance(frame, pp.UpdateCustomer) and frame.attributes:
        touched = {classes.get(key, FieldClass.PROFILE) for key in frame.attributes}
        if FieldClass.SENSITIVE in touched:
            return Permission.CUSTOMERS_SENSITIVE
        if FieldClass.CONTACT in touched:
            return Permission.CUSTOMERS_CONTACT
    return None


def masked_recipients(frame: ep.SendEmail) -> list[str]:
    return [a for a in (*frame.to, *frame.cc, *frame.bcc) if is_masked_email(a)]


class FieldAccess:
    """Field rules against the database (the role) and the profile settings."""

    def __init__(self, db: Database,
                 attributes: Callable[[], list[pp.AttributeDefinition]]) -> None:
        self.db = db
        self.attributes = attributes

    def view(self, agent_id: str) -> FieldView:
        with self.db.connect() as conn:
            permissions = role_store.permissions_of(conn, agent_id)
        return view_for(permissions, self.attributes())

    def outgoing(self, agent_id: str) -> Callable[[str], str]:
        """The filter every frame to ``agent_id``'s sockets passes."""

        def mask(text: str) -> str:
            if not any(m in text for m in _MARKERS):
                return text
            return self.view(agent_id).mask_frame(text)

        return mask

    def edit_refusal(self, agent_id: str, frame: object) -> Permission | None:
        """The permission ``frame`` needs and the agent lacks, if any."""
        needed = edit_needs(frame, self.attributes())
        if needed is None:
            return None
        with self.db.connect() as conn:
            return None if role_store.permits(conn, agent_id, needed) else needed

    def unmask_mail(self, agent_id: str, frame: ep.SendEmail) -> ep.SendEmail:
        """A role that reads addresses masked replies to the masks it was shown: each
        masked recipient becomes the one address of the conversation (its customer's,
        or one its mails were from or to) that has this mask. A mask that fits none or
        several stays, and the check refuses the mail (``invalid``)."""
        if not masked_recipients(frame):
            return frame
        with self.db.connect() as conn:
            if role_store.permits(conn, agent_id, Permission.CUSTOMERS_CONTACT):
                return frame  # shown in full: a masked address is a typing mistake
            known = _conversation_addresses(conn, frame.conversation_id)

        def real(typed: str) -> str:
            name, address = email.utils.parseaddr(typed)
            if not is_masked_email(address):
                return typed
            found = {k for k in known if mask_email(k) == address.lower()}
            if len(found) != 1:
                return typed
            return email.utils.formataddr((name, found.pop())) if name else found.pop()

        return msgspec.structs.replace(
            frame, to=[real(a) for a in frame.to], cc=[real(a) for a in frame.cc],
            bcc=[real(a) for a in frame.bcc])


def _conversation_addresses(conn: Any, conversation_id: str) -> set[str]:
    addresses: set[str] = set()
    customer = conn.execute(sa.select(t.conversations.c.customer_id).where(
        t.conversations.c.id == conversation_id)).scalar()
    if customer is not None:
        addresses.update(conn.execute(sa.select(t.identities.c.value).where(
            t.identities.c.customer_id == customer,
            t.identities.c.kind == IdentityKind.EMAIL.value)).scalars())
    for text in conn.execute(sa.select(t.email_messages.c.details).where(
            t.email_messages.c.conversation_id == conversation_id)).scalars():
        try:
            details = json.loads(text)
        except ValueError:
            continue
        parties = [details.get("from")] + [a for key in ("to", "cc", "reply_to")
                                           for a in details.get(key) or []]
        addresses.update(p["address"].lower() for p in parties
                         if isinstance(p, dict) and isinstance(p.get("address"), str))
    return addresses
