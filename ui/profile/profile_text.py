"""Words for profile data and profile errors (core hands out codes and Enums only)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QColor

from core.profile.outbox import ProfileFailure
from core.profile.profiles import InvalidAttribute
from core.protocol.models import IdentityKind, Tier
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
