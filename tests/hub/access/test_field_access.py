"""Which customer fields each role reads in full: every built-in role and a custom
role against every field, through the mask every agent frame passes; the edits each
field needs; the masks' shapes; the profile rules file's attribute classes."""

from __future__ import annotations

import msgspec
import pytest

from core.protocol import agent as ap
from core.protocol import email as ep
from core.protocol import followups as fp
from core.protocol import profile as pp
from core.protocol.codec import agent_server_decoder, encode_text
from core.protocol.models import (
    Channel,
    Conversation,
    ConversationStatus,
    Customer,
    Identity,
    IdentityKind,
    Note,
)
from core.protocol.profile import AttributeDefinition, AttributeType, FieldClass
from hub.access.field_access import (
    MASK,
    edit_needs,
    is_masked_email,
    mask_email,
    mask_phone,
    mask_text,
    view_for,
)
from hub.access.permissions import BUILTIN_ROLES, Permission
from hub.access.roles_file import parse as parse_roles
from hub.profile.config import ProfileConfigError
from hub.profile.config import parse as parse_profile

ATTRIBUTES = [
    AttributeDefinition("company", "Company", AttributeType.TEXT),
    AttributeDefinition("address", "Address", AttributeType.TEXT,
                        field_class=FieldClass.CONTACT),
    AttributeDefinition("id_number", "ID number", AttributeType.TEXT,
                        field_class=FieldClass.SENSITIVE),
]
PHONE, EMAIL, EXTERNAL = "+8613812345678", "mei.chen@example.org", "order:A-778812"
ADDRESS, ID_NUMBER = "上海市浦东新区世纪大道100号", "310101199001011234"
CUSTOM = {r.name: r.permissions for r in parse_roles("""
[roles.trainee]
like = "agent"
without = ["customers.contact"]

[roles.auditor]
permissions = ["customers.read", "customers.all", "customers.sensitive"]
""")}
ROLES = {**BUILTIN_ROLES, **CUSTOM}


def _customer() -> Customer:
    return Customer(
        id="c1", name="Mei Chen",
        identities=[Identity(IdentityKind.PHONE, PHONE), Identity(IdentityKind.EMAIL, EMAIL),
                    Identity(IdentityKind.EXTERNAL, EXTERNAL),
                    Identity(IdentityKind.PHONE, "+8613900001111", verified=False)],
        attributes={"company": "Acme", "address": ADDRESS, "id_number": ID_NUMBER})


def _frames() -> list[str]:
    """The frames that carry customer fields, as the hub encodes them."""
    customer = _customer()
    conversation = Conversation(id="v1", customer_id="c1", channel=Channel.EMAIL,
                                status=ConversationStatus.OPEN, created_at=1)
    mail = ep.EmailDetails(
        message_id="m1", conversation_id="v1", direction=ep.EmailDirection.INBOUND,
        status=ep.EmailStatus.RECEIVED, header_message_id="<m1@x>", subject="Hi",
        from_=ep.EmailAddress(EMAIL, "Mei"), to=[ep.EmailAddress("help@center.example")],
        cc=[ep.EmailAddress(EMAIL)])
    followup = fp.FollowUp(
        id="f1", conversation_id="v1", customer_id="c1", customer_name="Mei Chen",
        kind=fp.FollowUpKind.CALLBACK, status=fp.FollowUpStatus.OPEN,
        source=fp.FollowUpSource.MESSAGE, due_at=1, remind_at=1, created_at=1, updated_at=1,
        contact_email=EMAIL, contact_phone=PHONE)
    return [encode_text(f) for f in (
        pp.CustomerFrame(op="o1", customer=customer),
        pp.CustomerResults(op="o2", customers=[customer]),
        ap.Events(events=[
            ap.Event(seq=1, ts=1, body=ap.ConversationAssigned(conversation, customer)),
            ap.Event(seq=2, ts=2, body=pp.CustomerUpdated(customer=customer)),
            ap.Event(seq=3, ts=3, body=pp.CustomerMerged(
                merge_id="g1", source_id="c2", target=customer, conversation_ids=[]))]),
        ap.Customers(op="o3", customers=[ap.CustomerRecord(customer=customer)]),
        ep.Emails(op="o4", conversation_id="v1", emails=[mail]),
        fp.FollowUps(followups=[followup]),
    )]


# field -> (the value in the frames, the permission that reads it in full; None: nobody)
FIELDS: dict[str, tuple[str, Permission | None]] = {
    "name": ("Mei Chen", Permission.CUSTOMERS_READ),
    "phone": ("13812345678", Permission.CUSTOMERS_CONTACT),
    "email": ("mei.chen@", Permission.CUSTOMERS_CONTACT),
    "external": (EXTERNAL, Permission.CUSTOMERS_READ),
    "attribute:profile": ("Acme", Permission.CUSTOMERS_READ),
    "attribute:contact": ("世纪大道", Permission.CUSTOMERS_CONTACT),
    "attribute:sensitive": (ID_NUMBER, None),
    "mail address": ('"address":"mei.chen@example.org"', Permission.CUSTOMERS_CONTACT),
    "follow-up contact": ('"contact_phone":"+8613812345678"', Permission.CUSTOMERS_CONTACT),
}


