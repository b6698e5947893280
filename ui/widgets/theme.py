"""Light and dark themes: palette, style sheet and tinted SVG icons.

The colours live once, in ``resources/styles/<theme>.json``; the style sheet
(``zuoxi.qss``) and the item delegates both read them, so a painted bubble and a
styled button never disagree. Icons are monochrome SVGs drawn with
``currentColor`` and tinted here for the theme.
"""

from __future__ import annotations

import json
import logging
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from PySide6.QtCore import QByteArray, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QIcon, QPainter, QPalette, QPixmap
from PySide6.QtSvg import QSvgRenderer
from PySide6.QtWidgets import QApplication, QWidget

from core.session.preferences import Preferences, ThemeName, effective_theme

log = logging.getLogger(__name__)

RESOURCES = Path(__file__).resolve().parents[2] / "resources"
STYLES = RESOURCES / "styles"
ICONS = RESOURCES / "icons"


@dataclass(frozen=True)
class Theme:
    name: ThemeName
    colors: dict[str, str]
    scale: float = 1.0  # text and spacing: 1.0-2.0
    easy: bool = False  # larger click targets
    _icon_cache: dict[tuple[str, str, int], QIcon] = field(
        default_factory=dict, compare=False, repr=False
    )

    def px(self, size: int) -> int:
        """A size in pixels at this theme's scale."""
        return round(size * self.scale)

    def color(self, key: str) -> QColor:
        return QColor(self.colors.get(key, "#ff00ff"))

    def icon(self, name: str, color_key: str = "muted", size: int = 24) -> QIcon:
        key = (name, color_key, size)
        cached = self._icon_cache.get(key)
        if cached is None:
            cached = QIcon(tinted_pixmap(name, self.colors.get(color_key, "#888888"), size))
            self._icon_cache[key] = cached
        return cached

    def pixmap(self, name: str, color_key: str = "muted", size: int = 16) -> QPixmap:
        return self.icon(name, color_key, size).pixmap(QSize(size, size))


def load_theme(name: ThemeName, scale: float = 1.0, easy: bool = False) -> Theme:
    path = STYLES / f"{name.value}.json"
    try:
        colors = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        log.warning("cannot read %s (%s); using built-in grey", path, exc)
        colors = {}
    return Theme(name, {str(k): str(v) for k, v in colors.items()}, max(1.0, min(2.0, scale)),
                 easy)


def theme_for(preferences: Preferences) -> Theme:
    return load_theme(effective_theme(preferences), preferences.font_scale / 100,
                      preferences.easy_mode)


# Easy mode: every button, field and tab at least this tall (before scaling).
EASY_TARGET_PX = 28
_EASY_QSS = """
QPushButton, QToolButton, QComboBox, QLineEdit, QSpinBox {{ min-height: {h}px; }}
QPushButton {{ padding-left: {p}px; padding-right: {p}px; }}
QTabBar::tab {{ min-height: {h}px; }}
QCheckBox::indicator, QRadioButton::indicator {{ width: {i}px; height: {i}px;
    border: 2px solid {text}; background: {panel}; border-radius: 4px; }}
QRadioButton::indicator {{ border-radius: {r}px; }}
QCheckBox::indicator:checked, QRadioButton::indicator:checked {{ background: {accent}; }}
QMenu::item {{ padding-top: {p}px; padding-bottom: {p}px; }}
"""


def style_sheet(theme: Theme) -> str:
    try:
        template = (STYLES / "zuoxi.qss").read_text(encoding="utf-8")
    except OSError as exc:
        log.warning("cannot read the style sheet: %s", exc)
        return ""
    text = re.sub(r"\{\{(\w+)\}\}", lambda m: theme.colors.get(m.group(1), "#ff00ff"), template)
    if theme.scale != 1.0:
        # sizes and spacing grow with the text; hairlines (1px) stay hairlines
        def scaled(m: re.Match[str]) -> str:
            value = m.group(1)
            return f"{value if value in ('0', '1') else theme.px(int(value))}px"

        text = re.sub(r"(?<![\w.])(\d+)px", scaled, text)
    if theme.easy:
        text += _EASY_QSS.format(h=theme.px(EASY_TARGET_PX), p=theme.px(8), i=theme.px(16),
                                 r=theme.px(16) // 2 + 2, text=theme.colors.get("text", "#fff"),
                                 panel=theme.colors.get("panel", "#000"),
                                 accent=theme.colors.get("accent", "#ff0"))
    return text


def apply_theme(app: QApplication, theme: Theme) -> None:
    """Install the palette (for native parts) and the style sheet."""
    palette = QPalette()
    roles = {
        QPalette.ColorRole.Window: "window",
        QPalette.ColorRole.WindowText: "text",
        QPalette.ColorRole.Base: "panel",
        QPalette.ColorRole.AlternateBase: "panel_alt",
        QPalette.ColorRole.Text: "text",
        QPalette.ColorRole.Button: "panel",
        QPalette.ColorRole.ButtonText: "text",
        QPalette.ColorRole.Highlight: "accent",
        QPalette.ColorRole.HighlightedText: "accent_text",
        QPalette.ColorRole.PlaceholderText: "muted",
        QPalette.ColorRole.ToolTipBase: "panel",
        QPalette.ColorRole.ToolTipText: "text",
        QPalette.ColorRole.Link: "accent",
    }
    for role, key in roles.items():
        palette.setColor(role, theme.color(key))
    app.setPalette(palette)
    app.setStyleSheet(style_sheet(theme))


def tinted_pixmap(name: str, color: str, size: int) -> QPixmap:
    """Render ``resources/icons/<name>.svg`` at ``size`` px, stroked in ``color``."""
    ratio = 2.0  # crisp on high-DPI screens; Qt scales down elsewhere
    pixmap = QPixmap(int(size * ratio), int(size * ratio))
    pixmap.fill(Qt.GlobalColor.transparent)
    try:
        data = (ICONS / f"{name}.svg").read_text(encoding="utf-8")
    except OSError:
        log.warning("missing icon %s", name)
        return pixmap
    renderer = QSvgRenderer(QByteArray(data.replace("currentColor", color).encode()))
    painter = QPainter(pixmap)
    renderer.render(painter, QRectF(0, 0, size * ratio, size * ratio))
    painter.end()
    pixmap.setDevicePixelRatio(ratio)
    return pixmap


def app_icon() -> QIcon:
    return QIcon(str(ICONS / "zuoxi.svg"))


W = TypeVar("W", bound=QWidget)


def named(widget: W, name: str) -> W:
    """Give a widget the object name the style sheet addresses it by."""
    widget.setObjectName(name)
    return widget
