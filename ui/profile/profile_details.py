"""The profile tab: contact points (copy, add, remove), typed attributes, consent."""

from __future__ import annotations

from PySide6.QtCore import QDate, QPoint, Qt, QTimer, Signal
from PySide6.QtGui import QDoubleValidator, QGuiApplication, QMouseEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QFormLayout,
    QHBoxLayout,
    QLayout,
    QLineEdit,
    QPushButton,
    QToolButton,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from core.profile.profiles import InvalidAttribute
from core.profile.reads import HubUnavailable, ReadFailed
from core.protocol.models import IdentityKind
from core.protocol.profile import AttributeDefinition, AttributeType, FieldClass
from core.records import ContactPoint, CustomerProfile
from core.tasks import BackgroundTasks
from ui.profile.masked_field import MaskedField
from ui.profile.profile_header import safe_text
from ui.profile.profile_text import attribute_error, attribute_hint, identity_label
from ui.shell.service_bridge import ServiceBridge
from ui.widgets.plain_text import PlainLabel
from ui.widgets.theme import Theme, named

IDENTITY_ICONS = {
    IdentityKind.PHONE: "phone",
    IdentityKind.EMAIL: "email",
    IdentityKind.VISITOR: "globe",
    IdentityKind.EXTERNAL: "user",
}
IDENTITY_KINDS = frozenset(k.value for k in IdentityKind)
NO_DATE = QDate(1900, 1, 1)


class CopyLabel(PlainLabel):
    """A value that copies itself on click and says so briefly."""

    def __init__(self, text: str, parent: QWidget | None = None) -> None:
        super().__init__(safe_text(text, 80), parent)
        self.value = text
        self.setObjectName("CopyValue")
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setToolTip(self.tr("Click to copy"))

    def mousePressEvent(self, event: QMouseEvent) -> None:
        QGuiApplication.clipboard().setText(self.value)
        QToolTip.showText(self.mapToGlobal(QPoint(0, self.height())), self.tr("Copied"), self)
        self.setProperty("copied", True)
        self.setText(self.tr("Copied ✓"))
        QTimer.singleShot(1200, self._restore)
        super().mousePressEvent(event)

    def _restore(self) -> None:
        self.setText(safe_text(self.value, 80))


