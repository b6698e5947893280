"""The email view renders untrusted HTML without a single network request; "Load
images" fetches exactly that message's images; links only say where they go."""

from __future__ import annotations

import asyncio
from typing import Any

from PySide6.QtCore import QSize, QUrl
from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import QApplication, QPushButton

from core.cache.cache import Cache
from core.protocol.agent import Event
from core.protocol.email import EmailAttachment, EmailReceived
from core.session.agent_service import AgentService
from tests.core.email_factories import email_assigned, inbound
from tests.data.xss_corpus import CORPUS
from tests.support.recording_http import PIXEL, recording_server
from ui.email.browser import SafeBrowser
from ui.email.view import EmailView
from ui.shell.service_bridge import ServiceBridge

T0 = 1_700_000_000_000


def service_with_mails(bodies: list[str]) -> AgentService:
    service = AgentService(Cache(":memory:"))
    events = [Event(seq=1, ts=0, body=email_assigned("e1", messages=[]))]
    for i, body in enumerate(bodies):
        message, details = inbound(f"m{i}", html=body, at=T0 + i * 1000, text=f"mail {i}")
        events.append(Event(seq=2 + i, ts=0, body=EmailReceived(message, details)))
    service.events_received(events)
    return service


def rendered(qtbot: Any, browsers: list[SafeBrowser]) -> None:
    """Lay out and paint every browser now, so each asks (through loadResource) for
    every resource it shows; then wait until each fetch it started is answered. From
    then on the server has seen every request the browsers made."""
    for browser in browsers:
        browser.document().size()  # a full layout
        browser.grab()
    qtbot.waitUntil(lambda: all(b.fetching == 0 for b in browsers), timeout=5000)


def test_xss_corpus_makes_no_request(qtbot: Any, qapp: QApplication,
                                     qloop: asyncio.AbstractEventLoop) -> None:
    with recording_server() as server:
        service = service_with_mails([c.format(base=server.base) for c in CORPUS])
        view = EmailView(ServiceBridge(service), "e1")
        qtbot.addWidget(view)
        view.resize(900, 700)
        view.show()
        cards = view.cards()
        assert len(cards) == len(CORPUS)
        assert [c.expanded for c in cards] == [False] * (len(CORPUS) - 1) + [True]
        for card in cards:
            card.set_expanded(True)  # render every body
        browsers = [c.browser for c in cards if c.browser is not None]
        assert len(browsers) == len(CORPUS)
        rendered(qtbot, browsers)
        assert server.snapshot() == []
        html = "".join(b.toHtml() for b in browsers).lower()
        assert "<script" not in html and "onerror" not in html and "javascript:" not in html
        # The remote images were asked for and refused, as placeholders.
        assert not any(server.base in r for b in browsers for r in b.refusals)
        service.events_received([])


def test_load_images_fetches_exactly_that_messages_images(
        qtbot: Any, qapp: QApplication, qloop: asyncio.AbstractEventLoop) -> None:
    with recording_server() as server:
        service = service_with_mails([
            f'<p>older</p><img src="{server.base}/older.png">',
            f'<p>newest</p><img src="{server.base}/tracker.png?id=42">'
            f'<div style="background:url({server.base}/css.png)">x</div>',
        ])
        view = EmailView(ServiceBridge(service), "e1")
        qtbot.addWidget(view)
        view.show()
        older, newest = view.cards()
        older.set_expanded(True)
        rendered(qtbot, [c.browser for c in (older, newest) if c.browser is not None])
        assert server.snapshot() == []
        button = newest.findChild(QPushButton, "LoadImagesButton")
        assert button is not None and older.findChild(QPushButton, "LoadImagesButton")
        button.click()
        qtbot.waitUntil(lambda: len(server.snapshot()) == 1, timeout=5000)
        rendered(qtbot, [c.browser for c in (older, newest) if c.browser is not None])
        assert server.snapshot() == ["/tracker.png?id=42"]
        assert newest.findChild(QPushButton, "LoadImagesButton") is None


def test_links_show_their_target_and_never_navigate(
        qtbot: Any, qloop: asyncio.AbstractEventLoop) -> None:
    service = service_with_mails(
        ['<a href="https://evil.example/login">https://bank.example.com</a>'])
    view = EmailView(ServiceBridge(service), "e1")
    qtbot.addWidget(view)
    view.show()
    [card] = view.cards()
    browser = card.browser
    assert isinstance(browser, SafeBrowser)
    assert not browser.openLinks() and not browser.openExternalLinks()
    browser.highlighted.emit(QUrl("https://evil.example/login"))
    assert "https://evil.example/login" in view.link_label.text()
    assert browser.open_link(QUrl("file:///etc/passwd")) is False
    assert browser.source().isEmpty()  # never navigated


def test_browser_refuses_remote_and_local_urls_even_unsanitised(
        qtbot: Any, qapp: QApplication, qloop: asyncio.AbstractEventLoop) -> None:
    """Defence in depth: raw HTML straight into the browser still loads nothing."""
    with recording_server() as server:
        browser = SafeBrowser()
        qtbot.addWidget(browser)
        browser.show()
        browser.setHtml(f'<img src="{server.base}/raw.png"><img src="file:///etc/hostname">'
                        f'<img src="qrc:/x.png">')
        rendered(qtbot, [browser])
        assert server.snapshot() == []
        assert f"{server.base}/raw.png" in browser.refusals
        assert "file:///etc/hostname" in browser.refusals


def test_unfolding_a_mail_downloads_its_inline_images_and_shows_them(
        qtbot: Any, qapp: QApplication, qloop: asyncio.AbstractEventLoop) -> None:
    logo = EmailAttachment(id="att-logo", filename="logo.png", content_type="image/png",
                           size=len(PIXEL), content_id="logo", inline=True)
    with recording_server() as server:
        service = AgentService(Cache(":memory:"))
        older = inbound("m0", html='<p>older</p><img src="cid:logo">', at=T0,
                        attachments=[logo])
        newest = inbound("m1", html="<p>newest</p>", at=T0 + 1000)
        service.events_received([Event(seq=1, ts=0, body=email_assigned("e1", messages=[])),
                                 Event(seq=2, ts=0, body=EmailReceived(*older)),
                                 Event(seq=3, ts=0, body=EmailReceived(*newest))])
        service.email.set_hub(server.base, "token")
        view = EmailView(ServiceBridge(service), "e1")
        qtbot.addWidget(view)
        view.show()
        older_card, _newest_card = view.cards()
        older_card.set_expanded(True)
        qtbot.waitUntil(lambda: server.snapshot() == ["/api/email/attachments/att-logo"],
                        timeout=5000)
        browser = older_card.browser
        assert browser is not None
        # Once downloaded, the cid: image is the mail's own picture, not the placeholder.
        qtbot.waitUntil(lambda: browser.loadResource(
            QTextDocument.ResourceType.ImageResource.value, QUrl("cid:logo")).size()
            == QSize(1, 1), timeout=5000)
