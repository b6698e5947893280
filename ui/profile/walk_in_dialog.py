"""The walk-in customer dialog: find a cached customer, see their history, record a visit.

Everything here reads the cache through the service, so it works with the link
down; a recorded visit goes through the outbox and reaches the hub when it can.
The dialog is non-modal (``show()``), so the agent can keep chatting beside it.
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from core.protocol.models import MAX_TEXT_CHARS, IdentityKind
from core.records import CustomerMatch
from core.session.agent_service import MessageTooLong
from core.sync.client import ConnectionState
from ui.profile.customer_panel import CustomerPanel
from ui.shell.service_bridge import ServiceBridge
from ui.widgets.plain_text import PlainLabel, plain_as_rich
from ui.widgets.theme import Theme, named

CustomerRole = Qt.ItemDataRole.UserRole + 3
SEARCH_DELAY_MS = 150


def _contact_line(match: CustomerMatch) -> str:
    phones = [i.value for i in match.identities if i.kind is IdentityKind.PHONE]
    emails = [i.value for i in match.identities if i.kind is IdentityKind.EMAIL]
    return " · ".join([*phones[:1], *emails[:1]])


class WalkInDialog(QDialog):
    visit_recorded = Signal(str, str)  # customer id, visit (conversation) id

    def __init__(self, bridge: ServiceBridge, theme: Theme, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("WalkInDialog")
        self.setWindowTitle(self.tr("Walk-in customer"))
        self.resize(860, 560)
        self._bridge = bridge
        self._customer_id: str | None = None

        self.search = QLineEdit()
        self.search.setObjectName("WalkInSearch")
        self.search.setPlaceholderText(self.tr("Name, phone or email"))
        self.search.setClearButtonEnabled(True)
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(SEARCH_DELAY_MS)
        self._debounce.timeout.connect(self.run_search)
        self.search.textChanged.connect(lambda _t: self._debounce.start())
        self.search.returnPressed.connect(self._pick_first)

        self.results = QListWidget()
        self.results.setObjectName("WalkInResults")
        self.results.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.results.currentItemChanged.connect(self._current_changed)
        self.status = named(PlainLabel(), "Muted")
        self.status.setWordWrap(True)

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.search)
        left_layout.addWidget(self.results, 1)
        left_layout.addWidget(self.status)

        self.profile = CustomerPanel(bridge, theme)
        self.profile.setMinimumWidth(260)
        self.note = QPlainTextEdit()
        self.note.setObjectName("VisitNote")
        self.note.setPlaceholderText(self.tr("What did the customer come in for?"))
        self.note.setFixedHeight(84)
        self.record = named(QPushButton(self.tr("Record visit")), "PrimaryButton")
        self.record.setToolTip(self.tr("Saved here at once; sent to the hub when online"))
        self.record.clicked.connect(self.record_visit)
        self.record.setEnabled(False)
        self.note.textChanged.connect(self._update_button)
        self.error = named(PlainLabel(), "LoginError")
        self.error.hide()
        self.outcome = named(PlainLabel(), "Muted")
        row = QHBoxLayout()
        row.addWidget(self.outcome, 1)
        row.addWidget(self.record)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.profile, 1)
        right_layout.addWidget(named(PlainLabel(self.tr("Visit note")), "SectionTitle"))
        right_layout.addWidget(self.note)
        right_layout.addWidget(self.error)
        right_layout.addLayout(row)

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setSizes([340, 520])
        splitter.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)

        bridge.directory_changed.connect(self._directory_changed)
        self._directory_changed()

    # ---- searching -------------------------------------------------------------------

    def run_search(self) -> None:
        text = self.search.text()
        matches = self._bridge.service.search_customers(text)
        previous = self._customer_id
        self.results.clear()
        for match in matches:
            contact = _contact_line(match)
            item = QListWidgetItem(f"{match.name}  ·  {contact}" if contact else match.name)
            item.setToolTip(plain_as_rich(contact))
            item.setData(CustomerRole, match.id)
            item.setSizeHint(QSize(0, self.results.fontMetrics().height() + 16))
            self.results.addItem(item)
            if match.id == previous:
                self.results.setCurrentItem(item)
        if text.strip() and not matches:
            self.status.setText(self.tr("No customer in the local cache matches “{0}”.")
                                .format(text.strip()))
        elif text.strip():
            self.status.setText(self.tr("%n customer(s) found", "", len(matches)))
        else:
            self._directory_changed()

    def _pick_first(self) -> None:
        self._debounce.stop()
        self.run_search()
        if self.results.count():
            self.results.setCurrentRow(0)
            self.note.setFocus()

    def _current_changed(self, item: QListWidgetItem | None,
                         _old: QListWidgetItem | None) -> None:
        self._customer_id = item.data(CustomerRole) if item is not None else None
        self.profile.show_customer(self._customer_id)
        self.outcome.clear()
        self._update_button()

    def select_customer(self, customer_id: str) -> bool:
        for row in range(self.results.count()):
            if self.results.item(row).data(CustomerRole) == customer_id:
                self.results.setCurrentRow(row)
                return True
        return False

    def _directory_changed(self) -> None:
        if self.search.text().strip():
            return
        directory = self._bridge.service.directory
        if not directory.enabled:
            self.status.setText(self.tr(
                "Searching the customers of your conversations. Turn on store mode in "
                "Settings to keep all of a store's customers here."))
        elif directory.busy:
            self.status.setText(self.tr("Store mode ({0}): loading customers… {1} so far")
                                .format(directory.tag, directory.count()))
        else:
            self.status.setText(self.tr("Store mode ({0}): {1} customers available offline")
                                .format(directory.tag, directory.count()))

    # ---- recording -------------------------------------------------------------------

    def _update_button(self) -> None:
        self.record.setEnabled(bool(self._customer_id and self.note.toPlainText().strip()))

    def record_visit(self) -> None:
        if self._customer_id is None:
            return
        try:
            visit = self._bridge.service.record_visit(self._customer_id, self.note.toPlainText())
        except MessageTooLong:
            self.error.setText(self.tr("The note is too long (at most {0} characters).")
                               .format(MAX_TEXT_CHARS))
            self.error.show()
            return
        if visit is None:
            return
        self.error.hide()
        self.note.clear()
        connected = self._bridge.service.connection.state is ConnectionState.ONLINE
        self.outcome.setText(self.tr("Visit recorded.") if connected else
                          self.tr("Visit recorded; it will be sent when you are back online."))
        self.visit_recorded.emit(self._customer_id, visit)
