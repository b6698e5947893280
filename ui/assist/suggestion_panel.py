"""The suggestion panel: the best answers for what the customer of the current
conversation wrote last, with why, one key to insert each, and a verdict.

It follows the conversation on screen. Each suggestion shows its title, its
answer with the customer's matched words highlighted (the text stays plain text:
the highlight is a format laid over it, never markup from outside), and "why".
Alt+1, Alt+2 and Alt+3 insert the first, second and third answer into the
conversation's composer (a quick reply with its variables filled in, its first
placeholder selected); Helpful and Wrong send the agent's verdict to the hub.

For measurements from outside, the panel tells the paint probe
(ui/widgets/paint_probe) when the best suggestion's answer of a new set has
been painted ("suggestions", the customer message's id); the other cards are
drawn in the same pass.

A new set arrives with every customer message, while the GUI thread is also
busy with the message itself, so a new set costs as little as possible: the
cards keep their size whatever they show (one elided line of title, a fixed
answer box, one elided line of why), so no new set makes the panel, its
splitter or the chat beside it lay out again; a card whose suggestion did not
change is not touched; and the set comes from core's memory of the latest
suggestions, not from a cache query.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QRect, QSize, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QKeySequence,
    QPaintEvent,
    QShortcut,
    QTextCharFormat,
    QTextCursor,
)
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

from core.assist.suggestions import Suggested
from core.protocol.assist import FeedbackVerdict, Suggestion, SuggestionKind
from ui.shell.service_bridge import ServiceBridge
from ui.widgets import paint_probe
from ui.widgets.plain_text import ElidedLabel, PlainLabel, plain_as_rich
from ui.widgets.theme import named

SHOWN = 3  # Alt+1 .. Alt+3
MIN_HEIGHT = 220  # the rest of the column stays the customer's (the window fits 1280×720)
HIGHLIGHT = QColor("#ffe58f")


def insert_key(index: int) -> str:
    return f"Alt+{index + 1}"


class AnswerView(QPlainTextEdit):
    """A suggestion's answer text; calls ``on_painted`` after each paint while a
    measurement listens (ui/widgets/paint_probe)."""

    def __init__(self, on_painted: Callable[[], None] | None = None) -> None:
        super().__init__()
        self._on_painted = on_painted

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        if self._on_painted is not None and paint_probe.active():
            self._on_painted()


class CardLine(ElidedLabel):
    """One elided line of a card, as tall whatever script it shows (Chinese glyphs
    come from a taller fallback font: a line would grow and shrink, and the card
    with it, between sets). Its tooltip (the whole text, when elided) is made when
    the pointer asks for it, not with each new set: measuring the text's width was
    the largest part of showing a set."""

    SAMPLE = "Ag中文"  # a Latin and a Chinese line's height

    def sizeHint(self) -> QSize:
        return QSize(super().sizeHint().width(), self._line_height())

    def minimumSizeHint(self) -> QSize:
        return QSize(super().minimumSizeHint().width(), self._line_height())

    def _line_height(self) -> int:
        margins = self.contentsMargins()
        text = self.fontMetrics().boundingRect(QRect(0, 0, 10_000, 1_000), 0, self.SAMPLE)
        return text.height() + margins.top() + margins.bottom() + 2 * self.margin()

    def _update_tooltip(self) -> None:
        pass

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip:
            self.setToolTip(plain_as_rich(self.text()) if self.is_elided() else "")
        return super().event(event)


class SuggestionCard(QFrame):
    insert_requested = Signal(int)
    verdict_given = Signal(int, str)  # index, FeedbackVerdict value

    def __init__(self, index: int, parent: QWidget | None = None,
                 on_painted: Callable[[int], None] | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("SuggestionCard")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.index = index
        # What the card shows now: an unchanged suggestion is not set again.
        self.shown: tuple[Suggestion, FeedbackVerdict | None] | None = None
        # One line each, elided (the whole text in the tooltip): the card's height
        # never depends on what it shows, so a new set does not lay anything out.
        self.title = named(CardLine(), "SuggestionTitle")
        self.answer = AnswerView(
            (lambda: on_painted(self.index)) if on_painted is not None else None)
        self.answer.setObjectName("SuggestionAnswer")
        self.answer.setReadOnly(True)
        self.answer.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.answer.setFixedHeight(52)
        self.why = named(CardLine(), "Muted")
        self.insert_button = QPushButton(self.tr("Insert ({0})").format(insert_key(index)))
        self.insert_button.clicked.connect(lambda: self.insert_requested.emit(self.index))
        self.helpful = QPushButton(self.tr("Helpful"))
        self.wrong = QPushButton(self.tr("Wrong"))
        for button, verdict in ((self.helpful, FeedbackVerdict.HELPFUL),
                                (self.wrong, FeedbackVerdict.WRONG)):
            button.setCheckable(True)
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.clicked.connect(
                lambda _c=False, v=verdict: self.verdict_given.emit(self.index, v.value))
        buttons = QHBoxLayout()
        buttons.addWidget(self.insert_button)
        buttons.addStretch(1)
        buttons.addWidget(self.helpful)
        buttons.addWidget(self.wrong)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 6)
        layout.setSpacing(4)
        layout.addWidget(self.title)
        layout.addWidget(self.answer)
        layout.addWidget(self.why)
        layout.addLayout(buttons)

    def show_item(self, item: Suggestion, verdict: FeedbackVerdict | None) -> bool:
        """Show ``item``; False (and nothing redrawn) when it is what the card shows."""
        if self.shown == (item, verdict):
            return False
        before = self.shown[0] if self.shown is not None else None
        self.shown = (item, verdict)
        if before != item:
            kind = (self.tr("Article") if item.kind is SuggestionKind.ARTICLE
                    else self.tr("Quick reply"))
            self.title.setText(f"{insert_key(self.index)}  ·  {kind}  ·  {item.title}")
            if before is None or before.text != item.text:
                self.answer.setPlainText(item.text)
            if before is None or before.text != item.text or before.matched != item.matched:
                self.answer.setExtraSelections(highlights(self.answer, item.matched))
            words = "、".join(item.matched) if item.matched else "—"
            # the match first: the line is elided at its end in a narrow window
            self.why.setText(self.tr("Match {1} % · the customer wrote {0}").format(
                words, round(item.score * 100)))
        self.helpful.setChecked(verdict is FeedbackVerdict.HELPFUL)
        self.wrong.setChecked(verdict is FeedbackVerdict.WRONG)
        return True

    def clear(self) -> None:
        self.shown = None


def highlights(editor: QPlainTextEdit, words: list[str]) -> list[QTextEdit.ExtraSelection]:
    """Every occurrence of the words in the editor's plain text, as highlight formats."""
    found: list[QTextEdit.ExtraSelection] = []
    text = editor.toPlainText()
    folded = text.casefold()
    fmt = QTextCharFormat()
    fmt.setBackground(HIGHLIGHT)
    fmt.setFontWeight(700)
    for word in words:
        needle = word.casefold()
        start = folded.find(needle) if needle else -1
        while start >= 0:
            selection = QTextEdit.ExtraSelection()
            cursor = QTextCursor(editor.document())
            cursor.setPosition(start)
            cursor.setPosition(start + len(needle), QTextCursor.MoveMode.KeepAnchor)
            selection.cursor = cursor
            selection.format = fmt
            found.append(selection)
            start = folded.find(needle, start + len(needle))
    return found


