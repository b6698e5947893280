"""The agent's email settings: signature, reply templates, the mailbox's own addresses."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class ReplyTemplate:
    name: str
    text: str  # may hold {customer_name} and {agent_name}


@dataclass(frozen=True)
class EmailSettings:
    signature: str = ""
    templates: tuple[ReplyTemplate, ...] = ()
    mailboxes: tuple[str, ...] = field(default_factory=tuple)  # our own addresses