@pytest.mark.parametrize("role", sorted(ROLES))
@pytest.mark.parametrize("field", sorted(FIELDS))
def test_every_role_reads_every_field_as_documented(role: str, field: str) -> None:
    value, needed = FIELDS[field]
    permissions = ROLES[role] | {Permission.CUSTOMERS_READ}
    view = view_for(permissions, ATTRIBUTES)
    readable = needed is not None and needed in permissions
    decoder = agent_server_decoder()
    for text in _frames():
        masked = view.mask_frame(text)
        decoder.decode(masked)  # still a frame the desktop reads
        if value in text:  # (mail and follow-up frames carry no attributes)
            assert (value in masked) == readable, (role, field, text[:60])
    assert view.may_reveal == (Permission.CUSTOMERS_SENSITIVE in permissions)


def test_the_masks_keep_enough_to_tell_values_apart() -> None:
    assert mask_phone(PHONE) == "+86 138****5678"
    assert mask_phone("+85261234567") == "+852 612****4567"
    assert mask_phone("12345") == "****45"
    assert mask_email(EMAIL) == "m***@example.org"
    assert mask_text(ADDRESS) == "上海****" and mask_text("Flat 2") == MASK
    assert is_masked_email("Mei <m***@example.org>") and not is_masked_email(EMAIL)


def test_a_view_without_contact_masks_mail_and_followups_but_not_the_center() -> None:
    view = view_for(CUSTOM["trainee"], ATTRIBUTES)
    emails = msgspec.json.decode(view.mask_frame(_frames()[4]))["emails"][0]
    assert emails["from"] == {"address": "m***@example.org", "name": "Mei"}
    assert emails["cc"][0]["address"] == "m***@example.org"
    followup = msgspec.json.decode(view.mask_frame(_frames()[5]))["followups"][0]
    assert (followup["contact_phone"], followup["contact_email"]) == (
        "+86 138****5678", "m***@example.org")
    # An agent's view that masks nothing returns the very text (no re-encoding).
    everything = view_for(BUILTIN_ROLES["agent"], [])
    text = _frames()[0]
    assert everything.mask_frame(text) is text


def test_the_edits_each_field_needs() -> None:
    def needs(frame: object) -> Permission | None:
        return edit_needs(frame, ATTRIBUTES)

    phone = pp.AddIdentity(op="1", customer_id="c1", kind=IdentityKind.PHONE, value="1")
    external = pp.AddIdentity(op="2", customer_id="c1", kind=IdentityKind.EXTERNAL, value="x:1")
    removal = pp.RemoveIdentity(op="3", customer_id="c1", kind=IdentityKind.EMAIL, value="a@b")
    assert needs(phone) == needs(removal) == Permission.CUSTOMERS_CONTACT
    assert needs(external) is None

    def update(**attributes: str | None) -> pp.UpdateCustomer:
        return pp.UpdateCustomer(op="4", customer_id="c1", attributes=attributes)

    assert needs(update(company="x")) is None
    assert needs(update(address=None)) == Permission.CUSTOMERS_CONTACT
    assert needs(update(address="x", id_number="y")) == Permission.CUSTOMERS_SENSITIVE
    assert needs(pp.UpdateCustomer(op="5", customer_id="c1", name="New")) is None


def test_the_profile_file_classes_attributes() -> None:
    settings = parse_profile({"attributes": [
        {"key": "address", "type": "text", "class": "contact"},
        {"key": "id_number", "type": "text", "class": "sensitive"},
        {"key": "company", "type": "text"}]})
    assert [a.field_class for a in settings.attributes] == [
        FieldClass.CONTACT, FieldClass.SENSITIVE, FieldClass.PROFILE]
    with pytest.raises(ProfileConfigError, match=r"attributes\[0\]\.class: 'secret'"):
        parse_profile({"attributes": [{"key": "x", "type": "text", "class": "secret"}]})


def test_the_hubs_own_notes_name_contact_points_masked() -> None:
    """The hub's note about a contact point a visitor typed that another customer holds
    names the value; a role that reads contact points masked reads it masked there too
    (in the profile and in the timeline), and an agent's own note is left as written."""
    text = ("The visitor gave the phone +8613812345678, which belongs to another existing "
            "customer. Also mei.chen@example.org, checked.")
    customer = msgspec.structs.replace(_customer(), notes=[
        Note("n1", "c1", text, 1), Note("n2", "c1", "call +8613900001111 after 5", 2, "a1")])
    timeline = pp.Timeline(op="t", customer_id="c1", items=[
        pp.TimelineItem(kind="note", id="n1", at=1, preview=text),
        pp.TimelineItem(kind="note", id="n2", at=2, preview="agent wrote +8613900001111",
                        agent_name="Lina")])
    trainee = view_for(CUSTOM["trainee"], ATTRIBUTES)
    notes = msgspec.json.decode(trainee.mask_frame(encode_text(
        pp.CustomerFrame(op="o", customer=customer))))["customer"]["notes"]
    assert notes[0]["text"] == ("The visitor gave the phone +86 138****5678, which belongs "
                                "to another existing customer. Also m***@example.org, checked.")
    assert notes[1]["text"] == "call +8613900001111 after 5"
    items = msgspec.json.decode(trainee.mask_frame(encode_text(timeline)))["items"]
    assert "+86 138****5678" in items[0]["preview"] and "13812345678" not in items[0]["preview"]
    assert items[1]["preview"] == "agent wrote +8613900001111"
    agent = view_for(BUILTIN_ROLES["agent"], ATTRIBUTES)
    assert "+8613812345678" in agent.mask_frame(encode_text(timeline))
