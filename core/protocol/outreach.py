"""Proactive outreach: the widget's page reports, the hub's outreach, an agent's reach-out.

The widget tells the hub which page the customer is on and for how long
(``page``); the hub answers with an ``outreach`` (a trigger of the outreach file
matched) or ``page_noted`` (when to report again, if a trigger may still match
on this page). An agent reaches out from the customer panel with ``reach_out``:
in the widget when the customer is online there, else by email. See
docs/outreach.md.
"""

from __future__ import annotations

import enum
from typing import Annotated, Literal

import msgspec

from core.protocol.models import MAX_TEXT_CHARS, Id

OpId = Annotated[str, Id]
MAX_URL_CHARS = 2048
PageUrl = Annotated[str, msgspec.Meta(min_length=1, max_length=MAX_URL_CHARS)]
Seconds = Annotated[int, msgspec.Meta(ge=0, le=7 * 86400)]
OutreachText = Annotated[str, msgspec.Meta(min_length=1, max_length=MAX_TEXT_CHARS)]
SubjectText = Annotated[str, msgspec.Meta(max_length=200)]


class OutreachOffer(enum.StrEnum):
    """What the opened widget offers besides the message."""

    CHAT = "chat"  # write back
    CALL = "call"  # a call button


class OutreachChannel(enum.StrEnum):
    """How an outreach reached the customer."""

    WIDGET = "widget"
    EMAIL = "email"


class OutreachSource(enum.StrEnum):
    TRIGGER = "trigger"  # a trigger of the outreach file
    AGENT = "agent"  # an agent's reach-out from the customer panel


# ---- widget -> hub ---------------------------------------------------------------


class PageVisit(msgspec.Struct, tag_field="type", tag="page", forbid_unknown_fields=True):
    """The page the widget is on (the embedding page's URL when framed) and how long
    the customer has been on it; ``lang`` is the widget's language."""

    url: PageUrl
    seconds: Seconds = 0
    lang: Literal["en", "zh"] = "en"


# ---- hub -> widget ---------------------------------------------------------------


class PageNoted(msgspec.Struct, tag_field="type", tag="page_noted"):
    """No outreach now; ``recheck_s``: report this page again after that many more
    seconds on it (a time-on-page trigger may match then); None: nothing to wait for."""

    recheck_s: int | None = None


class Outreach(msgspec.Struct, tag_field="type", tag="outreach"):
    """Open the widget with ``text`` (already in the widget's language).

    ``conversation_id`` is set when an agent reached out: the conversation is
    theirs and ``text`` is also the agent's first message in it."""

    id: str
    text: str
    offer: OutreachOffer = OutreachOffer.CHAT
    source: OutreachSource = OutreachSource.TRIGGER
    agent_name: str | None = None
    conversation_id: str | None = None


# ---- agent -> hub (a command: op id, ack or error) -------------------------------


class ReachOut(msgspec.Struct, tag_field="type", tag="reach_out", forbid_unknown_fields=True):
    """Reach out to a customer the agent may see: in the widget when they are online
    there (a chat the agent owns opens with ``text`` as the agent's message), else by
    email to their email address (``subject``). Refused: ``forbidden`` (not visible),
    ``rate_limited`` (reached out to too recently), ``conflict`` (neither online nor
    reachable by email, or a conversation of another agent is open)."""

    op: OpId
    customer_id: Annotated[str, Id]
    text: OutreachText
    subject: SubjectText = ""
