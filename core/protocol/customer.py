"""Customer protocol (`/customer` websocket): frames between the web widget and the hub.

This endpoint faces the internet: every frame is size-capped by the hub and
validated here; anything else is answered with an ``error`` frame. See
docs/protocol.md.
"""

from __future__ import annotations

import enum
from typing import Annotated

import msgspec

from core.protocol import call, followups, outreach
from core.protocol.models import (
    MAX_NAME_CHARS,
    MAX_TEXT_CHARS,
    ClosedBy,
    Id,
    Message,
    MessageStatus,
)

ClientId = Annotated[str, Id]
Text = Annotated[str, msgspec.Meta(min_length=1, max_length=MAX_TEXT_CHARS)]
IdList = Annotated[list[Annotated[str, Id]], msgspec.Meta(max_length=200)]

# How many conversations a hello's ``seen`` may name (the widget keeps the newest).
MAX_SEEN = 10


# ---- widget -> hub ---------------------------------------------------------------


class Seen(msgspec.Struct, forbid_unknown_fields=True):
    """The last message (hub id) the widget showed of a conversation whose close it
    has not shown yet."""

    conversation_id: ClientId
    message_id: ClientId


class Hello(msgspec.Struct, tag_field="type", tag="hello", forbid_unknown_fields=True):
    """First frame. ``visitor_id`` is the one the hub issued earlier, if any."""

    v: int
    visitor_id: Annotated[str, msgspec.Meta(max_length=64)] | None = None
    name: Annotated[str, msgspec.Meta(max_length=MAX_NAME_CHARS)] | None = None
    locale: Annotated[str, msgspec.Meta(max_length=20)] | None = None
    # Optional contact points the visitor typed: the hub links the visitor to the
    # existing customer they identify (an exact, valid match), else adds them.
    email: Annotated[str, msgspec.Meta(max_length=255)] | None = None
    phone: Annotated[str, msgspec.Meta(max_length=40)] | None = None
    # What the visitor chose in the widget ("billing", "complaint"): routes the chat.
    topic: Annotated[str, msgspec.Meta(max_length=40)] | None = None
    # The visitor switched on the widget's easy mode (适老化): a person serves the
    # chat first, as for a customer flagged elderly in the profile.
    easy: bool = False
    # Where the widget is in each conversation it showed and has not seen closed:
    # the welcome's ``resumed`` brings what it missed of those closed since.
    seen: Annotated[list[Seen], msgspec.Meta(max_length=MAX_SEEN)] = []


class Send(msgspec.Struct, tag_field="type", tag="send", forbid_unknown_fields=True):
    """A customer message. ``id`` is made by the widget; a repeat is ignored."""

    id: ClientId
    text: Text
    # Optional: when given it must be the customer's open conversation.
    conversation_id: ClientId | None = None


class Typing(msgspec.Struct, tag_field="type", tag="typing", forbid_unknown_fields=True):
    active: bool


class Received(msgspec.Struct, tag_field="type", tag="received", forbid_unknown_fields=True):
    """Receipt for agent messages the widget has shown."""

    message_ids: IdList


class Close(msgspec.Struct, tag_field="type", tag="close", forbid_unknown_fields=True):
    conversation_id: ClientId | None = None


class Ping(msgspec.Struct, tag_field="type", tag="ping", forbid_unknown_fields=True):
    nonce: int = 0


FeedbackText = Annotated[str, msgspec.Meta(max_length=2000)]


class Rate(msgspec.Struct, tag_field="type", tag="rate", forbid_unknown_fields=True):
    """CSAT of a closed conversation of this customer: 1-5, solved or not, and a
    comment (the widget offers it for 1-2). One per conversation."""

    conversation_id: ClientId
    score: Annotated[int, msgspec.Meta(ge=1, le=5)]
    solved: bool | None = None
    comment: FeedbackText | None = None


class AnswerNps(msgspec.Struct, tag_field="type", tag="answer_nps", forbid_unknown_fields=True):
    """NPS 0-10 and why; accepted once per customer per period."""

    score: Annotated[int, msgspec.Meta(ge=0, le=10)]
    reason: FeedbackText | None = None
    conversation_id: ClientId | None = None




class BotFeedback(msgspec.Struct, tag_field="type", tag="bot_feedback",
                  forbid_unknown_fields=True):
    """The customer's answer to "Did this answer your question?" for ``article_id``."""

    article_id: Annotated[str, msgspec.Meta(min_length=1, max_length=100)]
    answered: bool


class AskPerson(msgspec.Struct, tag_field="type", tag="ask_person", forbid_unknown_fields=True):
    """The widget's "Talk to a person" button."""


