"""One mail of a thread: a header that folds it, its recipients, markers, the safe
HTML body and its attachments.

A folded card shows one line and renders nothing else: the body is sanitised and
laid out only when the card is first unfolded, so a long thread opens fast.
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from core.email.compose import is_executable
from core.email.html_sanitiser import Finding, SafeHtml, html_to_text, sanitise, text_to_html
from core.protocol.email import (
    EmailAddress,
    EmailAttachment,
    EmailDetails,
    EmailDirection,
    EmailFailure,
    EmailStatus,
)
from ui.email.browser import CidSource, SafeBrowser
from ui.widgets.plain_text import PlainLabel, plain_as_rich
from ui.widgets.theme import named
from ui.widgets.time_text import date_time_text

CARD_STYLE = """
#EmailCard { border: 1px solid palette(mid); border-radius: 6px; background: palette(base); }
#EmailCardHeader { text-align: left; padding: 4px 2px; border: none; }
#EmailMarker { color: #9a6700; }
#AttachmentButton[danger="true"] { color: #b42318; }
"""


def address_text(address: EmailAddress | None) -> str:
    if address is None:
        return ""
    return f"{address.name} <{address.address}>" if address.name else address.address


def size_text(size: int) -> str:
    for unit, step in (("GB", 1 << 30), ("MB", 1 << 20), ("KB", 1 << 10)):
        if size >= step:
            return f"{size / step:.1f} {unit}"
    return f"{size} B"


class EmailCard(QFrame):
    attachment_requested = Signal(object)  # EmailAttachment
    link_hovered = Signal(str)
    toggled = Signal(bool)

    def __init__(self, details: EmailDetails, cid_source: CidSource | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("EmailCard")
        self.details = details
        self._cid_source = cid_source
        self._remote_allowed = False
        self._safe: SafeHtml | None = None
        self.browser: SafeBrowser | None = None

        self.setStyleSheet(CARD_STYLE)
        self.header = named(QPushButton(), "EmailCardHeader")
        self.header.setCheckable(True)
        self.header.setFlat(True)
        self.header.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        self.header.setMinimumHeight(44)
        self.header.toggled.connect(self.set_expanded)
        self.header.setToolTip(self.tr("Show or hide this mail (Space)"))
        self.status = named(PlainLabel(), "Muted")
        top = QHBoxLayout()
        top.setContentsMargins(0, 0, 0, 0)
        top.addWidget(self.header, 1)
        top.addWidget(self.status)

        self.body = QWidget()
        self.body.hide()
        self._body_layout = QVBoxLayout(self.body)
        self._body_layout.setContentsMargins(0, 4, 0, 0)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 8, 12, 8)
        layout.addLayout(top)
        layout.addWidget(self.body)
        self.refresh(details)

    # ---- state ------------------------------------------------------------------------

    @property
    def expanded(self) -> bool:
        return self.header.isChecked()

    def refresh(self, details: EmailDetails) -> None:
        self.details = details
        sender = address_text(details.from_) if details.from_ else self.tr("You")
        when = date_time_text(details.date) if details.date else ""
        first = details.text.strip().splitlines()[0] if details.text.strip() else ""
        self.header.setText(f"{sender}    {when}\n{first[:120]}")
        self.status.setText(self._status_text())
        self.status.setToolTip(plain_as_rich(self._status_tip()))
        if self.body.isVisibleTo(self) and self.browser is not None:
            self._rebuild_body()

    def _status_text(self) -> str:
        d = self.details
        if d.direction is EmailDirection.INBOUND:
            return ""
        if d.status is EmailStatus.FAILED:
            reasons = {
                EmailFailure.BOUNCE: self.tr("Failed: bounced"),
                EmailFailure.PERMANENT: self.tr("Failed: refused by the mail server"),
                EmailFailure.RETRIES_EXHAUSTED: self.tr("Failed: could not be delivered"),
                # The detail names the header (a field name: not translated).
                EmailFailure.UNSAFE_HEADERS: self.tr(
                    "Failed: not sent, its {0} header did not pass the safety check").format(
                        d.failure_detail or "?"),
            }
            return reasons.get(d.failure, self.tr("Failed")) if d.failure else self.tr("Failed")
        return {EmailStatus.QUEUED: self.tr("Sending…"), EmailStatus.SENT: self.tr("Sent")}.get(
            d.status, "")

    def _status_tip(self) -> str:
        d = self.details
        if d.status is EmailStatus.FAILED and d.failure is EmailFailure.UNSAFE_HEADERS:
            return self.tr("This mail would not have gone out as it was written (for instance, "
                           "a line break was hidden in text taken from a customer's mail). "
                           "Check the subject and the recipients, then send it again.")
        return d.failure_detail or ""

    def set_expanded(self, expanded: bool) -> None:
        if self.header.isChecked() != expanded:
            self.header.setChecked(expanded)  # comes back here through toggled
            return
        if expanded and self.browser is None:
            self._rebuild_body()
        self.body.setVisible(expanded)
        self.toggled.emit(expanded)

    # ---- the unfolded body -----------------------------------------------------------

    def _rebuild_body(self) -> None:
        while self._body_layout.count():
            item = self._body_layout.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        d = self.details
        recipients = [self.tr("To: {0}").format(", ".join(address_text(a) for a in d.to))]
        if d.cc:
            recipients.append(self.tr("Cc: {0}").format(", ".join(address_text(a) for a in d.cc)))
        if d.bcc:
            recipients.append(
                self.tr("Bcc: {0}").format(", ".join(address_text(a) for a in d.bcc)))
        line = named(PlainLabel("\n".join(recipients)), "Muted")
        line.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        line.setWordWrap(True)
        self._body_layout.addWidget(line)
        self._safe = self._sanitised()
        for marker in self._markers():
            self._body_layout.addWidget(marker)
        if Finding.REMOTE_IMAGES_BLOCKED in self._safe.findings and not self._remote_allowed:
            self._body_layout.addWidget(self._images_bar(len(self._safe.remote_images)))
        self.browser = SafeBrowser(self._cid_source)
        self.browser.link_hovered.connect(self.link_hovered.emit)
        self.browser.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.browser.document().documentLayout().documentSizeChanged.connect(self._fit)
        self.browser.show_html(self._safe, remote_allowed=self._remote_allowed)
        self._body_layout.addWidget(self.browser)
        if d.attachments:
            self._body_layout.addWidget(self._attachments(d.attachments))

    def _sanitised(self) -> SafeHtml:
        d = self.details
        if d.html:
            return sanitise(d.html, allow_remote_images=self._remote_allowed)
        return SafeHtml(text_to_html(d.text or html_to_text(d.html or "")))

    def _fit(self, size: QSize | object) -> None:
        if self.browser is not None:
            height = int(self.browser.document().size().height()) + 8
            self.browser.setFixedHeight(max(40, min(height, 4000)))

    def _markers(self) -> list[PlainLabel]:
        d = self.details
        notes = []
        if d.charset_problem:
            notes.append(self.tr("⚠ Some characters of this mail could not be decoded as "
                                 "declared: parts may look wrong. The original is kept."))
        if d.parse_problem:
            notes.append(self.tr("⚠ This mail is malformed; what could be read is shown. "
                                 "The original is kept."))
        if d.calendar_summary:
            notes.append(self.tr("📅 Invitation: {0}").format(d.calendar_summary))
        safe = self._safe or SafeHtml("")
        if Finding.HIDDEN_STYLE in safe.findings:
            notes.append(self.tr("Text the sender had hidden is shown."))
        labels = [named(PlainLabel(text), "EmailMarker") for text in notes]
        for label in labels:
            label.setWordWrap(True)
        return labels

    def _images_bar(self, count: int) -> QWidget:
        bar = named(QFrame(), "EmailImagesBar")
        text = PlainLabel(self.tr("%n remote image(s) blocked to protect your privacy.", "",
                                  count))
        text.setWordWrap(True)
        button = QPushButton(self.tr("Load images"))
        button.setObjectName("LoadImagesButton")
        button.clicked.connect(self.load_images)
        row = QHBoxLayout(bar)
        row.setContentsMargins(8, 4, 8, 4)
        row.addWidget(text, 1)
        row.addWidget(button)
        return bar

    def rerender(self) -> None:
        """Render the body again (inline images arrived)."""
        if self.browser is not None:
            self._rebuild_body()

    def load_images(self) -> None:
        """The agent allowed this message's remote images (this message only)."""
        self._remote_allowed = True
        self._rebuild_body()

    def _attachments(self, attachments: list[EmailAttachment]) -> QWidget:
        box = named(QWidget(), "EmailAttachments")
        row = QHBoxLayout(box)
        row.setContentsMargins(0, 4, 0, 0)
        for attachment in attachments:
            if attachment.inline and attachment.content_id:
                continue  # shown in the body
            button = QPushButton(f"{attachment.filename} ({size_text(attachment.size)})")
            button.setObjectName("AttachmentButton")
            if is_executable(attachment.filename):
                button.setText("⚠ " + button.text())
                button.setProperty("danger", True)
                button.setToolTip(self.tr("Program file: it could harm this computer"))
            button.clicked.connect(
                lambda _=False, a=attachment: self.attachment_requested.emit(a))
            row.addWidget(button)
        row.addStretch(1)
        return box
