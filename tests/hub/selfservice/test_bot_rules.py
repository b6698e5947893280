"""The bot's settings in the routing file and its quality report's grouping."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from hub.routing import config
from hub.routing.config import RoutingConfigError
from hub.selfservice.records import group_questions, tokens

ROUTING = Path(__file__).resolve().parents[3] / "hub" / "routing.toml"


def _with_bot(section: str) -> config.RoutingSettings:
    data = tomllib.loads(ROUTING.read_text(encoding="utf-8"))
    return config.parse({**data, "bot": tomllib.loads(section)})


def test_shipped_file_has_the_bot_off() -> None:
    bot = config.load(ROUTING).bot
    assert bot.topics == () and not bot.no_topic
    assert not bot.holds("billing") and not bot.holds(None)
    assert bot.max_declined == 2 and "转人工" in bot.person_words


def test_bot_per_topic() -> None:
    bot = _with_bot('max_declined = 3\nhandoff_tiers = ["VIP", "gold"]').bot
    assert bot.max_declined == 3 and bot.handoff_tiers == ("vip", "gold")
    bot = config.parse({**tomllib.loads(ROUTING.read_text(encoding="utf-8")),
                        "bot": {"topics": ["billing"]}}).bot
    assert bot.holds("billing") and not bot.holds("complaint") and not bot.holds(None)


@pytest.mark.parametrize(("section", "key"), [
    ("max_declined = 0", "bot.max_declined"),
    ("related = 9", "bot.related"),
    ('topics = "billing"', "bot.topics"),
    ("no_topic = 1", "bot.no_topic"),
    ("colour = 1", "bot.colour"),
])
def test_bad_bot_settings_name_the_key(section: str, key: str) -> None:
    with pytest.raises(RoutingConfigError) as caught:
        _with_bot(section)
    assert key in str(caught.value)


def test_tokens_are_the_knowledge_base_terms() -> None:
    assert tokens("How do I reset my PASSWORD?") == {"reset", "password"}
    assert {"运费", "承担"} <= tokens("退货的运费由谁承担") and "的" not in tokens("退货的运费")


def test_unanswered_questions_group_by_overlap() -> None:
    groups = group_questions([
        ("c1", "Can I pay with cryptocurrency?"),
        ("c2", "退货运费谁出"),
        ("c3", "Do you accept cryptocurrency payments?"),
        ("c4", "退货的运费由谁承担"),
        ("c5", "Can I pay with cryptocurrency like bitcoin?"),
        ("c6", "Is the store open on Sunday?"),
    ])
    assert [(g.example, sorted(g.conversations)) for g in groups] == [
        ("Can I pay with cryptocurrency?", ["c1", "c3", "c5"]),
        ("退货运费谁出", ["c2", "c4"]),
        ("Is the store open on Sunday?", ["c6"]),
    ]