ClientFrame = (
    Hello | Send | Typing | Received | Close | Ping | Rate | AnswerNps | BotFeedback
    | AskPerson
    | followups.LeaveMessage
    | outreach.PageVisit
    | call.CustomerClientFrame
)


# ---- hub -> widget ---------------------------------------------------------------


class Resumed(msgspec.Struct):
    """A conversation of the hello's ``seen`` that was closed since: the messages
    after the one the widget last showed (oldest first), then its close."""

    conversation_id: str
    closed_by: ClosedBy
    closed_at: int
    messages: list[Message] = []


class Welcome(msgspec.Struct, tag_field="type", tag="welcome"):
    """``conversation_id`` and ``messages`` resume an open conversation, if any."""

    v: int
    visitor_id: str
    customer_name: str
    conversation_id: str | None = None
    messages: list[Message] = []
    agent_name: str | None = None
    # The self-service bot answers this chat first (the widget shows its buttons).
    bot: bool = False
    # The widget asks "are you still there?" after this many seconds without the
    # customer's activity in an open chat, and ends the chat this many seconds
    # later (0: never). Easy mode never asks nor ends.
    idle_prompt_s: float = 0
    idle_close_s: float = 0
    # Nobody can answer now (``followups.Unavailable``): the widget offers to leave
    # a message. None: someone is there.
    unavailable: str | None = None
    # What the widget missed of conversations closed since it last showed them
    # (hello's ``seen``), oldest close first; shown before ``messages``.
    resumed: list[Resumed] = []


class Ack(msgspec.Struct, tag_field="type", tag="ack"):
    """The hub stored the message whose widget-made id is ``id``."""

    id: str
    message: Message


class NewMessage(msgspec.Struct, tag_field="type", tag="message"):
    message: Message


class Status(msgspec.Struct, tag_field="type", tag="status"):
    message_id: str
    status: MessageStatus


class TypingNotice(msgspec.Struct, tag_field="type", tag="typing"):
    active: bool
    agent_name: str | None = None


class AgentJoined(msgspec.Struct, tag_field="type", tag="agent_joined"):
    conversation_id: str
    agent_name: str


class Closed(msgspec.Struct, tag_field="type", tag="closed"):
    conversation_id: str
    closed_by: ClosedBy


class Error(msgspec.Struct, tag_field="type", tag="error"):
    """``ref`` is the ``id`` of the frame the error answers, when there is one."""

    code: str
    message: str
    ref: str | None = None


class Pong(msgspec.Struct, tag_field="type", tag="pong"):
    nonce: int = 0


class Rated(msgspec.Struct, tag_field="type", tag="rated"):
    """The rating is stored; ``nps_due``: the widget asks NPS next."""

    conversation_id: str
    nps_due: bool = False


class NpsAnswered(msgspec.Struct, tag_field="type", tag="nps_answered"):
    score: int


class HandoffReason(enum.StrEnum):
    """Why the bot brought a person (shown to the agent, translated by the desktop)."""

    ASKED = "asked"  # the customer asked for a person (button or words)
    DECLINED = "declined"  # answers did not help, as often as the routing file allows
    NO_ANSWER = "no_answer"  # the knowledge base had no confident answer
    SENTIMENT = "sentiment"  # negative sentiment or an escalation reason
    PROFILE = "profile"  # a tier or profile attribute that always gets a person
    EASY_MODE = "easy_mode"  # the customer uses the widget's easy mode (适老化)


class BotArticle(msgspec.Struct):
    """A knowledge-base article the bot offers: ``answer`` is its answer paragraph,
    ``body`` the whole article (the widget's "read more")."""

    id: str
    title: str
    answer: str = ""
    body: str = ""


class BotReply(msgspec.Struct, tag_field="type", tag="bot"):
    """What the self-service bot says; the widget words it from ``code``:
    ``answer`` (``article``, then "Did this answer your question?"; ``related`` too),
    ``glad`` (the customer said yes), ``handoff`` (a person is coming; ``reason``
    says why, see ``HandoffReason``)."""

    conversation_id: str
    code: str
    article: BotArticle | None = None
    related: list[BotArticle] = []
    reason: str | None = None
    message_id: str | None = None


ServerFrame = (
    Welcome | Ack | NewMessage | Status | TypingNotice | AgentJoined | Closed | Error | Pong
    | Rated | NpsAnswered | BotReply | followups.MessageLeft | followups.FollowUpSolved
    | outreach.PageNoted | outreach.Outreach
    | call.CustomerServerFrame
)
