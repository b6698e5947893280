"""Notification sound volume and mute: set in Settings, kept in the settings file."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from core.session.preferences import Preferences
from desktop.settings import Settings
from ui.settings.settings_dialog import SettingsDialog


def test_volume_and_mute_are_chosen_and_remembered(qtbot: Any, tmp_path: Path) -> None:
    settings = Settings(tmp_path / "settings.ini")
    assert (settings.preferences().alert_volume, settings.preferences().alert_muted) == (70, False)
    dialog = SettingsDialog(settings.preferences())
    qtbot.addWidget(dialog)
    dialog.alert_volume.setValue(35)
    dialog.alert_muted.setChecked(True)
    assert not dialog.alert_volume.isEnabled()
    chosen: list[Preferences] = []
    dialog.preferences_chosen.connect(chosen.append)
    dialog._accept()
    settings.save_preferences(chosen[0])
    again = Settings(tmp_path / "settings.ini").preferences()
    assert (again.alert_volume, again.alert_muted) == (35, True)


def test_a_volume_out_of_range_in_the_file_falls_back(tmp_path: Path) -> None:
    path = tmp_path / "settings.ini"
    path.write_text("[alerts]\nvolume=250\n", encoding="utf-8")
    assert Settings(path).preferences().alert_volume == 70
