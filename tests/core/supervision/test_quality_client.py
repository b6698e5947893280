"""Quality on the desktop's core: reads answered through the sync delegate, refusals,
appeals and reviews through the outbox, and what the desktop offers to appeal."""

from __future__ import annotations

import asyncio

import pytest

from core.cache.cache import Cache
from core.protocol import quality as qp
from core.session.agent_service import AgentService
from core.supervision.quality_client import (
    AppealStatus,
    QualityUnavailable,
    appeal_status,
    checked_comment,
)
from core.sync.client import ConnectionState, ConnectionStatus, SyncDelegate
from tests.core.session.test_agent_service import AGENT, FakeTransport

DAY = 86_400_000


def summary(conversation_id: str = "c1", *, agent_id: str | None = "a1",
            review: qp.ReviewState = qp.ReviewState.NONE,
            appealable_until: int | None = 10 * DAY) -> qp.ScoreSummary:
    return qp.ScoreSummary(conversation_id=conversation_id, agent_id=agent_id,
                           channel="chat", queue_id="general", closed_at=DAY,
                           scored_at=DAY, score=80, final_score=80, fatal=False,
                           review=review, appealable_until=appealable_until)


@pytest.fixture
def wired() -> tuple[AgentService, FakeTransport, list[tuple[str, str]]]:
    service = AgentService(Cache(":memory:"), AGENT)
    holder: list[FakeTransport] = []

    def factory(delegate: SyncDelegate) -> FakeTransport:
        holder.append(FakeTransport(delegate, live=True))
        return holder[0]

    service.connect(factory)
    changed: list[tuple[str, str]] = []
    service.quality_did_change.connect(lambda c, code: changed.append((c, code)))
    return service, holder[0], changed


async def sent(transport: FakeTransport) -> qp.QaRead:
    """The read a task just started has sent (it sends before its first wait)."""
    await asyncio.sleep(0)
    assert transport.requests, "the read was not sent"
    frame = transport.requests[-1]
    assert isinstance(frame, qp.QaListScores | qp.QaFetchScore | qp.QaReviewQueue
                      | qp.QaAggregates)
    return frame


async def answer_next(transport: FakeTransport, service: AgentService,
                      make: type, **fields: object) -> None:
    """Let the read go out (one turn of the loop), then answer it as the hub would."""
    frame = await sent(transport)
    transport.requests.remove(frame)
    service.profile_frame_received(make(op=frame.op, **fields))


async def test_reads_are_answered_by_the_hubs_frames(wired) -> None:  # type: ignore[no-untyped-def]
    service, transport, _ = wired
    mine = asyncio.ensure_future(service.quality.list_scores())
    await answer_next(transport, service, qp.QaScores, scores=[summary()])
    assert [s.conversation_id for s in await mine] == ["c1"]

    detail = asyncio.ensure_future(service.quality.fetch("c1"))
    asked = await sent(transport)
    assert isinstance(asked, qp.QaFetchScore) and asked.conversation_id == "c1"
    result = qp.RuleResult(rule_id="abuse", name="Abuse", kind="banned_phrase",
                           verdict=qp.Verdict.FAIL, points=10, earned=0, fatal=True,
                           code="banned_phrase_used", params={"phrase": "闭嘴", "count": 1},
                           evidence=[qp.Evidence(message_id="m1", at=5)])
    await answer_next(transport, service, qp.QaScoreDetail, summary=summary(),
                      results=[result], audit=[], rules_version="v1")
    got = await detail
    assert got.results[0].evidence[0].message_id == "m1"
    assert not service.quality.owns(asked.op)  # forgotten once answered


async def test_a_refused_read_raises_the_hubs_code(wired) -> None:  # type: ignore[no-untyped-def]
    service, transport, _ = wired
    queue = asyncio.ensure_future(service.quality.review_queue())
    service.op_rejected((await sent(transport)).op, "forbidden", "for supervisors")
    with pytest.raises(QualityUnavailable) as refused:
        await queue
    assert refused.value.code == "forbidden"
    assert service.pending_commands() == []  # a read never touches the outbox


