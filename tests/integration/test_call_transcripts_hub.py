"""Call transcripts through a real hub: the transcript travels with the voice
conversation's transcript read, only to agents who may see the customer."""

from __future__ import annotations

import time
import uuid

import pytest
import sqlalchemy as sa

from core.protocol import agent as ap
from core.protocol import call as cl
from core.protocol import profile as pp
from core.protocol.models import Channel, ClosedBy, IdentityKind
from hub.calls.records import CallRecords
from hub.calls.transcripts.engine import Segment, TranscriptResult
from hub.calls.transcripts.transcript_store import TranscriptStore
from hub.store import schema as t
from hub.store.store import Store, create_engine
from testbed.agent_probe import AgentProbe
from tests.conftest import HubProcess

pytestmark = pytest.mark.postgresql

SAID = (Segment(cl.TranscriptSpeaker.CUSTOMER, 400, 4_000, "我想投诉一下快递员的态度", "zh"),
        Segment(cl.TranscriptSpeaker.AGENT, 4_800, 8_000, "非常抱歉，我马上为您登记", "zh"))


async def ask(probe: AgentProbe, frame: pp.FetchTranscript) -> object:
    await probe.send(frame)
    return await probe.wait_for(
        lambda: next((f for f in probe.frames if getattr(f, "op", None) == frame.op), None))


async def test_only_agents_who_may_see_the_customer_read_the_call_transcript(
        hub: HubProcess) -> None:
    store = Store(create_engine(hub.db_path))
    customer = store.create_customer("投诉客户", [(IdentityKind.PHONE, "+8613911112222")])
    # A complaint call: lina and wang serve the complaints queue, alex does not.
    conv = store.create_conversation(customer, Channel.VOICE, queue="complaints")
    with store.engine.connect() as conn:
        lina = conn.execute(sa.select(t.agents.c.id).where(t.agents.c.username == "lina")
                            ).scalar_one()
    now = int(time.time() * 1000)
    CallRecords(store).save(cl.CallRecord(
        call_id="call-x", conversation_id=conv.id, direction=cl.CallDirection.INBOUND,
        started_at=now - 10_000, answered_at=now - 9_000, ended_at=now,
        end_reason=cl.CallEndReason.HUNG_UP_BY_CUSTOMER, agent_id=lina))
    store.close_conversation(conv.id, ClosedBy.AGENT)
    jobs = TranscriptStore(store)
    jobs.submit("call-x", "/recordings/call-x.ogg")
    jobs.finish("call-x", TranscriptResult(SAID, 10.0, 6.8, 3.1, "whisper-base"))
    probes = {name: await AgentProbe.logged_in(hub.url, name) for name in ("alex", "lina", "wang")}
    try:
        refused = await ask(probes["alex"], pp.FetchTranscript(op=uuid.uuid4().hex,
                                                               conversation_id=conv.id))
        assert isinstance(refused, ap.Error) and refused.code == "forbidden"
        for name in ("lina", "wang"):
            answer = await ask(probes[name], pp.FetchTranscript(op=uuid.uuid4().hex,
                                                                conversation_id=conv.id))
            assert isinstance(answer, pp.Transcript), (name, answer)
            [call] = answer.calls
            assert call.call_id == "call-x" and call.started_at == now - 10_000
            assert [(s.speaker, s.text) for s in call.segments] == [
                (s.speaker, s.text) for s in SAID]
    finally:
        for probe in probes.values():
            await probe.close()
