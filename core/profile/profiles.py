"""Customer profiles for the views: reads from the cache, edits through the outbox,
hub reads (timeline pages, transcripts, search) awaited with a cache fallback.

Owned by the agent service (``service.profiles``); notifications go out through the
service's hooks (``customer_did_change``, ``timeline_did_change``, ...), after the
cache is written. Thread: the loop's (the GUI thread under qasync).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable

from core.cache.cache import Cache
from core.call import transcript_cache
from core.profile.outbox import ProfileChange, ProfileOutbox
from core.profile.reads import HubUnavailable, ProfileReads, ReadFailed
from core.profile.timeline_pager import TimelinePager
from core.protocol.models import (
    MAX_TEXT_CHARS,
    AgentInfo,
    AttributeValue,
    Channel,
    ConversationStatus,
    IdentityKind,
)
from core.protocol.profile import (
    AttributeDefinition,
    AttributeType,
    CustomerFrame,
    CustomerResults,
    FetchCustomer,
    FetchTimeline,
    FetchTranscript,
    FieldClass,
    FieldRevealed,
    RevealField,
    SearchCustomers,
    Timeline,
    Transcript,
)
from core.records import (
    Changes,
    CustomerHit,
    CustomerProfile,
    StoredMessage,
    TimelineEntry,
    TranscriptRecord,
)
from core.sync.outbox import new_id
from core.tasks import BackgroundTasks

log = logging.getLogger(__name__)


class InvalidAttribute(ValueError):  # noqa: N818
    """A value that does not fit its attribute's definition (the UI explains it)."""

    def __init__(self, key: str, expected: AttributeType) -> None:
        super().__init__(f"{key}: expected {expected.value}")
        self.key = key
        self.expected = expected


class NoteTooLong(ValueError):  # noqa: N818
    pass


def parse_attribute(definition: AttributeDefinition, raw: str) -> str | float | None:
    """The typed value of what the agent typed ("" clears it); InvalidAttribute if wrong."""
    import datetime as dt

    raw = raw.strip()
    if not raw:
        return None
    try:
        if definition.type is AttributeType.NUMBER:
            value = float(raw.replace(",", ""))
            if value != value or value in (float("inf"), float("-inf")):
                raise ValueError(raw)
            return value
        if definition.type is AttributeType.DATE:
            return dt.date.fromisoformat(raw).isoformat()
        if definition.type is AttributeType.CHOICE and raw not in definition.choices:
            raise ValueError(raw)
    except ValueError:
        raise InvalidAttribute(definition.key, definition.type) from None
    return raw


