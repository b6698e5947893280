"""The consultation state machine: attended transfer, conference, back to the
customer, fed with the phone's events (no sockets, no media)."""

from __future__ import annotations

import pytest

from core.sip.consultation import (
    Consultation,
    ConsultationError,
    ConsultationState,
    EndMix,
    HangUp,
    LegState,
    Refer,
    Resume,
    StartMix,
)
from core.sip.events import (
    CallDidAnswer,
    CallDidEnd,
    CallDidProgress,
    EndReason,
    TransferDidProgress,
)

CUSTOMER, CONSULT = "cust", "cons"


def _connected() -> Consultation:
    consultation = Consultation(CUSTOMER, CONSULT, target="3000")
    assert consultation.handle(CallDidProgress(CONSULT, 180)) == []
    assert consultation.consult == LegState.RINGING
    assert not consultation.can_complete and not consultation.can_conference
    assert consultation.handle(CallDidAnswer(CONSULT, "sdp")) == []
    assert consultation.consult == LegState.CONNECTED
    return consultation


def test_transfer_completes_on_the_final_notify_and_hangs_up_our_legs() -> None:
    consultation = _connected()
    assert consultation.complete_transfer() == [Refer(CUSTOMER, CONSULT)]
    assert consultation.state == ConsultationState.TRANSFERRING
    assert consultation.handle(TransferDidProgress(CUSTOMER, 202, final=False)) == []
    assert consultation.handle(TransferDidProgress(CUSTOMER, 100, final=False)) == []
    steps = consultation.handle(TransferDidProgress(CUSTOMER, 200, final=True))
    assert steps == [HangUp(CUSTOMER), HangUp(CONSULT)]
    assert consultation.state == ConsultationState.TRANSFERRED and not consultation.active
    # What the calls report afterwards changes nothing.
    assert consultation.handle(CallDidEnd(CUSTOMER, EndReason.LOCAL_HANGUP)) == []


def test_the_colleague_ending_the_replaced_dialog_is_success_too() -> None:
    consultation = _connected()
    consultation.complete_transfer()
    assert consultation.handle(CallDidEnd(CONSULT, EndReason.REMOTE_HANGUP)) == [HangUp(CUSTOMER)]
    assert consultation.state == ConsultationState.TRANSFERRED


def test_the_customer_hanging_up_first_then_the_replaced_dialog_ending() -> None:
    consultation = _connected()
    consultation.complete_transfer()
    assert consultation.handle(CallDidEnd(CUSTOMER, EndReason.REMOTE_HANGUP)) == []
    assert consultation.state == ConsultationState.TRANSFERRING
    assert consultation.handle(CallDidEnd(CONSULT, EndReason.REMOTE_HANGUP)) == []
    assert consultation.state == ConsultationState.TRANSFERRED


@pytest.mark.parametrize("status", [403, 488, 503])
def test_a_failed_transfer_leaves_both_legs_as_they_were(status: int) -> None:
    consultation = _connected()
    consultation.complete_transfer()
    assert consultation.handle(TransferDidProgress(CUSTOMER, status, final=True)) == []
    assert consultation.state == ConsultationState.CONSULTING
    assert consultation.transfer_failed == status
    assert (consultation.customer, consultation.consult) == (LegState.ON_HOLD,
                                                             LegState.CONNECTED)
    assert consultation.can_complete  # the agent may try again or go back


def test_conference_resumes_the_customer_and_mixes() -> None:
    consultation = _connected()
    assert consultation.conference() == [Resume(CUSTOMER), StartMix(CUSTOMER, CONSULT)]
    assert consultation.state == ConsultationState.CONFERENCE
    assert consultation.customer == LegState.CONNECTED
    with pytest.raises(ConsultationError):
        consultation.conference()


def test_leaving_the_conference_either_way() -> None:
    consultation = _connected()
    consultation.conference()
    assert consultation.handle(CallDidEnd(CONSULT, EndReason.REMOTE_HANGUP)) == [
        EndMix(CUSTOMER, CONSULT)]
    assert consultation.state == ConsultationState.FINISHED

    consultation = _connected()
    consultation.conference()
    assert consultation.handle(CallDidEnd(CUSTOMER, EndReason.REMOTE_HANGUP)) == [
        EndMix(CUSTOMER, CONSULT)]
    assert consultation.state == ConsultationState.FINISHED  # agent stays with the colleague

    consultation = _connected()
    consultation.conference()
    assert consultation.back_to_customer() == [EndMix(CUSTOMER, CONSULT), HangUp(CONSULT)]


def test_transfer_from_the_conference_ends_the_mix_first() -> None:
    consultation = _connected()
    consultation.conference()
    assert consultation.complete_transfer() == [EndMix(CUSTOMER, CONSULT),
                                                Refer(CUSTOMER, CONSULT)]


def test_cancel_a_ringing_consult_and_go_back() -> None:
    consultation = Consultation(CUSTOMER, CONSULT, target="3000")
    consultation.handle(CallDidProgress(CONSULT, 180))
    with pytest.raises(ConsultationError):
        consultation.complete_transfer()
    assert consultation.back_to_customer() == [HangUp(CONSULT), Resume(CUSTOMER)]
    assert consultation.state == ConsultationState.FINISHED
    assert consultation.customer == LegState.CONNECTED
    with pytest.raises(ConsultationError):
        consultation.back_to_customer()


def test_the_colleague_not_answering_leaves_the_customer_on_hold() -> None:
    consultation = Consultation(CUSTOMER, CONSULT, target="3000")
    assert consultation.handle(CallDidEnd(CONSULT, EndReason.BUSY, 486)) == []
    assert consultation.state == ConsultationState.CONSULTING
    assert consultation.consult == LegState.ENDED
    assert not consultation.can_complete and consultation.can_go_back
    assert consultation.back_to_customer() == [Resume(CUSTOMER)]


def test_the_customer_leaving_during_the_consult_leaves_the_colleague() -> None:
    consultation = _connected()
    assert consultation.handle(CallDidEnd(CUSTOMER, EndReason.REMOTE_HANGUP)) == []
    assert consultation.state == ConsultationState.FINISHED
    assert consultation.consult == LegState.CONNECTED


def test_events_of_other_calls_are_ignored() -> None:
    consultation = _connected()
    assert consultation.handle(CallDidEnd("other", EndReason.REMOTE_HANGUP)) == []
    assert consultation.state == ConsultationState.CONSULTING
