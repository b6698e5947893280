"""Words for profile data and profile errors (core hands out codes and Enums only)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QColor

from core.profile.outbox import ProfileFailure
from core.profile.profiles import InvalidAttribute
from core.protocol.models import AutoTag, IdentityKind, Tier
from core.protocol.profile import (
    AddIdentity,
    AddNote,
    AttributeType,
    EditNote,
    MergeCustomers,
    RemoveIdentity,
    UnmergeCustomers,
    UpdateCustomer,
)
from ui.widgets.plurals import Plurals
from ui.widgets.theme import Theme

# Badge colours by tier: (light background, text) picked to read on both themes.
TIER_COLORS = {
    Tier.NEW: ("#e0f2fe", "#075985"),
    Tier.ACTIVE: ("#dcfce7", "#166534"),
    Tier.HIGH_VALUE: ("#ede9fe", "#5b21b6"),
    Tier.VIP: ("#fef3c7", "#92400e"),
    Tier.CHURN_RISK: ("#fee2e2", "#991b1b"),
}


def tier_name(tier: str) -> str:
    names = {
        Tier.NEW.value: QCoreApplication.translate("ProfileText", "New"),
        Tier.ACTIVE.value: QCoreApplication.translate("ProfileText", "Active"),
        Tier.HIGH_VALUE.value: QCoreApplication.translate("ProfileText", "High value"),
        Tier.VIP.value: QCoreApplication.translate("ProfileText", "VIP"),
        Tier.CHURN_RISK.value: QCoreApplication.translate("ProfileText", "Churn risk"),
    }
    return names.get(tier, tier)


def tier_colors(tier: str, theme: Theme) -> tuple[QColor, QColor]:
    try:
        background, text = TIER_COLORS[Tier(tier)]
    except ValueError:
        return theme.color("accent_soft"), theme.color("accent")
    return QColor(background), QColor(text)


def identity_label(kind: IdentityKind) -> str:
    labels = {
        IdentityKind.PHONE: QCoreApplication.translate("ProfileText", "Phone"),
        IdentityKind.EMAIL: QCoreApplication.translate("ProfileText", "Email"),
        IdentityKind.VISITOR: QCoreApplication.translate("ProfileText", "Web visitor"),
        IdentityKind.EXTERNAL: QCoreApplication.translate("ProfileText", "External id"),
    }
    return labels.get(kind, kind.value)


def attribute_hint(kind: AttributeType) -> str:
    hints = {
        AttributeType.TEXT: QCoreApplication.translate("ProfileText", "Text"),
        AttributeType.NUMBER: QCoreApplication.translate(
            "ProfileText", "A number, e.g. 1250 or 3.5"
        ),
        AttributeType.DATE: QCoreApplication.translate("ProfileText", "A date, YYYY-MM-DD"),
        AttributeType.CHOICE: QCoreApplication.translate(
            "ProfileText", "One of the listed choices"
        ),
    }
    return hints.get(kind, "")


def attribute_error(error: InvalidAttribute) -> str:
    return QCoreApplication.translate(
        "ProfileText", "This value is not valid here. Expected: {0}"
    ).format(attribute_hint(error.expected))


def _action(failure: ProfileFailure) -> str:
    command = failure.command
    if isinstance(command, UpdateCustomer):
        return QCoreApplication.translate("ProfileText", "The profile could not be saved")
    if isinstance(command, AddNote):
        return QCoreApplication.translate("ProfileText", "The note could not be saved")
    if isinstance(command, EditNote):
        return QCoreApplication.translate("ProfileText", "The note could not be changed")
    if isinstance(command, AddIdentity):
        return QCoreApplication.translate(
            "ProfileText", "The contact point {0} could not be added"
        ).format(command.value)
    if isinstance(command, RemoveIdentity):
        return QCoreApplication.translate(
            "ProfileText", "The contact point {0} could not be removed"
        ).format(command.value)
    if isinstance(command, MergeCustomers):
        return QCoreApplication.translate("ProfileText", "The customers could not be merged")
    if isinstance(command, UnmergeCustomers):
        return QCoreApplication.translate("ProfileText", "The merge could not be undone")
    return QCoreApplication.translate("ProfileText", "The change could not be saved")


def failure_text(failure: ProfileFailure) -> str:
    """One sentence the agent can act on."""
    reasons = {
        "invalid_identity": QCoreApplication.translate(
            "ProfileText", "it is not a valid phone number or email address"
        ),
        "identity_taken": QCoreApplication.translate(
            "ProfileText",
            "another customer already has this contact point — merge the two customers instead",
        ),
        "merge_refused": QCoreApplication.translate(
            "ProfileText",
            "the hub refused the merge (a customer cannot be merged into "
            "itself, nor while a call with either customer is open, nor "
            "undone after later merges)",
        ),
        "forbidden": QCoreApplication.translate(
            "ProfileText", "you do not have permission for this customer"
        ),
        "invalid": QCoreApplication.translate(
            "ProfileText", "a value has the wrong type or is not allowed"
        ),
        "not_found": QCoreApplication.translate(
            "ProfileText", "the customer or note no longer exists"
        ),
    }
    reason = reasons.get(failure.code, failure.code)
    text = QCoreApplication.translate("ProfileText", "{0}: {1}.").format(_action(failure), reason)
    if failure.message and failure.code in ("invalid_identity", "identity_taken", "invalid"):
        text += " " + QCoreApplication.translate("ProfileText", "Hub: {0}").format(failure.message)
    return text


# The tag each shipped rule applies unless hub/profile_rules.toml names another.
_DEFAULT_AUTO_TAGS = {
    "frequent_contact": "frequent-contact",
    "recent_complaint": "recent-complaint",
    "high_value": "high-value",
    "churn_risk": "churn-risk",
}


def auto_rule_name(rule: str) -> str:
    names = {
        "frequent_contact": QCoreApplication.translate("ProfileText", "frequent contact"),
        "recent_complaint": QCoreApplication.translate("ProfileText", "recent complaint"),
        "high_value": QCoreApplication.translate("ProfileText", "high value"),
        "churn_risk": QCoreApplication.translate("ProfileText", "churn risk"),
    }
    return names.get(rule, rule)


def auto_tag_label(auto: AutoTag) -> str:
    """The chip's words: the rule's name when the tag is the shipped one, else the tag
    the site configured (its own word)."""
    if _DEFAULT_AUTO_TAGS.get(auto.rule) == auto.tag:
        names = {
            "frequent_contact": QCoreApplication.translate("ProfileText", "Frequent contact"),
            "recent_complaint": QCoreApplication.translate("ProfileText", "Recent complaint"),
            "high_value": QCoreApplication.translate("ProfileText", "High value"),
            "churn_risk": QCoreApplication.translate("ProfileText", "Churn risk"),
        }
        return names[auto.rule]
    return auto.tag


def auto_tag_reason(auto: AutoTag) -> str:
    """Why the hub applied it, from its code and parameters (its English words when
    the hub sent no code, or one this desktop does not know)."""
    p = auto.params
    try:
        if auto.code == "contacts_in_days":
            return Plurals().contacts_in_last_days(int(p["count"]), p["days"])
        if auto.code == "complaint_keyword":
            return QCoreApplication.translate(
                "ProfileText", "wrote “{0}” on {1} (within {2} days)").format(
                    p["keyword"], p["day"], p["days"])
        if auto.code == "tier":
            return QCoreApplication.translate("ProfileText", "tier is {0}").format(
                tier_name(p["tier"]))
        if auto.code == "last_nps":
            return QCoreApplication.translate("ProfileText", "last NPS {0} (≤ {1})").format(
                p["nps"], p["max"])
        if auto.code == "csat_fell":
            return QCoreApplication.translate(
                "ProfileText", "average CSAT fell from {0} to {1}").format(
                    p["before"], p["after"])
    except (KeyError, ValueError):
        pass
    return auto.reason
