"""A QTextBrowser for untrusted mail: it shows sanitised HTML and fetches nothing by
itself.

``loadResource`` is the only way a QTextDocument gets an image or style sheet; here
it answers ``cid:`` from the message's downloaded inline parts, ``data:`` images
from the URL itself, the sanitiser's ``zuoxi-blocked:N`` placeholders with a grey
box, and refuses everything else — remote URLs, ``file:``, ``qrc:`` — unless the
agent pressed "Load images" for this message, and then only the images that the
sanitiser listed for it, fetched once with QNetworkAccessManager. Links never
navigate inside: hovering shows the real target, clicking asks the system browser.
Thread: the GUI thread.
"""

from __future__ import annotations

import base64
import logging
from collections.abc import Callable

from PySide6.QtCore import QByteArray, QUrl, Signal
from PySide6.QtGui import QColor, QDesktopServices, QImage, QTextDocument
from PySide6.QtNetwork import QNetworkAccessManager, QNetworkReply, QNetworkRequest
from PySide6.QtWidgets import QFrame, QTextBrowser, QWidget

from core.email.html_sanitiser import BLOCKED_SCHEME, DATA_IMAGE, SafeHtml

log = logging.getLogger(__name__)

CidSource = Callable[[str], bytes | None]
MAX_REMOTE_IMAGE_BYTES = 5 * 1024 * 1024
OPENABLE_SCHEMES = frozenset({"http", "https", "mailto"})


def _placeholder(width: int = 96, height: int = 64) -> QImage:
    image = QImage(width, height, QImage.Format.Format_ARGB32)
    image.fill(QColor("#d9dde3"))
    return image


class SafeBrowser(QTextBrowser):
    """Shows one mail's sanitised HTML; see the module docstring for what it loads."""

    link_hovered = Signal(str)  # the real target ("" when the pointer left the link)
    refused = Signal(str)  # a URL the document asked for and did not get
    image_loaded = Signal(str)  # an allowed remote image arrived

    def __init__(self, cid_source: CidSource | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setOpenLinks(False)
        self.setOpenExternalLinks(False)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self._cid_source = cid_source
        self._allowed: frozenset[str] = frozenset()
        self._requested: set[str] = set()
        self._network: QNetworkAccessManager | None = None
        self.refusals: list[str] = []
        self.fetching = 0  # remote images asked for and not answered yet
        self.anchorClicked.connect(self.open_link)
        self.highlighted.connect(lambda url: self.link_hovered.emit(url.toString()))

    def show_html(self, safe: SafeHtml, *, remote_allowed: bool = False) -> None:
        """Show a sanitised body; remote images only when allowed for this message."""
        self._allowed = frozenset(safe.remote_images) if remote_allowed else frozenset()
        self.setHtml(safe.html)

    def set_cid_source(self, source: CidSource | None) -> None:
        self._cid_source = source

    # ---- resources ----------------------------------------------------------------------

    def loadResource(self, kind: int, url: QUrl | str) -> QImage | None:
        qurl = url if isinstance(url, QUrl) else QUrl(url)
        scheme = qurl.scheme().lower()
        text = qurl.toString()
        if kind != QTextDocument.ResourceType.ImageResource.value:
            self._refuse(text)  # style sheets and anything else: never
            return None
        if scheme == BLOCKED_SCHEME:
            return _placeholder()
        if scheme == "cid":
            data = self._cid_source(qurl.path()) if self._cid_source else None
            image = QImage.fromData(QByteArray(data)) if data else QImage()
            return image if not image.isNull() else _placeholder()
        if scheme == "data" and DATA_IMAGE.match(text):
            payload = text.split(",", 1)[1]
            try:
                return QImage.fromData(QByteArray(base64.b64decode(payload)))
            except ValueError:
                return _placeholder()
        if scheme in ("http", "https") and text in self._allowed:
            self._fetch(qurl)
            return _placeholder()
        self._refuse(text)
        return None

    def _refuse(self, text: str) -> None:
        self.refusals.append(text)
        self.refused.emit(text)

    def _fetch(self, url: QUrl) -> None:
        key = url.toString()
        if key in self._requested:
            return
        self._requested.add(key)
        if self._network is None:
            self._network = QNetworkAccessManager(self)
        request = QNetworkRequest(url)
        request.setAttribute(QNetworkRequest.Attribute.RedirectPolicyAttribute,
                             QNetworkRequest.RedirectPolicy.NoLessSafeRedirectPolicy)
        reply = self._network.get(request)
        self.fetching += 1
        reply.finished.connect(lambda: self._fetched(reply, url))

    def _fetched(self, reply: QNetworkReply, url: QUrl) -> None:
        self.fetching -= 1
        reply.deleteLater()
        if reply.error() != QNetworkReply.NetworkError.NoError:
            log.info("email image not loaded: %s", reply.errorString())
            return
        data = reply.read(MAX_REMOTE_IMAGE_BYTES)
        image = QImage.fromData(data)
        if image.isNull():
            return
        document = self.document()
        document.addResource(QTextDocument.ResourceType.ImageResource.value, url, image)
        # Lay the document out again so the placeholder gives way to the picture.
        document.markContentsDirty(0, document.characterCount())
        self.viewport().update()
        self.image_loaded.emit(url.toString())

    # ---- links --------------------------------------------------------------------------

    def open_link(self, url: QUrl) -> bool:
        """A click on a link: the system browser (or mail client) opens it; we never do."""
        if url.scheme().lower() not in OPENABLE_SCHEMES:
            return False
        return bool(QDesktopServices.openUrl(url))
