"""An email conversation's tab: the thread (newest unfolded, older folded), the
actions (reply, reply all, forward, close) and the composer.

Reads come from the cache; when a mail has no details yet (it came in with the
conversation), the view asks the hub once and re-reads when the answer is stored.
Attachments are downloaded over HTTP on demand; program files are only opened or
saved after a warning. Thread: the GUI thread.
"""

from __future__ import annotations

import asyncio
import tempfile
from collections.abc import Coroutine
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

import msgspec
from PySide6.QtCore import Qt, QTimer, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from core.email.compose import Draft, Wording, answer, fill_template, is_executable
from core.email.http_client import EmailHttpError
from core.email.settings import EmailSettings
from core.protocol.email import (
    EmailAttachment,
    EmailDetails,
    EmailDirection,
    EmailKind,
    EmailStatus,
)
from core.protocol.models import Channel, ConversationStatus, IdentityKind, MessageAuthor
from core.records import StoredMessage
from core.tasks import BackgroundTasks
from ui.assist.quick_reply_popup import QuickReplyCompleter
from ui.email.card import EmailCard
from ui.email.composer import EmailComposer
from ui.shell.service_bridge import ServiceBridge
from ui.widgets.plain_text import PlainLabel
from ui.widgets.theme import Theme, named
from ui.widgets.time_text import date_time_text

if TYPE_CHECKING:  # the email tab only shares the chat's send-key setting
    from ui.chat.chat_panel import SendKey


def details_of(message: StoredMessage) -> EmailDetails:
    """A mail known only as a message (details not fetched yet): its text alone."""
    inbound = message.author is MessageAuthor.CUSTOMER
    return EmailDetails(
        message_id=message.id, conversation_id=message.conversation_id,
        direction=EmailDirection.INBOUND if inbound else EmailDirection.OUTBOUND,
        status=EmailStatus.RECEIVED if inbound else EmailStatus.SENT, header_message_id="",
        subject="", date=message.created_at, text=message.text,
    )