class SuggestionPanel(QWidget):
    """Hidden while the conversation on screen has no suggestions."""

    # (conversation id, the suggestion): the window puts its answer into the composer.
    insert_requested = Signal(str, object)

    def __init__(self, bridge: ServiceBridge, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("SuggestionPanel")
        self._service = bridge.service
        self.conversation_id: str | None = None
        self.suggested: Suggested | None = None
        # The message whose new suggestions are not painted yet (paint probe only).
        self._unpainted: str | None = None
        heading = named(PlainLabel(self.tr("Suggested answers")), "PaneTitle")
        self.hint = named(PlainLabel(self.tr("Alt+1–3 inserts an answer")), "Muted")
        head = QHBoxLayout()
        head.addWidget(heading, 1)
        head.addWidget(self.hint)
        self.cards = [SuggestionCard(i, on_painted=self._card_painted) for i in range(SHOWN)]
        self.card_list = body = QWidget()
        column = QVBoxLayout(body)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(6)
        for card in self.cards:
            card.insert_requested.connect(self.insert)
            card.verdict_given.connect(self._verdict)
            column.addWidget(card)
        column.addStretch(1)
        self.card_area = QScrollArea()
        self.card_area.setWidgetResizable(True)
        self.card_area.setFrameShape(QFrame.Shape.NoFrame)
        self.card_area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.card_area.setWidget(body)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.setSpacing(6)
        layout.addLayout(head)
        layout.addWidget(self.card_area, 1)
        bridge.suggestions_changed.connect(self._changed)
        self.refresh()

    def attach_keys(self, window: QWidget) -> list[QShortcut]:
        """Alt+1..3 anywhere in ``window`` inserts that suggestion."""
        keys = []
        for i in range(SHOWN):
            shortcut = QShortcut(QKeySequence(insert_key(i)), window)
            shortcut.setContext(Qt.ShortcutContext.WindowShortcut)
            shortcut.activated.connect(self._inserter(i))
            keys.append(shortcut)
        return keys

    def _inserter(self, index: int) -> Callable[[], bool]:
        return lambda: self.insert(index)

    def show_conversation(self, conversation_id: str | None) -> None:
        self.conversation_id = conversation_id
        self.refresh()

    def _changed(self, conversation_id: str) -> None:
        if conversation_id == self.conversation_id:
            self.refresh()

    def refresh(self) -> None:
        cid = self.conversation_id
        suggested = self._service.suggestions.latest(cid) if cid else None
        if suggested is not None and suggested == self.suggested:
            return  # nothing new for this conversation (another one's set arrived)
        self.suggested = suggested
        items = suggested.items[:SHOWN] if suggested else ()
        for i, card in enumerate(self.cards):
            if i < len(items):
                assert suggested is not None
                card.show_item(items[i], suggested.verdict(items[i]))
            else:
                card.clear()
            card.setVisible(i < len(items))  # no-ops when unchanged
        self.setVisible(bool(items))
        if items and paint_probe.active():
            assert suggested is not None
            self._unpainted = suggested.message_id
        if items:
            # A splitter leaves a pane that was hidden at zero height: ask for room
            # (the cards scroll when there is less). Only a different number of
            # cards changes what is wanted.
            wanted = min(self.card_list.sizeHint().height() + 48, MIN_HEIGHT)
            if wanted != self.minimumHeight():
                self.setMinimumHeight(wanted)

    def _card_painted(self, index: int) -> None:
        if index == 0 and self._unpainted is not None:
            message_id, self._unpainted = self._unpainted, None
            paint_probe.painted("suggestions", message_id)

    def items(self) -> tuple[Suggestion, ...]:
        return self.suggested.items[:SHOWN] if self.suggested else ()

    def insert(self, index: int) -> bool:
        items = self.items()
        if self.conversation_id is None or index >= len(items):
            return False
        self.insert_requested.emit(self.conversation_id, items[index])
        return True

    def _verdict(self, index: int, verdict: str) -> None:
        items = self.items()
        if self.suggested is None or index >= len(items):
            return
        self._service.suggestions.give_feedback(self.suggested, items[index],
                                                FeedbackVerdict(verdict))
