"""Trigger evaluation and the rate limits, on an injected clock (no sleeping)."""

from __future__ import annotations

from hub.outreach import config
from hub.outreach.triggers import HOUR_MS, Conditions, Record, Visit, evaluate

SETTINGS = config.parse("""\
[limits]
per_day = 2

[[triggers]]
id = "pricing"
url = "https://shop.example.com/pricing*"
after_s = 30
every_h = 24
message.en = "Need help choosing?"

[[triggers]]
id = "back"
open_conversation = true
every_h = 12
message.en = "Welcome back"

[[triggers]]
id = "churn"
tiers = ["churn-risk"]
tags = ["churn-risk"]
business_hours = true
agents_available = true
offer = "call"
message.en = "Shall we call?"
""")
NOW = 1_800_000_000_000
NONE = Record({}, 0)
PRICING = "https://shop.example.com/pricing/pro"


def test_url_and_time_on_page() -> None:
    early = evaluate(SETTINGS, Visit(PRICING, 10), NONE, NOW, Conditions())
    assert early.trigger is None and early.recheck_s == 20
    due = evaluate(SETTINGS, Visit(PRICING, 30), NONE, NOW, Conditions())
    assert due.trigger is not None and due.trigger.id == "pricing"
    other = evaluate(SETTINGS, Visit("https://shop.example.com/about", 300), NONE, NOW,
                     Conditions())
    assert other.trigger is None and other.recheck_s is None


def test_once_per_trigger_within_every_h() -> None:
    shown = Record({"pricing": NOW - 23 * HOUR_MS}, 1)
    assert evaluate(SETTINGS, Visit(PRICING, 60), shown, NOW, Conditions()).trigger is None
    # No recheck either: nothing on this page can fire any more.
    assert evaluate(SETTINGS, Visit(PRICING, 0), shown, NOW, Conditions()).recheck_s is None
    later = Record({"pricing": NOW - 24 * HOUR_MS}, 0)
    assert evaluate(SETTINGS, Visit(PRICING, 60), later, NOW, Conditions()).trigger is not None


def test_per_day_cap_over_all_triggers() -> None:
    capped = Record({"back": NOW - HOUR_MS, "churn": NOW - 2 * HOUR_MS}, 2)
    assert evaluate(SETTINGS, Visit(PRICING, 60), capped, NOW, Conditions()) == \
        evaluate(SETTINGS, Visit("https://x/", 0), capped, NOW, Conditions())
    assert evaluate(SETTINGS, Visit(PRICING, 60), capped, NOW, Conditions()).trigger is None


def test_returning_customer_with_open_conversation() -> None:
    visit = Visit("https://shop.example.com/", 0, open_conversation=True)
    assert evaluate(SETTINGS, visit, NONE, NOW, Conditions()).trigger.id == "back"  # type: ignore[union-attr]
    assert evaluate(SETTINGS, Visit("https://shop.example.com/", 0), NONE, NOW,
                    Conditions()).trigger is None


def test_tier_or_tag_with_hours_and_agents() -> None:
    by_tag = Visit("https://shop.example.com/", 0, tags=frozenset({"Churn-Risk"}))
    by_tier = Visit("https://shop.example.com/", 0, tier="churn-risk")
    for visit in (by_tag, by_tier):
        decision = evaluate(SETTINGS, visit, NONE, NOW, Conditions())
        assert decision.trigger is not None and decision.trigger.id == "churn"
        assert evaluate(SETTINGS, visit, NONE, NOW,
                        Conditions(open_now=False)).trigger is None
        assert evaluate(SETTINGS, visit, NONE, NOW,
                        Conditions(agents_on_duty=False)).trigger is None
    vip = Visit("https://shop.example.com/", 0, tier="vip", tags=frozenset({"elderly"}))
    assert evaluate(SETTINGS, vip, NONE, NOW, Conditions()).trigger is None


def test_first_matching_trigger_in_file_order() -> None:
    both = Visit(PRICING, 40, tier="churn-risk", open_conversation=True)
    assert evaluate(SETTINGS, both, NONE, NOW, Conditions()).trigger.id == "pricing"  # type: ignore[union-attr]
    seen = Record({"pricing": NOW - HOUR_MS}, 1)
    assert evaluate(SETTINGS, both, seen, NOW, Conditions()).trigger.id == "back"  # type: ignore[union-attr]
