"""Quality inspection on the real desktop against a real hub on loopback.

As 李娜 (agent): her closed chat is scored by the hub; "My quality scores" shows
it with each rule's verdict and evidence (activating the evidence selects the
message in the conversation); she appeals. Her window has no review queue, and
the hub refuses the review read and command when her desktop sends them anyway.
As 王伟 (supervisor): the appealed fatal score is in the review queue; he
overrides it with a score and a comment. 李娜 then sees the override.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt

from core.protocol import quality as qp
from core.supervision.quality_client import QualityUnavailable
from desktop.translations import install_translators
from hub.demo.simulator import SimCustomer
from hub.process import HubProcess
from tests.ui.conftest import run
from tests.ui.desktop_runner import running_desktop, sign_in
from tests.ui.routing_helpers import auto_accept_hub
from ui.shell.shortcut_sheet import shortcut_rows
from ui.supervision.quality_detail import EVIDENCE, top_items
from ui.supervision.quality_review import QualityReviewWindow
from ui.supervision.quality_scores import QualityScoresWindow

SHOTS = os.environ.get("ZUOXI_SCREENSHOTS", "")  # a folder: save screenshots for the docs
SHOTS_LANG = os.environ.get("ZUOXI_SCREENSHOTS_LANG", "en")
EN = SHOTS_LANG == "en"
RUDE = "闭嘴，等着吧 · shut up and wait"
REASON = "客户先骂人，我只是让他稍等 · the customer swore first"
VERDICT = "措辞不当但非辱骂，改为 60 分 · rude, not abuse: 60"


def wait_listed(qtbot: Any, window: QualityScoresWindow | QualityReviewWindow,
                conversation_id: str, ready: Callable[[qp.ScoreSummary], bool]) -> None:
    """Read the list again (F5) until the conversation's score is as ``ready`` wants:
    the hub's worker scores a close about a second after it."""
    scores = window.scores if isinstance(window, QualityScoresWindow) else window.queue

    def shown() -> bool:
        summary = scores.summary(conversation_id)
        if summary is not None and ready(summary):
            return True
        with qtbot.waitSignal(window.loaded, timeout=10_000):
            window.refresh()
        summary = scores.summary(conversation_id)
        return summary is not None and ready(summary)

    qtbot.waitUntil(shown, timeout=20_000)
    assert scores.select(conversation_id)


