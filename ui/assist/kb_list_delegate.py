"""The knowledge-base window's list view, and how a row of it is drawn: the title
on one line (elided; the tooltip holds it whole), and a muted line for a draft or
the words a search matched.

Every row has the same height (one line while browsing, two while searching), so
the view measures one row, never all of them. Thread: the GUI thread.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QPoint, QRect, QSize, Qt
from PySide6.QtGui import QFontMetrics, QPainter, QPaintEvent, QPalette
from PySide6.QtWidgets import (
    QApplication,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTreeView,
    QWidget,
)

from ui.assist.kb_list_model import DETAIL, IS_DRAFT
from ui.widgets import paint_probe

PAD_X, PAD_Y = 4, 2  # the text inside a row's highlight
GAP = 4  # around each row's highlight (the list's former spacing)
LINE_GAP = 2  # between the title and the muted line

Index = QModelIndex | QPersistentModelIndex


class ArticleDelegate(QStyledItemDelegate):
    def __init__(self, searching: Callable[[], bool], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._searching = searching

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        lines = 2 if self._searching() else 1
        height = option.fontMetrics.lineSpacing() * lines + LINE_GAP * (lines - 1)
        return QSize(1, height + 2 * PAD_Y + GAP)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        opt.rect = opt.rect.adjusted(GAP, GAP // 2, -GAP, -(GAP - GAP // 2))
        title = opt.text
        opt.text = ""  # the background and selection as the style draws them; text below
        widget = opt.widget
        style = widget.style() if widget is not None else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, widget)
        selected = bool(opt.state & QStyle.StateFlag.State_Selected)
        group = (QPalette.ColorGroup.Active if opt.state & QStyle.StateFlag.State_Active
                 else QPalette.ColorGroup.Inactive)
        text_color = opt.palette.color(group, QPalette.ColorRole.HighlightedText if selected
                                       else QPalette.ColorRole.Text)
        muted_color = text_color if selected else opt.palette.color(
            group, QPalette.ColorRole.PlaceholderText)
        metrics = QFontMetrics(opt.font)
        line = metrics.lineSpacing()
        rect = opt.rect.adjusted(PAD_X, PAD_Y, -PAD_X, -PAD_Y)
        detail = str(index.data(DETAIL) or "")
        painter.save()
        painter.setFont(opt.font)
        align = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
        title_rect = QRect(rect.left(), rect.top(), rect.width(), line)
        if not self._searching() and index.data(IS_DRAFT) and detail:
            # Browsing: a draft says so at the end of its line.
            width = metrics.horizontalAdvance(detail)
            painter.setPen(muted_color)
            painter.drawText(QRect(rect.right() - width, rect.top(), width, line),
                             Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, detail)
            title_rect.setWidth(max(0, rect.width() - width - PAD_X * 2))
            detail = ""
        painter.setPen(text_color)
        painter.drawText(title_rect, align, metrics.elidedText(
            title, Qt.TextElideMode.ElideRight, title_rect.width()))
        if detail and self._searching():
            painter.setPen(muted_color)
            painter.drawText(QRect(rect.left(), rect.top() + line + LINE_GAP, rect.width(), line),
                             align,
                             metrics.elidedText(detail, Qt.TextElideMode.ElideRight,
                                                rect.width()))
        painter.restore()


class ArticleListView(QTreeView):
    """The list: a flat tree view of rows of one height, which lays out its rows
    without asking the model about each one more than once (a QListView asked
    each row's index several times per layout: 80,000 calls into Python to show
    10,000 articles). Each paint of its rows is reported to a measurement, if one
    listens (``ui.widgets.paint_probe``: "kb_list", "<rows listed>:<first row
    drawn>", -1 when none is)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setHeaderHidden(True)
        self.setRootIsDecorated(False)
        self.setItemsExpandable(False)
        self.setUniformRowHeights(True)  # no row is measured but the first
        self.setIndentation(0)
        self.setAllColumnsShowFocus(True)

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        model = self.model()
        if paint_probe.active() and model is not None:
            first = self.indexAt(QPoint(1, 1))
            paint_probe.painted("kb_list", f"{model.rowCount()}:{first.row()}")
