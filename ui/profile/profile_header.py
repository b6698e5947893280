"""The top of the customer panel: avatar, name, tier badge, tags, stats, actions."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QSize, Qt, Signal
from PySide6.QtGui import QAction, QColor, QFont, QPainter, QPixmap
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QMenu,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from core.records import CustomerProfile
from ui.chat.chat_panel import channel_name
from ui.profile.profile_text import (
    auto_rule_name,
    auto_tag_label,
    auto_tag_reason,
    tier_colors,
    tier_name,
)
from ui.widgets.plain_text import PlainLabel, plain_as_rich
from ui.widgets.plurals import Plurals
from ui.widgets.theme import Theme, named
from ui.widgets.time_text import date_text, day_text

MAX_CHIPS = 8


def avatar(name: str, theme: Theme, size: int = 56) -> QPixmap:
    """A round badge with the name's first character (works for 王 and for Emma)."""
    ratio = 2
    pixmap = QPixmap(size * ratio, size * ratio)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(theme.color("accent_soft"))
    painter.drawEllipse(0, 0, size * ratio, size * ratio)
    font = QFont()
    font.setPixelSize(int(size * ratio * 0.42))
    font.setWeight(QFont.Weight.DemiBold)
    painter.setFont(font)
    painter.setPen(QColor(theme.color("accent")))
    first = next((c for c in name if c.isprintable() and not c.isspace()), "?")
    painter.drawText(pixmap.rect(), Qt.AlignmentFlag.AlignCenter, first.upper())
    painter.end()
    pixmap.setDevicePixelRatio(ratio)
    return pixmap


def safe_text(text: str, limit: int = 200) -> str:
    """Control characters out (shown as nothing), very long text cut with an ellipsis."""
    clean = "".join(c if c.isprintable() else " " for c in text)
    return clean if len(clean) <= limit else clean[: limit - 1] + "…"


def chip(
    text: str, tooltip: str = "", colors: tuple[QColor, QColor] | None = None, name: str = "Chip"
) -> QLabel:
    label = named(PlainLabel(safe_text(text, 40)), name)
    if tooltip:
        label.setToolTip(plain_as_rich(tooltip))
    if colors is not None:
        label.setStyleSheet(
            f"background: {colors[0].name()}; color: {colors[1].name()}; "
            "border-radius: 9px; padding: 1px 8px; font-size: 11px; "
            "font-weight: 600;"
        )
    return label


