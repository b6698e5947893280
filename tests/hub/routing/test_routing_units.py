"""The routing parts that hold no I/O: config errors, SLA arithmetic, classifier,
priority and agent selection."""

from __future__ import annotations

import datetime as dt
import tomllib
import zoneinfo
from pathlib import Path
from typing import Any

import pytest

from core.protocol.call import RecordingMode, RecordingPolicy
from core.protocol.models import Channel, Presence
from core.protocol.routing import SlaState
from hub.routing import config, priority, sla
from hub.routing.classify import Inbound, classify
from hub.routing.config import BusinessHours, RoutingConfigError
from hub.routing.router import Router, Waiting
from hub.routing.selector import AgentState, select

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")
NINE_TO_SIX = {d: (dt.time(9), dt.time(18)) for d in range(5)}


def ms(year: int, month: int, day: int, hour: int, minute: int = 0,
       tz: zoneinfo.ZoneInfo = SHANGHAI) -> int:
    return int(dt.datetime(year, month, day, hour, minute, tzinfo=tz).timestamp() * 1000)


def shipped() -> dict[str, Any]:
    return tomllib.loads(config.DEFAULT_PATH.read_text(encoding="utf-8"))


# ---- config ---------------------------------------------------------------------------


def test_shipped_file_loads_with_documented_defaults() -> None:
    s = config.load()
    assert s.capacity == {Channel.VOICE: 1, Channel.CHAT: 3, Channel.EMAIL: 5}
    assert s.offer_timeout_s == {Channel.VOICE: 20, Channel.CHAT: 30, Channel.EMAIL: 60}
    assert s.voice_answer_s == 20 and s.voice_target_pct == 80
    assert s.chat_first_reply_s == 60 and s.email_first_reply_business_h == 4
    assert s.voice_blocks_chat and s.default_queue(Channel.CHAT) is not None


@pytest.mark.parametrize(("edit", "key"), [
    (lambda d: d["queues"][1].update(channel="fax"), "queues[1].channel"),
    (lambda d: d["queues"][2].update(min_level=7), "queues[2].min_level"),
    (lambda d: d["queues"][0].update(id="email"), "queues[3].id"),
    (lambda d: d["capacity"].update(chat=0), "capacity.chat"),
    (lambda d: d["offers"].update(max_missed=0), "offers.max_missed"),
    (lambda d: d["offers"]["timeout_s"].update(voice="soon"), "timeout_s.voice"),
    (lambda d: d["business_hours"].update(timezone="Mars/Olympus"), "business_hours.timezone"),
    (lambda d: d["business_hours"].update(mon=["18:00", "09:00"]), "business_hours.mon"),
    (lambda d: d["business_hours"].update(holidays=["2026-13-01"]),
     "business_hours.holidays[0]"),
    (lambda d: d["sla"].update(voice_target_pct=120), "sla.voice_target_pct"),
    (lambda d: d.update(queues=[]), "queues"),
    (lambda d: d["priority"].update(aging_per_min=True), "priority.aging_per_min"),
    (lambda d: d["widget_topics"][0].update(choice="weather"), "widget_topics[0].choice"),
    (lambda d: d["widget_topics"][1].update(choice="billing"), "widget_topics[1].choice"),
    (lambda d: d["widget_topics"][1].update(zh=""), "widget_topics[1].zh"),
    (lambda d: d["queues"][0].update(recording="sometimes"), "queues[0].recording"),
    (lambda d: d["queues"][0].update(recording_announcement="yes"),
     "queues[0].recording_announcement"),
    (lambda d: d["queues"][0].update(recording_retention_days=-1),
     "queues[0].recording_retention_days"),
])
def test_bad_config_names_the_key(edit: Any, key: str) -> None:
    data = shipped()
    edit(data)
    with pytest.raises(RoutingConfigError) as info:
        config.parse(data)
    assert info.value.key == key and key in str(info.value)


def test_recording_policy_per_queue_defaults_to_never() -> None:
    s = config.load()
    voice = s.queue("voice")
    assert voice is not None and voice.recording == RecordingPolicy(
        RecordingMode.ON_DEMAND, announce=True)
    assert voice.recording_retention_days == 90
    chat = s.queue("chat")
    assert chat is not None and chat.recording == RecordingPolicy(RecordingMode.NEVER, False)
    assert chat.recording_retention_days == 0


