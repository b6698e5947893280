"""Escalation alerts for supervisors: a dock listing escalated conversations, newest
first, and a desktop notification for each new one.

The hub sends ``escalation_raised`` to supervisors only, so for an agent the list
stays empty and the dock hidden. Customer text (name, excerpt) is shown as plain
text. Thread: the GUI thread.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QObject, Qt, Signal
from PySide6.QtWidgets import QDockWidget, QListWidget, QListWidgetItem, QWidget

from core.cache.sentiment import EscalationAlert
from core.protocol.sentiment import EscalationReason
from ui.shell.service_bridge import ServiceBridge


def reason_text(reason: EscalationReason) -> str:
    translate = QCoreApplication.translate
    return {
        EscalationReason.COMPLAINT: translate("EscalationAlerts", "complaint"),
        EscalationReason.ASK_HUMAN: translate("EscalationAlerts", "asks for a person"),
        EscalationReason.REPEATED_FAILURE: translate("EscalationAlerts", "repeated failure"),
        EscalationReason.SAFETY: translate("EscalationAlerts", "safety"),
        EscalationReason.STRONG_NEGATIVE: translate("EscalationAlerts", "very upset"),
    }[reason]


def alert_title(alert: EscalationAlert) -> str:
    return QCoreApplication.translate("EscalationAlerts", "Escalation: {0}").format(
        alert.customer_name)


def alert_reasons(alert: EscalationAlert) -> str:
    return QCoreApplication.translate("EscalationAlerts", ", ").join(
        reason_text(r) for r in alert.reasons)


class EscalationDock(QDockWidget):
    conversation_requested = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("Escalations"), parent)
        self.setObjectName("EscalationDock")
        self.setFeatures(QDockWidget.DockWidgetFeature.DockWidgetClosable
                         | QDockWidget.DockWidgetFeature.DockWidgetMovable)
        self.alert_list = QListWidget()
        self.alert_list.setObjectName("EscalationList")
        self.alert_list.setWordWrap(True)
        self.alert_list.itemActivated.connect(
            lambda item: self.conversation_requested.emit(item.data(Qt.ItemDataRole.UserRole)))
        self.setWidget(self.alert_list)

    def show_alerts(self, alerts: list[EscalationAlert]) -> None:
        self.alert_list.clear()
        for alert in alerts:
            # QListWidgetItem text is never read as markup: plain customer text is safe.
            item = QListWidgetItem(f"{alert_title(alert)} · {alert_reasons(alert)}\n"
                                   f"{alert.excerpt}")
            item.setData(Qt.ItemDataRole.UserRole, alert.conversation_id)
            self.alert_list.addItem(item)


class EscalationAlerts(QObject):
    """Keeps the dock in step with the cache; ``alert_arrived`` (title, text) for each
    alert not seen before, for the desktop notification."""

    alert_arrived = Signal(str, str)
    # A conversation this desktop holds (its own, or one it was assigned before).
    open_requested = Signal(str)

    def __init__(self, bridge: ServiceBridge, dock: EscalationDock) -> None:
        super().__init__(dock)
        self._bridge = bridge
        self.dock = dock
        dock.conversation_requested.connect(self._open)
        self._seen = {a.message_id for a in bridge.service.escalation_alerts()}
        bridge.escalation_alerts_changed.connect(self.refresh)
        self.refresh()

    def _open(self, conversation_id: str) -> None:
        if self._bridge.service.conversation(conversation_id) is not None:
            self.open_requested.emit(conversation_id)

    def refresh(self) -> None:
        alerts = self._bridge.service.escalation_alerts()
        self.dock.show_alerts(alerts)
        if alerts and not self.dock.isVisible():
            self.dock.show()
        for alert in reversed(alerts):  # oldest new one first
            if alert.message_id not in self._seen:
                self._seen.add(alert.message_id)
                self.alert_arrived.emit(alert_title(alert), alert_reasons(alert))
