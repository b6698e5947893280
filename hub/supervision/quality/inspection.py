"""Scoring one conversation against the quality rules: no I/O, no clock.

``inspect(rules, facts, standards)`` takes what the store knows of a closed
conversation and returns each rule's result with its evidence, and the score:
the share of the points of the rules that applied, as a percentage; 0 when a
fatal rule failed; None when no rule applied at all.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from core.protocol.models import Channel, MessageAuthor
from core.protocol.quality import Evidence, RuleResult, Verdict
from hub.supervision.quality.response_times import (
    Utterance,
    agent_replies,
    average_ms,
    waited_ms,
)
from hub.supervision.quality.rules import QualityRules, Rule, RuleKind

# Kinds that read what was said: a call without a transcript skips them.
_TEXT_KINDS = {RuleKind.GREETING, RuleKind.CLOSING, RuleKind.REQUIRED_PHRASE,
               RuleKind.BANNED_PHRASE, RuleKind.EMPATHY, RuleKind.RESOLUTION,
               RuleKind.AVERAGE_RESPONSE}


@dataclass(frozen=True)
class Mood:
    """A classified customer message (hub/assist sentiment)."""

    message_id: str
    score: float
    negative: bool
    at: int


@dataclass(frozen=True)
class Facts:
    conversation_id: str
    channel: Channel
    agent_id: str | None
    queue_id: str | None
    closed_at: int
    # Messages in time order; for a call its transcript's segments, when there is one.
    lines: tuple[Utterance, ...] = ()
    has_text: bool = True  # False: a call without a transcript
    moods: tuple[Mood, ...] = ()
    # Calls: from the call's start to its answer, and when it was answered.
    answer_wait_ms: int | None = None
    answered_at: int | None = None
    transfers: tuple[Utterance, ...] = ()  # the hub's "being transferred" messages
    transfer_note: str | None = None  # the note of the last transfer

    @functools.cached_property
    def agent_lines(self) -> list[Utterance]:
        return [line for line in self.lines if line.author is MessageAuthor.AGENT]


@dataclass(frozen=True)
class Inspection:
    score: int | None
    fatal: bool
    results: list[RuleResult] = field(default_factory=list)


def _evidence(line: Utterance) -> Evidence:
    return Evidence(message_id=line.id, at=line.at)


def _result(rule: Rule, verdict: Verdict, code: str, evidence: list[Evidence] | None = None,
            **params: str | int | float) -> RuleResult:
    passed = verdict is Verdict.PASS
    return RuleResult(
        rule_id=rule.id, name=rule.name, kind=rule.kind.value, verdict=verdict,
        points=rule.points, earned=rule.points if passed else 0,
        fatal=rule.fatal and verdict is Verdict.FAIL, code=code, params=params,
        evidence=evidence or [])


def _skip(rule: Rule, code: str) -> RuleResult:
    return _result(rule, Verdict.SKIP, code)


def _agent_lines(facts: Facts) -> list[Utterance]:
    return facts.agent_lines


def _found(rule: Rule, lines: list[Utterance], code: str) -> RuleResult | None:
    """PASS at the first line holding one of the rule's phrases, if any does."""
    assert rule.matcher is not None
    for line in lines:
        match = rule.matcher.search(line.text)
        if match:
            return _result(rule, Verdict.PASS, code, [_evidence(line)], phrase=match.group(0))
    return None


def _greeting(rule: Rule, facts: Facts, _: Mapping[Channel, float]) -> RuleResult:
    agent = _agent_lines(facts)
    if not agent:
        return _skip(rule, "no_agent_message")
    first = agent[:rule.within]
    return _found(rule, first, "greeting_found") or _result(
        rule, Verdict.FAIL, "greeting_missing", [_evidence(first[0])])


def _closing(rule: Rule, facts: Facts, _: Mapping[Channel, float]) -> RuleResult:
    agent = _agent_lines(facts)
    if not agent:
        return _skip(rule, "no_agent_message")
    last = agent[-rule.within:]
    return _found(rule, last, "closing_found") or _result(
        rule, Verdict.FAIL, "closing_missing", [_evidence(last[-1])])


def _required(rule: Rule, facts: Facts, _: Mapping[Channel, float]) -> RuleResult:
    agent = _agent_lines(facts)
    if not agent:
        return _skip(rule, "no_agent_message")
    return _found(rule, agent, "phrase_found") or _result(
        rule, Verdict.FAIL, "phrase_missing", [_evidence(agent[0]), _evidence(agent[-1])])


def _banned(rule: Rule, facts: Facts, _: Mapping[Channel, float]) -> RuleResult:
    assert rule.matcher is not None
    agent = _agent_lines(facts)
    if not agent:
        return _skip(rule, "no_agent_message")
    hits = [(line, m) for line in agent if (m := rule.matcher.search(line.text))]
    if not hits:
        return _result(rule, Verdict.PASS, "no_banned_phrase")
    return _result(rule, Verdict.FAIL, "banned_phrase_used",
                   [_evidence(line) for line, _ in hits], phrase=hits[0][1].group(0),
                   count=len(hits))


def _first_response(rule: Rule, facts: Facts, standards: Mapping[Channel, float]
                    ) -> RuleResult:
    standard = standards.get(facts.channel)
    if standard is None:
        return _skip(rule, "no_standard")
    limit_s = standard * rule.factor
    if facts.channel is Channel.VOICE:
        if facts.answer_wait_ms is None:
            return _skip(rule, "not_answered")
        seconds = round(facts.answer_wait_ms / 1000, 1)
        verdict = Verdict.PASS if seconds <= limit_s else Verdict.FAIL
        return _result(rule, verdict, "answer_in_time" if verdict is Verdict.PASS
                       else "answer_late", [Evidence(at=facts.answered_at)],
                       seconds=seconds, limit_s=limit_s)
    replies = agent_replies(facts.lines)
    if not replies:
        return _skip(rule, "no_reply_needed")
    first = replies[0]
    seconds = round(waited_ms(standards, facts.channel, first) / 1000, 1)
    verdict = Verdict.PASS if seconds <= limit_s else Verdict.FAIL
    return _result(rule, verdict, "first_response_in_time" if verdict is Verdict.PASS
                   else "first_response_late", [_evidence(first.asked), _evidence(first.answer)],
                   seconds=seconds, limit_s=limit_s)


