"""One call is one line in its conversation, also after the wrap-up (which adds only
its disposition and note); without an audio device the call panel says so while the
call lasts, and no banner repeats the status bar's note or outlives the call.

The whole desktop takes a real call through a real hub in a private network
namespace (aioice ignores loopback); this machine has no audio device.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from core.call.audio_io import ToneSource
from core.protocol.models import Channel, MessageAuthor
from desktop.app import DesktopApp
from hub.demo.simulator import SimCustomer
from testbed.netns import NetNamespace
from tests.conftest import HubProcess
from tests.support.netns import netns  # noqa: F401 - fixture
from tests.ui.conftest import run
from tests.ui.desktop_runner import running_desktop
from tests.ui.shell.test_desktop_flow import signed_in


@pytest.fixture
def call_hub(netns: NetNamespace, make_hub: Callable[..., HubProcess]) -> HubProcess:  # noqa: F811
    return make_hub()


@pytest.fixture
def call_desktop(qapp: Any, qloop: asyncio.AbstractEventLoop, qtbot: Any, call_hub: HubProcess,
                 tmp_path: Path) -> Iterator[DesktopApp]:
    with running_desktop(qapp, qtbot, call_hub.url, tmp_path) as app:
        yield app


def test_a_wrapped_up_call_is_one_line_and_the_silence_is_said_once(
    qtbot: Any, qloop: asyncio.AbstractEventLoop, call_hub: HubProcess,
    call_desktop: DesktopApp,
) -> None:
    signed_in(qtbot, call_desktop)
    assert call_desktop.signed is not None
    window, service = call_desktop.signed.window, call_desktop.signed.service
    customer = SimCustomer(call_hub.customer_ws_url, name="王芳")
    run(qtbot, qloop, customer.connect())
    phone = customer.phone_with(ToneSource(440))
    run(qtbot, qloop, phone.call())
    qtbot.waitUntil(window.call_toast.isVisible, timeout=15_000)
    window.answer_call_or_offer()
    run(qtbot, qloop, asyncio.wait_for(phone.answered.wait(), 15))
    panel = window.call_panel
    qtbot.waitUntil(lambda: panel.isVisible() and "MOS" in panel.quality.text(), timeout=15_000)
    # the silence is said where the call is, not in a banner over the work
    assert "no audio device" in panel.state.text()
    assert not window.notice_bar.isVisible()

    desk = window.call_desk
    assert desk is not None
    desk.hang_up()
    qtbot.waitUntil(lambda: desk.wrap_up is not None and desk.wrap_up.isVisible(),
                    timeout=10_000)
    [voice] = [i for i in service.inbox() if i.channel is Channel.VOICE]

    def lines() -> list[str]:
        return [m.text for m in service.messages(voice.conversation_id)
                if m.author is MessageAuthor.SYSTEM]

    qtbot.waitUntil(lambda: any("Inbound call" in line for line in lines()), timeout=10_000)
    dialog = desk.wrap_up
    assert dialog is not None
    codes = [dialog.disposition.itemData(i) for i in range(dialog.disposition.count())]
    dialog.disposition.setCurrentIndex(codes.index("resolved"))
    dialog.note.setPlainText("已处理")
    dialog.save()
    qtbot.waitUntil(lambda: any("已处理" in line for line in lines()), timeout=10_000)
    assert sum("Inbound call" in line for line in lines()) == 1, lines()
    assert not panel.isVisible() or "no audio device" not in panel.state.text()
    assert not window.notice_bar.isVisible()
    run(qtbot, qloop, customer.disconnect())
