"""Reaching out to a customer: an intent that goes through the outbox.

The hub decides how (the widget when the customer is online there, else email) and
whether (the agent may see the customer; not too soon after the last reach-out);
a refusal comes back as ``command_failed`` with kind ``reach_out``. Thread: the
cache owner's.
"""

from __future__ import annotations

from collections.abc import Callable

from core.protocol.models import MAX_TEXT_CHARS
from core.protocol.outreach import ReachOut
from core.sync.outbox import Outbox, new_id

MAX_SUBJECT_CHARS = 200


class ReachOutError(ValueError):
    """An intent core refuses before it reaches the hub (the UI words ``code``)."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


class ReachOutClient:
    def __init__(self, outbox: Outbox, wake: Callable[[], None]) -> None:
        self._outbox = outbox
        self._wake = wake

    def reach_out(self, customer_id: str, text: str, subject: str = "") -> str:
        """Queue the reach-out; returns its op id. ``ReachOutError``: ``empty``,
        ``too_long`` or ``subject_too_long``."""
        text = text.strip()
        subject = " ".join(subject.split())
        if not text:
            raise ReachOutError("empty")
        if len(text) > MAX_TEXT_CHARS:
            raise ReachOutError("too_long")
        if len(subject) > MAX_SUBJECT_CHARS:
            raise ReachOutError("subject_too_long")
        command = ReachOut(op=new_id(), customer_id=customer_id, text=text, subject=subject)
        self._outbox.queue(command)
        self._wake()
        return command.op
