"""The main window's menus; every action also works as a shortcut with the menu bar hidden.

Kept apart from ``MainWindow`` so the window module holds layout and state only.
The texts keep the ``MainWindow`` translation context.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QAction, QKeySequence

from core.protocol.models import Presence
from core.protocol.routing import AwayReason
from ui.call.call_desk import fill_call_menu
from ui.routing.presence_control import away_reason_name

if TYPE_CHECKING:
    from ui.shell.main_window import MainWindow


translate = QCoreApplication.translate  # lupdate reads translate("MainWindow", …) calls
# Reach out to the customer the side panel shows (also in its ⋯ menu).
REACH_OUT_SHORTCUT = "Ctrl+Alt+O"  # Alt+Shift+… keys are the supervisor's


def build_menus(window: MainWindow) -> QAction:
    """Fill the menu bar; returns the "open the customer chat page" action."""
    act = window.add_shortcut_action
    menu = window.menuBar()
    file_menu = menu.addMenu(translate("MainWindow", "&File"))
    file_menu.addAction(act(translate("MainWindow", "&Settings…"), "Ctrl+,",
                            window.settings_requested.emit))
    file_menu.addAction(act(translate("MainWindow", "&Audio devices…"), None,
                            window.audio_settings_requested.emit))
    file_menu.addSeparator()
    file_menu.addAction(act(translate("MainWindow", "Sign &out"), None,
                            window.sign_out_requested.emit))
    file_menu.addAction(act(translate("MainWindow", "&Quit"), "Ctrl+Q",
                            window.quit_requested.emit))

    conv = menu.addMenu(translate("MainWindow", "&Conversation"))
    conv.addAction(act(translate("MainWindow", "&Next conversation"), "Alt+Down",
                       lambda: window.inbox.step(1)))
    conv.addAction(act(translate("MainWindow", "&Previous conversation"), "Alt+Up",
                       lambda: window.inbox.step(-1)))
    conv.addAction(act(translate("MainWindow", "Focus the &reply box"), "Ctrl+L",
                       window.focus_composer))
    conv.addSeparator()
    routing = window.routing
    # Ctrl+Shift+A / Ctrl+Shift+D live in the Call menu: a ringing call first, else the offer.
    conv.addAction(act(translate("MainWindow", "&Accept the offer"), None,
                       routing.offer_toast.accept_current))
    conv.addAction(act(translate("MainWindow", "&Decline the offer…"), None,
                       routing.offer_toast.open_decline_menu))
    conv.addAction(act(translate("MainWindow", "T&ransfer…"), "Ctrl+Shift+T",
                       lambda: routing.open_transfer()))
    conv.addAction(act(translate("MainWindow", "&Pick from the queue"), "Ctrl+Shift+P",
                       routing.pick_next))
    conv.addSeparator()
    conv.addAction(act(translate("MainWindow", "&Close conversation"), "Ctrl+Shift+W",
                       window.close_current_conversation))
    conv.addAction(act(translate("MainWindow", "Close &tab"), "Ctrl+W",
                       lambda: window.tabs.close_tab(window.tabs.currentIndex())))
    conv.addSeparator()
    conv.addAction(act(translate("MainWindow", "New &follow-up…"), "Ctrl+Shift+J",
                       window.followups.open_new_dialog))
    conv.addAction(act(translate("MainWindow", "Follow-up &list"), "Ctrl+Shift+L",
                       window.followups.focus_list))
    conv.addSeparator()
    conv.addAction(act(translate("MainWindow", "&Walk-in customer…"), "Ctrl+Shift+N",
                       window.walk_in_requested.emit))
    conv.addAction(act(translate("MainWindow", "Reach &out to the customer…"),
                       REACH_OUT_SHORTCUT, window.customers.open_reach_out))
    conv.addAction(act(translate("MainWindow", "&Search customers and messages…"), "Ctrl+K",
                       window.open_search))
    conv.addAction(act(translate("MainWindow", "&Knowledge base…"), "F1",
                       window.open_knowledge_base))

    fill_call_menu(menu.addMenu(translate("MainWindow", "Ca&ll")), act,
                   lambda: window.call_desk, window.call_current_customer,
                   window.answer_call_or_offer, window.decline_call_or_offer)

    presence = menu.addMenu(translate("MainWindow", "&Presence"))
    presence.addAction(act(translate("MainWindow", "&Available"), "Ctrl+1",
                           lambda: window.choose_presence(Presence.AVAILABLE)))
    presence.addAction(act(translate("MainWindow", "A&way"), "Ctrl+2",
                           lambda: window.choose_presence(Presence.AWAY)))
    away = presence.addMenu(translate("MainWindow", "Away &because"))

    def away_because(reason: AwayReason) -> Callable[[], None]:
        return lambda: window.choose_presence(Presence.AWAY, reason)

    for reason in AwayReason:
        away.addAction(act(away_reason_name(reason), None, away_because(reason)))
    presence.addAction(act(translate("MainWindow", "&Offline"), "Ctrl+3",
                           lambda: window.choose_presence(Presence.OFFLINE)))

    view_menu = menu.addMenu(translate("MainWindow", "&View"))
    queues = routing.queue_dock.toggleViewAction()
    queues.setText(translate("MainWindow", "&Queues"))
    queues.setShortcut(QKeySequence("Ctrl+Shift+U"))
    view_menu.addAction(queues)
    view_menu.addSeparator()
    for supervise in (window.supervision.action, window.supervision.wallboard_action):
        view_menu.addAction(supervise)  # visible to supervisors and admins only
        window.addAction(supervise)
    view_menu.addSeparator()
    for quality in (window.quality.scores_action, window.quality.review_action):
        view_menu.addAction(quality)  # the review: supervisors and admins only
        window.addAction(quality)

    help_menu = menu.addMenu(translate("MainWindow", "&Help"))
    open_widget = act(translate("MainWindow", "Open the customer chat page"), None,
                      window.open_widget)
    open_widget.setEnabled(False)
    help_menu.addAction(open_widget)
    help_menu.addSeparator()
    help_menu.addAction(act(translate("MainWindow", "&Keyboard shortcuts"), "Ctrl+/",
                            window.open_shortcut_sheet))
    help_menu.addAction(act(translate("MainWindow", "Check cache &consistency"), None,
                            window.consistency_check_requested.emit))
    return open_widget
