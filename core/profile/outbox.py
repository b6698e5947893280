"""Profile edits as outbox commands: the record, notes, contact points, merges.

Each intent writes its optimistic local effect and its command in one transaction
(see ``core.sync.outbox``), so an edit made offline, or just before a crash, goes out
once when the hub is reachable. Notes are made here with their final id: a note
written offline is the same note at the hub.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import msgspec
from sqlite_utils import Database

from core.cache.cache_file import now_ms
from core.profile import profile_cache as profiles
from core.protocol.agent import Command
from core.protocol.models import AttributeValue, Channel, Customer, IdentityKind, Tier
from core.protocol.profile import (
    AddIdentity,
    AddNote,
    EditNote,
    MergeCustomers,
    RemoveIdentity,
    UnmergeCustomers,
    UpdateCustomer,
)
from core.records import Changes, NoteState

if TYPE_CHECKING:
    from core.sync.outbox import Outbox


def new_id() -> str:
    """As ``core.sync.outbox.new_id`` (which imports this module)."""
    return uuid.uuid4().hex

PROFILE_COMMANDS = (
    UpdateCustomer, AddNote, EditNote, AddIdentity, RemoveIdentity, MergeCustomers,
    UnmergeCustomers,
)


@dataclass(frozen=True)
class ProfileFailure:
    """The hub refused a profile command; the UI words it (and may offer a retry)."""

    kind: str  # the command's type tag, e.g. "add_identity"
    code: str  # invalid_identity, identity_taken, merge_refused, forbidden, invalid, ...
    message: str
    command: Command


@dataclass(frozen=True)
class ProfileChange:
    """Fields of ``update_customer``; None leaves a field as it is."""

    name: str | None = None
    language: str | None = None
    preferred_channel: Channel | None = None
    tier: Tier | None = None
    tags: list[str] | None = None
    attributes: dict[str, AttributeValue | None] | None = None
    consent: dict[str, bool] | None = None


class ProfileOutbox:
    """Thread: the cache owner's."""

    def __init__(self, outbox: Outbox) -> None:
        self._outbox = outbox
        self._cache = outbox.cache
        self._db = outbox.cache.db

    def update_customer(self, customer_id: str, change: ProfileChange) -> Changes:
        command = UpdateCustomer(
            op=new_id(), customer_id=customer_id, name=change.name, language=change.language,
            preferred_channel=change.preferred_channel, tier=change.tier, tags=change.tags,
            attributes=change.attributes, consent=change.consent,
        )
        with self._db.atomic():
            record = profiles.customer_record(self._db, customer_id)
            revert: dict[str, object] | None = None
            if record is not None:
                revert = {"record": msgspec.json.encode(record).decode()}
                attributes = dict(record.attributes)
                for key, value in (change.attributes or {}).items():
                    if value is None:
                        attributes.pop(key, None)
                    else:
                        attributes[key] = value
                updated = msgspec.structs.replace(
                    record,
                    name=change.name if change.name is not None else record.name,
                    language=change.language if change.language is not None else record.language,
                    preferred_channel=change.preferred_channel or record.preferred_channel,
                    tier=change.tier.value if change.tier is not None else record.tier,
                    tags=list(change.tags) if change.tags is not None else record.tags,
                    attributes=attributes,
                    consent={**record.consent, **(change.consent or {})},
                )
                profiles.store_customer(self._db, updated, with_notes=False)
            self._outbox.queue(command, revert=revert)
        return Changes(customers={customer_id}, inbox=change.name is not None)

    def add_note(self, customer_id: str, text: str, *, author_id: str | None,
                 author_name: str | None) -> tuple[str, Changes]:
        note_id = "note_" + new_id()
        command = AddNote(op=new_id(), customer_id=customer_id, note_id=note_id, text=text)
        with self._db.atomic():
            self._db.execute(
                "INSERT INTO notes (id, customer_id, text, created_at, author_id, author_name, "
                "state) VALUES (?, ?, ?, ?, ?, ?, ?)",
                [note_id, customer_id, text, now_ms(), author_id, author_name,
                 NoteState.PENDING.value],
            )
            self._outbox.queue(command)
        return note_id, Changes(customers={customer_id}, timelines={customer_id})

    def edit_note(self, note_id: str, text: str) -> Changes:
        with self._db.atomic():
            row = self._db.execute(
                "SELECT customer_id, text, state, updated_at FROM notes WHERE id=?", [note_id]
            ).fetchone()
            if row is None:
                return Changes()
            customer_id, old_text, state, updated_at = row
            if state == NoteState.FAILED.value:
                # The hub never took it: send it as a new note (same id).
                command: Command = AddNote(op=new_id(), customer_id=customer_id,
                                           note_id=note_id, text=text)
                revert = None
            else:
                command = EditNote(op=new_id(), note_id=note_id, text=text)
                revert = {"text": old_text, "state": state, "updated_at": updated_at}
            self._db.execute(
                "UPDATE notes SET text=?, updated_at=?, state=?, error=NULL WHERE id=?",
                [text, now_ms(), NoteState.PENDING.value, note_id],
            )
            self._outbox.queue(command, revert=revert)
        return Changes(customers={customer_id}, timelines={customer_id})

    def add_identity(self, customer_id: str, kind: IdentityKind, value: str, *,
                     keep_unverified: bool = False) -> Changes:
        """Shown as pending (read from the outbox) until the hub's record has it."""
        command = AddIdentity(op=new_id(), customer_id=customer_id, kind=kind, value=value,
                              keep_unverified=keep_unverified)
        with self._db.atomic():
            self._outbox.queue(command)
        return Changes(customers={customer_id})

    def remove_identity(self, customer_id: str, kind: IdentityKind, value: str) -> Changes:
        command = RemoveIdentity(op=new_id(), customer_id=customer_id, kind=kind, value=value)
        with self._db.atomic():
            record = profiles.customer_record(self._db, customer_id)
            revert: dict[str, object] | None = None
            if record is not None:
                revert = {"record": msgspec.json.encode(record).decode()}
                kept = [i for i in record.identities if (i.kind, i.value) != (kind, value)]
                profiles.store_customer(
                    self._db, msgspec.structs.replace(record, identities=kept), with_notes=False
                )
            self._outbox.queue(command, revert=revert)
        return Changes(customers={customer_id})

    def merge_customers(self, target_id: str, source_id: str) -> None:
        """Applied when the hub's ``customer_merged`` event arrives."""
        with self._db.atomic():
            self._outbox.queue(MergeCustomers(op=new_id(), target_id=target_id,
                                              source_id=source_id))

    def unmerge_customers(self, merge_id: str) -> None:
        with self._db.atomic():
            self._outbox.queue(UnmergeCustomers(op=new_id(), merge_id=merge_id))


