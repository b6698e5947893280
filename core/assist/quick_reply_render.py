"""Filling a quick reply in: variables from the conversation, placeholders for the agent.

Variables are written ``{{customer.name}}``, ``{{agent.name}}``,
``{{conversation.id}}``, ``{{customer.tier}}`` or ``{{customer.<attribute>}}`` (a
profile attribute),
optionally with a fallback used when the value is missing:
``{{customer.name|您好}}``. A variable with no value and no fallback becomes a
placeholder for the agent to fill, as does anything written ``[[order number]]``.
A message that still holds a placeholder is not sent (``unfilled``); the
composer selects the first one for the agent to type over.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from core.protocol.models import AttributeValue

VARIABLE = re.compile(r"\{\{\s*([a-z_]+(?:\.[a-z0-9_]+)?)\s*(?:\|([^{}\n]*))?\}\}")
PLACEHOLDER = re.compile(r"\[\[([^\[\]\n]{1,60})\]\]")


@dataclass(frozen=True)
class RenderContext:
    """What the variables are filled from (missing values: None)."""

    customer_name: str | None = None
    agent_name: str | None = None
    conversation_id: str | None = None
    customer_tier: str | None = None
    attributes: Mapping[str, AttributeValue] = field(default_factory=dict)


@dataclass(frozen=True)
class Placeholder:
    start: int  # character offsets in the text, the brackets included
    end: int
    label: str


@dataclass(frozen=True)
class Rendered:
    text: str
    placeholders: tuple[Placeholder, ...]


def _attribute_text(value: AttributeValue) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _value(name: str, context: RenderContext) -> str | None:
    if name == "customer.name":
        return context.customer_name or None
    if name == "agent.name":
        return context.agent_name or None
    if name == "conversation.id":
        return context.conversation_id or None
    if name == "customer.tier":
        return context.customer_tier or None
    if name.startswith("customer."):
        value = context.attributes.get(name.removeprefix("customer."))
        return None if value is None or value == "" else _attribute_text(value)
    return None


def render(template: str, context: RenderContext) -> Rendered:
    """The template with its variables filled in, and where its placeholders are."""

    def fill(match: re.Match[str]) -> str:
        name, fallback = match.group(1), match.group(2)
        value = _value(name, context)
        if value is not None:
            # A value that looks like a placeholder must not block sending.
            return value.replace("[[", "[ [").replace("]]", "] ]")
        if fallback is not None and fallback.strip():
            return fallback.strip()
        return f"[[{name}]]"

    text = VARIABLE.sub(fill, template)
    return Rendered(text, unfilled(text))


def unfilled(text: str) -> tuple[Placeholder, ...]:
    """The placeholders still in ``text`` (a draft the agent is about to send)."""
    return tuple(Placeholder(m.start(), m.end(), m.group(1).strip())
                 for m in PLACEHOLDER.finditer(text))


class PlaceholdersLeft(ValueError):  # noqa: N818
    """A message still holds placeholders for the agent to fill."""

    def __init__(self, placeholders: tuple[Placeholder, ...]) -> None:
        super().__init__(", ".join(p.label for p in placeholders))
        self.placeholders = placeholders
