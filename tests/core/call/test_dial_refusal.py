"""No new outbound call while a call rings in, nor a second one while one is being
dialled: the call manager refuses (``DialRefusedError``) and sends nothing; once the
ringing call is answered or declined, or the dialled one is answered or hung up,
calling works again. The SIP line is a double that does what the real one does
to the manager on ``dial`` (test_sip_dial_desk.py drives the real one through
Kamailio): a new outbound call in DIALING."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import msgspec
import pytest

from core.call.call_manager import CallManager
from core.call.call_state import Call, CallState, DialBlock, DialRefusedError
from core.call.media_thread import MediaEngine, MediaThread
from core.protocol import call as cl
from core.protocol.models import Channel, Conversation, ConversationStatus, Customer
from core.sip.events import RegistrationDidChange, RegistrationState


class DialLine:
    """The manager's side of ``SipLine.dial``: a DIALING call appears."""

    def __init__(self, manager: CallManager) -> None:
        self.manager = manager
        self.registration = RegistrationDidChange(RegistrationState.REGISTERED)
        self.dialled: list[str] = []

    async def dial(self, number: str) -> str:
        self.dialled.append(number)
        call_id = f"sip-out-{len(self.dialled)}"
        call = Call(call_id, "", cl.CallDirection.OUTBOUND, CallState.DIALING,
                    sip_number=number)
        self.manager.calls[call_id] = call
        return call_id

    def decline(self, call: Call, status: int) -> None:
        pass


@pytest.fixture
def engine() -> Iterator[MediaEngine]:
    thread = MediaThread()
    thread.start()
    yield MediaEngine(thread, [])
    thread.stop()


def _ring(manager: CallManager, call_id: str) -> None:
    manager.handle_frame(cl.CallRinging(
        call_id=call_id,
        conversation=Conversation(id="conv-1", customer_id="cust-1", channel=Channel.VOICE,
                                  status=ConversationStatus.OPEN, created_at=0),
        customer=Customer(id="cust-1", name="王芳"), sdp="v=0\r\n", ring_timeout_s=20))


def test_dialling_is_refused_while_a_call_rings_in_or_another_is_dialled(
        engine: MediaEngine) -> None:
    sent: list[msgspec.Struct] = []

    async def scenario() -> None:
        manager = CallManager(sent.append, engine)
        line = DialLine(manager)
        manager.sip = line  # type: ignore[assignment]

        _ring(manager, "web-1")
        assert manager.dial_block() is DialBlock.RINGING_IN
        with pytest.raises(DialRefusedError) as refused:
            await manager.dial("2000")
        assert refused.value.block is DialBlock.RINGING_IN
        with pytest.raises(DialRefusedError):
            await manager.start_call("conv-1")
        assert line.dialled == [] and sent == []  # nothing left the desktop
        assert list(manager.calls) == ["web-1"]  # and no call was made up

        manager.decline("web-1")
        assert manager.dial_block() is None
        first = await manager.dial("2000")
        assert manager.calls[first].state is CallState.DIALING
        assert manager.dial_block() is DialBlock.DIALING
        with pytest.raises(DialRefusedError) as refused:
            await manager.dial("3000")
        assert refused.value.block is DialBlock.DIALING
        with pytest.raises(DialRefusedError):
            await manager.start_call("conv-1")
        assert line.dialled == ["2000"]

        # The first call is answered: the next one may be placed (the first is held).
        manager.set_state(manager.calls[first], CallState.CONNECTING)
        assert manager.dial_block() is None

    asyncio.run(scenario())
