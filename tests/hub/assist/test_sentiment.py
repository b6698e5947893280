"""Hard cases of sentiment and escalation, in Chinese, English and both at once."""

from __future__ import annotations

import subprocess
import sys

import pytest

from core.protocol.sentiment import EscalationReason as R
from core.protocol.sentiment import Sentiment as S  # noqa: N817 - short in tables
from hub.assist.sentiment import Classification, classify


def _check(text: str, sentiment: S, reasons: set[R]) -> Classification:
    result = classify(text)
    assert (result.sentiment, set(result.reasons)) == (sentiment, reasons), (text, result)
    assert result.escalate is bool(reasons)
    assert -1.0 <= result.score <= 1.0
    return result


@pytest.mark.parametrize(("text", "sentiment"), [
    ("非常不满意，和描述的完全不一样", S.NEGATIVE),
    ("质量不错，物流也快", S.POSITIVE),
    ("I'm not happy with this blender.", S.NEGATIVE),
    ("Not bad at all, it does the job.", S.POSITIVE),
    ("没有问题了，谢谢", S.POSITIVE),
])
def test_negation(text: str, sentiment: S) -> None:
    _check(text, sentiment, set())


@pytest.mark.parametrize("text", [
    "呵呵，你们的效率真高",
    '真是太"好"了，刚收到的台灯就不亮',
    "Great, just great. The kettle leaks.",
    "Thanks for nothing.",
    "Oh wonderful, the \"fast\" shipping took three weeks.",
])
def test_sarcasm_is_negative(text: str) -> None:
    assert classify(text).sentiment is S.NEGATIVE, classify(text)


def test_intensifiers_raise_the_strength() -> None:
    plain, strong = classify("有点失望"), classify("非常非常失望！")
    assert strong.score < plain.score < 0
    assert classify("The screen is really really bad!!").score < classify(
        "The screen is bad.").score < 0


@pytest.mark.parametrize("text", [
    "怎么申请退款？",
    "请问坏了的话保修怎么处理？",
    "How do I return a broken item?",
    "What happens if my parcel arrives damaged?",
])
def test_a_question_with_negative_words_is_neutral_and_does_not_escalate(text: str) -> None:
    _check(text, S.NEUTRAL, set())


@pytest.mark.parametrize(("text", "reason"), [
    ("不给我退款我就打12315", R.COMPLAINT),
    ("I'm filing a chargeback with my bank.", R.COMPLAINT),
    ("我要转人工", R.ASK_HUMAN),
    ("Can I speak to a manager?", R.ASK_HUMAN),
    ("这是第三次联系你们了，还是没解决", R.REPEATED_FAILURE),
    ("This is the third time the dryer broke.", R.REPEATED_FAILURE),
    ("充电宝鼓包了", R.SAFETY),
    ("The charger is smoking!", R.SAFETY),
    ("你们这群骗子", R.STRONG_NEGATIVE),
])
def test_each_reason(text: str, reason: R) -> None:
    result = classify(text)
    assert reason in result.reasons and result.escalate, result


@pytest.mark.parametrize("text", [
    "我不是要投诉，就是问问保修期",
    "不用转人工了，已经好了",
    "I'm not complaining, just asking about the warranty.",
    "No need for a manager, thanks for your help.",
])
def test_a_negated_reason_does_not_escalate(text: str) -> None:
    assert not classify(text).escalate, classify(text)


def test_praise_with_again_is_no_repeated_failure() -> None:
    _check("第二次买了，还是那么好用，推荐", S.POSITIVE, set())
    _check("I bought it again because it works great!", S.POSITIVE, set())


def test_mixed_language_message() -> None:
    result = classify("这个 phone 又坏了, this is the third time, I want a refund!")
    assert result.sentiment is S.NEGATIVE
    assert R.REPEATED_FAILURE in result.reasons
    assert classify("收到了 thanks, works great").sentiment is S.POSITIVE


def test_empty_and_odd_text() -> None:
    for text in ("", "   ", "😀", "12345", "？？？", "a" * 10_000):
        result = classify(text)
        assert -1.0 <= result.score <= 1.0
    assert classify("").sentiment is S.NEUTRAL and not classify("").escalate


def test_as_json_carries_codes() -> None:
    data = classify("I'm going to sue you.").as_json()
    assert data["sentiment"] == "negative" and data["reasons"] == ["complaint"]
    assert data["escalate"] is True and isinstance(data["score"], float)


def test_importable_without_qt() -> None:
    code = ("import sys, hub.assist.sentiment as s; s.classify('好'); "
            "assert not any(m.startswith('PySide6') for m in sys.modules)")
    subprocess.run([sys.executable, "-c", code], check=True, timeout=120)