@pytest.mark.timeout(120)
def test_agent_appeals_and_the_supervisor_overrides(
        qapp: Any, qloop: asyncio.AbstractEventLoop, qtbot: Any,
        make_hub: Callable[..., HubProcess], tmp_path: Path) -> None:
    translators = install_translators(qapp, SHOTS_LANG) if not EN else []
    hub = auto_accept_hub(make_hub, tmp_path)
    with running_desktop(qapp, qtbot, hub.url, tmp_path / "lina") as app:
        sign_in(qtbot, app, "lina")
        assert app.signed is not None
        window, service, bridge = app.signed.window, app.signed.service, app.signed.bridge
        customer = SimCustomer(hub.customer_ws_url, name="赵敏", locale="zh-CN")
        run(qtbot, qloop, customer.connect())
        run(qtbot, qloop, customer.send("我的订单三天了还没到"))
        qtbot.waitUntil(lambda: any(i.conversation_id == customer.conversation_id
                                    for i in service.inbox()), timeout=15_000)
        conv_id = customer.conversation_id or ""
        rude_id = service.send_message(conv_id, RUDE)
        run(qtbot, qloop, customer.wait_message(lambda m: m.text == RUDE, timeout=10))
        service.close_conversation(conv_id)

        # Everyone has "My quality scores", on its shortcut and on the Ctrl+/ sheet.
        keys = {r.text: r.keys for r in shortcut_rows(window)}
        assert not EN or keys["My quality scores"] == "Ctrl+Shift+Q"
        window.activateWindow()
        qtbot.keyClick(window, Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier
                       | Qt.KeyboardModifier.ShiftModifier)
        scores = window.quality.scores
        assert scores is not None and scores.isVisible()
        if SHOTS:
            scores.resize(1920, 1080)
        wait_listed(qtbot, scores, conv_id, lambda s: s.fatal)
        summary = scores.scores.summary(conv_id)
        assert summary is not None and summary.final_score == 0
        assert summary.agent_id == (service.agent.id if service.agent else None)

        # Each rule's verdict, points and evidence; the fatal failure comes first.
        qtbot.waitUntil(lambda: scores.detail.detail is not None
                        and scores.detail.conversation.count() == 2, timeout=10_000)
        abuse = top_items(scores.detail.results)[0]
        assert abuse.text(2) == "0/10"
        assert not EN or (abuse.text(1) == "Failed · fatal"
                          and abuse.text(3).startswith("Said “闭嘴”"))
        assert abuse.childCount() == 1 and RUDE in (abuse.child(0).text(0) or "")
        assert not EN or "(from this computer's cache)" in scores.detail.conversation_title.text()
        # Enter on the evidence selects its message in the conversation.
        scores.detail.results.setFocus()
        scores.detail.results.setCurrentItem(abuse.child(0))
        with qtbot.waitSignal(scores.detail.evidence_shown, timeout=2_000,
                              check_params_cb=lambda mid: mid == rude_id):
            qtbot.keyClick(scores.detail.results, Qt.Key.Key_Return)
        current = scores.detail.conversation.currentItem()
        assert current is not None and current.data(EVIDENCE)[0] == rude_id

        # Appeal with a reason (Alt+A opens it; Ctrl+Enter sends).
        assert scores.appeal_button.isEnabled()
        assert not EN or scores.appeal_state.text().startswith("You may appeal until")
        if SHOTS:
            scores.grab().save(str(Path(SHOTS) / f"screenshot-quality-agent-{SHOTS_LANG}.png"))
        scores.open_appeal()
        dialog = scores.dialog
        assert dialog is not None and not dialog.send.isEnabled()
        dialog.reason.setPlainText(REASON)  # keyClicks cannot type Chinese
        with qtbot.waitSignal(bridge.quality_changed, timeout=10_000,
                              check_params_cb=lambda c, code: (c, code) == (conv_id, "")):
            qtbot.keyClick(dialog.reason, Qt.Key.Key_Return,
                           Qt.KeyboardModifier.ControlModifier)
        wait_listed(qtbot, scores, conv_id, lambda s: s.review is qp.ReviewState.APPEALED)
        qtbot.waitUntil(lambda: not scores.appeal_button.isEnabled(), timeout=5_000)
        assert not EN or scores.appeal_state.text().startswith("Appealed")

        # An agent has no review queue: no menu entry, no shortcut, nothing on the sheet ...
        assert not window.quality.review_action.isVisible()
        assert window.quality.open_review() is None
        assert all(r.keys != "Alt+Shift+Q" for r in shortcut_rows(window))
        # ... and the hub refuses the queue and a review her desktop asks for anyway.
        with pytest.raises(QualityUnavailable) as refused:
            run(qtbot, qloop, service.quality.review_queue())
        assert refused.value.code == "forbidden"
        with qtbot.waitSignal(bridge.command_failed, timeout=10_000,
                              check_params_cb=lambda kind, code: (kind, code)
                              == ("qa_review", "forbidden")):
            service.quality.confirm(conv_id, "I review myself")

        # 王伟 reviews on his own desktop while 李娜's stays open.
        with running_desktop(qapp, qtbot, hub.url, tmp_path / "wang") as boss:
            sign_in(qtbot, boss, "wang")
            assert boss.signed is not None
            boss_window = boss.signed.window
            keys = {r.text: r.keys for r in shortcut_rows(boss_window)}
            assert not EN or keys["Quality review"] == "Alt+Shift+Q"
            review = boss_window.quality.open_review()
            assert isinstance(review, QualityReviewWindow)
            if SHOTS:
                review.resize(1920, 1080)
            wait_listed(qtbot, review, conv_id, lambda s: s.review is qp.ReviewState.APPEALED)
            qtbot.waitUntil(lambda: review.detail.detail is not None
                            and review.detail.detail.summary.conversation_id == conv_id
                            and review.detail.conversation.count() == 2, timeout=10_000)
            assert review.detail.appeal_note.isVisible()
            assert REASON in review.detail.appeal_note.text()
            # Not in his cache: the evidence reads the text the hub sent.
            abuse = top_items(review.detail.results)[0]
            assert RUDE in (abuse.child(0).text(0) or "")
            assert not EN or "(as the hub keeps it)" in review.detail.conversation_title.text()
            qtbot.waitUntil(lambda: review.agents.rowCount() >= 1, timeout=10_000)
            assert review.rules.item(0, 0).text() in {"abuse", "greeting", "closing",
                                                      "identity_check", "resolution"}
            if SHOTS:
                review.grab().save(
                    str(Path(SHOTS) / f"screenshot-quality-review-{SHOTS_LANG}.png"))
            assert not review.override_button.isEnabled()  # a comment first
            review.comment.setPlainText(VERDICT)
            review.score.setValue(60)
            with qtbot.waitSignal(boss.signed.bridge.quality_changed, timeout=10_000,
                                  check_params_cb=lambda c, code: (c, code) == (conv_id, "")):
                qtbot.mouseClick(review.override_button, Qt.MouseButton.LeftButton)
            qtbot.waitUntil(lambda: review.queue.summary(conv_id) is None, timeout=10_000)

        # 李娜 sees the override, its score and the comment.
        wait_listed(qtbot, scores, conv_id,
                    lambda s: s.review is qp.ReviewState.OVERRIDDEN)
        summary = scores.scores.summary(conv_id)
        assert summary is not None and (summary.score, summary.final_score) == (0, 60)
        qtbot.waitUntil(lambda: scores.detail.detail is not None
                        and scores.detail.detail.summary.final_score == 60, timeout=10_000)
        audit = [scores.detail.audit.item(i).text()
                 for i in range(scores.detail.audit.count())]
        assert any(VERDICT in line for line in audit)
        assert not EN or scores.scores.currentItem().text(2) == "60 (was 0)"
        run(qtbot, qloop, customer.disconnect())
    for translator in translators:
        qapp.removeTranslator(translator)