# ---- answers (called by ``Outbox.resolve`` / ``Outbox.reject`` in their transaction) ----


def resolved(db: Database, command: Command) -> Changes:
    if isinstance(command, AddNote | EditNote):
        row = db.execute("SELECT customer_id FROM notes WHERE id=?", [command.note_id]).fetchone()
        db.execute("UPDATE notes SET state=?, error=NULL WHERE id=? AND state=?",
                   [NoteState.SYNCED.value, command.note_id, NoteState.PENDING.value])
        if row is not None:
            return Changes(customers={row[0]}, timelines={row[0]})
    if isinstance(command, AddIdentity):
        return Changes(customers={command.customer_id})  # no longer pending
    return Changes()


def rejected(db: Database, command: Command, code: str,
             revert: dict[str, Any] | None) -> Changes:
    if isinstance(command, AddNote):
        row = db.execute("SELECT customer_id FROM notes WHERE id=?", [command.note_id]).fetchone()
        db.execute("UPDATE notes SET state=?, error=? WHERE id=?",
                   [NoteState.FAILED.value, code, command.note_id])
        return Changes(customers={row[0]}, timelines={row[0]}) if row else Changes()
    if isinstance(command, EditNote) and revert is not None:
        row = db.execute("SELECT customer_id FROM notes WHERE id=?", [command.note_id]).fetchone()
        db.execute("UPDATE notes SET text=?, state=?, updated_at=? WHERE id=? AND state=?",
                   [revert["text"], revert["state"], revert["updated_at"], command.note_id,
                    NoteState.PENDING.value])
        return Changes(customers={row[0]}, timelines={row[0]}) if row else Changes()
    if isinstance(command, UpdateCustomer | RemoveIdentity) and revert is not None:
        record = msgspec.json.decode(str(revert["record"]), type=Customer)
        profiles.store_customer(db, record, with_notes=False)
        return Changes(customers={command.customer_id}, inbox=True)
    if isinstance(command, AddIdentity):
        return Changes(customers={command.customer_id})
    return Changes()

