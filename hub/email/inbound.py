"""A received mail -> stored raw -> parsed -> a message in the right conversation.

Every source (IMAP, the embedded SMTP receiver, tests) hands raw bytes with a
source key to ``InboundMail.receive``. The raw is stored first; a second delivery
with the same key is a no-op, which is what makes IMAP import exactly-once. A new
conversation is routed like every other channel's.
"""

from __future__ import annotations

import asyncio
import contextlib
import enum
import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from core.protocol import email as ep
from core.protocol.models import Channel, IdentityKind, MessageAuthor
from hub.email.email_store import EmailStore, NewAttachment, RawState
from hub.email.parse_worker import ParseWorker
from hub.email.parser import ParsedEmail, parse, parse_headers
from hub.email.threading import find_thread
from hub.profile.identity import IdentityError, normalise_email
from hub.profile.service import ProfileService
from hub.store.base import new_id
from hub.store.store import Store
from hub.transport.fanout import FanOut

log = logging.getLogger(__name__)

# Get a new conversation to an agent (hub.routing.engine.RoutingEngine.route).
Route = Callable[[str], object]
Unit = Callable[[], contextlib.AbstractContextManager[None]]

EMAIL_QUEUE = "email"
_UNPARSED_TEXT = "(This email could not be read completely; the original is kept.)"


class Outcome(enum.Enum):
    DUPLICATE = "duplicate"  # this source key was received before
    NEW_CONVERSATION = "new_conversation"
    CONTINUED = "continued"  # added to an existing conversation
    BOUNCE = "bounce"  # a delivery report about one of our mails
    STORED = "stored"  # in its conversation, but a step after storing failed (logged)
    FAILED = "failed"  # kept raw only (see the raw row's error), tried again at start


@dataclass
class Received:
    outcome: Outcome
    raw_id: str | None = None
    conversation_id: str | None = None
    message_id: str | None = None
    # For what follows the commit: whose tags to look at, the text for sentiment.
    customer_id: str | None = None
    text: str | None = None