def test_widget_topics_name_chat_queue_choices() -> None:
    s = config.load()
    assert [(t.choice, t.labels["en"]) for t in s.widget_topics] == [
        ("billing", "Billing and payments"), ("complaint", "A complaint")]
    for topic in s.widget_topics:
        queue = classify(s, Inbound(Channel.CHAT, "hello", widget_choice=topic.choice))
        assert topic.choice in queue.widget_choices and queue.channel == Channel.CHAT


def test_unreadable_or_broken_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(RoutingConfigError, match="cannot be read"):
        config.load(tmp_path / "missing.toml")
    bad = tmp_path / "bad.toml"
    bad.write_text("[queues\n")
    with pytest.raises(RoutingConfigError, match="not valid TOML"):
        config.load(bad)


# ---- SLA arithmetic ------------------------------------------------------------------------


def hours(tz: zoneinfo.ZoneInfo = SHANGHAI, holidays: frozenset[dt.date] = frozenset()
          ) -> BusinessHours:
    return BusinessHours(timezone=tz, days=dict(NINE_TO_SIX), holidays=holidays)


def test_business_time_within_one_day() -> None:
    start = ms(2026, 3, 4, 10)  # a Wednesday
    assert sla.add_business_time(start, 4 * 3600, hours()) == ms(2026, 3, 4, 14)


def test_business_time_carries_over_the_night_and_weekend() -> None:
    friday_5pm = ms(2026, 3, 6, 17)
    # 1 h on Friday, the weekend is closed, 3 h on Monday.
    assert sla.add_business_time(friday_5pm, 4 * 3600, hours()) == ms(2026, 3, 9, 12)
    saturday = ms(2026, 3, 7, 11)
    assert sla.add_business_time(saturday, 3600, hours()) == ms(2026, 3, 9, 10)


def test_business_time_before_opening_starts_at_opening() -> None:
    assert sla.add_business_time(ms(2026, 3, 4, 6), 1800, hours()) == ms(2026, 3, 4, 9, 30)


def test_holidays_are_skipped() -> None:
    national_day = frozenset({dt.date(2026, 10, 1), dt.date(2026, 10, 2)})
    wednesday_5pm = ms(2026, 9, 30, 17)
    due = sla.add_business_time(wednesday_5pm, 2 * 3600, hours(holidays=national_day))
    # 1 h on Wednesday; Thursday and Friday are holidays; the rest on Monday 5 Oct.
    assert due == ms(2026, 10, 5, 10)


def test_daylight_saving_changes_are_wall_clock_hours() -> None:
    # Berlin springs forward on Sunday 29 March 2026: Friday 17:00 + 2 business
    # hours is Monday 10:00 local, which is 08:00 UTC (UTC+2 after the change).
    due = sla.add_business_time(ms(2026, 3, 27, 17, tz=BERLIN), 2 * 3600, hours(BERLIN))
    assert due == ms(2026, 3, 30, 10, tz=BERLIN)
    assert dt.datetime.fromtimestamp(due / 1000, dt.UTC).hour == 8
    # and falls back on 25 October: Friday 23 Oct 17:00 + 2 h -> Monday 10:00, UTC+1.
    due = sla.add_business_time(ms(2026, 10, 23, 17, tz=BERLIN), 2 * 3600, hours(BERLIN))
    assert dt.datetime.fromtimestamp(due / 1000, dt.UTC).hour == 9


def test_time_zones_differ_for_the_same_instant() -> None:
    instant = ms(2026, 3, 4, 17)  # 17:00 in Shanghai is 10:00 in Berlin
    assert sla.add_business_time(instant, 3600, hours(SHANGHAI)) == ms(2026, 3, 4, 18)
    assert sla.add_business_time(instant, 3600, hours(BERLIN)) == instant + 3600_000


def test_business_ms_between_counts_only_open_hours() -> None:
    h = hours()
    assert sla.business_ms_between(ms(2026, 3, 6, 17), ms(2026, 3, 9, 12), h) == 4 * 3600_000
    assert sla.business_ms_between(ms(2026, 3, 9, 12), ms(2026, 3, 6, 17), h) == 0


def test_due_times_per_channel_and_state() -> None:
    s = config.load()
    t0 = ms(2026, 3, 4, 10)
    assert sla.due_at(s, Channel.VOICE, t0) == t0 + 20_000
    assert sla.due_at(s, Channel.CHAT, t0) == t0 + 60_000
    assert sla.due_at(s, Channel.EMAIL, t0) == ms(2026, 3, 4, 14)
    assert sla.due_at(s, Channel.STORE, t0) is None
    assert sla.state(t0, t0 + 60_000, t0 + 10_000) == SlaState.OK
    assert sla.state(t0, t0 + 60_000, t0 + 50_000) == SlaState.AT_RISK
    assert sla.state(t0, t0 + 60_000, t0 + 60_000) == SlaState.BREACHED