class CustomerProfiles:
    def __init__(
        self,
        cache: Cache,
        outbox: ProfileOutbox,
        reads: ProfileReads,
        announce: Callable[[Changes], None],
        wake: Callable[[], None],
        agent: Callable[[], AgentInfo | None],
    ) -> None:
        self._cache = cache
        self._outbox = outbox
        self._reads = reads
        self._announce = announce
        self._wake = wake
        self._agent = agent
        self._tasks = BackgroundTasks("profiles", logger=log)

    # ---- reads from the cache (offline too) ------------------------------------------

    def profile(self, customer_id: str) -> CustomerProfile | None:
        return self._cache.customer_profile(customer_id)

    def attribute_definitions(self) -> list[AttributeDefinition]:
        return self._cache.attribute_definitions()

    # ---- fields the agent's role reads masked (hub/access/field_access.py) -----------

    def contact_readable(self) -> bool:
        """False: the hub sends this agent phone numbers and addresses masked."""
        return self._cache.profile_config().contact_readable

    def may_reveal(self) -> bool:
        return self._cache.profile_config().may_reveal

    def masked_attribute(self, definition: AttributeDefinition) -> bool:
        """Whether the hub sends this attribute masked to this agent."""
        if definition.field_class is FieldClass.SENSITIVE:
            return True
        return definition.field_class is FieldClass.CONTACT and not self.contact_readable()

    def masked_identity(self, kind: IdentityKind) -> bool:
        return kind in (IdentityKind.PHONE, IdentityKind.EMAIL) and not self.contact_readable()

    async def reveal(self, customer_id: str, key: str) -> AttributeValue | None:
        """A sensitive attribute in full, from the hub (which audits the view); never
        stored: the caller shows it and forgets it. Raises ``ReadFailed``
        (``forbidden``, ``not_found``) or ``HubUnavailable``."""
        answer = await self._reads.ask(RevealField(op=new_id(), customer_id=customer_id,
                                                   key=key))
        if not isinstance(answer, FieldRevealed):
            raise ReadFailed("invalid", "unexpected answer")
        return answer.value

    def timeline(self, customer_id: str, *, channel: Channel | None = None, limit: int = 20,
                 before: tuple[int, str] | None = None) -> list[TimelineEntry]:
        return self._cache.timeline(customer_id, channel=channel, limit=limit, before=before)

    def timeline_pager(self, customer_id: str, channel: Channel | None = None) -> TimelinePager:
        return TimelinePager(self, customer_id, channel)

    def search(self, text: str, limit: int = 20) -> list[CustomerHit]:
        """The search the Ctrl+K popup runs on every keystroke: the cache only."""
        return self._cache.search(text, limit)

    # ---- reads from the hub ----------------------------------------------------------

    async def fetch_timeline_page(self, customer_id: str, channel: Channel | None,
                                  before: tuple[int, str] | None, limit: int) -> Timeline:
        answer = await self._reads.ask(FetchTimeline(
            op=new_id(), customer_id=customer_id, before_at=before[0] if before else None,
            before_id=before[1] if before else None, limit=limit, channel=channel,
        ))
        if not isinstance(answer, Timeline):
            raise ReadFailed("unexpected", type(answer).__name__)
        self._announce(self._cache.store_timeline(answer, channel))
        return answer

    async def refresh_customer(self, customer_id: str) -> CustomerProfile | None:
        answer = await self._reads.ask(FetchCustomer(op=new_id(), customer_id=customer_id))
        if isinstance(answer, CustomerFrame):
            self._announce(self._cache.store_customers([answer.customer]))
        return self.profile(customer_id)

    async def search_hub(self, text: str, limit: int = 20) -> list[CustomerHit]:
        """The hub's matches (customers the agent may see), stored in the cache."""
        text = text.strip()[:120]
        if not text:
            return []
        answer = await self._reads.ask(SearchCustomers(op=new_id(), query=text, limit=limit))
        if not isinstance(answer, CustomerResults):
            return []
        self._cache.store_customers(answer.customers)
        return [
            CustomerHit(c.id, c.name, c.tier,
                        tuple(i for i in c.identities if i.kind is not IdentityKind.VISITOR),
                        matched_profile=True, from_hub=True)
            for c in answer.customers
        ]

    async def transcript(self, conversation_id: str) -> TranscriptRecord | None:
        """The whole conversation from the hub; offline, what the cache holds."""
        try:
            answer = await self._reads.ask(FetchTranscript(op=new_id(),
                                                            conversation_id=conversation_id))
        except HubUnavailable:
            return self._cached_transcript(conversation_id)
        if not isinstance(answer, Transcript):
            return self._cached_transcript(conversation_id)
        conv = answer.conversation
        if answer.calls:  # kept for offline reading and search
            transcript_cache.store_all(self._cache.db, answer.calls)
        return TranscriptRecord(
            conv.id, conv.customer_id, conv.channel, conv.status, conv.created_at,
            conv.closed_at,
            tuple(StoredMessage(m.id, m.conversation_id, m.author, m.text, m.created_at,
                                m.status, m.author_name)
                  for m in sorted(answer.messages, key=lambda m: m.created_at)),
            call_segments=tuple(transcript_cache.segments(self._cache.db, conv.id)),
        )

    def _cached_transcript(self, conversation_id: str) -> TranscriptRecord | None:
        item = self._cache.conversation(conversation_id)
        if item is None:
            return None
        closed = self._cache.db.execute(
            "SELECT closed_at FROM conversations WHERE id=?", [conversation_id]
        ).fetchone()
        return TranscriptRecord(
            item.conversation_id, item.customer_id, item.channel, item.status, item.created_at,
            closed[0] if closed else None,
            tuple(self._cache.messages(conversation_id, limit=5000)), from_cache=True,
            call_segments=tuple(transcript_cache.segments(self._cache.db, conversation_id)),
        )

    def prefetch(self, customer_id: str) -> None:
        """Screen pop: fetch the newest timeline page in the background."""
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            return
        self._tasks.spawn(self._prefetch(customer_id), loop=loop)

    async def _prefetch(self, customer_id: str) -> None:
        try:
            await self.fetch_timeline_page(customer_id, None, None, 20)
        except ReadFailed as exc:
            log.debug("screen pop prefetch of %s: %s", customer_id, exc.code)

    # ---- edits (through the outbox; work offline) ------------------------------------

    def update_customer(self, customer_id: str, change: ProfileChange) -> None:
        self._done(self._outbox.update_customer(customer_id, change))

    def set_attribute(self, customer_id: str, key: str, raw: str) -> None:
        """Parse ``raw`` by the attribute's definition and save it (InvalidAttribute)."""
        definition = next((d for d in self.attribute_definitions() if d.key == key), None)
        value: str | float | None = raw.strip() or None
        if definition is not None:
            value = parse_attribute(definition, raw)
        self.update_customer(customer_id, ProfileChange(attributes={key: value}))

    def add_note(self, customer_id: str, text: str) -> str | None:
        text = text.strip()
        if not text:
            return None
        if len(text) > MAX_TEXT_CHARS:
            raise NoteTooLong(f"{len(text)} > {MAX_TEXT_CHARS}")
        agent = self._agent()
        note_id, changes = self._outbox.add_note(
            customer_id, text, author_id=agent.id if agent else None,
            author_name=agent.display_name if agent else None,
        )
        self._done(changes)
        return note_id

    def edit_note(self, note_id: str, text: str) -> None:
        text = text.strip()
        if not text:
            return
        if len(text) > MAX_TEXT_CHARS:
            raise NoteTooLong(f"{len(text)} > {MAX_TEXT_CHARS}")
        self._done(self._outbox.edit_note(note_id, text))

    def add_identity(self, customer_id: str, kind: IdentityKind, value: str, *,
                     keep_unverified: bool = False) -> None:
        value = value.strip()
        if value:
            self._done(self._outbox.add_identity(customer_id, kind, value,
                                                 keep_unverified=keep_unverified))

    def remove_identity(self, customer_id: str, kind: IdentityKind, value: str) -> None:
        self._done(self._outbox.remove_identity(customer_id, kind, value))

    def merge_customers(self, target_id: str, source_id: str) -> None:
        if target_id != source_id:
            self._outbox.merge_customers(target_id, source_id)
            self._wake()

    def unmerge_customers(self, merge_id: str) -> None:
        self._outbox.unmerge_customers(merge_id)
        self._wake()

    def merge_preview(self, source_id: str) -> tuple[int, int, int]:
        """What would move: (conversations, messages, notes) of the source, as cached."""
        db = self._cache.db
        conversations, messages = db.execute(
            "SELECT COUNT(*), COALESCE(SUM((SELECT COUNT(*) FROM messages m "
            "WHERE m.conversation_id=v.id)), 0) FROM conversations v WHERE customer_id=?",
            [source_id],
        ).fetchone()
        notes = db.execute("SELECT COUNT(*) FROM notes WHERE customer_id=?",
                           [source_id]).fetchone()[0]
        return int(conversations), int(messages), int(notes)

    def has_open_voice(self, customer_id: str) -> bool:
        row = self._cache.db.execute(
            "SELECT 1 FROM conversations WHERE customer_id=? AND channel=? AND status=?",
            [customer_id, Channel.VOICE.value, ConversationStatus.OPEN.value],
        ).fetchone()
        return row is not None

    def _done(self, changes: Changes) -> None:
        self._announce(changes)
        self._wake()
