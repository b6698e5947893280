"""A rich customer in a cache, for panel, search and screenshot tests (no hub)."""

from __future__ import annotations

from core.cache.cache import Cache
from core.protocol.agent import ConversationAssigned, Event
from core.protocol.models import (
    AgentInfo,
    AutoTag,
    Channel,
    Conversation,
    ConversationStatus,
    Customer,
    CustomerStats,
    Identity,
    IdentityKind,
    Message,
    MessageAuthor,
    Note,
)
from core.protocol.profile import (
    AttributeDefinition,
    AttributeType,
    ProfileConfig,
    Timeline,
    TimelineItem,
)
from core.session.agent_service import AgentService

T0 = 1_763_700_000_000
DAY = 86_400_000
AGENT = AgentInfo(id="a1", username="lina", display_name="李娜")
CONFIG = ProfileConfig(attributes=[
    AttributeDefinition("city", "City", AttributeType.TEXT),
    AttributeDefinition("orders", "Orders", AttributeType.NUMBER),
    AttributeDefinition("birthday", "Birthday", AttributeType.DATE),
    AttributeDefinition("segment", "Segment", AttributeType.CHOICE,
                        ["retail", "b2b", "wholesale"]),
])


def nana() -> Customer:
    return Customer(
        id="cu1", name="欧阳娜娜 Nana Ouyang",
        identities=[Identity(IdentityKind.PHONE, "+8613800138000"),
                    Identity(IdentityKind.EMAIL, "nana.ouyang@example.com"),
                    Identity(IdentityKind.EXTERNAL, "wx:oQ3k-raw", verified=False)],
        language="zh-CN", tier="vip", tags=["会员", "上海徐汇店"],
        preferred_channel=Channel.CHAT,
        auto_tags=[AutoTag("frequent", "frequent_contact", "4 contacts in the last 7 days"),
                   AutoTag("recent complaint", "recent_complaint", "complaint on 2025-11-18")],
        attributes={"city": "上海", "orders": 37.0, "birthday": "1992-05-14",
                    "segment": "retail"},
        consent={"marketing": True, "sms": False},
        notes=[Note("n1", "cu1", "喜欢下午电话联系；上次退款已处理完毕。", T0 - 3 * DAY, "a1",
                    "李娜"),
               Note("n2", "cu1", "Asked for an invoice in the company's name.", T0 - 9 * DAY,
                    "a2", "Alex")],
        stats=CustomerStats(contacts_30d=4, last_contact_at=T0 - DAY,
                            last_channel=Channel.VOICE, avg_csat=4.6, last_nps=9,
                            open_conversations=1),
    )


def history(count: int = 60) -> list[TimelineItem]:
    channels = [Channel.VOICE, Channel.EMAIL, Channel.CHAT, Channel.STORE]
    previews = ["退款已经到账了，谢谢", "Invoice for order 88172 attached", "Where is my parcel?",
                "门店试穿后购买了两件"]
    return [
        TimelineItem(kind="conversation", id=f"h{i:03d}", at=T0 - (i + 1) * 2 * DAY,
                     channel=channels[i % 4], status=ConversationStatus.CLOSED,
                     agent_name=["李娜", "Alex", "王伟"][i % 3], preview=previews[i % 4],
                     message_count=3 + i % 5,
                     duration_s=185 + i * 7 if channels[i % 4] is Channel.VOICE else None,
                     outcome="resolved" if channels[i % 4] is Channel.VOICE else None)
        for i in range(count)
    ]


def seeded_service(timeline_items: int = 30) -> AgentService:
    """Nana with an open chat, a cached timeline; Emma, a likely duplicate."""
    cache = Cache(":memory:")
    service = AgentService(cache, AGENT)
    service.profile_frame_received(CONFIG)
    conv = Conversation(id="c1", customer_id="cu1", channel=Channel.CHAT,
                        status=ConversationStatus.OPEN, created_at=T0)
    texts = ["你好，我的订单 88172 还没有发货", "您好！我帮您查一下，请稍等。", "好的，谢谢",
             "已经为您加急处理，预计明天送达。"]
    messages = [Message(f"m{i}", "c1", MessageAuthor.CUSTOMER if i % 2 == 0
                        else MessageAuthor.AGENT, t, T0 + i * 60_000,
                        author_name=None if i % 2 == 0 else "李娜")
                for i, t in enumerate(texts)]
    service.events_received([Event(seq=1, ts=T0, body=ConversationAssigned(
        conversation=conv, customer=nana(), messages=messages))])
    cache.store_timeline(Timeline(op="seed", customer_id="cu1",
                                  items=history(timeline_items)), None)
    cache.store_customer(Customer(
        id="cu2", name="Nana O.", tier="churn-risk",
        identities=[Identity(IdentityKind.PHONE, "+8613900139000"),
                    Identity(IdentityKind.EMAIL, "nana.o@example.com")]))
    return service
