"""Counted phrases shared by several views, translated with Qt's plural forms (``%n``).

Kept in one class so the translation tools see them as counted (they only do for a
``tr()`` with a count inside a class); English takes its singular and plural from
``resources/translations/zuoxi_en.ts``.
"""

from __future__ import annotations

from PySide6.QtCore import QObject


class Plurals(QObject):
    def contacts_in_30_days(self, count: int) -> str:
        return self.tr("%n contact(s) in 30 days", "", count)

    def contacts_in_last_days(self, count: int, days: str) -> str:
        return self.tr("%n contact(s) in the last {0} days", "", count).format(days)

    def messages(self, count: int) -> str:
        return self.tr("%n message(s)", "", count)
