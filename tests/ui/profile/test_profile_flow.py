"""The customer panel against a real hub: a screen pop on an incoming chat, edits
that reach the hub, and search over the cache with the hub stopped."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt

from core.protocol import profile as pp
from desktop.app import DesktopApp
from hub.demo.simulator import SimCustomer
from hub.process import HubProcess
from testbed.agent_probe import AgentProbe
from tests.ui.conftest import run
from tests.ui.routing_helpers import auto_accept_hub
from tests.ui.shell.test_desktop_flow import signed_in
from tests.ui.shell.test_offline_flow import close, make_desktop


@pytest.fixture
def hub(make_hub: Callable[..., HubProcess], tmp_path: Path) -> HubProcess:
    """Chats are assigned at once here (offers have their own tests)."""
    return auto_accept_hub(make_hub, tmp_path)

@pytest.fixture
def desktop(qapp: Any, qloop: asyncio.AbstractEventLoop, qtbot: Any, hub: HubProcess,
            tmp_path: Path) -> Iterator[DesktopApp]:
    app = make_desktop(qapp, hub, tmp_path)
    yield app
    close(qtbot, app)


def incoming_chat(qtbot: Any, loop: asyncio.AbstractEventLoop, hub: HubProcess, name: str,
                  text: str) -> SimCustomer:
    customer = SimCustomer(hub.customer_ws_url, name=name)
    run(qtbot, loop, customer.connect())
    run(qtbot, loop, customer.send(text))
    return customer


def test_screen_pop_on_an_incoming_chat(qtbot: Any, qloop: asyncio.AbstractEventLoop,
                                        hub: HubProcess, desktop: DesktopApp) -> None:
    signed_in(qtbot, desktop)
    assert desktop.signed is not None
    window, service = desktop.signed.window, desktop.signed.service
    incoming_chat(qtbot, qloop, hub, "欧阳娜娜", "你好，我的订单还没有发货")
    toast = window.screen_pop_toast
    qtbot.waitUntil(toast.isVisible, timeout=15_000)
    pop = toast.pop
    assert pop is not None and "欧阳娜娜" in toast.title.text()
    panel = window.customer_panel
    qtbot.waitUntil(lambda: panel.customer_id == pop.customer_id, timeout=5_000)
    assert panel.header.name.text() == "欧阳娜娜"
    model = panel.timeline.model
    qtbot.waitUntil(lambda: any(model.entry(r) and model.entry(r).id == pop.conversation_id  # type: ignore[union-attr]
                                for r in range(model.rowCount())), timeout=5_000)
    # opening it from the notice selects the conversation
    qtbot.mouseClick(toast.open_button, Qt.MouseButton.LeftButton)
    panel_tab = window.current_panel()
    assert panel_tab is not None and panel_tab.conversation_id == pop.conversation_id
    assert service.profiles.profile(pop.customer_id) is not None


def test_attribute_and_note_edits_reach_the_hub(qtbot: Any, qloop: asyncio.AbstractEventLoop,
                                                hub: HubProcess, desktop: DesktopApp) -> None:
    signed_in(qtbot, desktop)
    assert desktop.signed is not None
    window, service = desktop.signed.window, desktop.signed.service
    incoming_chat(qtbot, qloop, hub, "Emma Walker", "Hello, a question about my invoice")
    panel = window.customer_panel
    qtbot.waitUntil(lambda: panel.customer_id is not None, timeout=15_000)
    customer_id = panel.customer_id
    assert customer_id is not None
    qtbot.waitUntil(lambda: "city" in panel.details._editors, timeout=5_000)  # profile_config
    panel.tabs.setCurrentIndex(1)
    city = panel.details._editors["city"]
    city.setText("杭州")  # type: ignore[attr-defined]
    city.editingFinished.emit()  # type: ignore[attr-defined]
    panel.tabs.setCurrentIndex(2)
    panel.notes.editor.setPlainText("Wants the invoice re-issued to her company")
    qtbot.mouseClick(panel.notes.save, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: service.outbox_size() == 0, timeout=10_000)
    notes = service.profiles.profile(customer_id).notes  # type: ignore[union-attr]
    assert [n.state.name for n in notes] == ["SYNCED"]

    async def at_hub() -> pp.CustomerFrame:
        probe = await AgentProbe.logged_in(hub.url, "lina")
        op = uuid.uuid4().hex
        await probe.send(pp.FetchCustomer(op=op, customer_id=customer_id))
        frame = await probe.wait_for(lambda: next(
            (f for f in probe.frames if isinstance(f, pp.CustomerFrame) and f.op == op), None))
        await probe.close()
        return frame  # type: ignore[no-any-return]

    frame = run(qtbot, qloop, at_hub())
    assert frame.customer.attributes.get("city") == "杭州"
    assert [n.text for n in frame.customer.notes] == [
        "Wants the invoice re-issued to her company"]
    assert frame.customer.notes[0].author_name  # the hub knows who wrote it


def test_offline_search_over_cached_data_with_the_hub_stopped(
        qtbot: Any, qloop: asyncio.AbstractEventLoop, hub: HubProcess,
        desktop: DesktopApp) -> None:
    signed_in(qtbot, desktop)
    assert desktop.signed is not None
    window, service = desktop.signed.window, desktop.signed.service
    customer = incoming_chat(qtbot, qloop, hub, "司马光明", "请问退款什么时候到账？订单 77120")
    qtbot.waitUntil(lambda: window.inbox.inbox_model.rowCount() == 1, timeout=15_000)
    conversation_id = customer.conversation_id
    hub.stop()
    qtbot.waitUntil(lambda: window.offline_banner.isVisibleTo(window), timeout=15_000)
    popup = window.open_search()
    popup.box.insert("退款什么时候")  # Chinese substring of the message, offline
    assert popup.results.count() == 2
    hit = popup._hits[0]
    assert hit.name == "司马光明" and hit.messages[0].conversation_id == conversation_id
    popup.box.clear()
    popup.box.insert("马光明")  # a substring of the name
    assert popup._hits[0].name == "司马光明"
    window.customer_panel.show_customer(None)
    qtbot.keyClick(popup.box, Qt.Key.Key_Return)
    assert window.customer_panel.customer_id == hit.customer_id
    assert service.connection.state.name != "ONLINE"
