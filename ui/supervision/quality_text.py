"""Words for quality inspection (质检): the hub sends rule kinds, verdict codes and
their parameters; the desktop says them in the agent's language. A code this
desktop does not know yet is shown as the code, with its parameters, so nothing
the hub says is hidden. Thread: the GUI thread.
"""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtCore import QCoreApplication

from core.protocol import quality as qp

translate = QCoreApplication.translate  # lupdate reads translate("Quality", …) calls

Params = Mapping[str, str | int | float]


def kind_name(kind: str) -> str:
    """A rule's kind (``greeting``, ``banned_phrase``, …) in words."""
    names = {
        "greeting": translate("Quality", "Greeting"),
        "closing": translate("Quality", "Closing"),
        "required_phrase": translate("Quality", "Required phrase"),
        "banned_phrase": translate("Quality", "Banned phrase"),
        "first_response": translate("Quality", "First response time"),
        "average_response": translate("Quality", "Average response time"),
        "empathy": translate("Quality", "Empathy"),
        "resolution": translate("Quality", "Resolution confirmed"),
        "sentiment_trend": translate("Quality", "Customer mood"),
        "transfer_note": translate("Quality", "Transfer note"),
    }
    return names.get(kind, kind)


def verdict_text(verdict: qp.Verdict) -> str:
    return {
        qp.Verdict.PASS: translate("Quality", "Passed"),
        qp.Verdict.FAIL: translate("Quality", "Failed"),
        qp.Verdict.SKIP: translate("Quality", "Not applicable"),
    }[verdict]


def _param(params: Params, key: str) -> str:
    value = params.get(key, "?")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def result_text(code: str, params: Params) -> str:
    """Why a rule passed, failed or did not apply, from its code and parameters."""
    p = lambda key: _param(params, key)  # noqa: E731 - a short reader of one parameter
    texts = {
        "greeting_found": lambda: translate("Quality", "Greeted with “{0}”").format(p("phrase")),
        "greeting_missing": lambda: translate("Quality", "No greeting in the first reply"),
        "closing_found": lambda: translate("Quality", "Closed with “{0}”").format(p("phrase")),
        "closing_missing": lambda: translate("Quality", "No closing in the last replies"),
        "phrase_found": lambda: translate("Quality", "Said “{0}”").format(p("phrase")),
        "phrase_missing": lambda: translate("Quality", "The required phrase was never said"),
        "no_banned_phrase": lambda: translate("Quality", "No banned phrase"),
        "banned_phrase_used": lambda: translate(
            "Quality", "Said “{0}” (messages: {1})").format(p("phrase"), p("count")),
        "answer_in_time": lambda: translate(
            "Quality", "Answered in {0} s (standard {1} s)").format(p("seconds"), p("limit_s")),
        "answer_late": lambda: translate(
            "Quality", "Answered after {0} s (standard {1} s)").format(p("seconds"),
                                                                      p("limit_s")),
        "first_response_in_time": lambda: translate(
            "Quality", "First reply after {0} s (standard {1} s)").format(p("seconds"),
                                                                         p("limit_s")),
        "first_response_late": lambda: translate(
            "Quality", "First reply late: {0} s (standard {1} s)").format(p("seconds"),
                                                                         p("limit_s")),
        "average_response_in_time": lambda: translate(
            "Quality", "Average reply {0} s (standard {1} s; replies: {2})").format(
                p("seconds"), p("limit_s"), p("replies")),
        "average_response_late": lambda: translate(
            "Quality", "Average reply too slow: {0} s (standard {1} s; replies: {2})"
        ).format(p("seconds"), p("limit_s"), p("replies")),
        "empathy_shown": lambda: translate(
            "Quality", "Empathy shown: “{0}”").format(p("phrase")),
        "empathy_missing": lambda: translate(
            "Quality", "The customer was upset and got no empathy"),
        "resolution_asked": lambda: translate(
            "Quality", "Asked whether it was solved: “{0}”").format(p("phrase")),
        "resolution_confirmed": lambda: translate(
            "Quality", "The customer confirmed: “{0}”").format(p("phrase")),
        "resolution_unconfirmed": lambda: translate(
            "Quality", "Nobody confirmed the problem was solved"),
        "mood_held": lambda: translate(
            "Quality", "Mood held: {0} at the start, {1} at the end").format(p("start"),
                                                                            p("end")),
        "mood_worse": lambda: translate(
            "Quality", "Mood fell from {0} to {1} (at most {2} allowed)").format(
                p("start"), p("end"), p("max_drop")),
        "transfer_noted": lambda: translate("Quality", "Transferred with a note"),
        "transfer_without_note": lambda: translate("Quality", "Transferred without a note"),
        "no_agent_message": lambda: translate("Quality", "No reply from an agent"),
        "no_standard": lambda: translate("Quality", "No response standard for this channel"),
        "not_answered": lambda: translate("Quality", "The call was not answered"),
        "no_reply_needed": lambda: translate("Quality", "No message waited for a reply"),
        "customer_not_negative": lambda: translate("Quality", "The customer was never upset"),
        "too_few_scores": lambda: translate("Quality", "Too few messages to compare the mood"),
        "no_transfer": lambda: translate("Quality", "Not transferred"),
        "channel_not_checked": lambda: translate("Quality", "Not checked on this channel"),
        "no_transcript": lambda: translate("Quality", "No transcript of the call"),
    }
    known = texts.get(code)
    if known is not None:
        return known()
    extra = ", ".join(f"{k}={v}" for k, v in sorted(params.items()))
    return f"{code} ({extra})" if extra else code


