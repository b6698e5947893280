"""Consulting a colleague during a call, sans-I/O: attended transfer and the
three-way conference (RFC 5589 §7, RFC 3891).

A ``Consultation`` follows two calls of one phone: the *customer's* (put on hold)
and the *consult* leg (a second call the agent places). It is fed the phone's
events (``handle``) and the agent's commands (``complete_transfer``,
``conference``, ``back_to_customer``) and answers with ``Step``s for the layer
that owns the calls and their media (``core.call.sip_media.SipCalls``) to carry
out. It never talks to the network itself.

- Complete transfer: a REFER to the customer naming the consult party with a
  ``Replaces`` of our consult dialog. Success is the REFER's final NOTIFY with a
  2xx, or the consult party ending our dialog because the customer's INVITE
  replaced it (RFC 3891 §3); then every leg of ours that is still up is hung up.
  A failed transfer leaves both legs as they were (the customer still on hold).
- Conference: the customer is taken off hold and the three are mixed on the
  agent's side; when either other party leaves, the agent keeps talking to the
  one who stayed.
- Back to customer (also: cancel the consult while it rings): the consult leg is
  hung up and the customer taken off hold.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from core.sip.events import (
    CallDidAnswer,
    CallDidEnd,
    CallDidProgress,
    EndReason,
    SipEvent,
    TransferDidProgress,
)

__all__ = [
    "Consultation",
    "ConsultationError",
    "ConsultationState",
    "EndMix",
    "HangUp",
    "LegState",
    "Refer",
    "Resume",
    "StartMix",
    "Step",
]


class ConsultationError(Exception):
    """A command that does not fit the consultation's state."""


class LegState(enum.Enum):
    DIALING = "dialing"        # the consult INVITE is out
    RINGING = "ringing"
    CONNECTED = "connected"
    ON_HOLD = "on_hold"        # the customer while the agent consults
    ENDED = "ended"


class ConsultationState(enum.Enum):
    CONSULTING = "consulting"        # customer on hold, agent with (or dialing) the colleague
    TRANSFERRING = "transferring"    # REFER with Replaces sent, waiting for the outcome
    CONFERENCE = "conference"        # all three talk
    TRANSFERRED = "transferred"      # done: customer and colleague talk without us
    FINISHED = "finished"            # back with one party (or none)


@dataclass(frozen=True)
class Refer:
    """Send the REFER with Replaces on ``call_id`` naming ``consult_call_id``."""

    call_id: str
    consult_call_id: str


@dataclass(frozen=True)
class HangUp:
    call_id: str


@dataclass(frozen=True)
class Resume:
    """Take the call off hold."""

    call_id: str


@dataclass(frozen=True)
class StartMix:
    customer_call_id: str
    consult_call_id: str


@dataclass(frozen=True)
class EndMix:
    customer_call_id: str
    consult_call_id: str


Step = Refer | HangUp | Resume | StartMix | EndMix

_OPEN = (ConsultationState.CONSULTING, ConsultationState.TRANSFERRING,
         ConsultationState.CONFERENCE)


