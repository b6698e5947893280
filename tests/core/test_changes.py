"""``Changes``: every kind of change makes it true and survives a merge, with no
per-field code to forget when a kind is added."""

from __future__ import annotations

from dataclasses import fields
from typing import Any

from core.protocol.models import Presence
from core.records import Changes


def _one_of(name: str, current: Any) -> Any:
    """A value that says "changed" for the field ``name`` (its default says nothing)."""
    if isinstance(current, set):
        return {("c1", "m1")} if name == "messages" else {"x1"}
    if isinstance(current, dict):
        return {"x1": "y1"}
    if isinstance(current, bool):
        return True
    assert name == "presence", f"Changes.{name}: a kind of change this test does not know"
    return Presence.AWAY


def test_every_field_counts_and_merges() -> None:
    assert not Changes()
    for f in fields(Changes):
        if f.name == "presence_reason":
            continue
        value = _one_of(f.name, getattr(Changes(), f.name))
        alone = Changes(**{f.name: value})
        assert alone, f.name
        into = Changes()
        into.merge(alone)
        assert getattr(into, f.name) == value and into, f.name


def test_a_merge_joins_and_the_later_presence_wins() -> None:
    first = Changes(conversations={"a"}, unassigned={"a": "closed"}, offers=True,
                    presence=Presence.AVAILABLE)
    later = Changes(conversations={"b"}, unassigned={"b": "transferred"},
                    presence=Presence.AWAY, presence_reason="disconnected")
    first.merge(later)
    assert first.conversations == {"a", "b"}
    assert first.unassigned == {"a": "closed", "b": "transferred"}
    assert first.offers is True
    assert (first.presence, first.presence_reason) == (Presence.AWAY, "disconnected")
    # a later transaction without a presence keeps the one there is
    first.merge(Changes(knowledge=True))
    assert (first.presence, first.presence_reason) == (Presence.AWAY, "disconnected")
    assert first.knowledge
    # a reason alone is no change
    assert not Changes(presence_reason="disconnected")


def test_a_keep_first_map_keeps_the_first_value_of_a_key() -> None:
    """The knowledge base's changed articles keep the title before the first change of
    a batch, so the list finds the row where it was."""
    first = Changes(knowledge_articles={"a1": "Old title", "a2": None})
    first.merge(Changes(knowledge_articles={"a1": "Middle title", "a3": "Third"}))
    assert first.knowledge_articles == {"a1": "Old title", "a2": None, "a3": "Third"}
