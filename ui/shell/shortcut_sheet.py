"""The keyboard shortcut sheet (Ctrl+/): every shortcut the window really has.

Built from the window's own QActions when it opens, never from a list kept by
hand: an action's text and shortcut are what the menus show (in the agent's
language and the platform's key names), grouped by the menu that holds them.
Actions with a shortcut outside the menus come last.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QMainWindow,
    QMenu,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)


@dataclass(frozen=True)
class ShortcutRow:
    group: str
    text: str
    keys: str  # in the platform's words, e.g. "Ctrl+Shift+A"


def plain_action_text(text: str) -> str:
    """A menu text without its mnemonic marker ("&Answer" → "Answer", "&&" → "&")."""
    text = re.sub(r"\(&\w\)", "", text)  # "接听(&A)": a CJK menu's mnemonic
    text = text.replace("&&", "\0").replace("&", "").replace("\0", "&")
    return text.rstrip(".… ").strip()


def shortcut_rows(window: QMainWindow) -> list[ShortcutRow]:
    rows: list[ShortcutRow] = []
    seen: set[int] = set()

    def walk(menu: QMenu, group: str) -> None:
        for action in menu.actions():
            sub = action.menu()
            if isinstance(sub, QMenu):
                walk(sub, group)
                continue
            add(action, group)

    def add(action: QAction, group: str) -> None:
        if id(action) in seen or action.isSeparator() or not action.isVisible():
            return  # a hidden action (another role's) has no working shortcut
        keys = [k for k in action.shortcuts() if not k.isEmpty()]
        if not keys:
            return
        seen.add(id(action))
        rows.append(ShortcutRow(
            group, plain_action_text(action.text()),
            ", ".join(k.toString(QKeySequence.SequenceFormat.NativeText) for k in keys)))

    for top in window.menuBar().actions():
        menu = top.menu()
        if isinstance(menu, QMenu):
            walk(menu, plain_action_text(top.text()))
    other = QCoreApplication.translate("ShortcutSheet", "Other")
    for action in window.findChildren(QAction):
        add(action, other)
    return rows


class ShortcutSheet(QDialog):
    """Non-modal: it may stay open beside the work while the agent learns the keys."""

    def __init__(self, window: QMainWindow, parent: QWidget | None = None) -> None:
        super().__init__(parent or window)
        self.setObjectName("ShortcutSheet")
        self.setWindowTitle(self.tr("Keyboard shortcuts"))
        self.rows = shortcut_rows(window)
        self.tree = QTreeWidget()
        self.tree.setColumnCount(2)
        self.tree.setHeaderLabels([self.tr("Action"), self.tr("Keys")])
        self.tree.setRootIsDecorated(False)
        self.tree.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.tree.header().setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        groups: dict[str, QTreeWidgetItem] = {}
        for row in self.rows:
            group = groups.get(row.group)
            if group is None:
                group = QTreeWidgetItem([row.group, ""])
                font = group.font(0)
                font.setBold(True)
                group.setFont(0, font)
                group.setFlags(Qt.ItemFlag.ItemIsEnabled)
                self.tree.addTopLevelItem(group)
                groups[row.group] = group
            group.addChild(QTreeWidgetItem([row.text, row.keys]))
        self.tree.setRootIsDecorated(False)
        self.tree.expandAll()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.close)
        column = QVBoxLayout(self)
        column.addWidget(self.tree)
        column.addWidget(buttons)
        self.resize(520, 620)

    def shown_rows(self) -> list[tuple[str, str, str]]:
        """What the sheet lists: (group, action, keys)."""
        out = []
        for g in range(self.tree.topLevelItemCount()):
            group = self.tree.topLevelItem(g)
            if group is None:
                continue
            for c in range(group.childCount()):
                child = group.child(c)
                if child is not None:
                    out.append((group.text(0), child.text(0), child.text(1)))
        return out
