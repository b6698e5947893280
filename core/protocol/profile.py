"""Customer profile frames of the agent protocol: edits, identities, merges, reads.

Commands here are commands like any other (``op``, one ``ack`` or ``error``, safe
to repeat) and travel in the same agent connection; the client and hub decoders
include them (see ``core.protocol.agent``). Reads (``fetch_*``, ``search_*``)
change nothing and are answered with a frame carrying the same ``op``.
"""

from __future__ import annotations

import enum
from typing import Annotated, Literal

import msgspec

from core.protocol import call
from core.protocol.models import (
    MAX_NAME_CHARS,
    MAX_TEXT_CHARS,
    AttributeValue,
    Channel,
    ClosedBy,
    Conversation,
    ConversationStatus,
    Customer,
    Id,
    IdentityKind,
    Message,
    Tier,
)

OpId = Annotated[str, Id]
RefId = Annotated[str, Id]
NoteText = Annotated[str, msgspec.Meta(min_length=1, max_length=MAX_TEXT_CHARS)]
Name = Annotated[str, msgspec.Meta(min_length=1, max_length=MAX_NAME_CHARS)]
Tag = Annotated[str, msgspec.Meta(min_length=1, max_length=80)]
AttrKey = Annotated[str, msgspec.Meta(min_length=1, max_length=40, pattern=r"^[a-z][a-z0-9_]*$")]
# The raw contact value as typed: normalised (E.164, lower-case mail) by the hub.
RawValue = Annotated[str, msgspec.Meta(min_length=1, max_length=255)]


class AttributeType(enum.StrEnum):
    TEXT = "text"
    NUMBER = "number"
    DATE = "date"  # "YYYY-MM-DD"
    CHOICE = "choice"


class FieldClass(enum.StrEnum):
    """Who reads an attribute in full (docs/security.md, hub/access/field_access.py)."""

    PROFILE = "profile"  # whoever reads the profile
    CONTACT = "contact"  # like phone numbers: roles with ``customers.contact``
    SENSITIVE = "sensitive"  # masked for everyone; revealed one at a time, audited


class AttributeDefinition(msgspec.Struct):
    """An admin-defined custom attribute; sent to desktops in ``profile_config``."""

    key: str
    label: str
    type: AttributeType
    choices: list[str] = []
    field_class: FieldClass = FieldClass.PROFILE


# ---- commands ----------------------------------------------------------------------


class UpdateCustomer(
    msgspec.Struct, tag_field="type", tag="update_customer", forbid_unknown_fields=True
):
    """Change profile fields; a field left out (null) is unchanged.

    ``attributes`` merges into the stored ones; a key set to null removes it.
    ``tags`` replaces the agent-set tags (automatic tags are the hub's).
    """

    op: OpId
    customer_id: RefId
    name: Name | None = None
    language: Annotated[str, msgspec.Meta(max_length=20)] | None = None
    preferred_channel: Channel | None = None
    tier: Tier | None = None
    tags: Annotated[list[Tag], msgspec.Meta(max_length=50)] | None = None
    attributes: dict[AttrKey, AttributeValue | None] | None = None
    consent: dict[AttrKey, bool] | None = None


class AddNote(msgspec.Struct, tag_field="type", tag="add_note", forbid_unknown_fields=True):
    """``note_id`` is made by the client, so a note written offline keeps its id."""

    op: OpId
    customer_id: RefId
    note_id: RefId
    text: NoteText


class EditNote(msgspec.Struct, tag_field="type", tag="edit_note", forbid_unknown_fields=True):
    op: OpId
    note_id: RefId
    text: NoteText


class AddIdentity(msgspec.Struct, tag_field="type", tag="add_identity", forbid_unknown_fields=True):
    """Add a contact point. A value that does not validate is refused
    (``invalid_identity``) unless ``keep_unverified`` says the agent confirmed it:
    then it is stored raw, marked unverified, and never used to resolve contacts."""

    op: OpId
    customer_id: RefId
    kind: IdentityKind
    value: RawValue
    keep_unverified: bool = False


class RemoveIdentity(
    msgspec.Struct, tag_field="type", tag="remove_identity", forbid_unknown_fields=True
):
    op: OpId
    customer_id: RefId
    kind: IdentityKind
    value: RawValue


class MergeCustomers(
    msgspec.Struct, tag_field="type", tag="merge_customers", forbid_unknown_fields=True
):
    """Move everything of ``source_id`` into ``target_id``; recorded, reversible."""

    op: OpId
    target_id: RefId
    source_id: RefId


class UnmergeCustomers(
    msgspec.Struct, tag_field="type", tag="unmerge_customers", forbid_unknown_fields=True
):
    op: OpId
    merge_id: RefId


ProfileCommand = (
    UpdateCustomer
    | AddNote
    | EditNote
    | AddIdentity
    | RemoveIdentity
    | MergeCustomers
    | UnmergeCustomers
)


# ---- reads -------------------------------------------------------------------------


class FetchCustomer(
    msgspec.Struct, tag_field="type", tag="fetch_customer", forbid_unknown_fields=True
):
    op: OpId
    customer_id: RefId