def _average_response(rule: Rule, facts: Facts, standards: Mapping[Channel, float]
                      ) -> RuleResult:
    standard = standards.get(facts.channel)
    if standard is None:
        return _skip(rule, "no_standard")
    replies = agent_replies(facts.lines)
    waits = [waited_ms(standards, facts.channel, r) for r in replies]
    mean = average_ms(replies, waits)
    if mean is None:
        return _skip(rule, "no_reply_needed")
    limit_s = standard * rule.factor
    seconds = round(mean / 1000, 1)
    slowest = replies[max(range(len(replies)), key=waits.__getitem__)]
    verdict = Verdict.PASS if seconds <= limit_s else Verdict.FAIL
    return _result(rule, verdict, "average_response_in_time" if verdict is Verdict.PASS
                   else "average_response_late",
                   [_evidence(slowest.asked), _evidence(slowest.answer)],
                   seconds=seconds, limit_s=limit_s, replies=len(replies))


def _empathy(rule: Rule, facts: Facts, _: Mapping[Channel, float]) -> RuleResult:
    negative = next((m for m in facts.moods if m.negative), None)
    if negative is None:
        return _skip(rule, "customer_not_negative")
    after = [line for line in _agent_lines(facts) if line.at >= negative.at]
    upset = Evidence(message_id=negative.message_id, at=negative.at)
    found = _found(rule, after, "empathy_shown")
    if found is not None:
        return _result(rule, Verdict.PASS, "empathy_shown", [upset, *found.evidence],
                       **found.params)
    return _result(rule, Verdict.FAIL, "empathy_missing", [upset])


def _resolution(rule: Rule, facts: Facts, _: Mapping[Channel, float]) -> RuleResult:
    agent = _agent_lines(facts)
    if not agent:
        return _skip(rule, "no_agent_message")
    if rule.matcher is not None:
        found = _found(rule, agent, "resolution_asked")
        if found is not None:
            return found
    if rule.customer_matcher is not None:
        for line in facts.lines:
            if line.author is MessageAuthor.CUSTOMER:
                match = rule.customer_matcher.search(line.text)
                if match:
                    return _result(rule, Verdict.PASS, "resolution_confirmed",
                                   [_evidence(line)], phrase=match.group(0))
    return _result(rule, Verdict.FAIL, "resolution_unconfirmed", [_evidence(agent[-1])])


def _sentiment_trend(rule: Rule, facts: Facts, _: Mapping[Channel, float]) -> RuleResult:
    if len(facts.moods) < 2:
        return _skip(rule, "too_few_scores")
    first, last = facts.moods[0], facts.moods[-1]
    drop = round(first.score - last.score, 3)
    evidence = [Evidence(message_id=first.message_id, at=first.at),
                Evidence(message_id=last.message_id, at=last.at)]
    verdict = Verdict.FAIL if drop > rule.max_drop else Verdict.PASS
    return _result(rule, verdict, "mood_worse" if verdict is Verdict.FAIL else "mood_held",
                   evidence, start=round(first.score, 3), end=round(last.score, 3),
                   max_drop=rule.max_drop)


def _transfer_note(rule: Rule, facts: Facts, _: Mapping[Channel, float]) -> RuleResult:
    if not facts.transfers:
        return _skip(rule, "no_transfer")
    last = facts.transfers[-1]
    if facts.transfer_note and facts.transfer_note.strip():
        return _result(rule, Verdict.PASS, "transfer_noted", [_evidence(last)])
    return _result(rule, Verdict.FAIL, "transfer_without_note", [_evidence(last)])


_CHECKS: dict[RuleKind, Callable[[Rule, Facts, Mapping[Channel, float]], RuleResult]] = {
    RuleKind.GREETING: _greeting,
    RuleKind.CLOSING: _closing,
    RuleKind.REQUIRED_PHRASE: _required,
    RuleKind.BANNED_PHRASE: _banned,
    RuleKind.FIRST_RESPONSE: _first_response,
    RuleKind.AVERAGE_RESPONSE: _average_response,
    RuleKind.EMPATHY: _empathy,
    RuleKind.RESOLUTION: _resolution,
    RuleKind.SENTIMENT_TREND: _sentiment_trend,
    RuleKind.TRANSFER_NOTE: _transfer_note,
}


def inspect(rules: QualityRules, facts: Facts, standards: Mapping[Channel, float]
            ) -> Inspection:
    """Every rule on ``facts``; ``standards`` are the channels' first-reply times (s)."""
    results = []
    for rule in rules.rules:
        if facts.channel not in rule.channels:
            results.append(_skip(rule, "channel_not_checked"))
        elif not facts.has_text and rule.kind in _TEXT_KINDS:
            results.append(_skip(rule, "no_transcript"))
        else:
            results.append(_CHECKS[rule.kind](rule, facts, standards))
    applied = [r for r in results if r.verdict is not Verdict.SKIP]
    possible = sum(r.points for r in applied)
    fatal = any(r.fatal for r in applied)
    if fatal:
        score: int | None = 0
    elif not applied or possible == 0:
        score = None
    else:
        score = round(100 * sum(r.earned for r in applied) / possible)
    return Inspection(score=score, fatal=fatal, results=results)
