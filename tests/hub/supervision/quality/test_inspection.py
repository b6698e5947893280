"""Each quality rule on crafted conversations, both verdicts, with its evidence."""

from __future__ import annotations

from core.protocol.models import Channel, MessageAuthor
from core.protocol.quality import Evidence, RuleResult, Verdict
from hub.supervision.quality.inspection import Facts, Mood, inspect
from hub.supervision.quality.response_times import Utterance
from hub.supervision.quality.rules import load, parse

RULES = load()
STANDARDS = {Channel.CHAT: 60.0, Channel.EMAIL: 4 * 3600.0, Channel.VOICE: 20.0}
T0 = 1_760_000_000_000


def line(n: int, author: str, text: str, at_s: float) -> Utterance:
    return Utterance(f"m{n}", MessageAuthor(author), text, T0 + int(at_s * 1000))


GOOD = (
    line(1, "customer", "我的洗衣机坏了，太差了，很生气", 0),
    line(2, "agent", "您好，很高兴为您服务。请提供订单号以便核实。", 20),
    line(3, "customer", "订单号 123456", 40),
    line(4, "agent", "非常抱歉给您带来不便，我们会尽快安排上门维修。", 70),
    line(5, "customer", "好的，可以了", 90),
    line(6, "agent", "请问还有其他问题吗？感谢您的耐心，祝您生活愉快。", 100),
)


def facts(lines: tuple[Utterance, ...] = GOOD, **kw: object) -> Facts:
    values: dict[str, object] = {
        "conversation_id": "c1", "channel": Channel.CHAT, "agent_id": "a1", "queue_id": "chat",
        "closed_at": T0 + 200_000, "lines": lines,
        "moods": (Mood("m1", -0.8, True, T0), Mood("m5", 0.4, False, T0 + 90_000)),
    }
    values.update(kw)
    return Facts(**values)  # type: ignore[arg-type]


def result(f: Facts, rule_id: str) -> RuleResult:
    inspection = inspect(RULES, f, STANDARDS)
    return next(r for r in inspection.results if r.rule_id == rule_id)


def ev(n: int, at_s: float) -> Evidence:
    return Evidence(message_id=f"m{n}", at=T0 + int(at_s * 1000))


def test_a_good_conversation_passes_every_rule_that_applies() -> None:
    inspection = inspect(RULES, facts(), STANDARDS)
    verdicts = {r.rule_id: r.verdict for r in inspection.results}
    assert verdicts == {
        "greeting": Verdict.PASS, "closing": Verdict.PASS, "identity_check": Verdict.PASS,
        "banned_language": Verdict.PASS, "abuse": Verdict.PASS,
        "first_response": Verdict.PASS, "average_response": Verdict.PASS,
        "empathy": Verdict.PASS, "resolution": Verdict.PASS, "sentiment_trend": Verdict.PASS,
        "transfer_note": Verdict.SKIP,
    }
    assert inspection.score == 100 and not inspection.fatal


def test_greeting_and_closing_point_at_the_message() -> None:
    ok = result(facts(), "greeting")
    assert ok.evidence == [ev(2, 20)] and ok.params == {"phrase": "您好"}
    rude = (line(1, "customer", "hello?", 0), line(2, "agent", "What do you want.", 5))
    missing = result(facts(rude), "greeting")
    assert missing.verdict is Verdict.FAIL and missing.code == "greeting_missing"
    assert missing.evidence == [ev(2, 5)] and missing.earned == 0
    closing = result(facts(rude), "closing")
    assert closing.verdict is Verdict.FAIL and closing.evidence == [ev(2, 5)]
    english = (line(1, "customer", "hi", 0), line(2, "agent", "Hi there, how can I help?", 5),
               line(3, "agent", "Thanks, have a nice day!", 9))
    assert result(facts(english), "greeting").verdict is Verdict.PASS
    assert result(facts(english), "closing").evidence == [ev(3, 9)]
    # "hi" is a whole English word: "this" does not greet.
    this = (line(1, "customer", "?", 0), line(2, "agent", "this is the answer", 5))
    assert result(facts(this), "greeting").verdict is Verdict.FAIL


def test_identity_check_is_a_required_phrase() -> None:
    assert result(facts(), "identity_check").evidence == [ev(2, 20)]
    without = tuple(u for u in GOOD if u.id != "m2")
    failed = result(facts(without), "identity_check")
    assert failed.verdict is Verdict.FAIL and failed.code == "phrase_missing"
    assert failed.evidence[0].message_id == "m4"