@dataclass
class Consultation:
    """Two legs of one phone. Thread: whichever owns the phone."""

    customer_call_id: str
    consult_call_id: str
    target: str
    state: ConsultationState = ConsultationState.CONSULTING
    customer: LegState = LegState.ON_HOLD
    consult: LegState = LegState.DIALING
    # The last failed transfer's status (REFER refused or the NOTIFY's sipfrag).
    transfer_failed: int | None = None

    @property
    def active(self) -> bool:
        return self.state in _OPEN

    @property
    def can_complete(self) -> bool:
        return self.state in (ConsultationState.CONSULTING, ConsultationState.CONFERENCE) \
            and self.consult == LegState.CONNECTED and self.customer != LegState.ENDED

    @property
    def can_conference(self) -> bool:
        return self.state == ConsultationState.CONSULTING \
            and self.consult == LegState.CONNECTED and self.customer == LegState.ON_HOLD

    @property
    def can_go_back(self) -> bool:
        return self.state in (ConsultationState.CONSULTING, ConsultationState.CONFERENCE) \
            and self.customer != LegState.ENDED

    def _move(self, state: ConsultationState) -> None:
        self.state = state

    # ---- commands -----------------------------------------------------------------

    def complete_transfer(self) -> list[Step]:
        if not self.can_complete:
            raise ConsultationError(
                f"cannot transfer now ({self.state.value}, consult {self.consult.value})")
        steps: list[Step] = []
        if self.state == ConsultationState.CONFERENCE:
            steps.append(EndMix(self.customer_call_id, self.consult_call_id))
        self.transfer_failed = None
        self._move(ConsultationState.TRANSFERRING)
        steps.append(Refer(self.customer_call_id, self.consult_call_id))
        return steps

    def conference(self) -> list[Step]:
        if not self.can_conference:
            raise ConsultationError(
                f"cannot join a conference now ({self.state.value}, consult "
                f"{self.consult.value})")
        self._move(ConsultationState.CONFERENCE)
        self.customer = LegState.CONNECTED
        return [Resume(self.customer_call_id),
                StartMix(self.customer_call_id, self.consult_call_id)]

    def back_to_customer(self) -> list[Step]:
        """Hang up the consult leg (ringing or connected) and resume the customer."""
        if not self.can_go_back:
            raise ConsultationError(f"no customer to go back to ({self.state.value})")
        steps: list[Step] = []
        if self.state == ConsultationState.CONFERENCE:
            steps.append(EndMix(self.customer_call_id, self.consult_call_id))
        if self.consult != LegState.ENDED:
            steps.append(HangUp(self.consult_call_id))
            self.consult = LegState.ENDED
        if self.customer == LegState.ON_HOLD:
            steps.append(Resume(self.customer_call_id))
        self.customer = LegState.CONNECTED
        self._move(ConsultationState.FINISHED)
        return steps

    # ---- events from the phone ------------------------------------------------------

    def handle(self, event: SipEvent) -> list[Step]:
        if not self.active:
            return []
        call_id = getattr(event, "call_id", None)
        if call_id == self.consult_call_id:
            return self._consult_event(event)
        if call_id == self.customer_call_id:
            return self._customer_event(event)
        return []

    def _consult_event(self, event: SipEvent) -> list[Step]:
        if isinstance(event, CallDidProgress) and self.consult == LegState.DIALING:
            self.consult = LegState.RINGING
        elif isinstance(event, CallDidAnswer):
            self.consult = LegState.CONNECTED
        elif isinstance(event, CallDidEnd):
            self.consult = LegState.ENDED
            if self.state == ConsultationState.TRANSFERRING and \
                    event.reason == EndReason.REMOTE_HANGUP:
                # RFC 3891: the colleague accepted the customer's INVITE with
                # Replaces and ended the dialog it replaced.
                return self._transferred()
            if self.state == ConsultationState.CONFERENCE:
                self._move(ConsultationState.FINISHED)
                return [EndMix(self.customer_call_id, self.consult_call_id)]
            if self.state == ConsultationState.TRANSFERRING:
                self.transfer_failed = event.status or 0
                self._move(ConsultationState.CONSULTING)
        return []

    def _customer_event(self, event: SipEvent) -> list[Step]:
        if isinstance(event, TransferDidProgress) and \
                self.state == ConsultationState.TRANSFERRING and event.final:
            if 200 <= event.status < 300:
                return self._transferred()
            self.transfer_failed = event.status
            self._move(ConsultationState.CONSULTING)
        elif isinstance(event, CallDidEnd):
            self.customer = LegState.ENDED
            if self.state == ConsultationState.TRANSFERRING and \
                    event.reason == EndReason.REMOTE_HANGUP and self.consult == LegState.ENDED:
                return self._transferred()
            if self.state == ConsultationState.TRANSFERRING:
                return []  # the transferee may hang up before its last NOTIFY
            steps: list[Step] = []
            if self.state == ConsultationState.CONFERENCE:
                steps.append(EndMix(self.customer_call_id, self.consult_call_id))
            self._move(ConsultationState.FINISHED)  # the agent stays with the colleague
            return steps
        return []

    def _transferred(self) -> list[Step]:
        self._move(ConsultationState.TRANSFERRED)
        steps: list[Step] = []
        for leg, call_id in ((self.customer, self.customer_call_id),
                             (self.consult, self.consult_call_id)):
            if leg != LegState.ENDED:
                steps.append(HangUp(call_id))
        self.customer = self.consult = LegState.ENDED
        return steps
