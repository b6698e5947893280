"""One quality score in detail: each rule's verdict, points and evidence, the
conversation beside it, and the score's audit trail.

Activating a piece of evidence (Enter or a double click) selects and scrolls to
its message in the conversation (from the local cache when it holds the
conversation, else the text the hub sent); evidence that is only a moment (a
call's answer) selects the last message before it. Every text from outside
(messages, the center's rule names, comments) is shown as plain text: tree and
list items never render markup. Thread: the GUI thread.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QListWidget,
    QListWidgetItem,
    QSplitter,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from core.protocol import quality as qp
from core.protocol.models import Channel, MessageAuthor
from core.records import StoredMessage
from ui.supervision.figure_text import channel_name
from ui.supervision.quality_text import (
    audit_text,
    kind_name,
    reason_text,
    result_text,
    review_text,
    score_text,
    verdict_text,
)
from ui.widgets.plain_text import PlainLabel
from ui.widgets.time_text import date_time_text

EVIDENCE = Qt.ItemDataRole.UserRole  # on an evidence item: (message id | None, at | None)


class QualityDetail(QWidget):
    evidence_shown = Signal(str)  # the message id selected in the conversation ("" none)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("QualityDetail")
        self.header = PlainLabel(self.tr("Choose a score to see its rules and evidence."))
        self.header.setObjectName("ChatTitle")
        self.header.setWordWrap(True)
        self.appeal_note = PlainLabel()
        self.appeal_note.setWordWrap(True)
        self.appeal_note.hide()
        self.results = QTreeWidget()
        self.results.setObjectName("QualityResults")
        self.results.setHeaderLabels([self.tr("Rule"), self.tr("Verdict"), self.tr("Points"),
                                      self.tr("Why")])
        self.results.setRootIsDecorated(True)
        self.results.setAlternatingRowColors(True)
        self.results.setWordWrap(True)
        header = self.results.header()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.results.itemActivated.connect(self._activated)
        self.conversation_title = PlainLabel()
        self.conversation_title.setObjectName("Muted")
        self.conversation = QListWidget()
        self.conversation.setObjectName("QualityConversation")
        self.conversation.setWordWrap(True)
        self.conversation.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.audit = QListWidget()
        self.audit.setObjectName("QualityAudit")
        self.audit.setWordWrap(True)

        lower = QWidget()
        lower_layout = QVBoxLayout(lower)
        lower_layout.setContentsMargins(0, 0, 0, 0)
        lower_layout.addWidget(self.conversation_title)
        lower_layout.addWidget(self.conversation, 2)
        lower_layout.addWidget(PlainLabel(self.tr("History of this score")))
        lower_layout.addWidget(self.audit, 1)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.results)
        split.addWidget(lower)
        split.setSizes([560, 440])  # the rules first; the conversation and history below
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.header)
        layout.addWidget(self.appeal_note)
        layout.addWidget(split, 1)
        self.detail: qp.QaScoreDetail | None = None
        self._messages: dict[str, StoredMessage] = {}
        self._me: str | None = None

    # ---- showing ----------------------------------------------------------------------

    def clear(self, text: str) -> None:
        self.detail = None
        self.header.setText(text)
        self.appeal_note.hide()
        self.results.clear()
        self.conversation.clear()
        self.conversation_title.clear()
        self.audit.clear()

    def show_detail(self, detail: qp.QaScoreDetail, me: str | None = None) -> None:
        self.detail = detail
        self._me = me
        s = detail.summary
        parts = [self.tr("Score {0}").format(score_text(s)), channel_name(channel_of(s.channel)),
                 self.tr("closed {0}").format(date_time_text(s.closed_at)), review_text(s.review)]
        if s.fatal:
            parts.insert(1, self.tr("FATAL"))
        if extra_reason(s):
            parts.append(reason_text(s.review_reason))
        self.header.setText(" · ".join(parts))
        if detail.appeal_comment:
            self.appeal_note.setText(self.tr("Appeal: {0}").format(detail.appeal_comment))
            self.appeal_note.show()
        else:
            self.appeal_note.hide()
        self._fill_results(detail.results)
        self._fill_audit(detail.audit)

    def _fill_results(self, results: list[qp.RuleResult]) -> None:
        self.results.clear()
        order = {qp.Verdict.FAIL: 0, qp.Verdict.PASS: 1, qp.Verdict.SKIP: 2}
        for result in sorted(results, key=lambda r: (not r.fatal, order[r.verdict])):
            verdict = verdict_text(result.verdict)
            if result.fatal:
                verdict = self.tr("{0} · fatal").format(verdict)
            points = ("—" if result.verdict is qp.Verdict.SKIP
                      else f"{result.earned}/{result.points}")
            item = QTreeWidgetItem([f"{kind_name(result.kind)} · {result.name}", verdict, points,
                                    result_text(result.code, result.params)])
            if result.fatal:
                font = item.font(0)
                font.setBold(True)
                for column in range(4):
                    item.setFont(column, font)
            item.setData(0, EVIDENCE, _first(result.evidence))
            for evidence in result.evidence:
                child = QTreeWidgetItem(item, [self._evidence_text(evidence), "", "", ""])
                child.setData(0, EVIDENCE, (evidence.message_id, evidence.at))
                child.setFirstColumnSpanned(True)
            self.results.addTopLevelItem(item)
            item.setExpanded(result.verdict is qp.Verdict.FAIL)
        first = self.results.topLevelItem(0)
        if first is not None:
            self.results.setCurrentItem(first)

    def _fill_audit(self, audit: list[qp.AuditEntry]) -> None:
        self.audit.clear()
        for entry in audit:
            who = (self.tr("quality inspection") if entry.actor_id is None
                   else self.tr("you") if entry.actor_id == self._me
                   else self.tr("a supervisor") if entry.action in ("confirmed", "overridden")
                   else self.tr("the agent"))
            line = f"{date_time_text(entry.at)} · {audit_text(entry.action)} · {who}"
            if entry.score is not None and entry.action != "queued":
                line += " · " + self.tr("score {0}").format(entry.score)
            if entry.comment and entry.action != "queued":
                line += " · " + entry.comment
            self.audit.addItem(QListWidgetItem(line))

    def show_messages(self, messages: list[StoredMessage] | None, from_cache: bool) -> None:
        """The conversation the evidence points into (None: it could not be read)."""
        self.conversation.clear()
        self._messages = {}
        if messages is None:
            self.conversation_title.setText(self.tr("The conversation could not be read now."))
        else:
            self.conversation_title.setText(
                self.tr("Conversation (from this computer's cache)") if from_cache
                else self.tr("Conversation (as the hub keeps it)"))
        for message in messages or []:
            self._messages[message.id] = message
            who = message.author_name or _author(message.author)
            item = QListWidgetItem(f"{date_time_text(message.created_at)} · {who}\n"
                                   f"{message.text}")
            item.setData(EVIDENCE, (message.id, message.created_at))
            self.conversation.addItem(item)
        # Evidence lines are worded now that their messages are known.
        for top in top_items(self.results):
            for child in (top.child(j) for j in range(top.childCount())):
                if child is None:
                    continue
                message_id, at = child.data(0, EVIDENCE)
                child.setText(0, self._evidence_text(qp.Evidence(message_id=message_id, at=at)))

    def _evidence_text(self, evidence: qp.Evidence) -> str:
        message = self._messages.get(evidence.message_id or "")
        if message is not None:
            who = message.author_name or _author(message.author)
            return f"→ {date_time_text(message.created_at)} · {who}: {message.text}"
        if evidence.at is not None:
            return "→ " + self.tr("at {0}").format(date_time_text(evidence.at))
        return "→ " + self.tr("a message no longer stored")

    # ---- evidence --------------------------------------------------------------------

    def _activated(self, item: QTreeWidgetItem, _column: int = 0) -> None:
        target = item.data(0, EVIDENCE)
        if target is not None:
            self.show_evidence(*target)

    def show_evidence(self, message_id: str | None, at: int | None) -> str:
        """Select and scroll to the message (or the last one before ``at``)."""
        row = -1
        for i in range(self.conversation.count()):
            mid, created = self.conversation.item(i).data(EVIDENCE)
            if message_id is not None and mid == message_id:
                row = i
                break
            if message_id is None and at is not None and created <= at:
                row = i
        if row < 0:
            self.evidence_shown.emit("")
            return ""
        item = self.conversation.item(row)
        self.conversation.setCurrentRow(row)
        self.conversation.scrollToItem(item, QAbstractItemView.ScrollHint.PositionAtCenter)
        shown = str(item.data(EVIDENCE)[0])
        self.evidence_shown.emit(shown)
        return shown


def extra_reason(summary: qp.ScoreSummary) -> bool:
    """Whether the review reason adds to what is shown: a queued score's reason,
    except "fatal" (marked on its own) and "appeal" (the state says it)."""
    return (summary.review is qp.ReviewState.PENDING and summary.review_reason is not None
            and summary.review_reason is not qp.ReviewReason.FATAL)


def top_items(tree: QTreeWidget) -> list[QTreeWidgetItem]:
    items = (tree.topLevelItem(i) for i in range(tree.topLevelItemCount()))
    return [item for item in items if item is not None]


def _first(evidence: list[qp.Evidence]) -> tuple[str | None, int | None] | None:
    return (evidence[0].message_id, evidence[0].at) if evidence else None


def channel_of(value: str) -> Channel | None:
    try:
        return Channel(value)
    except ValueError:
        return None


def _author(author: MessageAuthor) -> str:
    return {
        MessageAuthor.CUSTOMER: QCoreApplication.translate("QualityDetail", "Customer"),
        MessageAuthor.AGENT: QCoreApplication.translate("QualityDetail", "Agent"),
        MessageAuthor.BOT: QCoreApplication.translate("QualityDetail", "Bot"),
    }.get(author, QCoreApplication.translate("QualityDetail", "System"))
