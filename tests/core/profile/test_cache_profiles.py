"""The full customer record, merges and unmerges, the timeline cache and search."""

from __future__ import annotations

from collections import Counter

from core.cache.cache import Cache
from core.protocol.agent import ConversationAssigned
from core.protocol.models import (
    AutoTag,
    Channel,
    Conversation,
    ConversationStatus,
    Customer,
    CustomerStats,
    Identity,
    IdentityKind,
    Note,
)
from core.protocol.profile import (
    CustomerMerged,
    CustomerUnmerged,
    CustomerUpdated,
    Timeline,
    TimelineItem,
)
from core.records import NoteState, TimelineKind
from tests.core.factories import T0, event, message


def rich(cid: str = "cu1", name: str = "王芳", phone: str = "+8613800138000",
         notes: list[Note] | None = None) -> Customer:
    return Customer(
        id=cid, name=name,
        identities=[Identity(IdentityKind.PHONE, phone),
                    Identity(IdentityKind.EMAIL, f"{cid}@example.com"),
                    Identity(IdentityKind.EXTERNAL, "wx:raw-id", verified=False)],
        language="zh-CN", tier="vip", tags=["vip"], preferred_channel=Channel.CHAT,
        auto_tags=[AutoTag("frequent", "frequent_contact", "4 contacts in 7 days")],
        attributes={"city": "上海", "orders": 12.0}, consent={"marketing": True},
        notes=notes if notes is not None else
        [Note("n1", cid, "喜欢电话联系", T0, "a1", "李娜")],
        stats=CustomerStats(contacts_30d=4, avg_csat=4.5, open_conversations=1),
    )


def conv(conv_id: str, cid: str, at: int, channel: Channel = Channel.CHAT) -> Conversation:
    return Conversation(id=conv_id, customer_id=cid, channel=channel,
                        status=ConversationStatus.CLOSED, created_at=at)


def assign(seq: int, conv_id: str, customer: Customer, at: int, texts: list[str]) -> object:
    return event(seq, ConversationAssigned(
        conversation=conv(conv_id, customer.id, at), customer=customer,
        messages=[message(f"{conv_id}-m{i}", conv_id, text=t, at=at + i)
                  for i, t in enumerate(texts)],
    ))


def test_full_record_is_stored_and_read_back() -> None:
    cache = Cache(":memory:")
    cache.apply_events([assign(1, "c1", rich(), T0, ["hi"])])  # type: ignore[list-item]
    profile = cache.customer_profile("cu1")
    assert profile is not None
    assert profile.preferred_channel is Channel.CHAT
    assert profile.auto_tags[0].reason == "4 contacts in 7 days"
    assert profile.attributes == {"city": "上海", "orders": 12.0}
    assert profile.consent == {"marketing": True}
    assert profile.stats is not None and profile.stats.contacts_30d == 4
    assert [(p.value, p.verified) for p in profile.contact_points
            if p.kind is IdentityKind.EXTERNAL] == [("wx:raw-id", False)]
    assert [(n.id, n.author_name, n.state) for n in profile.notes] == [
        ("n1", "李娜", NoteState.SYNCED)]


def test_customer_updated_replaces_the_record_but_keeps_pending_notes() -> None:
    cache = Cache(":memory:")
    cache.apply_events([assign(1, "c1", rich(), T0, ["hi"])])  # type: ignore[list-item]
    cache.db.execute("INSERT INTO notes (id, customer_id, text, created_at, state) "
                     "VALUES ('local', 'cu1', 'offline note', 1, 1)")
    changed = rich(name="王芳芳", notes=[])
    changes = cache.apply_events([event(2, CustomerUpdated(customer=changed))])
    assert "cu1" in changes.customers
    profile = cache.customer_profile("cu1")
    assert profile is not None and profile.name == "王芳芳"
    assert [n.id for n in profile.notes] == ["local"]  # n1 deleted at the hub; ours waits


def test_a_full_record_covers_only_its_newest_notes() -> None:
    cache = Cache(":memory:")
    many = [Note(f"n{i}", "cu1", f"note {i}", T0 + i) for i in range(60)]
    # The hub sends the newest 50: n10..n59.
    first = assign(1, "c1", rich(notes=many[10:][::-1]), T0, ["hi"])
    cache.apply_events([first])  # type: ignore[list-item]
    cache.db.execute("INSERT INTO notes (id, customer_id, text, created_at, state) "
                     "VALUES ('old', 'cu1', 'an older note', ?, 0)", [T0 - 1000])
    newest = [Note("n60", "cu1", "note 60", T0 + 60), *many[11:][::-1]]
    cache.apply_events([event(2, CustomerUpdated(customer=rich(notes=newest)))])
    profile = cache.customer_profile("cu1")
    assert profile is not None
    ids = {n.id for n in profile.notes}
    assert "old" in ids and "n60" in ids  # outside the window: kept; new: added
    assert "n10" in ids  # it slid out of the window; nothing says it was deleted


def _interactions(cache: Cache) -> Counter[str]:
    rows = cache.db.execute("SELECT id FROM messages").fetchall()
    return Counter(r[0] for r in rows)