def test_banned_phrase_and_the_fatal_abuse_rule() -> None:
    banned = (*GOOD, line(7, "agent", "这个不归我管", 110))
    r = result(facts(banned), "banned_language")
    assert r.verdict is Verdict.FAIL and r.evidence == [ev(7, 110)] and not r.fatal
    assert r.params == {"phrase": "不归我管", "count": 1}
    inspection = inspect(RULES, facts(banned), STANDARDS)
    assert inspection.score is not None and 0 < inspection.score < 100
    assert not inspection.fatal
    abusive = (*GOOD, line(7, "agent", "Oh shut up.", 110), line(8, "agent", "闭嘴", 111))
    r = result(facts(abusive), "abuse")
    assert r.verdict is Verdict.FAIL and r.fatal
    assert [e.message_id for e in r.evidence] == ["m7", "m8"]
    inspection = inspect(RULES, facts(abusive), STANDARDS)
    assert inspection.fatal and inspection.score == 0
    # A customer's words are not the agent's.
    cursing = (*GOOD, line(7, "customer", "shut up", 110))
    assert result(facts(cursing), "abuse").verdict is Verdict.PASS


def test_first_and_average_response_against_the_channel_standard() -> None:
    first = result(facts(), "first_response")
    assert first.verdict is Verdict.PASS and first.params == {"seconds": 20.0, "limit_s": 60.0}
    assert first.evidence == [ev(1, 0), ev(2, 20)]
    slow = (line(1, "customer", "hello", 0), line(2, "agent", "您好", 75),
            line(3, "customer", "?", 80), line(4, "agent", "ok", 85))
    late = result(facts(slow), "first_response")
    assert late.verdict is Verdict.FAIL and late.code == "first_response_late"
    assert late.params["seconds"] == 75.0
    average = result(facts(slow), "average_response")
    assert average.verdict is Verdict.PASS and average.params["seconds"] == 40.0
    slower = (*slow, line(5, "customer", "?", 90), line(6, "agent", "ok", 250))
    average = result(facts(slower), "average_response")
    assert average.verdict is Verdict.FAIL and average.evidence == [ev(5, 90), ev(6, 250)]
    # Email's standard is hours: a reply after two hours is in time.
    mail = (line(1, "customer", "hello", 0), line(2, "agent", "Hello", 7200))
    assert result(facts(mail, channel=Channel.EMAIL), "first_response").verdict is Verdict.PASS
    # Nothing to answer (an outbound message only): not applicable.
    outbound = (line(1, "agent", "您好", 0),)
    assert result(facts(outbound), "first_response").verdict is Verdict.SKIP


def test_empathy_only_when_the_customer_was_negative() -> None:
    shown = result(facts(), "empathy")
    assert shown.verdict is Verdict.PASS and shown.evidence == [ev(1, 0), ev(4, 70)]
    cold = tuple(u for u in GOOD if u.id != "m4")
    missing = result(facts(cold), "empathy")
    assert missing.verdict is Verdict.FAIL and missing.evidence == [ev(1, 0)]
    calm = facts(moods=(Mood("m1", 0.1, False, T0),))
    assert result(calm, "empathy").verdict is Verdict.SKIP
    # An apology before the customer turned negative does not count.
    late_anger = facts(moods=(Mood("m5", -0.9, True, T0 + 90_000),), lines=cold)
    assert result(late_anger, "empathy").verdict is Verdict.FAIL


def test_resolution_asked_or_confirmed() -> None:
    asked = result(facts(), "resolution")
    assert asked.verdict is Verdict.PASS and asked.code == "resolution_asked"
    quiet = (line(1, "customer", "where is my parcel", 0), line(2, "agent", "您好，已发货", 10),
             line(3, "customer", "ok got it", 20))
    confirmed = result(facts(quiet), "resolution")
    assert confirmed.code == "resolution_confirmed" and confirmed.evidence == [ev(3, 20)]
    open_end = quiet[:2]
    r = result(facts(open_end), "resolution")
    assert r.verdict is Verdict.FAIL and r.evidence == [ev(2, 10)]


