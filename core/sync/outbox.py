"""The outbox: agent actions waiting for the hub's answer.

Each action is stored as a protocol command with a client-made op id, in the same
transaction as its optimistic local effect (a pending message, a closed
conversation, the new presence). The sync client sends the outbox in order
whenever it is live; the hub deduplicates by op, so sending again after a drop or a
crash is always safe. An ack removes the entry; an error removes it and undoes the
local effect (a message becomes FAILED and can be retried).
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass

import msgspec

from core.assist import quick_reply_cache as cache_replies
from core.cache.cache import Cache, now_ms
from core.email import cache as email_cache
from core.profile import directory_cache as cache_directory
from core.profile import outbox as profile_outbox
from core.protocol.agent import (
    CloseConversation,
    Command,
    RecordVisit,
    SendMessage,
    SetPresence,
)
from core.protocol.email import EmailStatus, SendEmail
from core.protocol.models import (
    ClosedBy,
    ConversationStatus,
    Message,
    MessageAuthor,
    MessageStatus,
    Presence,
)
from core.protocol.routing import AwayReason
from core.records import Changes

_command_decoder = msgspec.json.Decoder(Command)

# Errors after which the hub will never accept the command: no point retrying.
# (Everything else also fails the command, but the agent may retry by hand.)
PERMANENT_ERRORS = frozenset({"not_found", "forbidden", "invalid", "no_conversation", "conflict"})


def new_id() -> str:
    """A client-made id (op ids, message ids): uuid4 hex, valid per the protocol's Id."""
    return uuid.uuid4().hex


@dataclass(frozen=True)
class Resolution:
    changes: Changes
    command: Command | None


