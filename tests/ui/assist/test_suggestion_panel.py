"""The suggestion panel when sets follow each other (one per customer message): a
new set redraws the cards' text and nothing else — no card changes size whatever
its title or answer, an unchanged suggestion is not set again, and a long title is
one elided line with the whole title in its tooltip."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, QObject, QPoint
from PySide6.QtGui import QHelpEvent
from PySide6.QtWidgets import QApplication

from core.cache.cache import Cache
from core.protocol.agent import Event
from core.protocol.assist import AssistSuggestions, Suggestion, SuggestionKind
from core.protocol.models import AgentInfo
from core.session.agent_service import AgentService
from ui.assist.suggestion_panel import SuggestionPanel
from ui.shell.service_bridge import ServiceBridge

LONG = ("如何申请退货退款以及退款多久到账、运费由谁承担、哪些商品不支持七天无理由退货 "
        "and what happens to a gift card paid order when it is returned after the promotion")


def item(n: int, title: str, text: str = "Answer") -> Suggestion:
    return Suggestion(kind=SuggestionKind.ARTICLE, id=f"a{n}", title=title, text=text,
                      score=0.8, matched=["退货"])


class Desk:
    def __init__(self, qtbot: Any) -> None:
        self.service = AgentService(Cache(":memory:"), AgentInfo(
            id="a", username="lina", display_name="李娜"))
        self.seq = 0
        self.panel = SuggestionPanel(ServiceBridge(self.service))
        qtbot.addWidget(self.panel)
        self.panel.resize(380, 520)
        self.panel.show_conversation("c1")

    def arrive(self, message_id: str, *items: Suggestion) -> None:
        self.seq += 1
        self.service.events_received([Event(seq=self.seq, ts=self.seq, body=AssistSuggestions(
            conversation_id="c1", message_id=message_id, items=list(items)))])


def geometry(panel: SuggestionPanel) -> list[tuple[int, int, int, int]]:
    return [(c.x(), c.y(), c.width(), c.height()) for c in panel.cards]


def test_new_sets_do_not_change_any_card_size(qtbot: Any) -> None:
    desk = Desk(qtbot)
    desk.arrive("m1", item(1, "退货"), item(2, "Refunds"), item(3, "发票"))
    desk.panel.show()
    qtbot.waitExposed(desk.panel)
    QApplication.processEvents()
    before = geometry(desk.panel)
    resized: list[str] = []

    class Resizes(QObject):
        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            if event.type() == QEvent.Type.Resize:
                resized.append(type(watched).__name__)
            return False

    watcher = Resizes()
    for card in desk.panel.cards:
        for child in [card, card.title, card.why, card.answer]:
            child.installEventFilter(watcher)
    desk.arrive("m2", item(4, LONG, LONG * 3), item(5, "短"), item(6, LONG))
    QApplication.processEvents()
    assert desk.panel.cards[0].title.text().endswith(LONG)
    assert geometry(desk.panel) == before
    assert resized == []


def test_an_unchanged_suggestion_is_not_set_again(qtbot: Any) -> None:
    desk = Desk(qtbot)
    desk.arrive("m1", item(1, "退货"), item(2, "Refunds"))
    card = desk.panel.cards[0]
    assert card.shown is not None
    answer_doc = card.answer.document()
    revision = answer_doc.revision()
    # the same answers again for the next message: the first card is not touched
    assert card.show_item(item(1, "退货"), None) is False
    desk.arrive("m2", item(1, "退货"), item(3, "发票"))
    assert card.answer.document().revision() == revision
    assert desk.panel.cards[1].shown is not None
    assert desk.panel.cards[1].shown[0].id == "a3"
    assert desk.panel.suggested is not None and desk.panel.suggested.message_id == "m2"
    # fewer items: the third card is hidden and forgets what it showed
    desk.arrive("m3", item(7, "物流"))
    assert [c.isVisibleTo(desk.panel) for c in desk.panel.cards] == [True, False, False]
    assert desk.panel.cards[1].shown is None


def test_a_long_title_is_one_elided_line_with_the_whole_title_as_tooltip(qtbot: Any) -> None:
    desk = Desk(qtbot)
    desk.arrive("m1", item(1, LONG))
    desk.panel.show()
    qtbot.waitExposed(desk.panel)
    title = desk.panel.cards[0].title
    assert title.is_elided()
    assert title.height() <= title.fontMetrics().height() + 4
    assert title.toolTip() == ""  # made when asked for
    QApplication.sendEvent(title, QHelpEvent(QEvent.Type.ToolTip, QPoint(5, 5),
                                             title.mapToGlobal(QPoint(5, 5))))
    assert LONG in title.toolTip()