def review_text(state: qp.ReviewState) -> str:
    return {
        qp.ReviewState.NONE: translate("Quality", "Not reviewed"),
        qp.ReviewState.PENDING: translate("Quality", "Waiting for review"),
        qp.ReviewState.CONFIRMED: translate("Quality", "Confirmed"),
        qp.ReviewState.OVERRIDDEN: translate("Quality", "Overridden"),
        qp.ReviewState.APPEALED: translate("Quality", "Appealed"),
    }[state]


def reason_text(reason: qp.ReviewReason | None) -> str:
    if reason is None:
        return ""
    return {
        qp.ReviewReason.FATAL: translate("Quality", "Fatal"),
        qp.ReviewReason.LOW_SCORE: translate("Quality", "Low score"),
        qp.ReviewReason.SAMPLE: translate("Quality", "Sampled"),
        qp.ReviewReason.APPEAL: translate("Quality", "Appeal"),
    }[reason]


def audit_text(action: str) -> str:
    names = {
        "scored": translate("Quality", "Scored"),
        "rescored": translate("Quality", "Scored again"),
        "queued": translate("Quality", "Sent to review"),
        "confirmed": translate("Quality", "Confirmed"),
        "overridden": translate("Quality", "Overridden"),
        "appealed": translate("Quality", "Appealed"),
    }
    return names.get(action, action)


def score_text(summary: qp.ScoreSummary) -> str:
    """The final score; "—" when no rule applied; the first score beside an override."""
    if summary.final_score is None:
        return "—"
    if summary.score is not None and summary.final_score != summary.score:
        return translate("Quality", "{0} (was {1})").format(summary.final_score, summary.score)
    return str(summary.final_score)


def failure_text(code: str) -> str:
    """Why a read or a step did not work, from the hub's (or the client's) code."""
    texts = {
        "offline": translate("Quality", "Not connected: scores are kept on the hub."),
        "timeout": translate("Quality", "The hub did not answer in time."),
        "forbidden": translate("Quality", "The hub refused: this is for supervisors."),
        "not_found": translate("Quality", "No score for this conversation."),
        "conflict": translate("Quality", "The hub refused: the score changed meanwhile."),
    }
    return texts.get(code, translate("Quality", "The hub refused ({0}).").format(code))
