"""Call a number… (Ctrl+Alt+D): the dial pad for telephone calls through the PBX.

Keyboard first: the number field has the focus, Enter calls, Escape cancels, Down
moves into the recent numbers (Enter there calls that number). Typing or pasting
keeps only what a phone's keypad can send (``core/call/dialling.clean_number``), so
"+86 (138) 0013-8000" pasted becomes "+8613800138000". The on-screen keys never take
the focus from the field. Without a registered telephone the dialog still opens and
says why Call is disabled (``set_ready``).
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from core.call.dialling import (
    KEYPAD,
    MAX_DIGITS,
    DialNumberError,
    DialProblem,
    check_number,
    clean_number,
)
from ui.widgets.plain_text import PlainLabel
from ui.widgets.theme import named


class DialDialog(QDialog):
    number_chosen = Signal(str)  # a checked number: digits, + * #

    def __init__(self, recent: list[str], parent: QWidget | None = None,
                 number: str = "") -> None:
        super().__init__(parent)
        self.setObjectName("DialDialog")
        self.setWindowTitle(self.tr("Call a number"))
        self._ready = False
        self._dropped_note = ""
        self._chosen = False  # Enter on a recent number also reaches the default button

        label = PlainLabel(self.tr("&Number:"))
        self.number = QLineEdit()
        self.number.setObjectName("DialNumber")
        self.number.setPlaceholderText(self.tr("Phone number or extension"))
        self.number.setMaxLength(MAX_DIGITS * 3)  # room for pasted spelling; cleaned
        self.number.setAccessibleName(self.tr("Number to call"))
        label.setBuddy(self.number)
        self.number.textEdited.connect(self._edited)
        self.number.installEventFilter(self)

        self.keypad = QWidget()
        grid = QGridLayout(self.keypad)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setSpacing(4)
        self.keys: dict[str, QPushButton] = {}
        for i, digit in enumerate(KEYPAD):
            key = QPushButton(digit)
            key.setObjectName("KeypadKey")
            key.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # typing stays in the field
            key.setAutoDefault(False)
            key.setMinimumWidth(48)
            key.clicked.connect(lambda _c=False, d=digit: self.press(d))
            grid.addWidget(key, i // 3, i % 3)
            self.keys[digit] = key

        recent_label = PlainLabel(self.tr("&Recent numbers:"))
        self.recent = QListWidget()
        self.recent.setObjectName("RecentNumbers")
        self.recent.setAccessibleName(self.tr("Recent numbers"))
        recent_label.setBuddy(self.recent)
        for n in recent:
            QListWidgetItem(n, self.recent)
        self.recent.setMaximumHeight(120)
        self.recent.itemActivated.connect(lambda item: self._call(item.text()))
        self.recent.currentTextChanged.connect(self._recent_chosen)
        recent_label.setVisible(bool(recent))
        self.recent.setVisible(bool(recent))

        self.hint = named(PlainLabel(), "Muted")
        self.hint.setWordWrap(True)
        self.reason = named(PlainLabel(), "WarningText")
        self.reason.setWordWrap(True)
        self.reason.hide()

        self.buttons = QDialogButtonBox()
        self.call_button = self.buttons.addButton(self.tr("&Call"),
                                                  QDialogButtonBox.ButtonRole.AcceptRole)
        self.call_button.setObjectName("DialCallButton")
        self.call_button.setDefault(True)
        cancel = self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        cancel.setText(self.tr("Cancel"))
        self.buttons.accepted.connect(lambda: self._call(self.number.text()))
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(label)
        layout.addWidget(self.number)
        layout.addWidget(self.hint)
        layout.addWidget(self.keypad, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addWidget(recent_label)
        layout.addWidget(self.recent)
        layout.addWidget(self.reason)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(320)

        self.number.setText(clean_number(number).number)
        self.number.setFocus()
        self._update()

    # ---- state ------------------------------------------------------------------

    def set_ready(self, ready: bool, reason: str = "") -> None:
        """Whether a call can be placed now; ``reason`` says why not."""
        self._ready = ready
        self.reason.setText(reason)
        self.reason.setVisible(not ready and bool(reason))
        self._update()

    def press(self, digit: str) -> None:
        """An on-screen key: the digit goes in at the cursor."""
        self.number.insert(digit)
        self._edited(self.number.text())
        self.number.setFocus()

    # ---- internals ----------------------------------------------------------------

    def _edited(self, text: str) -> None:
        cleaned = clean_number(text)
        if cleaned.number != text:
            at = self.number.cursorPosition()
            before = clean_number(text[:at]).number
            self.number.setText(cleaned.number)
            self.number.setCursorPosition(len(before))
        if cleaned.dropped:  # said until the field is emptied
            self._dropped_note = self.tr("Only digits, +, * and # can be dialled; “{0}” "
                                         "was left out.").format(cleaned.dropped[:12])
        elif not cleaned.number:
            self._dropped_note = ""
        self._update()

    def _recent_chosen(self, text: str) -> None:
        if text and self.recent.hasFocus():
            self.number.setText(text)
            self._update()

    def _problem(self, number: str) -> str:
        try:
            check_number(number)
        except DialNumberError as exc:
            return {
                DialProblem.EMPTY: "",
                DialProblem.PLUS_NOT_FIRST: self.tr("A + can only be the first character."),
                DialProblem.TOO_LONG: self.tr("The number is longer than {0} characters.")
                .format(MAX_DIGITS),
            }[exc.problem]
        return ""

    def _update(self) -> None:
        number = self.number.text()
        problem = self._problem(number)
        self.hint.setText(problem or self._dropped_note)
        self.hint.setVisible(bool(self.hint.text()))
        self.call_button.setEnabled(self._ready and bool(number) and not problem)

    def _call(self, number: str) -> None:
        number = clean_number(number).number
        if self._chosen or not self._ready or self._problem(number) or not number:
            return
        self._chosen = True
        self.number_chosen.emit(number)
        self.accept()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.number and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            if event.key() == Qt.Key.Key_Down and self.recent.isVisible():
                self.recent.setFocus()
                if self.recent.currentRow() < 0:
                    self.recent.setCurrentRow(0)
                return True
        return super().eventFilter(watched, event)