# ---- classifier and priority -------------------------------------------------------------


def test_classifier_rules_in_order() -> None:
    s = config.load()
    assert classify(s, Inbound(Channel.CHAT, "hello")).id == "chat"
    assert classify(s, Inbound(Channel.CHAT, "I want to file a complaint")).id == "complaints"
    assert classify(s, Inbound(Channel.CHAT, "我的发票呢")).id == "billing"
    # The widget choice wins over keywords.
    assert classify(s, Inbound(Channel.CHAT, "complaint", widget_choice="Billing")).id == (
        "billing")
    assert classify(s, Inbound(Channel.EMAIL, "x", email_address="support@zuoxi.example")
                    ).id == "email"
    assert classify(s, Inbound(Channel.VOICE, entry_point="+864000000000")).id == "voice"


def test_priority_score_is_documented_sum_and_aging_order_is_stable() -> None:
    w = config.load().weights
    vip_complaint = priority.detect(w, "This is unacceptable, I complain", "", "vip")
    assert vip_complaint.complaint and vip_complaint.negative
    assert priority.base_score(w, vip_complaint) == 100 + 80 + 50
    routine = priority.detect(w, "hello", "", None)
    assert priority.base_score(w, routine) == 0
    # After 23 minutes more waiting, a routine chat outranks a fresh VIP complaint.
    assert priority.score(w, routine, 24 * 60_000) > priority.score(w, vip_complaint, 0)
    a = priority.rank_key(w, 0.0, 0)
    b = priority.rank_key(w, 230.0, 23 * 60_000 + 1)
    assert a > b  # the older routine one ranks first once aging covers the gap


# ---- selection ------------------------------------------------------------------------------


def agent(aid: str, last: int = 0, **kw: Any) -> AgentState:
    base: dict[str, Any] = dict(
        presence=Presence.AVAILABLE, connected=True, queues=frozenset({"chat", "voice"}),
        skills={"chat": 3, "voice": 3}, capacity={Channel.CHAT: 3, Channel.VOICE: 1},
        load={}, last_assigned_at=last)
    base.update(kw)
    return AgentState(id=aid, **base)


def test_selector_picks_longest_idle_and_breaks_ties_by_id() -> None:
    s = config.load()
    chat = s.queue("chat")
    assert chat is not None
    agents = [agent("b", 10), agent("c", 5), agent("a", 5)]
    chosen = select(agents, chat, True)
    assert chosen is not None and chosen.id == "a"


@pytest.mark.parametrize("kw", [
    {"connected": False},
    {"presence": Presence.AWAY},
    {"presence": Presence.NOT_RESPONDING},
    {"presence": Presence.AFTER_CALL_WORK},
    {"presence": Presence.OFFLINE},
    {"load": {Channel.CHAT: 3}},
    {"load": {Channel.VOICE: 1}},  # a call blocks new chats
    {"skills": {"chat": 0, "voice": 3}},
    {"queues": frozenset({"voice"})},
    {"offer_id": "of_1"},
])
def test_selector_never_picks_an_ineligible_agent(kw: dict[str, Any]) -> None:
    chat = config.load().queue("chat")
    assert chat is not None
    assert select([agent("x", **kw)], chat, True) is None


def test_router_serves_highest_rank_first_and_skips_what_the_agent_declined() -> None:
    s = config.load()
    router = Router(s)
    chat = s.queue("chat")
    assert chat is not None
    router.enqueue(Waiting("low", chat, 0.0, 1_000))
    router.enqueue(Waiting("high", chat, 100.0, 2_000))
    worker = agent("w")
    router.put_agent(worker)
    router.put_agent(agent("other", connected=True))
    first = router.work_for(worker)
    assert first is not None and first.conversation_id == "high"
    first.excluded.add("w")
    second = router.work_for(worker)
    assert second is not None and second.conversation_id == "low"
    router.mark_offered(second, "w")
    assert router.work_for(worker) is None  # "high" was declined by w, "low" is offered
    assert [w.conversation_id for w in router.waiting_in("chat")] == ["high", "low"]