class ProfileHeader(QFrame):
    merge_requested = Signal()
    reach_out_requested = Signal()
    unmerge_requested = Signal(str)  # merge id
    refresh_requested = Signal()

    def __init__(self, theme: Theme, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("ProfileHeader")
        self._theme = theme
        self.picture = PlainLabel()
        self.picture.setFixedSize(QSize(48, 48))
        self.name = named(PlainLabel(), "ChatTitle")
        self.name.setWordWrap(True)
        self.name.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.subtitle = named(PlainLabel(), "Muted")
        self.actions_button = named(QToolButton(), "ProfileActions")
        self.actions_button.setText("⋯")
        self.actions_button.setToolTip(self.tr("Customer actions"))
        self.actions_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.menu = QMenu(self)
        self.actions_button.setMenu(self.menu)
        names = QVBoxLayout()
        names.setSpacing(0)
        names.addWidget(self.name)
        names.addWidget(self.subtitle)
        top = QHBoxLayout()
        top.setSpacing(10)
        top.addWidget(self.picture, 0, Qt.AlignmentFlag.AlignTop)
        top.addLayout(names, 1)
        top.addWidget(self.actions_button, 0, Qt.AlignmentFlag.AlignTop)
        self.chips_row = QHBoxLayout()
        self.chips_row.setSpacing(4)
        self.chips_box = QWidget()
        self.chips_box.setLayout(self.chips_row)
        self.chips_row.setContentsMargins(0, 0, 0, 0)
        # automatic tags on their own line: their reasons matter, and one line overflows
        self.auto_row = QHBoxLayout()
        self.auto_row.setSpacing(4)
        self.auto_row.setContentsMargins(0, 0, 0, 0)
        self.auto_box = QWidget()
        self.auto_box.setLayout(self.auto_row)
        self.stats = named(PlainLabel(), "StatsLine")
        self.stats.setWordWrap(True)
        column = QVBoxLayout(self)
        column.setContentsMargins(14, 12, 10, 8)
        column.setSpacing(6)
        column.addLayout(top)
        column.addWidget(self.chips_box)
        column.addWidget(self.auto_box)
        column.addWidget(self.stats)

    def set_profile(self, profile: CustomerProfile) -> None:
        theme = self._theme
        self.picture.setPixmap(avatar(profile.name, theme, 48))
        self.name.setText(safe_text(profile.name, 120))
        self.name.setToolTip(plain_as_rich(profile.name) if len(profile.name) > 120 else "")
        bits = [
            b
            for b in (
                profile.language,
                channel_name(profile.preferred_channel) if profile.preferred_channel else None,
            )
            if b
        ]
        if profile.preferred_channel:
            bits[-1] = self.tr("prefers {0}").format(bits[-1])
        self.subtitle.setText(" · ".join(bits))
        self.subtitle.setVisible(bool(bits))
        for row in (self.chips_row, self.auto_row):
            while row.count():
                item = row.takeAt(0)
                widget = item.widget() if item is not None else None
                if widget is not None:
                    widget.deleteLater()
        if profile.tier:
            badge = chip(tier_name(profile.tier), self.tr("Value tier"),
                         tier_colors(profile.tier, theme), name="TierBadge")
            self.chips_row.addWidget(badge)
        for tag in profile.tags[:MAX_CHIPS]:
            self.chips_row.addWidget(chip(tag, self.tr("Tag set by an agent")))
        if len(profile.tags) > MAX_CHIPS:
            more = f"+{len(profile.tags) - MAX_CHIPS}"
            self.chips_row.addWidget(named(PlainLabel(more), "Muted"))
        self.chips_row.addStretch(1)
        self.chips_box.setVisible(bool(profile.tier or profile.tags))
        for auto in profile.auto_tags[:3]:
            tip = self.tr("Automatic tag ({0}): {1}").format(auto_rule_name(auto.rule),
                                                             auto_tag_reason(auto))
            label = chip("⚡ " + auto_tag_label(auto), tip, name="AutoChip")
            self.auto_row.addWidget(label)
        if len(profile.auto_tags) > 3:
            self.auto_row.addWidget(named(PlainLabel(f"+{len(profile.auto_tags) - 3}"), "Muted"))
        self.auto_row.addStretch(1)
        self.auto_box.setVisible(bool(profile.auto_tags))
        self.stats.setText(stats_text(profile))
        self._build_menu(profile)

    def _build_menu(self, profile: CustomerProfile) -> None:
        self.menu.clear()
        reach = QAction(self.tr("Reach out…"), self.menu)
        reach.triggered.connect(self.reach_out_requested.emit)
        self.menu.addAction(reach)
        merge = QAction(self.tr("Merge with…"), self.menu)
        merge.triggered.connect(self.merge_requested.emit)
        self.menu.addAction(merge)
        for record in profile.merges[:5]:
            undo = QAction(
                self.tr("Undo merge of {0} ({1})").format(
                    safe_text(record.source_name or record.source_id, 40),
                    date_text(record.merged_at),
                ),
                self.menu,
            )
            undo.triggered.connect(
                lambda _c=False, mid=record.merge_id: self.unmerge_requested.emit(mid)
            )
            self.menu.addAction(undo)
        self.menu.addSeparator()
        refresh = QAction(self.tr("Refresh from the hub"), self.menu)
        refresh.triggered.connect(self.refresh_requested.emit)
        self.menu.addAction(refresh)

    def set_theme(self, theme: Theme) -> None:
        self._theme = theme


def stats_text(profile: CustomerProfile) -> str:
    stats = profile.stats
    if stats is None:
        return ""
    parts = [Plurals().contacts_in_30_days(stats.contacts_30d)]
    if stats.last_contact_at:
        last = day_text(stats.last_contact_at)
        if stats.last_channel:
            last += f" ({channel_name(stats.last_channel)})"
        parts.append(QCoreApplication.translate("ProfileHeader", "last {0}").format(last))
    if stats.avg_csat is not None:
        parts.append(
            QCoreApplication.translate("ProfileHeader", "CSAT {0}").format(f"{stats.avg_csat:.1f}")
        )
    if stats.last_nps is not None:
        parts.append(QCoreApplication.translate("ProfileHeader", "NPS {0}").format(stats.last_nps))
    if stats.open_conversations:
        parts.append(QCoreApplication.translate("ProfileHeader", "{0} open").format(
            stats.open_conversations))
    return " · ".join(parts)
