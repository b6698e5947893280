"""Builders of email protocol objects for core and UI tests."""

from __future__ import annotations

from core.protocol.agent import ConversationAssigned
from core.protocol.email import (
    EmailAddress,
    EmailAttachment,
    EmailDetails,
    EmailDirection,
    EmailStatus,
)
from core.protocol.models import Channel, Message, MessageAuthor
from tests.core.factories import T0, assigned

SUPPORT = "support@shop.example"


def email_assigned(conv_id: str = "e1", customer_id: str = "cu1",
                   messages: list[Message] | None = None) -> ConversationAssigned:
    item = assigned(conv_id, customer_id, messages)
    item.conversation.channel = Channel.EMAIL
    return item


def inbound(mid: str, conv_id: str = "e1", *, subject: str = "订单 1234 没有到",
            html: str | None = None, text: str = "您好，我的订单还没有到。", at: int = T0,
            attachments: list[EmailAttachment] | None = None,
            charset_problem: bool = False) -> tuple[Message, EmailDetails]:
    message = Message(id=mid, conversation_id=conv_id, author=MessageAuthor.CUSTOMER,
                      text=text, created_at=at)
    details = EmailDetails(
        message_id=mid, conversation_id=conv_id, direction=EmailDirection.INBOUND,
        status=EmailStatus.RECEIVED, header_message_id=f"<{mid}@mail.example>",
        subject=subject, from_=EmailAddress("wang.fang@mail.example", "王芳"),
        to=[EmailAddress(SUPPORT, "Support")],
        cc=[EmailAddress("li.lei@mail.example", "李雷"), EmailAddress(SUPPORT)],
        date=at, text=text, html=html, attachments=attachments or [],
        charset_problem=charset_problem,
    )
    return message, details