async def test_offline_and_a_lost_link_fail_fast(wired) -> None:  # type: ignore[no-untyped-def]
    service, transport, _ = wired
    transport.live = False
    with pytest.raises(QualityUnavailable) as offline:
        await service.quality.aggregates()
    assert offline.value.code == "offline"
    transport.live = True
    pending = asyncio.ensure_future(service.quality.aggregates())
    await sent(transport)
    service.connection_changed(ConnectionStatus(ConnectionState.RECONNECTING))
    with pytest.raises(QualityUnavailable) as lost:
        await pending
    assert lost.value.code == "offline"


async def test_an_unanswered_read_times_out() -> None:
    service = AgentService(Cache(":memory:"), AGENT)
    service.quality._timeout = 0.01  # the hub never answers here
    service.quality.attach(lambda frame: True)
    with pytest.raises(QualityUnavailable) as late:
        await service.quality.fetch("c1")
    assert late.value.code == "timeout"


def test_an_appeal_waits_in_the_outbox_and_its_ack_is_announced(wired) -> None:  # type: ignore[no-untyped-def]
    service, transport, changed = wired
    wakes = transport.wakes
    op = service.quality.appeal("c1", "  客户先骂人，我只是重复了他的话  ")
    [command] = service.pending_commands()
    assert isinstance(command, qp.QaAppeal) and command.op == op
    assert command.comment == "客户先骂人，我只是重复了他的话"
    assert transport.wakes == wakes + 1 and service.quality.queued("c1")
    service.op_acked(op, None)
    assert changed == [("c1", "")] and not service.quality.queued("c1")


def test_a_refused_review_is_announced_with_its_code(wired) -> None:  # type: ignore[no-untyped-def]
    service, _, changed = wired
    failed: list[tuple[str, str]] = []
    service.command_did_fail.connect(lambda kind, code: failed.append((kind, code)))
    op = service.quality.override("c2", 85, "客户确实无理")
    [command] = service.pending_commands()
    assert isinstance(command, qp.QaReview) and command.score == 85
    assert command.decision is qp.ReviewDecision.OVERRIDE
    service.op_rejected(op, "forbidden", "reviews are for supervisors")
    assert changed == [("c2", "forbidden")] and failed == [("qa_review", "forbidden")]
    assert service.pending_commands() == []


def test_bad_intents_are_refused_before_the_outbox(wired) -> None:  # type: ignore[no-untyped-def]
    service, _, _ = wired
    with pytest.raises(ValueError, match="empty"):
        service.quality.appeal("c1", "   ")
    with pytest.raises(ValueError, match="0 to 100"):
        service.quality.override("c1", 101, "too generous")
    with pytest.raises(ValueError, match="longer"):
        service.quality.confirm("c1", "x" * 2001)
    assert service.pending_commands() == []
    assert checked_comment(" ok ") == "ok"


def test_what_the_desktop_offers_to_appeal() -> None:
    assert appeal_status(summary(), "a1", DAY) is AppealStatus.OPEN
    assert appeal_status(summary(), "a1", 11 * DAY) is AppealStatus.CLOSED
    assert appeal_status(summary(), "a1", DAY, queued=True) is AppealStatus.SENDING
    assert appeal_status(summary(review=qp.ReviewState.APPEALED, appealable_until=None),
                         "a1", DAY) is AppealStatus.APPEALED
    assert appeal_status(summary(review=qp.ReviewState.OVERRIDDEN, appealable_until=None),
                         "a1", DAY) is AppealStatus.APPEALED
    assert appeal_status(summary(), "a2", DAY) is AppealStatus.NOT_YOURS
    assert appeal_status(summary(agent_id=None), None, DAY) is AppealStatus.NOT_YOURS
