"""Preferences the agent can change: send key, language, theme, remote hub, and (on
their own pages) the email signature, reply templates and the mailbox's addresses,
the quick replies, and the telephony (SIP) account."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QScrollArea,
    QSlider,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from core.chat.preferences import SendKey
from core.email.settings import EmailSettings
from core.session.preferences import FONT_SCALES, LANGUAGES, Preferences, ThemeName
from ui.assist.quick_replies_page import QuickRepliesPage
from ui.call.telephony_page import TelephonyPage
from ui.email.settings_page import EmailSettingsPage
from ui.shell.service_bridge import ServiceBridge
from ui.widgets.plain_text import PlainLabel
from ui.widgets.theme import named


class SettingsDialog(QDialog):
    preferences_chosen = Signal(object)  # Preferences
    email_settings_chosen = Signal(object)  # EmailSettings (when the Email page is shown)
    # SipAccountSettings, the new password or None (when the Telephony page is shown)
    telephony_chosen = Signal(object, object)

    def __init__(self, preferences: Preferences, parent: QWidget | None = None,
                 email: EmailSettings | None = None,
                 bridge: ServiceBridge | None = None,
                 telephony: TelephonyPage | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("SettingsDialog")
        self.setWindowTitle(self.tr("Settings"))
        self._initial = preferences

        self.send_key = QComboBox()
        self.send_key.addItem(self.tr("Enter sends, Shift+Enter adds a line"), SendKey.ENTER)
        self.send_key.addItem(self.tr("Ctrl+Enter sends, Enter adds a line"), SendKey.CTRL_ENTER)
        self.send_key.setCurrentIndex(max(0, self.send_key.findData(preferences.send_key)))

        self.language = QComboBox()
        for code, name in LANGUAGES.items():
            self.language.addItem(name or self.tr("System default"), code)
        self.language.setCurrentIndex(max(0, self.language.findData(preferences.language)))

        self.theme = QComboBox()
        self.theme.addItem(self.tr("Light"), ThemeName.LIGHT)
        self.theme.addItem(self.tr("Dark"), ThemeName.DARK)
        self.theme.addItem(self.tr("High contrast"), ThemeName.CONTRAST)
        self.theme.setCurrentIndex(max(0, self.theme.findData(preferences.theme)))

        self.hub_url = QLineEdit(preferences.hub_url)
        self.hub_url.setPlaceholderText(self.tr("Empty: run a local hub on this computer"))

        self.store_tag = QLineEdit(preferences.store_tag)
        self.store_tag.setObjectName("StoreTag")
        self.store_tag.setPlaceholderText(self.tr("e.g. store:shanghai — empty: off"))
        self.store_tag.setToolTip(self.tr(
            "Store mode keeps every customer with this tag, and their history, on this "
            "computer, so walk-in customers can be looked up while offline."))

        self.auto_accept = QCheckBox(self.tr("Accept offered chats at once"))
        self.auto_accept.setChecked(preferences.auto_accept_chat)
        self.auto_accept.setToolTip(self.tr(
            "Chats offered to you open without ringing; calls and emails still ring."))

        self.alert_volume = QSlider(Qt.Orientation.Horizontal)
        self.alert_volume.setObjectName("AlertVolume")
        self.alert_volume.setRange(0, 100)
        self.alert_volume.setValue(preferences.alert_volume)
        self.alert_volume.setAccessibleName(self.tr("Notification sound volume"))
        self.alert_muted = QCheckBox(self.tr("Mute"))
        self.alert_muted.setChecked(preferences.alert_muted)
        self.alert_muted.toggled.connect(lambda muted: self.alert_volume.setEnabled(not muted))
        self.alert_volume.setEnabled(not preferences.alert_muted)
        sounds = QHBoxLayout()
        sounds.addWidget(self.alert_volume, 1)
        sounds.addWidget(self.alert_muted)

        self.easy_mode = QCheckBox(self.tr("High contrast, larger buttons, fewer panels"))
        self.easy_mode.setObjectName("EasyMode")
        self.easy_mode.setChecked(preferences.easy_mode)
        self.font_scale = QComboBox()
        self.font_scale.setObjectName("FontScale")
        for percent in FONT_SCALES:
            self.font_scale.addItem(f"{percent} %", percent)
        self.font_scale.setCurrentIndex(max(0, self.font_scale.findData(preferences.font_scale)))
        self.easy_mode.toggled.connect(self._easy_toggled)

        form = QFormLayout()
        form.addRow(self.tr("Easy mode"), self.easy_mode)
        form.addRow(self.tr("Text size"), self.font_scale)
        form.addRow(self.tr("Sending"), self.send_key)
        form.addRow(self.tr("Language"), self.language)
        form.addRow(self.tr("Theme"), self.theme)
        form.addRow(self.tr("Hub address"), self.hub_url)
        form.addRow(self.tr("Store mode"), self.store_tag)
        form.addRow(self.tr("Offers"), self.auto_accept)
        form.addRow(self.tr("Notification sounds"), sounds)
        note = named(
            PlainLabel(self.tr("The hub address takes effect the next time Zuoxi starts; "
                               "the language at once.")),
            "Muted",
        )
        note.setWordWrap(True)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        general = QWidget()
        general_layout = QVBoxLayout(general)
        general_layout.addLayout(form)
        general_layout.addWidget(note)
        general_layout.addStretch(1)
        self.pages = QTabWidget()
        # scrolls when the text is large (easy mode at 200 %) on a small screen
        general_scroll = QScrollArea()
        general_scroll.setWidget(general)
        general_scroll.setWidgetResizable(True)
        general_scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        self.general_scroll = general_scroll
        self.pages.addTab(general_scroll, self.tr("&General"))
        self.email_page: EmailSettingsPage | None = None
        if email is not None:
            self.email_page = EmailSettingsPage(email)
            ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
            self.email_page.validity_changed.connect(ok.setEnabled)
            self.pages.addTab(self.email_page, self.tr("&Email"))
        self.quick_replies_page: QuickRepliesPage | None = None
        if bridge is not None:  # signed in: the agent's quick replies (saved at once)
            self.quick_replies_page = QuickRepliesPage(bridge)
            self.pages.addTab(self.quick_replies_page, self.tr("&Quick replies"))
        self.telephony_page = telephony
        if telephony is not None:
            self.pages.addTab(telephony, self.tr("&Telephony"))
        layout = QVBoxLayout(self)
        layout.addWidget(self.pages)
        layout.addWidget(buttons)
        # as large as the page wants, never larger than the screen (it scrolls then)
        want = general.sizeHint() + QSize(64, buttons.sizeHint().height() + 120)
        screen = self.screen()
        if screen is not None:
            want = want.boundedTo(screen.availableGeometry().size() * 0.92)
        self.resize(want.expandedTo(QSize(480, 360)))

    def _easy_toggled(self, on: bool) -> None:
        if on and self.font_scale.currentData() == 100:
            self.font_scale.setCurrentIndex(self.font_scale.findData(150))

    def preferences(self) -> Preferences:
        return replace(
            self._initial,
            send_key=self.send_key.currentData(),
            language=self.language.currentData(),
            theme=self.theme.currentData(),
            hub_url=self.hub_url.text().strip(),
            store_tag=self.store_tag.text().strip(),
            auto_accept_chat=self.auto_accept.isChecked(),
            easy_mode=self.easy_mode.isChecked(),
            font_scale=self.font_scale.currentData(),
            alert_volume=self.alert_volume.value(),
            alert_muted=self.alert_muted.isChecked(),
        )

    def _accept(self) -> None:
        if self.email_page is not None and not self.email_page.is_valid():
            self.pages.setCurrentWidget(self.email_page)
            return
        if self.telephony_page is not None and not self.telephony_page.is_valid():
            self.pages.setCurrentWidget(self.telephony_page)
            return
        if self.email_page is not None:
            self.email_settings_chosen.emit(self.email_page.email_settings())
        if self.telephony_page is not None:
            self.telephony_chosen.emit(self.telephony_page.account_settings(),
                                       self.telephony_page.typed_password())
        self.preferences_chosen.emit(self.preferences())
        self.accept()