class ProfileDetails(QWidget):
    dial_requested = Signal(str)  # a phone number of the customer: open the dial pad

    def __init__(self, bridge: ServiceBridge, theme: Theme, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._bridge = bridge
        self.dialling = False  # the window has calls: phone numbers get a Call button
        self._theme = theme
        self._customer_id: str | None = None
        self._editors: dict[str, QWidget] = {}
        self._tasks = BackgroundTasks("profile details")
        self.points = QVBoxLayout()
        self.points.setSpacing(2)
        self.kind = QComboBox()
        self.new_value = QLineEdit()
        self._fill_kinds(contact=True)
        self.new_value.returnPressed.connect(self._add_identity)
        self.add_button = QPushButton(self.tr("Add"))
        self.add_button.clicked.connect(self._add_identity)
        add_row = QHBoxLayout()
        add_row.addWidget(self.kind)
        add_row.addWidget(self.new_value, 1)
        add_row.addWidget(self.add_button)
        self.form = QFormLayout()
        self.form.setLabelAlignment(Qt.AlignmentFlag.AlignLeft)
        self.attribute_error = named(PlainLabel(), "FieldError")
        self.attribute_error.setWordWrap(True)
        self.attribute_error.hide()
        self.consent = named(PlainLabel(), "Muted")
        self.consent.setWordWrap(True)
        column = QVBoxLayout(self)
        column.setContentsMargins(14, 4, 14, 12)
        column.setSpacing(6)
        column.addWidget(named(PlainLabel(self.tr("Contact points")), "SectionTitle"))
        column.addLayout(self.points)
        column.addLayout(add_row)
        column.addWidget(named(PlainLabel(self.tr("Attributes")), "SectionTitle"))
        column.addLayout(self.form)
        column.addWidget(self.attribute_error)
        column.addWidget(named(PlainLabel(self.tr("Consent")), "SectionTitle"))
        column.addWidget(self.consent)
        column.addStretch(1)

    # ---- showing ----------------------------------------------------------------------

    def _fill_kinds(self, contact: bool) -> None:
        """Phones and e-mail addresses are added by roles that read them in full."""
        kinds = (IdentityKind.PHONE, IdentityKind.EMAIL, IdentityKind.EXTERNAL) if contact \
            else (IdentityKind.EXTERNAL,)
        if self.kind.count() == len(kinds):
            return
        self.new_value.setPlaceholderText(self.tr("Add a phone, email or id") if contact
                                          else self.tr("Add an external id"))
        self.kind.clear()
        for kind in kinds:
            self.kind.addItem(identity_label(kind), kind.value)  # (a QVariant keeps str only)

    def set_profile(self, profile: CustomerProfile) -> None:
        changed = profile.id != self._customer_id
        self._customer_id = profile.id
        self._fill_kinds(self._bridge.service.profiles.contact_readable())
        self._clear(self.points)
        points = profile.contact_points or ()
        if not points:
            self.points.addWidget(named(PlainLabel(self.tr("None known")), "Muted"))
        for point in points:
            if point.kind is not IdentityKind.VISITOR:
                self.points.addLayout(self._point_row(point))
        self._fill_attributes(profile, changed)
        consent = [f"{'✓' if given else '✗'} {key}"
                   for key, given in sorted(profile.consent.items())]
        self.consent.setText("   ".join(consent) or self.tr("No consent recorded"))

    def _point_row(self, point: ContactPoint) -> QHBoxLayout:
        row = QHBoxLayout()
        row.setSpacing(6)
        icon = PlainLabel()
        icon.setPixmap(self._theme.pixmap(IDENTITY_ICONS.get(point.kind, "user"), "muted", 16))
        icon.setToolTip(identity_label(point.kind))
        row.addWidget(icon)
        row.addWidget(CopyLabel(point.value), 1)
        if self._bridge.service.profiles.masked_identity(point.kind):
            # The hub sent it masked: nothing to dial, nothing to remove by value.
            mark = named(PlainLabel(self.tr("masked")), "Muted")
            mark.setToolTip(self.tr("Your role reads phone numbers and e-mail addresses "
                                    "masked"))
            row.addWidget(mark)
            return row
        if point.pending:
            row.addWidget(named(PlainLabel(self.tr("pending")), "Muted"))
        elif not point.verified:
            mark = named(PlainLabel(self.tr("unverified")), "WarnChip")
            mark.setToolTip(self.tr("Kept as typed although it did not validate; never used "
                                    "to recognise the customer"))
            row.addWidget(mark)
        if self.dialling and point.kind is IdentityKind.PHONE and not point.pending:
            call = named(QToolButton(), "DialIdentity")
            call.setIcon(self._theme.icon("phone", "muted", 12))
            call.setToolTip(self.tr("Call this number…"))
            call.setAccessibleName(self.tr("Call {0}").format(point.value))
            call.clicked.connect(lambda _c=False, v=point.value: self.dial_requested.emit(v))
            row.addWidget(call)
        if not point.pending:
            remove = named(QToolButton(), "RemoveIdentity")
            remove.setIcon(self._theme.icon("close", "muted", 12))
            remove.setToolTip(self.tr("Remove this contact point"))
            remove.clicked.connect(lambda _c=False, p=point: self._remove(p))
            row.addWidget(remove)
        return row

    def _fill_attributes(self, profile: CustomerProfile, changed: bool) -> None:
        definitions = self._bridge.service.profiles.attribute_definitions()
        keys = [d.key for d in definitions]
        if changed or keys != list(self._editors):
            while self.form.rowCount():
                self.form.removeRow(0)
            self._editors = {d.key: self._field(d) for d in definitions}
            for d in definitions:
                self.form.addRow(safe_text(d.label, 40), self._editors[d.key])
            self.attribute_error.hide()
        for d in definitions:
            self._show_value(d, self._editors[d.key], profile.attributes.get(d.key))
        # attributes the hub sent without a definition: shown read-only
        for key, value in profile.attributes.items():
            if key not in self._editors:
                label = PlainLabel(safe_text(str(value), 80))
                self._editors[key] = label
                self.form.addRow(key, label)

    def _field(self, definition: AttributeDefinition) -> QWidget:
        """An editor, or the mask (with Reveal where the role may) for an attribute the
        hub sends this agent masked."""
        profiles = self._bridge.service.profiles
        if not profiles.masked_attribute(definition):
            return self._editor(definition)
        revealable = definition.field_class is FieldClass.SENSITIVE and profiles.may_reveal()
        field = MaskedField(definition.key, revealable)
        field.reveal_requested.connect(self._reveal)
        return field

    def _editor(self, definition: AttributeDefinition) -> QWidget:
        key = definition.key
        if definition.type is AttributeType.CHOICE:
            combo = QComboBox()
            combo.addItem("—", "")
            for choice in definition.choices:
                combo.addItem(choice, choice)
            combo.activated.connect(lambda _i, c=combo: self._save(key, str(c.currentData())))
            return combo
        if definition.type is AttributeType.DATE:
            date = QDateEdit()
            date.setCalendarPopup(True)
            date.setDisplayFormat("yyyy-MM-dd")
            date.setMinimumDate(NO_DATE)
            date.setSpecialValueText("—")
            date.editingFinished.connect(lambda d=date: self._save_date(key, d))
            return date
        line = QLineEdit()
        line.setPlaceholderText(attribute_hint(definition.type))
        if definition.type is AttributeType.NUMBER:
            validator = QDoubleValidator(line)
            validator.setNotation(QDoubleValidator.Notation.StandardNotation)
            line.setValidator(validator)
            line.inputRejected.connect(lambda: self._show_error(
                InvalidAttribute(key, AttributeType.NUMBER)))
        line.editingFinished.connect(lambda edit=line: self._save(key, edit.text()))
        return line

    def _show_value(self, definition: AttributeDefinition, editor: QWidget,
                    value: str | float | None) -> None:
        if isinstance(editor, MaskedField):
            editor.show_masked(value)
            return
        if editor.hasFocus():
            return  # never overwrite what the agent is typing
        editor.blockSignals(True)
        if isinstance(editor, QComboBox):
            index = editor.findData(str(value) if value is not None else "")
            editor.setCurrentIndex(max(index, 0))
        elif isinstance(editor, QDateEdit):
            parsed = QDate.fromString(str(value), "yyyy-MM-dd") if value else NO_DATE
            editor.setDate(parsed if parsed.isValid() else NO_DATE)
        elif isinstance(editor, QLineEdit):
            if isinstance(value, float) and value.is_integer():
                value = int(value)
            editor.setText("" if value is None else str(value))
        editor.blockSignals(False)

    # ---- intents ----------------------------------------------------------------------

    def _save(self, key: str, raw: str) -> None:
        if self._customer_id is None:
            return
        profile = self._bridge.service.profiles.profile(self._customer_id)
        current = profile.attributes.get(key) if profile else None
        if isinstance(current, float) and current.is_integer():
            current = int(current)
        if raw.strip() == ("" if current is None else str(current)):
            return
        try:
            self._bridge.service.profiles.set_attribute(self._customer_id, key, raw)
        except InvalidAttribute as exc:
            self._show_error(exc)
            return
        self.attribute_error.hide()

    def _save_date(self, key: str, editor: QDateEdit) -> None:
        date = editor.date()
        self._save(key, "" if date == NO_DATE else date.toString("yyyy-MM-dd"))

    def _show_error(self, error: InvalidAttribute) -> None:
        self.attribute_error.setText(attribute_error(error))
        self.attribute_error.show()

    def _reveal(self, key: str) -> None:
        field = self._editors.get(key)
        if self._customer_id is None or not isinstance(field, MaskedField):
            return
        field.show_busy()
        self.attribute_error.hide()
        self._tasks.spawn(self._revealed(self._customer_id, key, field))

    async def _revealed(self, customer_id: str, key: str, field: MaskedField) -> None:
        try:
            value = await self._bridge.service.profiles.reveal(customer_id, key)
        except HubUnavailable:
            field.reveal_failed()
            self._show_message(self.tr("Revealing a field needs the hub; you are offline"))
            return
        except ReadFailed as exc:
            field.reveal_failed()
            self._show_message(self.tr("Your role may not reveal this field")
                               if exc.code == "forbidden"
                               else self.tr("The hub did not reveal the field ({0})")
                               .format(exc.code))
            return
        if customer_id == self._customer_id and self._editors.get(key) is field:
            field.show_revealed(value)

    def _show_message(self, text: str) -> None:
        self.attribute_error.setText(text)
        self.attribute_error.show()

    def _add_identity(self) -> None:
        value = self.new_value.text().strip()
        kind = self.kind.currentData()
        if not value or self._customer_id is None or kind not in IDENTITY_KINDS:
            return
        self._bridge.service.profiles.add_identity(self._customer_id, IdentityKind(kind), value)
        self.new_value.clear()

    def _remove(self, point: ContactPoint) -> None:
        if self._customer_id is not None:
            self._bridge.service.profiles.remove_identity(self._customer_id, point.kind,
                                                          point.value)

    def set_theme(self, theme: Theme) -> None:
        self._theme = theme

    @staticmethod
    def _clear(layout: QLayout) -> None:
        while layout.count():
            item = layout.takeAt(0)
            if item is None:
                continue
            widget = item.widget()
            inner = item.layout()
            if widget is not None:
                widget.deleteLater()
            elif inner is not None:
                ProfileDetails._clear(inner)
