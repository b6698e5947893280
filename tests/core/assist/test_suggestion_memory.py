"""The newest suggestions of each conversation, kept in the cache and in memory: the
panel reads them on the GUI thread with every customer message, without a query;
what memory says is always what the cache says."""

from __future__ import annotations

from pathlib import Path

from core.cache.cache import Cache
from core.protocol.agent import Event
from core.protocol.assist import AssistSuggestions, FeedbackVerdict, Suggestion, SuggestionKind
from core.session.agent_service import AgentService

ARTICLE = SuggestionKind.ARTICLE


def item(n: int) -> Suggestion:
    return Suggestion(kind=ARTICLE, id=f"a{n}", title=f"Article {n}", text=f"Answer {n}",
                      score=0.9, matched=["refund"])


def event(seq: int, ts: int, message_id: str, *items: Suggestion,
          conversation_id: str = "c1") -> Event:
    return Event(seq=seq, ts=ts, body=AssistSuggestions(
        conversation_id=conversation_id, message_id=message_id, items=list(items)))


def queries(cache: Cache) -> list[str]:
    seen: list[str] = []
    cache.db.conn.set_trace_callback(seen.append)
    return seen


def test_a_new_set_is_read_from_memory_not_from_the_cache(tmp_path: Path) -> None:
    service = AgentService(Cache(tmp_path / "cache.sqlite3"))
    service.events_received([event(1, 100, "m1", item(1))])
    assert service.suggestions.latest("c1") is not None  # first read: from the cache
    service.events_received([event(2, 200, "m2", item(2), item(3))])
    seen = queries(service._cache)
    latest = service.suggestions.latest("c1")
    assert seen == []
    assert latest is not None and latest.message_id == "m2"
    assert [i.id for i in latest.items] == ["a2", "a3"]


def test_an_older_set_replayed_later_changes_neither_memory_nor_cache(tmp_path: Path) -> None:
    path = tmp_path / "cache.sqlite3"
    service = AgentService(Cache(path))
    service.events_received([event(2, 200, "m2", item(2))])
    assert service.suggestions.latest("c1").message_id == "m2"  # type: ignore[union-attr]
    service.events_received([event(3, 100, "m1", item(1))])
    assert service.suggestions.latest("c1").message_id == "m2"  # type: ignore[union-attr]
    service._cache.db.conn.commit()
    reopened = AgentService(Cache(path))
    assert reopened.suggestions.latest("c1").message_id == "m2"  # type: ignore[union-attr]


def test_verdicts_are_kept_with_their_set_and_survive_a_restart(tmp_path: Path) -> None:
    path = tmp_path / "cache.sqlite3"
    service = AgentService(Cache(path))
    service.events_received([event(1, 100, "m1", item(1), item(2))])
    shown = service.suggestions.latest("c1")
    assert shown is not None and shown.verdicts == {}
    service.suggestions.give_feedback(shown, shown.items[1], FeedbackVerdict.WRONG)
    again = service.suggestions.latest("c1")
    assert again is not None and again.verdict(again.items[1]) is FeedbackVerdict.WRONG
    # the hub suggests again for the same message (the chat was reassigned): kept
    service.events_received([event(2, 150, "m1", item(1), item(2))])
    assert service.suggestions.latest("c1").verdict(item(2)) is FeedbackVerdict.WRONG  # type: ignore[union-attr]
    # a new message starts without verdicts
    service.events_received([event(3, 200, "m2", item(2))])
    assert service.suggestions.latest("c1").verdicts == {}  # type: ignore[union-attr]
    service._cache.db.conn.commit()
    reopened = AgentService(Cache(path))
    assert reopened.suggestions.latest("c1").message_id == "m2"  # type: ignore[union-attr]


def test_conversations_are_apart(tmp_path: Path) -> None:
    service = AgentService(Cache(tmp_path / "cache.sqlite3"))
    assert service.suggestions.latest("c1") is None
    service.events_received([event(1, 100, "m1", item(1)),
                             event(2, 100, "m9", item(9), conversation_id="c2")])
    assert service.suggestions.latest("c1").message_id == "m1"  # type: ignore[union-attr]
    assert service.suggestions.latest("c2").message_id == "m9"  # type: ignore[union-attr]
