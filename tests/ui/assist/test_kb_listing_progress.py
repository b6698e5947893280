"""The first copy of the knowledge base onto the desktop shows its progress in the main
window's status bar once it has lasted a moment, says that the rest follows when
the link is back, goes on where it stopped and disappears when complete; the
knowledge-base window says it too."""

from __future__ import annotations

import asyncio
import os
from pathlib import Path
from typing import Any

from PySide6.QtCore import QLocale

from core.cache.cache import Cache
from core.chat.preferences import SendKey
from core.protocol import routing as rp
from core.protocol.knowledge import KbArticle, KbArticles, KbLanguage, KbList, KbStatus
from core.protocol.models import AgentInfo
from core.session.agent_service import AgentService
from core.session.preferences import ThemeName
from core.sync.client import ConnectionState, ConnectionStatus
from ui.assist.kb_window import KnowledgeBaseWindow
from ui.shell.main_window import MainWindow
from ui.shell.service_bridge import ServiceBridge
from ui.widgets.theme import load_theme

ME = AgentInfo(id="a-lina", username="lina", display_name="李娜")


def articles(count: int) -> list[KbArticle]:
    return [KbArticle(id=f"a-{i:04d}", title=f"退货政策 {i}", body=f"# 退货\n\n第 {i} 条。",
                      language=KbLanguage.ZH, tags=[], status=KbStatus.PUBLISHED, version=1,
                      author="wang", updated_at=1, answer=f"第 {i} 条。")
            for i in range(count)]


class Requests:
    def __init__(self) -> None:
        self.sent: list[KbList] = []

    def __call__(self, frame: Any) -> bool:
        self.sent.append(frame)
        return True


def screenshots(window: MainWindow, name: str) -> None:
    """With ZUOXI_SCREENSHOTS naming a folder: the window at both sizes saved there."""
    folder = os.environ.get("ZUOXI_SCREENSHOTS", "")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        for width, height in ((1366, 768), (1920, 1080)):
            window.resize(width, height)
            window.grab().save(str(Path(folder) / f"{name}-{width}x{height}.png"))


def test_the_listing_s_progress_shows_then_goes(
        qtbot: Any, qloop: asyncio.AbstractEventLoop) -> None:
    service = AgentService(Cache(":memory:"), ME)
    service.routing_frame_received(rp.RoutingConfig(
        role=rp.AgentRole.AGENT, queues=[], all_queues=[], away_reasons=[],
        offer_timeout_s={}))
    requests = Requests()
    service.knowledge.attach(requests)
    window = MainWindow(ServiceBridge(service), load_theme(ThemeName.LIGHT), SendKey.ENTER)
    qtbot.addWidget(window)
    window.show()
    progress = window.kb_progress
    hub = articles(2_345)

    service.connection_changed(ConnectionStatus(ConnectionState.ONLINE))
    service.knowledge.went_live()
    first = requests.sent[-1]
    assert first.after is None
    service.profile_frame_received(KbArticles(op=first.op, articles=hub[:50],
                                              next_after=hub[49].id, total=len(hub)))
    assert not progress.isVisible()  # not for a moment
    qtbot.waitUntil(progress.isVisible, timeout=5_000)
    total = QLocale().toString(len(hub))  # 2,345 or 2345, as the locale writes it
    assert progress.label.text() == ("Copying the knowledge base for offline search: "
                                     f"50 of {total}")
    assert (progress.bar.value(), progress.bar.maximum()) == (50, len(hub))
    kb = window.open_knowledge_base()
    qtbot.waitUntil(lambda: f"copying from the hub: 50 of {total}" in kb.count.text())
    assert isinstance(kb, KnowledgeBaseWindow) and kb.model.rowCount() == 50
    screenshots(window, "kb-listing-progress")

    # The link drops: the copy waits, and says so.
    service.connection_changed(ConnectionStatus(ConnectionState.RECONNECTING))
    qtbot.waitUntil(lambda: "the rest follows when online" in progress.label.text())
    assert progress.isVisible()

    # Back online: it goes on after the last page stored, to the end.
    service.connection_changed(ConnectionStatus(ConnectionState.ONLINE))
    service.knowledge.went_live()
    asked = requests.sent[-1]
    assert asked.after == hub[49].id
    start = 50
    while True:
        page = hub[start:start + 50]
        start += 50
        more = start < len(hub)
        service.profile_frame_received(KbArticles(
            op=asked.op, articles=page, next_after=page[-1].id if more else None,
            total=len(hub)))
        if not more:
            break
        # the next page is asked for while this one is stored, in steps of the loop
        qtbot.waitUntil(lambda: requests.sent[-1].after == page[-1].id)  # noqa: B023
        asked = requests.sent[-1]
    qtbot.waitUntil(lambda: not progress.isVisible(), timeout=5_000)
    assert service.knowledge.is_listed() and service.knowledge.listing_progress() is None
    qtbot.waitUntil(lambda: kb.model.rowCount() == len(hub), timeout=5_000)
    assert "copying" not in kb.count.text()
