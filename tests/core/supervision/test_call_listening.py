"""The supervisor's side of a listening leg, without aiortc or a hub: the frames it
sends, the states it goes through, what the hub's answers do."""

from __future__ import annotations

import asyncio
from typing import cast

import msgspec

from core.call.media_state import MediaState
from core.call.media_thread import MediaEngine, MediaNotice
from core.protocol import agent as ap
from core.protocol import call as cl
from core.supervision.call_listening import CallListener, ListenState


class Media:
    def __init__(self) -> None:
        self.offered: list[str] = []
        self.answers: list[tuple[str, str]] = []
        self.closed: list[str] = []

    async def create_offer(self, leg_id: str) -> str:
        self.offered.append(leg_id)
        return "v=0 offer"

    async def accept_answer(self, leg_id: str, sdp: str) -> None:
        self.answers.append((leg_id, sdp))

    async def close(self, leg_id: str) -> None:
        self.closed.append(leg_id)


def _listener() -> tuple[CallListener, list[msgspec.Struct], Media]:
    sent: list[msgspec.Struct] = []
    media = Media()
    return CallListener(sent.append, cast(MediaEngine, media)), sent, media


async def _settle() -> None:
    for _ in range(5):
        await asyncio.sleep(0)


async def test_listen_answer_connect_change_mode_and_end() -> None:
    listener, sent, media = _listener()
    changes: list[ListenState] = []
    listener.leg_did_change.connect(lambda leg: changes.append(leg.state))
    leg_id = await listener.listen("conv-1")
    [asked] = sent
    assert isinstance(asked, cl.ListenToCall)
    assert asked.leg_id == leg_id and asked.sdp == "v=0 offer"
    assert asked.mode is cl.ListenMode.COACH and media.offered == [leg_id]
    assert listener.handle_frame(ap.Ack(op=asked.op))

    assert listener.handle_frame(cl.ListenAnswered(leg_id=leg_id, call_id="call-1",
                                                   sdp="v=0 answer"))
    await _settle()
    assert media.answers == [(leg_id, "v=0 answer")]
    assert listener.legs[leg_id].state is ListenState.CONNECTING
    assert listener.media_notice(MediaNotice(leg_id, MediaState.CONNECTED))
    assert listener.legs[leg_id].state is ListenState.LISTENING

    listener.set_mode(leg_id, cl.ListenMode.BARGE)
    change = sent[-1]
    assert isinstance(change, cl.SetListenMode) and change.mode is cl.ListenMode.BARGE
    assert listener.legs[leg_id].mode is cl.ListenMode.COACH  # until the hub agrees
    listener.handle_frame(ap.Ack(op=change.op))
    assert listener.legs[leg_id].mode is cl.ListenMode.BARGE

    assert listener.handle_frame(cl.ListenEnded(leg_id=leg_id, call_id="call-1",
                                                reason=cl.ListenEndReason.CALL_ENDED))
    await _settle()
    leg = listener.legs[leg_id]
    assert leg.state is ListenState.ENDED and leg.end_reason is cl.ListenEndReason.CALL_ENDED
    assert media.closed == [leg_id] and listener.leg_of("conv-1") is None
    assert changes == [ListenState.OFFERING, ListenState.CONNECTING, ListenState.LISTENING,
                       ListenState.LISTENING, ListenState.ENDED]


async def test_a_refused_offer_closes_the_leg_and_keeps_the_reason() -> None:
    listener, sent, media = _listener()
    leg_id = await listener.listen("conv-1", cl.ListenMode.LISTEN)
    asked = sent[0]
    assert isinstance(asked, cl.ListenToCall)
    listener.handle_frame(ap.Error(code="forbidden", message="no", op=asked.op))
    await _settle()
    leg = listener.legs[leg_id]
    assert leg.state is ListenState.FAILED and leg.refused == "forbidden"
    assert media.closed == [leg_id]


async def test_frames_of_other_legs_and_ops_are_left_alone() -> None:
    listener, _sent, _media = _listener()
    assert not listener.handle_frame(ap.Ack(op="someone-else"))
    assert not listener.handle_frame(cl.ListenEnded(leg_id="leg-x", call_id="c",
                                                    reason=cl.ListenEndReason.STOPPED))
    assert not listener.media_notice(MediaNotice("call-1", MediaState.CONNECTED))


async def test_stop_tells_the_hub_and_closes_media() -> None:
    listener, sent, media = _listener()
    leg_id = await listener.listen("conv-1")
    await listener.stop(leg_id)
    assert isinstance(sent[-1], cl.StopListening) and sent[-1].leg_id == leg_id
    assert listener.legs[leg_id].state is ListenState.ENDED and media.closed == [leg_id]
    await listener.stop(leg_id)  # twice is harmless
    assert len(sent) == 2


