"""The knowledge base in the desktop against a real hub: F1 opens it (and the Ctrl+/
sheet lists it), an agent searches and reads the cached articles, Enter opens one;
a supervisor writes an article (Ctrl+S saves a draft), sees its versions and
publishes it; the agent's desktop never caches the draft, gets the published
version by the hub's event and still finds it with the hub stopped. The article's
Markdown is rendered without its raw HTML and without remote loads."""

from __future__ import annotations

import asyncio
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QLocale, Qt
from PySide6.QtWidgets import QWidget

from core.assist import kb_cache
from core.protocol.knowledge import KbStatus
from core.sync.client import ConnectionState
from desktop.app import DesktopApp, Options
from desktop.credentials import CredentialStore
from desktop.settings import Settings
from desktop.translations import install_translators
from hub.process import HubProcess
from tests.ui.desktop_runner import running_desktop, sign_in
from ui.assist.kb_window import ARTICLE_ID, KnowledgeBaseWindow
from ui.shell.main_window import MainWindow
from ui.shell.shortcut_sheet import shortcut_rows

DEMO_ARTICLES = 40
BODY = ("# 门店停车\n\n徐汇店地下停车场前两小时免费，凭购物小票在服务台盖章。\n\n"
        "<script>alert('x')</script> <b>不是粗体</b>\n\n"
        "![地图](http://evil.example/map.png)\n\n- 周末照常\n- 节假日照常")


def screenshot(widget: QWidget, name: str) -> None:
    """With ZUOXI_SCREENSHOTS naming a folder: ``widget`` at 1920×1080 saved there."""
    folder = os.environ.get("ZUOXI_SCREENSHOTS", "")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        widget.resize(1920, 1080)
        widget.grab().save(str(Path(folder) / name))


def open_with_f1(qtbot: Any, window: MainWindow) -> KnowledgeBaseWindow:
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=5_000)
    qtbot.keyClick(window, Qt.Key.Key_F1)
    kb = window.knowledge_base
    assert kb is not None
    qtbot.waitUntil(lambda: kb.isActiveWindow() and kb.search.hasFocus(), timeout=5_000)
    return kb


def listed_ids(kb: KnowledgeBaseWindow) -> list[str]:
    return [str(kb.model.index(r).data(ARTICLE_ID)) for r in range(kb.model.rowCount())]


