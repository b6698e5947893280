"""A conversation's full transcript, read-only, in a window beside the work."""

from __future__ import annotations

import html

from PySide6.QtWidgets import QDialog, QTextBrowser, QVBoxLayout, QWidget

from core.protocol.call import TranscriptSpeaker
from core.protocol.models import ConversationStatus, MessageAuthor
from core.records import TranscriptRecord
from ui.chat.chat_panel import channel_name
from ui.widgets.plain_text import PlainLabel
from ui.widgets.theme import Theme, named
from ui.widgets.time_text import clock_text, date_text


class TranscriptDialog(QDialog):
    """Non-modal; shown with show(), so it may be opened from asyncio code."""

    def __init__(self, theme: Theme, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("TranscriptDialog")
        self.setWindowTitle(self.tr("Transcript"))
        self.setModal(False)
        self.resize(520, 600)
        self._theme = theme
        self.title = named(PlainLabel(self.tr("Loading…")), "ChatTitle")
        self.meta = named(PlainLabel(), "Muted")
        self.body = QTextBrowser()
        self.body.setObjectName("TranscriptBody")
        self.body.setOpenLinks(False)  # untrusted text: nothing is followed or loaded
        self.body.setOpenExternalLinks(False)
        column = QVBoxLayout(self)
        column.addWidget(self.title)
        column.addWidget(self.meta)
        column.addWidget(self.body, 1)
        self.record: TranscriptRecord | None = None

    def show_error(self, code: str) -> None:
        texts = {
            "forbidden": self.tr("You may not read this conversation."),
            "not_found": self.tr("This conversation no longer exists."),
        }
        self.title.setText(self.tr("Transcript unavailable"))
        self.meta.setText(texts.get(code, self.tr("The hub could not be asked ({0}).")
                                    .format(code)))

    def show_transcript(self, record: TranscriptRecord | None) -> None:
        self.record = record
        if record is None:
            self.show_error("not_found")
            return
        status = (self.tr("open") if record.status is ConversationStatus.OPEN
                  else self.tr("closed"))
        self.title.setText(f"{channel_name(record.channel)} · {date_text(record.created_at)}")
        meta = self.tr("%n message(s)", "", len(record.messages)) + f" · {status}"
        if record.from_cache:
            meta += " · " + self.tr("offline: from the local cache")
        self.meta.setText(meta)
        colors = self._theme.colors
        parts = []
        for m in record.messages:
            who = (m.author_name or self.tr("Customer") if m.author is MessageAuthor.CUSTOMER
                   else m.author_name or self.tr("Agent") if m.author is MessageAuthor.AGENT
                   else self.tr("System"))
            color = colors.get("accent" if m.author is MessageAuthor.AGENT else "text", "#000")
            text = html.escape("".join(c if c.isprintable() or c == "\n" else " "
                                       for c in m.text)).replace("\n", "<br>")
            parts.append(
                f'<p style="margin:0 0 10px 0"><b style="color:{color}">{html.escape(who)}</b>'
                f' <span style="color:{colors.get("muted", "#888")}">'
                f'{clock_text(m.created_at)}</span><br>{text}</p>'
            )
        parts.extend(self._call_parts(record))
        if not parts:
            parts.append(f"<p>{html.escape(self.tr('No messages.'))}</p>")
        self.body.setHtml("".join(parts))
        self.body.moveCursor(self.body.textCursor().MoveOperation.Start)
        self.setWindowTitle(self.title.text())

    def _call_parts(self, record: TranscriptRecord) -> list[str]:
        """Who said what in the conversation's transcribed calls (speech to text)."""
        if not record.call_segments:
            return []
        colors = self._theme.colors
        muted = colors.get("muted", "#888")
        parts = [f'<h4 style="margin:8px 0 6px 0">{html.escape(self.tr("Call transcript"))}</h4>']
        for seg in record.call_segments:
            agent = seg.speaker is TranscriptSpeaker.AGENT
            who = self.tr("Agent") if agent else self.tr("Customer")
            color = colors.get("accent" if agent else "text", "#000")
            text = html.escape("".join(c if c.isprintable() else " " for c in seg.text))
            parts.append(
                f'<p style="margin:0 0 8px 0"><b style="color:{color}">{html.escape(who)}</b>'
                f' <span style="color:{muted}">{_offset(seg.start_ms)}</span><br>{text}</p>')
        return parts


def _offset(ms: int) -> str:
    """Where in the call: minutes and seconds from its start."""
    minutes, seconds = divmod(ms // 1000, 60)
    return f"{minutes:d}:{seconds:02d}"