def test_sentiment_at_the_end_against_the_start() -> None:
    held = result(facts(), "sentiment_trend")
    assert held.verdict is Verdict.PASS and held.evidence == [ev(1, 0), ev(5, 90)]
    worse = facts(moods=(Mood("m1", 0.2, False, T0), Mood("m5", -0.6, True, T0 + 90_000)))
    r = result(worse, "sentiment_trend")
    assert r.verdict is Verdict.FAIL and r.params == {"start": 0.2, "end": -0.6,
                                                      "max_drop": 0.3}
    assert result(facts(moods=()), "sentiment_trend").verdict is Verdict.SKIP


def test_transfer_without_a_note() -> None:
    transfer = (line(9, "system", "正在为您转接同事", 50),)
    r = result(facts(transfers=transfer), "transfer_note")
    assert r.verdict is Verdict.FAIL and r.code == "transfer_without_note"
    assert r.evidence == [ev(9, 50)]
    noted = result(facts(transfers=transfer, transfer_note="客户要求上门"), "transfer_note")
    assert noted.verdict is Verdict.PASS


def test_calls_use_the_transcript_and_skip_cleanly_without_one() -> None:
    answered = T0 + 12_000
    call = facts((), channel=Channel.VOICE, has_text=False, moods=(),
                 answer_wait_ms=12_000, answered_at=answered)
    inspection = inspect(RULES, call, STANDARDS)
    by_id = {r.rule_id: r for r in inspection.results}
    assert by_id["greeting"].verdict is Verdict.SKIP and by_id["greeting"].code == "no_transcript"
    assert by_id["first_response"].verdict is Verdict.PASS
    assert by_id["first_response"].evidence == [Evidence(at=answered)]
    assert inspection.score == 100  # only the answer time applied
    transcript = (Utterance(None, MessageAuthor.AGENT, "您好，请问您的手机号是多少", T0 + 13_000),
                  Utterance(None, MessageAuthor.CUSTOMER, "好的解决了", T0 + 20_000))
    spoken = facts(transcript, channel=Channel.VOICE, has_text=True, moods=(),
                   answer_wait_ms=30_000, answered_at=T0 + 30_000)
    by_id = {r.rule_id: r for r in inspect(RULES, spoken, STANDARDS).results}
    assert by_id["greeting"].verdict is Verdict.PASS
    assert by_id["greeting"].evidence == [Evidence(at=T0 + 13_000)]
    assert by_id["identity_check"].verdict is Verdict.PASS
    assert by_id["closing"].verdict is Verdict.FAIL
    assert by_id["first_response"].verdict is Verdict.FAIL  # answered after 30 s > 20 s
    assert by_id["average_response"].code == "channel_not_checked"


def test_no_rule_applies_no_score() -> None:
    rules = parse('[[rule]]\nid = "g"\nkind = "greeting"\npoints = 5\nchannels = ["chat"]\n'
                  'phrases = ["hello"]\n')
    visit = facts((), channel=Channel.STORE)
    assert inspect(rules, visit, STANDARDS).score is None


def test_an_email_wait_counts_business_hours_like_its_standard() -> None:
    """In Friday 17:30 (Shanghai), answered Monday 10:00: 30 min of Friday and 60 of
    Monday are business time — in time for a 4-hour standard, though 64 clock hours
    passed; the same wait counted on the clock fails."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from hub.routing import config as routing_config
    from hub.supervision.quality.scoring import first_reply_standards

    hours = routing_config.load().hours
    shanghai = ZoneInfo("Asia/Shanghai")
    asked = int(datetime(2026, 11, 27, 17, 30, tzinfo=shanghai).timestamp() * 1000)  # Friday
    answered = int(datetime(2026, 11, 30, 10, 0, tzinfo=shanghai).timestamp() * 1000)
    mail = (Utterance("m1", MessageAuthor.CUSTOMER, "hello", asked),
            Utterance("m2", MessageAuthor.AGENT, "Hello", answered))
    standards = first_reply_standards(60, 4, 20, hours)
    by_business = inspect(RULES, facts(mail, channel=Channel.EMAIL), standards)
    first = next(r for r in by_business.results if r.rule_id == "first_response")
    assert first.verdict is Verdict.PASS and first.params["seconds"] == 90 * 60
    by_clock = inspect(RULES, facts(mail, channel=Channel.EMAIL), first_reply_standards(60, 4, 20))
    late = next(r for r in by_clock.results if r.rule_id == "first_response")
    assert late.verdict is Verdict.FAIL