class Outbox:
    """Writes intents into the cache; thread: the cache owner's."""

    def __init__(self, cache: Cache) -> None:
        self._cache = cache
        self._db = cache.db

    @property
    def cache(self) -> Cache:
        return self._cache

    # ---- intents -------------------------------------------------------------------

    def send_message(
        self,
        conversation_id: str,
        text: str,
        *,
        agent_id: str | None = None,
        author_name: str | None = None,
    ) -> tuple[str, Changes]:
        """Store the message as PENDING and queue its SendMessage; returns its id."""
        message_id = new_id()
        command = SendMessage(
            op=new_id(), conversation_id=conversation_id, message_id=message_id, text=text
        )
        message = Message(
            id=message_id,
            conversation_id=conversation_id,
            author=MessageAuthor.AGENT,
            text=text,
            created_at=now_ms(),
            status=MessageStatus.PENDING,
            agent_id=agent_id,
            author_name=author_name,
        )
        with self._db.atomic():
            changes = self._cache.store_message(message, count_unread=False)
            self.queue(command, conversation_id=conversation_id, message_id=message_id)
        return message_id, changes

    def close_conversation(
        self, conversation_id: str, disposition: str | None = None, note: str = ""
    ) -> Changes:
        command = CloseConversation(
            op=new_id(), conversation_id=conversation_id, disposition=disposition, note=note
        )
        with self._db.atomic():
            row = self._db.execute(
                "SELECT status, closed_by, closed_at FROM conversations WHERE id=?",
                [conversation_id],
            ).fetchone()
            if row is None or row[0] == ConversationStatus.CLOSED.value:
                return Changes()
            self._db.execute(
                "UPDATE conversations SET status=?, closed_by=?, closed_at=?, waiting_since=NULL, "
                "disposition=?, disposition_note=? WHERE id=?",
                [ConversationStatus.CLOSED.value, ClosedBy.AGENT.value, now_ms(), disposition,
                 note or None, conversation_id],
            )
            self.queue(
                command,
                conversation_id=conversation_id,
                revert={"status": row[0], "closed_by": row[1], "closed_at": row[2]},
            )
        return Changes(conversations={conversation_id}, inbox=True)

    def set_presence(self, presence: Presence, reason: AwayReason | None = None) -> Changes:
        command = SetPresence(op=new_id(), presence=presence, reason=reason)
        with self._db.atomic():
            previous = self._cache.presence()
            # A newer presence makes older, unsent presence commands moot.
            self._db.execute("DELETE FROM outbox WHERE kind='set_presence'")
            changes = self._cache.store_presence(presence)
            self.queue(command, revert={"presence": previous.value if previous else None})
        return changes

    def record_visit(
        self,
        customer_id: str,
        note: str,
        *,
        visited_at: int | None = None,
        agent_id: str | None = None,
        author_name: str | None = None,
    ) -> tuple[str, Changes]:
        """Record a walk-in visit (works offline); returns the visit's conversation id."""
        conversation_id = "conv_" + new_id()
        at = visited_at if visited_at is not None else now_ms()
        command = RecordVisit(
            op=new_id(), conversation_id=conversation_id, customer_id=customer_id, note=note,
            visited_at=at,
        )
        with self._db.atomic():
            changes = cache_directory.add_visit(
                self._cache, conversation_id, customer_id, note, at, agent_id, author_name
            )
            self.queue(
                command,
                conversation_id=conversation_id,
                message_id=cache_directory.visit_note_id(conversation_id),
            )
        return conversation_id, changes

    def retry_message(self, message_id: str) -> tuple[Command | None, Changes]:
        """Queue a FAILED message again (new op, same message id)."""
        message = self._cache.message(message_id)
        if message is None or message.status is not MessageStatus.FAILED:
            return None, Changes()
        command = SendMessage(
            op=new_id(),
            conversation_id=message.conversation_id,
            message_id=message.id,
            text=message.text,
        )
        with self._db.atomic():
            self._db.execute(
                "UPDATE messages SET status=? WHERE id=?", [MessageStatus.PENDING.value, message_id]
            )
            self.queue(command, conversation_id=message.conversation_id, message_id=message_id)
        return command, Changes(messages={(message.conversation_id, message_id)})

    def queue(
        self,
        command: Command,
        *,
        conversation_id: str | None = None,
        message_id: str | None = None,
        revert: dict[str, object] | None = None,
    ) -> None:
        self._db.table("outbox").insert(
            {
                "op": command.op,
                "kind": type(command).__struct_config__.tag,
                "payload": msgspec.json.encode(command).decode(),
                "created_at": now_ms(),
                "conversation_id": conversation_id,
                "message_id": message_id,
                "revert": None if revert is None else json.dumps(revert),
            }
        )

    # ---- reads ---------------------------------------------------------------------

    def pending(self) -> list[Command]:
        """Queued commands, oldest first (the order they must reach the hub)."""
        rows = self._db.execute("SELECT payload FROM outbox ORDER BY rowid").fetchall()
        return [_command_decoder.decode(row[0]) for row in rows]

    def __len__(self) -> int:
        return int(self._db.execute("SELECT COUNT(*) FROM outbox").fetchone()[0])

    # ---- answers from the hub ------------------------------------------------------

    def resolve(self, op: str) -> Resolution:
        """The hub acked ``op``: drop it; a pending message becomes SENT."""
        with self._db.atomic():
            row = self._take(op)
            if row is None:
                return Resolution(Changes(), None)
            command, conversation_id, message_id, _ = row
            changes = Changes()
            if (isinstance(command, SendMessage | RecordVisit | SendEmail) and message_id
                    and conversation_id):
                self._move_status(changes, conversation_id, message_id, MessageStatus.SENT,
                                  (MessageStatus.PENDING, MessageStatus.FAILED))
            elif isinstance(command, profile_outbox.PROFILE_COMMANDS):
                changes.merge(profile_outbox.resolved(self._db, command))
            elif isinstance(command, cache_replies.QUICK_REPLY_COMMANDS):
                changes.merge(cache_replies.resolved(self._db, command))
            return Resolution(changes, command)

    def _move_status(
        self, changes: Changes, conversation_id: str, message_id: str,
        new: MessageStatus, allowed_from: tuple[MessageStatus, ...],
    ) -> None:
        """Set a message's status if it is in one of ``allowed_from``; note the change."""
        marks = ", ".join("?" * len(allowed_from))
        cur = self._db.execute(
            f"UPDATE messages SET status=? WHERE id=? AND status IN ({marks})",
            [new.value, message_id, *(s.value for s in allowed_from)],
        )
        if cur.rowcount:
            changes.messages.add((conversation_id, message_id))

    def reject(self, op: str, code: str) -> Resolution:
        """The hub refused ``op``: drop it and undo its local effect."""
        with self._db.atomic():
            row = self._take(op)
            if row is None:
                return Resolution(Changes(), None)
            command, conversation_id, message_id, revert = row
            changes = Changes()
            if isinstance(command, SendMessage | RecordVisit) and message_id and conversation_id:
                self._move_status(changes, conversation_id, message_id, MessageStatus.FAILED,
                                  (MessageStatus.PENDING,))
            elif isinstance(command, SendEmail):
                changes.merge(email_cache.set_status(
                    self._db, command.conversation_id, command.message_id, EmailStatus.FAILED,
                    None, code))
            elif isinstance(command, CloseConversation) and revert is not None:
                # Already closed or gone at the hub: our local "closed" is right.
                if code not in PERMANENT_ERRORS:
                    self._db.execute(
                        "UPDATE conversations SET status=?, closed_by=?, closed_at=? WHERE id=?",
                        [revert["status"], revert["closed_by"], revert["closed_at"],
                         command.conversation_id],
                    )
                    changes.conversations.add(command.conversation_id)
                    changes.inbox = True
            elif isinstance(command, SetPresence) and revert is not None:
                previous = revert.get("presence")
                if isinstance(previous, str):
                    changes.merge(self._cache.store_presence(Presence(previous)))
            elif isinstance(command, profile_outbox.PROFILE_COMMANDS):
                changes.merge(profile_outbox.rejected(self._db, command, code, revert))
            elif isinstance(command, cache_replies.QUICK_REPLY_COMMANDS):
                changes.merge(cache_replies.rejected(self._db, command, code, revert))
            return Resolution(changes, command)

    def _take(
        self, op: str
    ) -> tuple[Command, str | None, str | None, dict[str, object] | None] | None:
        row = self._db.execute(
            "SELECT payload, conversation_id, message_id, revert FROM outbox WHERE op=?", [op]
        ).fetchone()
        if row is None:
            return None
        self._db.execute("DELETE FROM outbox WHERE op=?", [op])
        revert = json.loads(row[3]) if row[3] else None
        return _command_decoder.decode(row[0]), row[1], row[2], revert
