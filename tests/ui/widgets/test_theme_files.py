"""The theme finds its style sheets and icons wherever the package sits."""

from __future__ import annotations

from ui.widgets.theme import ICONS, STYLES


def test_theme_folders_hold_the_icons_and_styles() -> None:
    assert (ICONS / "zuoxi.svg").is_file()
    assert any(STYLES.glob("*.qss"))
