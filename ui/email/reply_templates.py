"""The reply templates a new installation starts with.

Apart from the composer so that reading the settings at start does not load the
composer and the mail stack under it (they load with the first mail opened).
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from core.email.settings import ReplyTemplate


def default_templates() -> tuple[ReplyTemplate, ...]:
    """The templates a new installation starts with (the agent may change them)."""
    return (
        ReplyTemplate(QCoreApplication.translate("EmailComposer", "Greeting"),
                      QCoreApplication.translate("EmailComposer", "Dear {customer_name},")),
        ReplyTemplate(
            QCoreApplication.translate("EmailComposer", "Order shipped"),
            QCoreApplication.translate(
                "EmailComposer", "Dear {customer_name},\n\nyour order has been shipped and "
                "should arrive within three days.")),
        ReplyTemplate(
            QCoreApplication.translate("EmailComposer", "Need more details"),
            QCoreApplication.translate(
                "EmailComposer", "Dear {customer_name},\n\nto help you further, could you "
                "send us your order number?")),
    )
