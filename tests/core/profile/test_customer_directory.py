"""Store mode's directory: paging, resuming after a drop, lookup, visits through the outbox."""

from __future__ import annotations

from core.cache.cache import Cache
from core.profile.directory_cache import VISIT_NOTE_PREFIX
from core.protocol.agent import ConversationAssigned, CustomerRecord, Customers, RecordVisit
from core.protocol.models import (
    Channel,
    ClosedBy,
    Conversation,
    ConversationStatus,
    Customer,
    Identity,
    IdentityKind,
    MessageAuthor,
    MessageStatus,
)
from core.session.agent_service import AgentService
from core.sync.outbox import Outbox
from tests.core.factories import T0, event, message

TAG = "store:shanghai"


def record(cid: str, name: str, phone: str) -> CustomerRecord:
    return CustomerRecord(
        customer=Customer(id=cid, name=name, tags=[TAG],
                          identities=[Identity(IdentityKind.PHONE, phone),
                                      Identity(IdentityKind.EMAIL, f"{cid}@example.cn")]),
        messages=[message(f"{cid}-m", f"{cid}-old", text="上次的问题")],
    )


def test_pages_until_next_after_is_null_and_resumes_after_a_drop() -> None:
    cache = Cache(":memory:")
    service = AgentService(cache)
    asked: list[tuple[str, str | None]] = []
    directory = service.directory
    directory.attach(lambda op, tag, after, limit: asked.append((op, after)) or True)
    service.set_store_tag(TAG)
    assert [a for _, a in asked] == [None] and directory.busy
    service.customers_received(Customers(op=asked[0][0], customers=[
        record("cu1", "王芳", "+86 138-0013 8000")], next_after="cu1"), complete=True)
    assert [a for _, a in asked] == [None, "cu1"]
    # the link drops before the answer: the next connection asks for the same page
    service.went_live()
    assert [a for _, a in asked] == [None, "cu1", "cu1"]
    service.customers_received(Customers(op=asked[-1][0], customers=[
        record("cu2", "Emma Walker", "+44 20 7946 0958")], next_after=None), complete=True)
    assert not directory.busy and directory.count() == 2 and directory.refreshed_at() > 0
    # a late answer to an abandoned request changes nothing
    assert not service.customers_received(Customers(op=asked[0][0], customers=[
        record("cu9", "Late", "1")]), complete=True) and directory.count() == 2
    # lookup by name, phone digits and email, offline
    assert [m.id for m in service.search_customers("王")] == ["cu1"]
    assert [m.id for m in service.search_customers("1380013")] == ["cu1"]
    assert [m.id for m in service.search_customers("CU2@EXAMPLE")] == ["cu2"]
    assert service.search_customers("nobody") == []
    assert service.search_customers("%") == []
    # directory messages owe the hub no receipt (they are not our conversations)
    assert cache.due_receipts() == {}


def test_visit_is_optimistic_queued_and_replaced_by_the_hub_copy() -> None:
    cache = Cache(":memory:")
    outbox = Outbox(cache)
    cache.store_customer(Customer(id="cu1", name="王芳"))
    visit, changes = outbox.record_visit("cu1", "来取维修好的水壶", visited_at=T0)
    assert "cu1" in changes.customers
    [command] = outbox.pending()
    assert isinstance(command, RecordVisit) and command.conversation_id == visit
    profile = cache.customer_profile("cu1")
    assert profile is not None and profile.recent[0].channel is Channel.STORE
    assert profile.recent[0].last_text == "来取维修好的水壶"
    [note] = cache.messages(visit)
    assert note.id.startswith(VISIT_NOTE_PREFIX) and note.status is MessageStatus.PENDING
    # the hub stores it and answers with the visit as an assigned, closed conversation
    hub_note = message("m_hub", visit, MessageAuthor.AGENT, "来取维修好的水壶", T0)
    cache.apply_events([event(1, ConversationAssigned(
        conversation=Conversation(id=visit, customer_id="cu1", channel=Channel.STORE,
                                  status=ConversationStatus.CLOSED, created_at=T0,
                                  closed_at=T0, closed_by=ClosedBy.AGENT),
        customer=Customer(id="cu1", name="王芳"), messages=[hub_note]))])
    outbox.resolve(command.op)
    assert [m.id for m in cache.messages(visit)] == ["m_hub"]
    assert cache.inbox() == [] and len(outbox) == 0


def test_a_refused_visit_keeps_its_note_marked_failed() -> None:
    cache = Cache(":memory:")
    outbox = Outbox(cache)
    cache.store_customer(Customer(id="cu1", name="王芳"))
    visit, _ = outbox.record_visit("cu1", "来取维修好的水壶", visited_at=T0)
    [command] = outbox.pending()
    # e.g. the customer is outside the agent's queues
    outbox.reject(command.op, "forbidden")
    assert len(outbox) == 0
    [note] = cache.messages(visit)
    assert note.text == "来取维修好的水壶" and note.status is MessageStatus.FAILED
    profile = cache.customer_profile("cu1")
    assert profile is not None and profile.recent[0].id == visit