class EmailView(QWidget):
    close_requested = Signal(str)  # conversation id

    def __init__(self, bridge: ServiceBridge, conversation_id: str,
                 settings: EmailSettings | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("EmailView")
        self._bridge = bridge
        self._email = bridge.service.email
        self.conversation_id = conversation_id
        self._settings = settings or EmailSettings()
        self._cards: dict[str, EmailCard] = {}
        self._order: list[str] = []
        self._cid_cache: dict[str, bytes] = {}
        self._refreshing = False
        self._tasks = BackgroundTasks("email view")

        header = named(QWidget(), "ChatHeader")
        self.title = named(PlainLabel(), "ChatTitle")
        self.subtitle = named(PlainLabel(), "Muted")
        titles = QVBoxLayout()
        titles.setSpacing(0)
        titles.addWidget(self.title)
        titles.addWidget(self.subtitle)
        self.reply_button = QPushButton(self.tr("&Reply"))
        self.reply_all_button = QPushButton(self.tr("Reply &all"))
        self.forward_button = QPushButton(self.tr("&Forward"))
        self.close_button = QPushButton(self.tr("Close conversation"))
        self.reply_button.setToolTip(self.tr("Reply to the sender (Ctrl+R)"))
        self.reply_all_button.setToolTip(self.tr("Reply to everyone (Ctrl+Shift+R)"))
        self.forward_button.setToolTip(self.tr("Forward (Ctrl+Shift+F)"))
        self.reply_button.clicked.connect(lambda: self.start(EmailKind.REPLY))
        self.reply_all_button.clicked.connect(lambda: self.start(EmailKind.REPLY_ALL))
        self.forward_button.clicked.connect(lambda: self.start(EmailKind.FORWARD))
        self.close_button.clicked.connect(lambda: self.close_requested.emit(conversation_id))
        head = QHBoxLayout(header)
        head.setContentsMargins(16, 10, 16, 10)
        head.addLayout(titles, 1)
        for button in (self.reply_button, self.reply_all_button, self.forward_button,
                       self.close_button):
            head.addWidget(button)

        self.thread_body = QWidget()
        self.thread_body.setObjectName("EmailThread")
        self._thread_layout = QVBoxLayout(self.thread_body)
        self._thread_layout.setContentsMargins(12, 12, 12, 12)
        self._thread_layout.setSpacing(8)
        self._thread_layout.addStretch(1)
        self.thread_scroll = QScrollArea()
        self.thread_scroll.setWidgetResizable(True)
        self.thread_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.thread_scroll.setWidget(self.thread_body)
        self.link_label = named(PlainLabel(), "Muted")
        self.link_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.notice = named(PlainLabel(), "LoginError")
        self.notice.hide()

        self.composer = EmailComposer(self._email, conversation_id, self._settings)
        # "/" in the mail's text opens the quick replies (ui.assist).
        self.quick_replies = QuickReplyCompleter(self.composer.text, bridge, conversation_id,
                                                 Channel.EMAIL)
        self.composer.sent.connect(self._sent)
        self.composer.discarded.connect(self.composer.hide)
        self.composer.hide()
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.thread_scroll)
        splitter.addWidget(self.composer)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setChildrenCollapsible(False)
        self.thread_scroll.setMinimumHeight(200)
        self.splitter = splitter

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(header)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.notice)
        layout.addWidget(self.link_label)

        for keys, kind in (("Ctrl+R", EmailKind.REPLY), ("Ctrl+Shift+R", EmailKind.REPLY_ALL),
                           ("Ctrl+Shift+F", EmailKind.FORWARD)):
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(lambda k=kind: self.start(k))

        bridge.message_changed.connect(self._message_changed)
        bridge.conversation_changed.connect(self._conversation_changed)
        self.refresh()
        draft = self._email.draft(conversation_id)
        if draft is not None:
            self.composer.load(draft)
            self.composer.show()

    # ---- reading ------------------------------------------------------------------------

    def mails(self) -> list[EmailDetails]:
        """The thread: details where known, the bare message otherwise; oldest first."""
        known = {d.message_id: d for d in self._email.thread(self.conversation_id)}
        messages = self._bridge.service.messages(self.conversation_id)
        out = [known.pop(m.id) if m.id in known else details_of(m) for m in messages]
        return out + list(known.values())

    def mail_time(self, mail: EmailDetails) -> int:
        """Its Date header, or when it arrived (many clients send no Date)."""
        if mail.date:
            return mail.date
        message = next((m for m in self._bridge.service.messages(self.conversation_id)
                        if m.id == mail.message_id), None)
        return message.created_at if message is not None else 0

    def refresh(self) -> None:
        item = self._bridge.service.conversation(self.conversation_id)
        mails = self.mails()
        if item is not None:
            self.title.setText(item.customer_name)
            closed = item.status is ConversationStatus.CLOSED
            self.close_button.setVisible(not closed)
            for button in (self.reply_button, self.reply_all_button):
                button.setEnabled(not closed and bool(mails))
            self.forward_button.setEnabled(bool(mails))
        subject = next((m.subject for m in reversed(mails) if m.subject), "")
        self.subtitle.setText(subject or self.tr("Email"))
        newest = mails[-1].message_id if mails else None
        for details in mails:
            card = self._cards.get(details.message_id)
            if card is None:
                card = EmailCard(details, self._cid_source)
                card.attachment_requested.connect(self.attachment_requested)
                card.link_hovered.connect(self._link_hovered)
                card.toggled.connect(partial(self._card_toggled, card))
                self._cards[details.message_id] = card
                self._order.append(details.message_id)
                self._thread_layout.insertWidget(self._thread_layout.count() - 1, card)
                if details.message_id == newest:
                    card.set_expanded(True)
                    QTimer.singleShot(0, lambda c=card: self.thread_scroll.ensureWidgetVisible(c))
            elif card.details != details:
                card.refresh(details)
        if any(not d.header_message_id for d in mails if d.direction is EmailDirection.INBOUND):
            self._spawn(self._fetch_details())

    def title_text(self) -> str:
        item = self._bridge.service.conversation(self.conversation_id)
        return item.customer_name if item else "…"

    def cards(self) -> list[EmailCard]:
        return [self._cards[i] for i in self._order]

    async def _fetch_details(self) -> None:
        if self._refreshing:
            return
        self._refreshing = True
        try:
            await self._email.refresh(self.conversation_id)
        finally:
            self._refreshing = False

    def _message_changed(self, conversation_id: str, _message_id: str) -> None:
        if conversation_id == self.conversation_id:
            self.refresh()

    def _conversation_changed(self, conversation_id: str) -> None:
        if conversation_id == self.conversation_id:
            self.refresh()

    def _link_hovered(self, target: str) -> None:
        self.link_label.setText(self.tr("Link goes to: {0}").format(target) if target else "")

    # ---- answering ----------------------------------------------------------------------

    def start(self, kind: EmailKind) -> None:
        """Open the composer for a reply, reply all or forward of the newest mail."""
        mails = self.mails()
        if not mails:
            return
        original = next((m for m in reversed(mails) if m.direction is EmailDirection.INBOUND),
                        mails[-1])
        own = {*self._settings.mailboxes}
        own |= {m.from_.address for m in mails
                if m.direction is EmailDirection.OUTBOUND and m.from_}
        agent = self._bridge.service.agent
        item = self._bridge.service.conversation(self.conversation_id)
        customer = item.customer_name if item else ""
        self.composer.customer_name = customer
        self.composer.agent_name = agent.display_name if agent else ""
        greeting = ""
        if self._settings.templates and kind is not EmailKind.FORWARD:
            greeting = fill_template(self._settings.templates[0].text, customer_name=customer,
                                     agent_name=self.composer.agent_name)
        draft: Draft = answer(
            original, kind, own, date_text=date_time_text(self.mail_time(original)),
            wording=self.wording(), signature=self._settings.signature, greeting=greeting,
        )
        if not draft.to and kind is not EmailKind.FORWARD and item is not None:
            # The mail's headers are not here yet (still loading, or offline): answer
            # the customer's own address rather than open a reply to nobody.
            profile = self._bridge.service.customer_profile(item.customer_id)
            address = next((i.value for i in (profile.identities if profile else ())
                            if i.kind is IdentityKind.EMAIL), "")
            draft = msgspec.structs.replace(draft, to=address)
        self.composer.load(draft)
        self.composer.show()
        height = max(self.splitter.height(), 400)
        self.splitter.setSizes([height * 3 // 5, height * 2 // 5])
        self.composer.save_draft()
        if kind is EmailKind.FORWARD:
            self.composer.to.setFocus()
            return
        # The agent writes below the greeting, on the empty line before the signature.
        cursor = self.composer.text.textCursor()
        end = self.composer.text.document().characterCount() - 1
        cursor.setPosition(min(len(greeting) + 1, end) if greeting else 0)
        self.composer.text.setTextCursor(cursor)
        self.composer.text.setFocus()

    def wording(self) -> Wording:
        return Wording(
            wrote=self.tr("On {date}, {name} wrote:"),
            forwarded=self.tr("---------- Forwarded message ----------"),
            from_label=self.tr("From"), date_label=self.tr("Date"),
            subject_label=self.tr("Subject"), to_label=self.tr("To"),
            reply_prefix=self.tr("Re: "), forward_prefix=self.tr("Fwd: "),
        )

    def _sent(self, _message_id: str) -> None:
        self.composer.hide()
        self.refresh()

    # ---- attachments --------------------------------------------------------------------

    def _cid_source(self, content_id: str) -> bytes | None:
        return self._cid_cache.get(content_id)

    def _card_toggled(self, card: EmailCard, expanded: bool) -> None:
        if expanded:
            self._load_inline(card)

    def _load_inline(self, card: EmailCard) -> None:
        """Download the inline images (cid:) of an unfolded mail, then show them."""
        missing = [a for a in card.details.attachments
                   if a.content_id and a.content_id not in self._cid_cache]
        if missing and self._email.http is not None:
            self._spawn(self._fetch_inline(card, missing))

    async def _fetch_inline(self, card: EmailCard, parts: list[EmailAttachment]) -> None:
        http = self._email.http
        if http is None:
            return
        for part in parts:
            try:
                self._cid_cache[part.content_id or ""] = await http.attachment(part.id)
            except EmailHttpError:
                continue
        if card.details.message_id in self._cards:
            card.rerender()

    def attachment_requested(self, attachment: EmailAttachment) -> None:
        box = QMessageBox(self)
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setWindowTitle(attachment.filename)
        if is_executable(attachment.filename):
            box.setIcon(QMessageBox.Icon.Warning)
            box.setText(self.tr("“{0}” is a program file. Opening it could harm this "
                                "computer. Only continue if you trust the sender.")
                        .format(attachment.filename))
        else:
            box.setText(self.tr("Open or save “{0}”?").format(attachment.filename))
        open_button = box.addButton(self.tr("Open"), QMessageBox.ButtonRole.AcceptRole)
        save_button = box.addButton(self.tr("Save…"), QMessageBox.ButtonRole.ActionRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)

        def chosen() -> None:
            if box.clickedButton() is open_button:
                self._spawn(self.open_attachment(attachment))
            elif box.clickedButton() is save_button:
                self._choose_save_path(attachment)

        box.finished.connect(chosen)
        box.open()
        self.attachment_box = box

    def _choose_save_path(self, attachment: EmailAttachment) -> None:
        dialog = QFileDialog(self, self.tr("Save attachment"))
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.selectFile(attachment.filename)
        dialog.fileSelected.connect(
            lambda path: self._spawn(self.save_attachment(attachment, Path(path))))
        dialog.open()

    async def download(self, attachment: EmailAttachment) -> bytes | None:
        http = self._email.http
        if http is None:
            self._show_notice(self.tr("Attachments can be downloaded when connected."))
            return None
        try:
            return await http.attachment(attachment.id)
        except EmailHttpError as exc:
            self._show_notice(self.tr("Could not download {0} ({1}).")
                              .format(attachment.filename, exc.code))
            return None

    async def save_attachment(self, attachment: EmailAttachment, path: Path) -> bool:
        data = await self.download(attachment)
        if data is None:
            return False
        await asyncio.to_thread(path.write_bytes, data)
        return True

    async def open_attachment(self, attachment: EmailAttachment) -> Path | None:
        data = await self.download(attachment)
        if data is None:
            return None
        folder = Path(tempfile.mkdtemp(prefix="zuoxi-attachment-"))
        path = folder / Path(attachment.filename).name
        await asyncio.to_thread(path.write_bytes, data)
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))
        return path

    def _show_notice(self, text: str) -> None:
        self.notice.setText(text)
        self.notice.setVisible(bool(text))

    def _spawn(self, coro: Coroutine[Any, Any, object]) -> None:
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            coro.close()
            return
        self._tasks.spawn(coro, loop=loop)

    def set_settings(self, settings: EmailSettings) -> None:
        self._settings = settings
        self.composer.set_settings(settings)

    def set_theme(self, _theme: Theme) -> None:
        """Colours come from the style sheet."""

    def set_send_key(self, _send_key: SendKey) -> None:
        """The composer sends with Ctrl+Enter whatever the chat setting is."""

    def focus_composer(self) -> None:
        if self.composer.isHidden():
            self.start(EmailKind.REPLY)
        else:
            self.composer.text.setFocus(Qt.FocusReason.ShortcutFocusReason)
