"""Automatic tags: the hub's rules over a customer's facts, each with its reason.

Pure functions: the store gathers ``CustomerFacts`` from the database (and the
seed from the data it generates) and ``evaluate`` decides. Agents see the reason
beside each tag, so it says what was counted, in plain words.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from core.protocol.models import AutoTag
from hub.profile.config import ProfileSettings

DAY_MS = 86_400_000


@dataclass(frozen=True)
class CustomerFacts:
    tier: str | None = None
    # Contacts (conversations of any channel) within the frequent-contact window.
    recent_contacts: int = 0
    # The newest customer message matching a complaint keyword within the window.
    complaint_at: int | None = None
    complaint_keyword: str | None = None
    last_nps: int | None = None
    avg_csat: float | None = None
    previous_avg_csat: float | None = None


def _day(ms: int) -> str:
    return dt.datetime.fromtimestamp(ms / 1000, dt.UTC).date().isoformat()


def evaluate(settings: ProfileSettings, facts: CustomerFacts) -> list[AutoTag]:
    """The automatic tags ``facts`` earn, in rule order."""
    tags: list[AutoTag] = []
    freq = settings.frequent_contact
    if freq is not None and facts.recent_contacts >= freq.min_contacts:
        tags.append(AutoTag(
            tag=freq.tag, rule="frequent_contact",
            reason=f"{facts.recent_contacts} contacts in the last {freq.days} days",
            code="contacts_in_days",
            params={"count": str(facts.recent_contacts), "days": str(freq.days)},
        ))
    complaint = settings.recent_complaint
    if complaint is not None and facts.complaint_at is not None:
        day = _day(facts.complaint_at)
        tags.append(AutoTag(
            tag=complaint.tag, rule="recent_complaint",
            reason=f"wrote “{facts.complaint_keyword}” on {day} (within {complaint.days} days)",
            code="complaint_keyword",
            params={"keyword": facts.complaint_keyword or "", "day": day,
                    "days": str(complaint.days)},
        ))
    high = settings.high_value
    if high is not None and facts.tier in high.tiers:
        tags.append(AutoTag(tag=high.tag, rule="high_value", reason=f"tier is {facts.tier}",
                            code="tier", params={"tier": facts.tier or ""}))
    churn = settings.churn_risk
    if churn is not None:
        why = _churn_reason(settings, facts)
        if why:
            reason, code, params = why
            tags.append(AutoTag(tag=churn.tag, rule="churn_risk", reason=reason, code=code,
                                params=params))
    return tags


def _churn_reason(settings: ProfileSettings,
                  facts: CustomerFacts) -> tuple[str, str, dict[str, str]] | None:
    """(English reason, code, parameters) of a churn risk, or None."""
    churn = settings.churn_risk
    assert churn is not None
    if facts.tier in churn.tiers:
        return f"tier is {facts.tier}", "tier", {"tier": facts.tier or ""}
    if churn.max_nps is not None and facts.last_nps is not None \
            and facts.last_nps <= churn.max_nps:
        return (f"last NPS {facts.last_nps} (≤ {churn.max_nps})", "last_nps",
                {"nps": str(facts.last_nps), "max": str(churn.max_nps)})
    if churn.csat_drop is not None and facts.avg_csat is not None \
            and facts.previous_avg_csat is not None \
            and facts.previous_avg_csat - facts.avg_csat >= churn.csat_drop:
        before, after = f"{facts.previous_avg_csat:.1f}", f"{facts.avg_csat:.1f}"
        return (f"average CSAT fell from {before} to {after}", "csat_fell",
                {"before": before, "after": after})
    return None


def complaint_keyword(settings: ProfileSettings, text: str) -> str | None:
    """The first configured complaint keyword in ``text`` (case-insensitive)."""
    rule = settings.recent_complaint
    if rule is None:
        return None
    folded = text.lower()
    return next((k for k in rule.keywords if k in folded), None)