class FetchTimeline(
    msgspec.Struct, tag_field="type", tag="fetch_timeline", forbid_unknown_fields=True
):
    """Newest first, ``limit`` items before the cursor (``before_at``, ``before_id``)."""

    op: OpId
    customer_id: RefId
    before_at: Annotated[int, msgspec.Meta(ge=0)] | None = None
    before_id: RefId | None = None
    limit: Annotated[int, msgspec.Meta(ge=1, le=100)] = 20
    channel: Channel | None = None


class FetchTranscript(
    msgspec.Struct, tag_field="type", tag="fetch_transcript", forbid_unknown_fields=True
):
    op: OpId
    conversation_id: RefId


class SearchCustomers(
    msgspec.Struct, tag_field="type", tag="search_customers", forbid_unknown_fields=True
):
    """Name, phone (any spelling), email or identity value; substring match."""

    op: OpId
    query: Annotated[str, msgspec.Meta(min_length=1, max_length=120)]
    limit: Annotated[int, msgspec.Meta(ge=1, le=100)] = 20


class RevealField(msgspec.Struct, tag_field="type", tag="reveal_field", forbid_unknown_fields=True):
    """Show one sensitive attribute of a customer in full, once (audited). Answered by
    ``field_revealed``, which the desktop shows and never stores; refused with
    ``forbidden`` (the role, or a customer out of view) or ``not_found``."""

    op: OpId
    customer_id: RefId
    key: AttrKey


ProfileRead = FetchCustomer | FetchTimeline | FetchTranscript | SearchCustomers | RevealField


# ---- hub -> client -------------------------------------------------------------------


class TimelineItem(msgspec.Struct):
    """One interaction of the customer (any channel), a note, or feedback: a CSAT
    ``rating`` of a conversation (id: the conversation's) or an ``nps`` answer; or
    an ``outreach`` (``code`` ``outreach.trigger`` or ``outreach.agent``, ``params``
    ``channel`` (widget, email), ``trigger``, ``url``; the preview is its text)."""

    kind: Literal["conversation", "note", "rating", "nps", "outreach"]
    id: str  # conversation id, note id, rated conversation id, or NPS answer id
    at: int  # when it started (notes: when written)
    channel: Channel | None = None
    status: ConversationStatus | None = None
    closed_at: int | None = None
    closed_by: ClosedBy | None = None
    agent_name: str | None = None
    preview: str | None = None  # the last message, or the note's text
    message_count: int = 0
    duration_s: int | None = None  # calls
    outcome: str | None = None  # a call's or a conversation's disposition
    # Feedback: CSAT 1-5 or NPS 0-10; "was it solved?" (CSAT). The customer's
    # comment or reason is the preview; agent_name is the agent credited.
    score: int | None = None
    solved: bool | None = None
    code: str | None = None
    params: dict[str, str] = {}


class CustomerFrame(msgspec.Struct, tag_field="type", tag="customer"):
    op: str
    customer: Customer


class Timeline(msgspec.Struct, tag_field="type", tag="timeline"):
    """``next_before_*`` is null when there is nothing older."""

    op: str
    customer_id: str
    items: list[TimelineItem]
    next_before_at: int | None = None
    next_before_id: str | None = None


class Transcript(msgspec.Struct, tag_field="type", tag="transcript"):
    op: str
    conversation: Conversation
    messages: list[Message]
    # Calls of a voice conversation that were transcribed: who said what.
    calls: list[call.CallTranscript] = []


class CustomerResults(msgspec.Struct, tag_field="type", tag="customer_results"):
    op: str
    customers: list[Customer]


class ProfileConfig(msgspec.Struct, tag_field="type", tag="profile_config"):
    """Sent after ``welcome``: the attribute definitions agents edit against."""

    attributes: list[AttributeDefinition]
    default_region: str = "CN"
    # The consent flags agents may set (``update_customer.consent`` keys).
    consent_keys: list[str] = []
    # What this agent's role reads (hub/access/field_access.py): contact points in
    # full, or masked as 138****5678; whether sensitive attributes may be revealed.
    contact_readable: bool = True
    may_reveal: bool = False


class FieldRevealed(msgspec.Struct, tag_field="type", tag="field_revealed"):
    """Answer to ``reveal_field``: the value (None when the customer has none)."""

    op: str
    customer_id: str
    key: str
    value: AttributeValue | None = None


ProfileServerFrame = (
    CustomerFrame | Timeline | Transcript | CustomerResults | ProfileConfig | FieldRevealed
)


# ---- events (inside an ``events`` frame) ------------------------------------------------


class CustomerUpdated(msgspec.Struct, tag_field="kind", tag="customer_updated"):
    """The whole current record of a customer the agent can see."""

    customer: Customer


class CustomerMerged(msgspec.Struct, tag_field="kind", tag="customer_merged"):
    """``source_id`` no longer exists: its conversations are ``target``'s now."""

    merge_id: str
    source_id: str
    target: Customer
    conversation_ids: list[str]


class CustomerUnmerged(msgspec.Struct, tag_field="kind", tag="customer_unmerged"):
    """A merge undone: ``source`` is back with its ``conversation_ids``."""

    merge_id: str
    target: Customer
    source: Customer
    conversation_ids: list[str]


ProfileEvent = CustomerUpdated | CustomerMerged | CustomerUnmerged