class InboundMail:
    def __init__(
        self, store: Store, fanout: FanOut, profiles: ProfileService, route: Route,
        emails: EmailStore, unit: Unit | None = None,
    ) -> None:
        self.store = store
        self.fanout = fanout
        self.profiles = profiles
        self.route = route
        self.emails = emails
        # One received mail is one unit of work (hub/unit_of_work.py): its
        # customer, conversation, message, event, raw state and routing commit
        # together or not at all (then the raw is marked failed and tried again).
        self.unit: Unit = unit or contextlib.nullcontext
        # Told of each customer mail stored (conversation id, message id, its text), for
        # sentiment and escalation (hub/assist), after the mail's own commit.
        self.received: Callable[[str, str, str], None] | None = None
        # Customers whose automatic tags need a look; within a batch each is
        # re-evaluated once, at the end, on the batch's final state.
        self._changed: dict[str, None] = {}
        self._batching = False
        # Parses off the event loop (receive_async); started at the first mail.
        self.worker = ParseWorker()

    @contextlib.contextmanager
    def batch(self) -> Iterator[None]:
        """Receive several mails; customer re-evaluation happens once at the end."""
        self._batching = True
        try:
            yield
        finally:
            self._batching = False
            self._flush_changed()

    def _flush_changed(self) -> None:
        changed, self._changed = list(self._changed), {}
        for customer_id in changed:
            self.profiles.customer_changed(customer_id)

    def receive(self, source_key: str, raw: bytes, *, route: bool = True) -> Received:
        """Store and process one mail. Never raises for bad mail (it stays raw).

        ``route=False`` leaves a new conversation unassigned and out of the queues
        (demo data assigns it itself)."""
        raw_id = self.emails.put_raw(source_key, raw)
        if raw_id is None:
            return Received(Outcome.DUPLICATE)
        return self.process(raw_id, raw, route=route)

    async def receive_async(self, source_key: str, raw: bytes) -> Received:
        """``receive`` for the hub's event loop: the parse runs in the worker process,
        and the raw (megabytes) is written from a thread in a transaction of its own."""
        raw_id = await asyncio.to_thread(self.emails.put_raw, source_key, raw)
        if raw_id is None:
            return Received(Outcome.DUPLICATE)
        return await self.process_stored(raw_id, raw)

    async def process_stored(self, raw_id: str, raw: bytes) -> Received:
        """Process a mail already stored raw; the parse runs in the worker process."""
        return self.process(raw_id, raw, parsed=await self._parsed(raw))

    async def _parsed(self, raw: bytes) -> ParsedEmail:
        parsed = await self.worker.parse(raw)
        if ep.EmailProblem.UNPARSEABLE in parsed.problems and parsed.from_ is None:
            # The worker gave up: the first headers still say who wrote (bounded).
            parsed = parse_headers(raw, parsed.problems)
        return parsed

    async def resume_async(self) -> int:
        """``resume`` for the hub's event loop (the parses run in the worker)."""
        pending = self.emails.unprocessed_raw() + self.emails.failed_raw()
        for raw_id in pending:
            stored = self.emails.raw(raw_id)
            if stored is not None:
                self.process(raw_id, stored.data, parsed=await self._parsed(stored.data))
        return len(pending)

    async def resume_source_async(self, source_prefix: str) -> int:
        """Process the mail of one source (``imap:<mailbox>:``) stored but not processed:
        what the mailbox's previous importer, a process that died, left half done."""
        pending = self.emails.unprocessed_raw(source_prefix)
        for raw_id in pending:
            stored = self.emails.raw(raw_id)
            if stored is not None:
                self.process(raw_id, stored.data, parsed=await self._parsed(stored.data))
        return len(pending)

    def resume(self) -> int:
        """Process mail that was stored but not processed before a stop, and try
        once more the mail that failed (whatever stopped it may be fixed now, by
        an upgrade or a migration). Returns how many were tried."""
        pending = self.emails.unprocessed_raw() + self.emails.failed_raw()
        for raw_id in pending:
            stored = self.emails.raw(raw_id)
            if stored is not None:
                self.process(raw_id, stored.data)
        return len(pending)

    def process(
        self, raw_id: str, raw: bytes, *, route: bool = True, parsed: ParsedEmail | None = None
    ) -> Received:
        try:
            if parsed is None:
                parsed = parse(raw)
            with self.unit():
                result = self._process(raw_id, parsed, route)
                if result.message_id is None or result.outcome is Outcome.BOUNCE:
                    self.emails.mark_raw(raw_id, RawState.PROCESSED)  # else add_email did
        except Exception as exc:  # keep the hub running and the raw mail kept
            try:
                return self._failed(raw_id, parsed, exc)
            except Exception:
                # Not even the failure could be written: the raw stays "stored",
                # which the next start processes again.
                log.exception("email %s: could not record its failure either", raw_id)
                return Received(Outcome.FAILED, raw_id)
        try:
            self._committed(result)
        except Exception:  # the mail is stored and routed; what follows is not vital
            log.exception("email %s was stored as message %s, but a step after the "
                          "commit failed", raw_id, result.message_id)
            return Received(Outcome.STORED, raw_id, result.conversation_id,
                            result.message_id, result.customer_id, result.text)
        return result

    def _committed(self, result: Received) -> None:
        """After the mail's unit committed: the customer's automatic tags, then
        sentiment and escalation."""
        if result.customer_id is not None:
            self._changed[result.customer_id] = None
            if not self._batching:
                self._flush_changed()
        if self.received is not None and result.message_id is not None \
                and result.conversation_id is not None and result.text is not None:
            self.received(result.conversation_id, result.message_id, result.text)

    def _failed(self, raw_id: str, parsed: ParsedEmail | None, exc: Exception) -> Received:
        """A mail that could not be stored is never dropped quietly: it is logged with
        its keys, kept raw in state ``failed`` (counted on /healthz) and tried again
        when the hub starts."""
        stored = self.emails.raw(raw_id)
        source = stored.source_key if stored else "?"
        header_id = (parsed.header_message_id if parsed else None) or "(none)"
        if stored is not None and stored.message_id is not None:
            # The message is in its conversation; a step after storing it failed.
            log.error("email %s (source %s, Message-ID %s) was stored as message %s, "
                      "but a later step failed", raw_id, source, header_id,
                      stored.message_id, exc_info=exc)
            return Received(Outcome.STORED, raw_id, message_id=stored.message_id)
        log.error("email %s (source %s, Message-ID %s) could not be stored; it is kept raw "
                  "and tried again at the next start", raw_id, source, header_id, exc_info=exc)
        self.emails.mark_raw(raw_id, RawState.FAILED, f"{type(exc).__name__}: {exc}"[:500])
        return Received(Outcome.FAILED, raw_id)

    def _process(self, raw_id: str, parsed: ParsedEmail, route: bool = True) -> Received:
        if parsed.bounce is not None and parsed.bounce.original_message_id:
            original = self.emails.details_by_header(parsed.bounce.original_message_id)
            if original is not None and original.direction is ep.EmailDirection.OUTBOUND:
                if parsed.bounce.failed:
                    changed = self.emails.set_status(
                        original.message_id, ep.EmailStatus.FAILED, ep.EmailFailure.BOUNCE,
                        parsed.bounce.detail)
                    if changed is not None:
                        self.fanout.publish(*changed)
                return Received(Outcome.BOUNCE, raw_id, original.conversation_id,
                                original.message_id)
        customer_id, address, name = self._customer(parsed)
        match = find_thread(parsed, self.emails)
        conversation_id = match.conversation_id if match else None
        if conversation_id is not None and not self.emails.is_open(conversation_id):
            conversation_id = None  # a reply to a closed case opens a new one
        created = conversation_id is None
        if conversation_id is None:
            conversation_id = self.store.create_conversation(
                customer_id, Channel.EMAIL, queue=EMAIL_QUEUE).id
        message_id = new_id("m")
        header_message_id = parsed.header_message_id or f"<{raw_id}@zuoxi.invalid>"
        if parsed.invalid:
            log.warning("email %s: ids or addresses not in RFC 5322 syntax dropped (%s)%s",
                        raw_id, ", ".join(f"{k}: {n}" for k, n in sorted(parsed.invalid.items())),
                        f"; Message-ID replaced by {header_message_id}"
                        if "message-id" in parsed.invalid else "")
        problems = sorted(parsed.problems)
        details = ep.EmailDetails(
            message_id=message_id,
            conversation_id=conversation_id,
            direction=ep.EmailDirection.INBOUND,
            status=ep.EmailStatus.RECEIVED,
            header_message_id=header_message_id,
            subject=parsed.subject,
            from_=parsed.from_,
            to=parsed.to,
            cc=parsed.cc,
            reply_to=parsed.reply_to,
            date=parsed.date,
            in_reply_to=parsed.in_reply_to,
            references=parsed.references,
            text=parsed.text,
            html=parsed.html,
            calendar_summary=parsed.calendar_summary,
            charset_problem=bool(parsed.problems & _CHARSET),
            parse_problem=bool(parsed.problems - _CHARSET - _NOT_MALFORMED),
            problems=problems,
        )
        text = parsed.text.strip()
        if ep.EmailProblem.UNPARSEABLE in parsed.problems or (
            ep.EmailProblem.TOO_LARGE in parsed.problems and not text
        ):
            text = _UNPARSED_TEXT
        if parsed.subject and created:
            text = f"{parsed.subject}\n\n{text}"
        attachments = [
            NewAttachment(a.filename, a.content_type, a.data, a.content_id, a.inline)
            for a in parsed.attachments
        ]
        _, _, event = self.emails.add_email(
            details, MessageAuthor.CUSTOMER, name, text, raw_id, attachments,
            new_thread=(address, parsed.subject) if created else None,
        )
        if event is not None:
            owner = self.emails.agent_of(conversation_id)
            if owner:
                self.fanout.publish(owner, event)
        if created and route:
            self.route(conversation_id)
        outcome = Outcome.NEW_CONVERSATION if created else Outcome.CONTINUED
        return Received(outcome, raw_id, conversation_id, message_id, customer_id, text)

    def _customer(self, parsed: ParsedEmail) -> tuple[str, str, str]:
        """(customer id, their address, display name) for the sender."""
        sender = parsed.from_ or (parsed.reply_to[0] if parsed.reply_to else None)
        raw_address = sender.address if sender else ""
        display = (sender.name if sender else "") or raw_address or "(unknown sender)"
        try:
            address = normalise_email(raw_address)
        except IdentityError:
            # No usable address: the mail still arrives, under a customer of its own.
            return self.store.create_customer(display[:120]), raw_address, display
        # Mail from an address is the proof a typed claim of it is not: the owner is
        # found or made here, whoever else claimed the address.
        customer_id = self.profiles.resolve(IdentityKind.EMAIL, address)
        if customer_id is None:
            customer_id = self.store.owner_or_new_customer(
                IdentityKind.EMAIL, address, display[:120])
        else:
            display = self.store.customer_name(customer_id)
        return customer_id, address, display


_CHARSET = {ep.EmailProblem.CHARSET_MISLABELED, ep.EmailProblem.CHARSET_UNDECODABLE}
# Recorded, but no reason to call a mail malformed: many clients send no Date (the
# received time stands in) and the hub makes a Message-ID when there is none.
_NOT_MALFORMED = {ep.EmailProblem.MISSING_HEADERS}
