"""Settings → Telephony against a real PBX (Kamailio with digest auth, in a network
namespace the test creates): "Test registration" says registered for the right
password and "wrong password" (401) for a wrong one, driven from the keyboard;
the password goes to the keyring, never into the settings file."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QPushButton

from core.call.sip_account import RegistrationCheck, RegistrationOutcome, SipAccountSettings
from desktop.credentials import CredentialStore
from desktop.settings import Settings
from desktop.telephony import DesktopTelephony, keyring_key
from testbed.kamailio import Pbx
from testbed.netns import NetNamespace
from tests.integration.test_sip_phone import USERS, pbx
from tests.support.netns import netns
from tests.ui.conftest import MemoryKeyring
from ui.call.telephony_page import TelephonyPage
from ui.settings.settings_dialog import SettingsDialog

__all__ = ["netns", "pbx"]  # fixtures

pytestmark = pytest.mark.serial  # a PBX and registration timers on shared cores


def _telephony(tmp_path: Path) -> DesktopTelephony:
    return DesktopTelephony(Settings(tmp_path / "zuoxi.ini"), CredentialStore())


def _account(pbx: Pbx) -> SipAccountSettings:
    return SipAccountSettings(url=pbx.config.wss_url, username="1001", domain=pbx.config.domain,
                              display_name="李娜", enabled=True, ca_file=str(pbx.certificate))


def _ok(dialog: SettingsDialog) -> QPushButton:
    box = dialog.findChild(QDialogButtonBox)
    assert box is not None
    return box.button(QDialogButtonBox.StandardButton.Ok)


def _press_test_by_keyboard(qtbot: Any, page: TelephonyPage) -> RegistrationCheck:
    with qtbot.waitSignal(page.check_finished, timeout=20_000) as finished:
        page.test_button.setFocus()
        qtbot.keyClick(page.test_button, Qt.Key.Key_Space)
        qtbot.waitUntil(page.progress.isVisible, timeout=2_000)  # progress while it runs
        assert not page.test_button.isEnabled()
    check: RegistrationCheck = finished.args[0]
    assert not page.progress.isVisible() and page.test_button.isEnabled()
    return check


def test_test_registration_says_registered_or_wrong_password(
    qtbot: Any, qloop: asyncio.AbstractEventLoop, netns: NetNamespace, pbx: Pbx, tmp_path: Path,
    memory_keyring: MemoryKeyring,
) -> None:
    telephony = _telephony(tmp_path)
    page = TelephonyPage(_account(pbx), telephony.check, has_password=False)
    qtbot.addWidget(page)
    page.show()
    page.activateWindow()
    qtbot.waitUntil(page.isActiveWindow, timeout=5_000)
    # Every field is reachable with its label's Alt+key.
    page.password.setFocus()
    qtbot.keyClick(page.password, Qt.Key.Key_U, Qt.KeyboardModifier.AltModifier)
    assert QApplication.focusWidget() is page.username

    # No password yet: the page asks for one instead of testing.
    page.test_registration()
    assert "password" in page.result.text()

    qtbot.keyClicks(page.password, USERS["1001"])
    ok = _press_test_by_keyboard(qtbot, page)
    assert (ok.outcome, ok.status) == (RegistrationOutcome.OK, 200)
    assert page.result.text().startswith("✓ Registered")

    page.password.clear()
    qtbot.keyClicks(page.password, "not-the-password")
    wrong = _press_test_by_keyboard(qtbot, page)
    assert (wrong.outcome, wrong.status) == (RegistrationOutcome.WRONG_PASSWORD, 401)
    assert "Wrong user or password" in page.result.text() and "401" in page.result.text()
    assert page.result.objectName() == "WarningText"

    # Nobody listens on this port: unreachable, said as such (not a timeout).
    page.url.setText(f"ws://{pbx.config.address}:1")
    unreachable = _press_test_by_keyboard(qtbot, page)
    assert unreachable.outcome is RegistrationOutcome.UNREACHABLE
    assert "cannot be reached" in page.result.text()


def test_saving_keeps_the_password_in_the_keyring_only(
    qtbot: Any, qloop: asyncio.AbstractEventLoop, netns: NetNamespace, pbx: Pbx, tmp_path: Path,
    memory_keyring: MemoryKeyring,
) -> None:
    from core.session.preferences import Preferences

    telephony = _telephony(tmp_path)
    dialog = SettingsDialog(Preferences(), telephony=telephony.page())
    qtbot.addWidget(dialog)
    page = dialog.telephony_page
    assert page is not None
    page.enabled.setChecked(True)
    page.url.setText("https://not-a-websocket")
    page.username.setText("1001")
    page.domain.setText(pbx.config.domain)
    with qtbot.assertNotEmitted(dialog.telephony_chosen):
        _ok(dialog).click()
    assert dialog.pages.currentWidget() is page and "wss://" in page.result.text()

    account = _account(pbx)
    page.url.setText(account.url)
    page.ca_file.setText(account.ca_file)
    page.display_name.setText(account.display_name)
    page.password.setText(USERS["1001"])
    with qtbot.waitSignal(dialog.telephony_chosen) as chosen:
        _ok(dialog).click()
    telephony.save(*chosen.args)

    assert telephony.account() == account
    assert memory_keyring.store[("zuoxi", f"1001@{keyring_key(account)}")] == USERS["1001"]
    assert USERS["1001"] not in (tmp_path / "zuoxi.ini").read_text()
    # Opened again: the stored password is used, and it works.
    again = telephony.page()
    qtbot.addWidget(again)
    assert again.password.text() == "" and "Stored" in again.password.placeholderText()
    again.show()
    check = _press_test_by_keyboard(qtbot, again)
    assert check.outcome is RegistrationOutcome.OK