def test_merge_and_unmerge_keep_every_interaction_exactly_once() -> None:
    cache = Cache(":memory:")
    a, b = rich("cuA", "Emma Li"), rich("cuB", "李艾玛", phone="+8613900139000",
                                        notes=[Note("nB", "cuB", "VIP 客户", T0, None, "Alex")])
    cache.apply_events([
        assign(1, "a1", a, T0, ["order 1", "thanks"]),  # type: ignore[list-item]
        assign(2, "b1", b, T0 + 10, ["退款进度"]),  # type: ignore[list-item]
        assign(3, "b2", b, T0 + 20, ["发票"]),  # type: ignore[list-item]
    ])
    cache.store_timeline(Timeline(op="x", customer_id="cuB", items=[
        TimelineItem(kind="conversation", id="b0", at=T0 - 5, channel=Channel.VOICE,
                     duration_s=95, outcome="resolved")]), None)
    before_msgs = _interactions(cache)
    target = rich("cuA", "Emma Li")
    changes = cache.apply_events([event(4, CustomerMerged(
        merge_id="mg1", source_id="cuB", target=target, conversation_ids=["b1", "b2", "b0"]))])
    assert changes.merged == {"cuB": "cuA"}
    assert cache.customer_profile("cuB") is None
    assert _interactions(cache) == before_msgs  # nothing lost, nothing doubled
    ids = [e.id for e in cache.timeline("cuA", limit=50)]
    assert sorted(ids) == sorted(set(ids)) == sorted(["a1", "b1", "b2", "b0", "n1", "nB"])
    moved = cache.db.execute("SELECT customer_id, COUNT(*) FROM conversations "
                             "GROUP BY customer_id").fetchall()
    assert moved == [("cuA", 3)]
    assert [h.customer_id for h in cache.search("退款进度")] == ["cuA"]
    assert cache.search("李艾玛") == []  # the source is gone from the index
    [merge] = cache.customer_profile("cuA").merges  # type: ignore[union-attr]
    assert merge.merge_id == "mg1" and merge.source_name == "李艾玛"
    # undo
    cache.apply_events([event(5, CustomerUnmerged(
        merge_id="mg1", target=rich("cuA", "Emma Li"), source=b,
        conversation_ids=["b1", "b2", "b0"]))])
    assert _interactions(cache) == before_msgs
    a_ids = [e.id for e in cache.timeline("cuA", limit=50)]
    b_ids = [e.id for e in cache.timeline("cuB", limit=50)]
    assert sorted(a_ids) == ["a1", "n1"]
    assert sorted(b_ids) == ["b0", "b1", "b2", "nB"]
    assert [h.customer_id for h in cache.search("李艾玛")] == ["cuB"]
    assert cache.customer_profile("cuA").merges == ()  # type: ignore[union-attr]


def test_timeline_pages_newest_first_with_cursor_and_channel_filter() -> None:
    cache = Cache(":memory:")
    customer = rich(notes=[])
    items = [TimelineItem(kind="conversation", id=f"t{i:03d}", at=T0 + i * 1000,
                          channel=Channel.EMAIL if i % 2 else Channel.VOICE, preview=f"p{i}")
             for i in range(45)]
    cache.store_customer(customer)
    cache.store_timeline(Timeline(op="o1", customer_id="cu1", items=items[25:],
                                  next_before_at=T0 + 25_000, next_before_id="t025"), None)
    assert not cache.timeline_complete("cu1")
    cache.store_timeline(Timeline(op="o2", customer_id="cu1", items=items[:25]), None)
    assert cache.timeline_complete("cu1")
    first = cache.timeline("cu1", limit=20)
    assert [e.id for e in first] == [f"t{i:03d}" for i in range(44, 24, -1)]
    second = cache.timeline("cu1", limit=20, before=first[-1].cursor)
    assert [e.id for e in second] == [f"t{i:03d}" for i in range(24, 4, -1)]
    third = cache.timeline("cu1", limit=20, before=second[-1].cursor)
    assert len(third) == 5
    emails = cache.timeline("cu1", channel=Channel.EMAIL, limit=100)
    assert len(emails) == 22 and all(e.channel is Channel.EMAIL for e in emails)
    # a locally known conversation shows once, with its live state
    cache.apply_events([assign(1, "t044", customer, T0 + 44_000, ["new"])])  # type: ignore[list-item]
    top = cache.timeline("cu1", limit=1)[0]
    assert (top.id, top.preview, top.kind) == ("t044", "new", TimelineKind.CONVERSATION)
    assert len(cache.timeline("cu1", limit=100)) == 45


def test_search_chinese_substrings_phone_spellings_and_message_text() -> None:
    cache = Cache(":memory:")
    cache.apply_events([
        assign(1, "c1", rich("cu1", "欧阳娜娜", "+8613800138000"), T0,  # type: ignore[list-item]
               ["我的订单还没有发货", "Where is my parcel?"]),
        assign(2, "c2", rich("cu2", "Emma Thompson", "+8613900139000"), T0 + 5,  # type: ignore[list-item]
               ["Refund for order 8817 please"]),
    ])
    names = lambda q: [h.customer_id for h in cache.search(q)]  # noqa: E731
    assert names("欧阳娜") == ["cu1"]  # Chinese substring (trigram)
    assert names("阳娜娜") == ["cu1"]
    assert names("娜娜") == ["cu1"]  # two characters: LIKE fallback
    assert names("欧") == ["cu1"]
    for spelling in ("13800138000", "138 0013", "+86 138", "0086-138-0013-8000",
                     "+86 138 0013 8000"):
        assert names(spelling) == ["cu1"], spelling
    assert names("thomp") == ["cu2"]  # case-insensitive substring
    assert names("cu2@example") == ["cu2"]
    [hit] = cache.search("还没有发货")
    assert hit.customer_id == "cu1" and not hit.matched_profile
    assert [m.message_id for m in hit.messages] == ["c1-m0"]
    [hit] = cache.search("PARCEL")
    assert hit.messages[0].text == "Where is my parcel?"
    assert names("order") == ["cu2"]
    assert cache.search("   ") == [] and cache.search('"') == []
    # kept in sync by writes: a renamed customer is found by the new name only
    cache.apply_events([event(3, CustomerUpdated(customer=rich("cu2", "Olivia Chen")))])
    assert names("Olivia") == ["cu2"] and names("Thompson") == []
