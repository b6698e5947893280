"""What HubService needs from the email channel (kept small so the service stays lean)."""

from __future__ import annotations

from typing import Protocol

from core.protocol import email as ep


class EmailHooks(Protocol):
    def send(self, agent_id: str, cmd: ep.SendEmail) -> int | None:
        """Record an agent's mail and queue it for submission; returns the event seq."""
        ...

    def fetch(self, agent_id: str, frame: ep.FetchEmails) -> str:
        """The ``emails`` (or ``error``) frame answering ``fetch_emails``."""
        ...