def test_agents_read_supervisors_write_and_the_cache_answers_offline(
        qapp: Any, qtbot: Any, qloop: asyncio.AbstractEventLoop,
        make_hub: Callable[..., HubProcess], tmp_path: Path) -> None:
    hub = make_hub()
    with running_desktop(qapp, qtbot, hub.url, tmp_path / "lina") as app, \
            running_desktop(qapp, qtbot, hub.url, tmp_path / "wang") as boss:
        sign_in(qtbot, app)
        sign_in(qtbot, boss, "wang")
        assert app.signed is not None and boss.signed is not None
        window, service = app.signed.window, app.signed.service
        boss_window, boss_service = boss.signed.window, boss.signed.service
        # The first sync lists the hub's published articles into the cache.
        qtbot.waitUntil(lambda: len(service.knowledge.articles()) == DEMO_ARTICLES,
                        timeout=15_000)
        assert ("Conversation", "Knowledge base", "F1") in {
            (r.group, r.text, r.keys) for r in shortcut_rows(window)}

        # An agent reads: F1, type, Enter opens the first hit; no editing for agents.
        kb = open_with_f1(qtbot, window)
        assert kb.model.rowCount() == DEMO_ARTICLES
        kb.search.insert("手机电池鼓包了还能充电吗")  # typed (QTest types ASCII only)
        assert listed_ids(kb)[0] == "zh-battery-safety"
        qtbot.keyClick(kb.search, Qt.Key.Key_Return)
        assert kb.article_view.article is not None
        assert kb.article_view.article.id == "zh-battery-safety"
        assert kb.article_view.body.hasFocus()
        assert "请立即停止使用和充电" in kb.article_view.body.toPlainText()
        assert not kb.new_button.isVisible() and not kb.edit_button.isVisible()

        # A supervisor writes a draft (Ctrl+S) ...
        boss_kb = open_with_f1(qtbot, boss_window)
        qtbot.waitUntil(lambda: len(boss_service.knowledge.articles()) >= DEMO_ARTICLES,
                        timeout=15_000)
        assert boss_kb.new_button.isVisible()
        qtbot.keyClick(boss_kb, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
        editor = boss_kb.editor
        assert boss_kb.pages.currentWidget() is editor and editor.title.hasFocus()
        editor.title.insert("门店停车")
        editor.tags.setText("门店，停车")
        editor.body.setPlainText(BODY)
        editor.body.setFocus()
        qtbot.keyClick(editor.body, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
        draft_id = editor.article_id
        assert draft_id is not None
        qtbot.waitUntil(lambda: boss_service.knowledge.article(draft_id) is not None,
                        timeout=10_000)
        draft = boss_service.knowledge.article(draft_id)
        assert draft is not None and draft.status is KbStatus.DRAFT
        assert (draft.author, draft.tags) == ("wang", ["门店", "停车"])
        qtbot.waitUntil(boss_kb.publish_button.isVisible, timeout=5_000)
        assert listed_ids(boss_kb).count(draft_id) == 1

        # ... publishes it: the agent's desktop gets that version by the hub's event,
        # and the draft before it never reached the agent's cache.
        qtbot.mouseClick(boss_kb.publish_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: service.knowledge.article(draft_id) is not None,
                        timeout=10_000)
        published = service.knowledge.article(draft_id)
        assert published is not None and published.version == 2
        assert published.status is KbStatus.PUBLISHED
        cached = kb_cache.summaries(app.signed.service._cache.db, drafts=True)
        assert [s.status for s in cached if s.id == draft_id] == [KbStatus.PUBLISHED]

        # The editor shows who wrote which version.
        qtbot.waitUntil(lambda: boss_kb.publish_button.isHidden(), timeout=10_000)
        qtbot.keyClick(boss_kb, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
        qtbot.waitUntil(lambda: editor.versions.count() == 2
                        and "wang" in editor.versions.item(0).text(), timeout=10_000)
        assert editor.versions.item(0).text().startswith("Version 2 · Published · wang")
        assert editor.versions.item(1).text().startswith("Version 1 · Draft · wang")
        editor.cancel_button.click()
        boss_kb.search.clear()
        boss_kb.select_article(draft_id)
        boss_kb.open_article(draft_id)
        screenshot(boss_kb, "screenshot-knowledge-base.png")

        # The agent's open window follows; the Markdown is safe to show.
        kb.search.clear()
        kb.search.insert("门店停车收费吗")
        assert listed_ids(kb)[0] == draft_id
        kb.results.setCurrentIndex(kb.model.index(0))
        body = kb.article_view.body
        assert "前两小时免费" in body.toPlainText()
        assert "<script>alert('x')</script>" in body.toPlainText()  # shown, not run
        assert "<b>不是粗体</b>" in body.toPlainText()
        assert "evil.example" not in body.toHtml()  # the image is a placeholder
        assert not [u for u in body.refusals if u.startswith("http")]
        assert kb.article_view.tags.text() == "Tags: 门店, 停车"

        # The hub stops: the agent still finds the published article in the cache.
        hub.stop()
        qtbot.waitUntil(lambda: service.connection.state is not ConnectionState.ONLINE,
                        timeout=15_000)
        kb.search.clear()
        kb.search.insert("停车")
        assert listed_ids(kb)[0] == draft_id
        assert "offline" in kb.count.text()
        kb.search.clear()
        kb.search.insert("gift card balance")
        assert "en-gift-cards" in listed_ids(kb)[:3]


def test_the_knowledge_base_in_chinese(qapp: Any, qtbot: Any, qloop: asyncio.AbstractEventLoop,
                                       make_hub: Callable[..., HubProcess],
                                       tmp_path: Path) -> None:
    previous_locale = QLocale()
    translators = install_translators(qapp, "zh_CN")
    hub = make_hub()
    app = DesktopApp(qapp, Options(hub_url=hub.url, data_dir=tmp_path / "data",
                                   language="zh_CN"),
                     Settings(tmp_path / "settings.ini"), CredentialStore())
    app.start()
    try:
        sign_in(qtbot, app, "wang")
        assert app.signed is not None
        service = app.signed.service
        qtbot.waitUntil(lambda: len(service.knowledge.articles()) >= DEMO_ARTICLES,
                        timeout=15_000)
        kb = open_with_f1(qtbot, app.signed.window)
        assert kb.windowTitle() == "知识库"
        kb.search.insert("退货")
        qtbot.keyClick(kb.search, Qt.Key.Key_Return)
        article = kb.article_view.article
        assert article is not None and article.language.value == "zh"
        assert kb.article_view.meta.text().startswith("已发布 · 中文 · 版本")
        assert kb.edit_button.text() == "编辑 (Ctrl+E)"
        screenshot(kb, "screenshot-knowledge-base-zh.png")
    finally:
        finished: list[int] = []
        app.finished.connect(finished.append)
        app.quit()
        qtbot.waitUntil(lambda: bool(finished), timeout=15_000)
        for translator in translators:
            qapp.removeTranslator(translator)
        QLocale.setDefault(previous_locale)
