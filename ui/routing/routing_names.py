"""Names from the hub's routing file in the agent's language: queues, dispositions
(wrap-up codes) and how a call ended.

The hub sends each queue's and disposition's code with the English name its routing
file gives it. The ones the routing file ships with are named here, in the agent's
language, as long as the site kept their shipped English name; one the site added
or renamed keeps the site's own words.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from core.protocol.call import CallEndReason

# id -> the name hub/routing.toml ships with
SHIPPED = {
    "chat": "Web chat",
    "complaints": "Complaints",
    "billing": "Billing",
    "email": "Support mailbox",
    "voice": "Hotline",
}


def queue_name(queue_id: str, hub_name: str) -> str:
    if SHIPPED.get(queue_id) != hub_name:
        return hub_name or queue_id
    names = {
        "chat": QCoreApplication.translate("RoutingNames", "Web chat"),
        "complaints": QCoreApplication.translate("RoutingNames", "Complaints"),
        "billing": QCoreApplication.translate("RoutingNames", "Billing"),
        "email": QCoreApplication.translate("RoutingNames", "Support mailbox"),
        "voice": QCoreApplication.translate("RoutingNames", "Hotline"),
    }
    return names[queue_id]


SHIPPED_DISPOSITIONS = {
    "resolved": "Resolved",
    "follow_up": "Follow-up needed",
    "no_response": "Customer left",
    "compensated": "Compensated",
    "escalated": "Escalated",
    "refund_issued": "Refund issued",
}


def disposition_label(code: str, hub_label: str | None = None) -> str:
    shipped = SHIPPED_DISPOSITIONS.get(code)
    if shipped is None or (hub_label is not None and hub_label != shipped):
        return hub_label or code
    labels = {
        "resolved": QCoreApplication.translate("RoutingNames", "Resolved"),
        "follow_up": QCoreApplication.translate("RoutingNames", "Follow-up needed"),
        "no_response": QCoreApplication.translate("RoutingNames", "Customer left"),
        "compensated": QCoreApplication.translate("RoutingNames", "Compensated"),
        "escalated": QCoreApplication.translate("RoutingNames", "Escalated"),
        "refund_issued": QCoreApplication.translate("RoutingNames", "Refund issued"),
    }
    return labels[code]


def call_end_text(reason: str) -> str | None:
    """How a call ended, from the hub's code (None: not a call's end)."""
    texts = {
        CallEndReason.HUNG_UP_BY_CUSTOMER.value:
            QCoreApplication.translate("RoutingNames", "ended by the customer"),
        CallEndReason.HUNG_UP_BY_AGENT.value:
            QCoreApplication.translate("RoutingNames", "ended by the agent"),
        CallEndReason.DECLINED.value: QCoreApplication.translate("RoutingNames", "declined"),
        CallEndReason.NO_ANSWER.value: QCoreApplication.translate("RoutingNames", "not answered"),
        CallEndReason.NO_AGENT.value:
            QCoreApplication.translate("RoutingNames", "no agent available"),
        CallEndReason.ANSWERED_ELSEWHERE.value:
            QCoreApplication.translate("RoutingNames", "answered elsewhere"),
        CallEndReason.TRANSFERRED.value:
            QCoreApplication.translate("RoutingNames", "transferred"),
        CallEndReason.CUSTOMER_LEFT.value:
            QCoreApplication.translate("RoutingNames", "the customer left"),
        CallEndReason.AGENT_LEFT.value:
            QCoreApplication.translate("RoutingNames", "the agent left"),
        CallEndReason.FAILED.value: QCoreApplication.translate("RoutingNames", "failed"),
    }
    return texts.get(reason)


def outcome_text(outcome: str) -> str:
    """A conversation's outcome: how its call ended, or its disposition."""
    return call_end_text(outcome) or disposition_label(outcome)
