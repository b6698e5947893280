"""Builders of protocol objects for core tests."""

from __future__ import annotations

from core.protocol.agent import ConversationAssigned, Event, EventBody, MessageAdded
from core.protocol.models import (
    Channel,
    Conversation,
    ConversationStatus,
    ConversationSummary,
    Customer,
    Identity,
    IdentityKind,
    Message,
    MessageAuthor,
    MessageStatus,
)

T0 = 1_700_000_000_000


def customer(cid: str = "cu1", name: str = "王芳") -> Customer:
    return Customer(
        id=cid,
        name=name,
        identities=[Identity(IdentityKind.EMAIL, f"{cid}@example.com")],
        language="zh-CN",
        tags=["vip"],
    )


def conversation(conv_id: str = "c1", customer_id: str = "cu1") -> Conversation:
    return Conversation(
        id=conv_id,
        customer_id=customer_id,
        channel=Channel.CHAT,
        status=ConversationStatus.OPEN,
        created_at=T0,
    )


def message(
    mid: str,
    conv_id: str = "c1",
    author: MessageAuthor = MessageAuthor.CUSTOMER,
    text: str = "你好",
    at: int = T0,
    status: MessageStatus = MessageStatus.SENT,
) -> Message:
    return Message(
        id=mid, conversation_id=conv_id, author=author, text=text, created_at=at, status=status
    )


def assigned(
    conv_id: str = "c1", customer_id: str = "cu1", messages: list[Message] | None = None
) -> ConversationAssigned:
    return ConversationAssigned(
        conversation=conversation(conv_id, customer_id),
        customer=customer(customer_id),
        messages=messages if messages is not None else [message(f"{conv_id}-m1", conv_id)],
        history=[
            ConversationSummary(
                id=f"{conv_id}-old",
                channel=Channel.EMAIL,
                status=ConversationStatus.CLOSED,
                created_at=T0 - 86_400_000,
                last_text="发票收到了",
            )
        ],
    )


def event(seq: int, body: EventBody) -> Event:
    return Event(seq=seq, ts=T0 + seq, body=body)


def added(seq: int, msg: Message) -> Event:
    return event(seq, MessageAdded(message=msg))
