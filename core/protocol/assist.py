"""Agent assist frames of the agent protocol: quick replies, suggestions, feedback.

Quick replies are personal (one agent's) or team-wide (edited by supervisors and
admins). Every change reaches the desktops that see the reply as an event in
their ordered stream; a snapshot's last part carries the whole list. Suggestions
for a customer's message arrive as an ``assist_suggestions`` event after the
message itself; the agent's verdict on one goes back as ``suggestion_feedback``.
"""

from __future__ import annotations

import enum
from typing import Annotated

import msgspec

from core.protocol.models import MAX_TEXT_CHARS, Id

OpId = Annotated[str, Id]
RefId = Annotated[str, Id]
Title = Annotated[str, msgspec.Meta(min_length=1, max_length=120)]
Category = Annotated[str, msgspec.Meta(max_length=60)]
# A word typed after "/" to find the reply; no spaces.
Shortcut = Annotated[str, msgspec.Meta(max_length=40, pattern=r"^[^\s/]*$")]
ReplyText = Annotated[str, msgspec.Meta(min_length=1, max_length=MAX_TEXT_CHARS)]


class QuickReplyScope(enum.StrEnum):
    PERSONAL = "personal"  # one agent's own
    TEAM = "team"  # everyone's; supervisors and admins edit them


class QuickReplyChannel(enum.StrEnum):
    CHAT = "chat"
    EMAIL = "email"
    ANY = "any"


class QuickReply(msgspec.Struct):
    id: str
    scope: QuickReplyScope
    title: str
    text: str
    channel: QuickReplyChannel = QuickReplyChannel.ANY
    category: str = ""
    shortcut: str = ""
    owner_id: str | None = None  # the agent of a personal reply
    updated_at: int = 0


class SuggestionKind(enum.StrEnum):
    ARTICLE = "article"
    QUICK_REPLY = "quick_reply"


class FeedbackVerdict(enum.StrEnum):
    HELPFUL = "helpful"
    WRONG = "wrong"


class Suggestion(msgspec.Struct):
    """One suggested answer; ``matched`` are the message's words that led to it."""

    kind: SuggestionKind
    id: str
    title: str
    text: str  # the answer to insert (a quick reply's text, an article's answer paragraph)
    score: float
    matched: list[str] = []


# ---- commands ----------------------------------------------------------------------


class SaveQuickReply(
    msgspec.Struct, tag_field="type", tag="save_quick_reply", forbid_unknown_fields=True
):
    """Create (a new ``reply_id``, made by the client) or replace a quick reply.

    The scope of an existing reply cannot change. Personal replies are their
    owner's only; team replies are saved by supervisors and admins.
    """

    op: OpId
    reply_id: RefId
    scope: QuickReplyScope
    title: Title
    text: ReplyText
    channel: QuickReplyChannel = QuickReplyChannel.ANY
    category: Category = ""
    shortcut: Shortcut = ""


class DeleteQuickReply(
    msgspec.Struct, tag_field="type", tag="delete_quick_reply", forbid_unknown_fields=True
):
    op: OpId
    reply_id: RefId


class SuggestionFeedback(
    msgspec.Struct, tag_field="type", tag="suggestion_feedback", forbid_unknown_fields=True
):
    """The agent says a suggestion for ``message_id`` was helpful or wrong."""

    op: OpId
    conversation_id: RefId
    message_id: RefId
    kind: SuggestionKind
    item_id: RefId
    verdict: FeedbackVerdict


AssistCommand = SaveQuickReply | DeleteQuickReply | SuggestionFeedback


# ---- reads -------------------------------------------------------------------------


class ListSuggestionFeedback(
    msgspec.Struct, tag_field="type", tag="list_suggestion_feedback", forbid_unknown_fields=True
):
    """Supervisors and admins: the newest feedback first, ``limit`` entries."""

    op: OpId
    limit: Annotated[int, msgspec.Meta(ge=1, le=500)] = 100


class FeedbackEntry(msgspec.Struct):
    conversation_id: str
    message_id: str
    kind: SuggestionKind
    item_id: str
    verdict: FeedbackVerdict
    agent_id: str
    agent_name: str
    created_at: int
    title: str = ""  # the suggested item's title when it was suggested


class SuggestionFeedbackList(msgspec.Struct, tag_field="type", tag="suggestion_feedback_list"):
    op: str
    entries: list[FeedbackEntry]
    helpful: int = 0  # totals over all stored feedback
    wrong: int = 0


AssistServerFrame = SuggestionFeedbackList


# ---- events (inside an ``events`` frame) ------------------------------------------------


class QuickReplySaved(msgspec.Struct, tag_field="kind", tag="quick_reply_saved"):
    reply: QuickReply


class QuickReplyDeleted(msgspec.Struct, tag_field="kind", tag="quick_reply_deleted"):
    reply_id: str


class AssistSuggestions(msgspec.Struct, tag_field="kind", tag="assist_suggestions"):
    """Answers for the customer's message ``message_id`` (best first; may be empty)."""

    conversation_id: str
    message_id: str
    items: list[Suggestion]


AssistEvent = QuickReplySaved | QuickReplyDeleted | AssistSuggestions
