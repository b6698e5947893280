"""What the hub does with knowledge-base frames from agents.

Edits (``kb_save``, ``kb_publish``) are commands: ``HubService.agent_command`` runs
them as one unit of work (the new version, the events to every agent who should
hear of it and the op id commit together; the frames go out after the commit).
Only editors (supervisors, admins) may edit, list drafts and read versions. Reads
(``kb_search``, ``kb_fetch``, ``kb_list``, ``kb_versions``) run on a worker thread —
embedding the question takes milliseconds and the first search loads the model —
and answer the asking connection.
"""

from __future__ import annotations

import asyncio
import logging

from core.protocol import agent as ap
from core.protocol import knowledge as kp
from core.protocol.codec import encode_text
from core.tasks import BackgroundTasks
from hub.assist.kb_markdown import answer_paragraph
from hub.assist.kb_store import (
    Article,
    ArticleContent,
    ArticleStatus,
    KnowledgeBaseStore,
    Language,
    SaveOutcome,
)
from hub.assist.knowledge_base import KnowledgeBase
from hub.store.base import StoreError
from hub.transport.fanout import FanOut
from hub.transport.peers import Peer

log = logging.getLogger(__name__)


def article_frame(article: Article) -> kp.KbArticle:
    return kp.KbArticle(
        id=article.id,
        title=article.title,
        body=article.body,
        language=kp.KbLanguage(article.language.value),
        tags=list(article.tags),
        status=kp.KbStatus(article.status.value),
        version=article.version,
        author=article.author,
        updated_at=article.updated_at,
        answer=answer_paragraph(article.body),
    )


def _clean(text: str, what: str, multiline: bool) -> str:
    allowed = {"\n", "\t"} if multiline else set()
    if any(ord(ch) < 32 and ch not in allowed for ch in text):
        raise StoreError("invalid", f"control characters in the {what}")
    return text.strip()


class KbService:
    def __init__(self, knowledge: KnowledgeBase, fanout: FanOut) -> None:
        self.knowledge = knowledge
        self.store: KnowledgeBaseStore = knowledge.store
        self.fanout = fanout
        self.tasks = BackgroundTasks("knowledge base", logger=log)

    # ---- commands (inside the caller's unit of work) ----------------------------

    def apply(self, agent_id: str, cmd: kp.KbCommand) -> int | None:
        """Apply one edit and record its op; returns the seq of the actor's event."""
        store = self.store
        if not store.is_editor(agent_id):
            raise StoreError("forbidden", "only supervisors and admins edit the knowledge base")
        before = store.article(cmd.article_id)
        if isinstance(cmd, kp.KbSave):
            title = " ".join(_clean(cmd.title, "title", multiline=False).split())
            body = _clean(cmd.body, "body", multiline=True)
            if not title or not body:
                raise StoreError("invalid", "an article needs a title and a body")
            content = ArticleContent(
                cmd.article_id, title, body, Language(cmd.language.value),
                tuple(dict.fromkeys(" ".join(t.split()) for t in cmd.tags if t.strip())),
                ArticleStatus(cmd.status.value),
            )
        else:
            if before is None:
                raise StoreError("not_found", "no such article")
            content = ArticleContent(
                before.id, before.title, before.body, before.language, before.tags,
                ArticleStatus.PUBLISHED,
            )
        outcome, _version = store.save_article(content, store.author_name(agent_id))
        seq: int | None = None
        if outcome is not SaveOutcome.UNCHANGED:
            after = store.article(cmd.article_id)
            assert after is not None
            seq = self._announce(agent_id, before, after)
        store.record_op(agent_id, cmd.op, seq)
        return seq

    def _announce(self, actor: str, before: Article | None, after: Article) -> int | None:
        """Events about the new version to everyone who should hear of it."""
        frame = article_frame(after)
        was_published = before is not None and before.status is ArticleStatus.PUBLISHED
        seq: int | None = None
        with self.store.db.begin() as conn:
            for agent_id, editor in self.store.audience():
                body: ap.EventBody | None
                if after.status is ArticleStatus.PUBLISHED:
                    body = kp.KbArticlePublished(article=frame)
                elif editor:
                    body = kp.KbArticleDrafted(article=frame)
                elif was_published:
                    body = kp.KbArticleWithdrawn(article_id=after.id)
                else:
                    body = None
                if body is None:
                    continue
                event = self.store.append_event(conn, agent_id, body)
                self.fanout.publish(agent_id, event)
                if agent_id == actor:
                    seq = event.seq
        return seq

    # ---- reads (on a worker thread) -------------------------------------------

    def read(self, peer: Peer, agent_id: str, frame: kp.KbRead) -> None:
        """Answer ``frame`` on ``peer`` once the worker thread has the result."""

        async def answer() -> None:
            peer.send(await asyncio.to_thread(self.answer, agent_id, frame))

        self.tasks.spawn(answer(), name=f"kb read {frame.op}")

    def answer(self, agent_id: str, frame: kp.KbRead) -> str:
        try:
            return encode_text(self._answer(agent_id, frame))
        except StoreError as exc:
            return encode_text(ap.Error(code=exc.code, message=exc.message, op=frame.op))
        except Exception:
            log.exception("knowledge-base read failed")
            return encode_text(ap.Error(code="internal", message="internal error", op=frame.op))

    def _answer(
        self, agent_id: str, frame: kp.KbRead
    ) -> kp.KbResults | kp.KbArticleFrame | kp.KbArticles | kp.KbVersionList:
        editor = self.store.is_editor(agent_id)
        if isinstance(frame, kp.KbSearch):
            if frame.drafts and not editor:
                raise StoreError("forbidden", "drafts are for supervisors and admins")
            language = Language(frame.language.value) if frame.language else None
            hits = self.knowledge.search(
                frame.text, language, frame.limit, include_drafts=frame.drafts
            )
            return kp.KbResults(op=frame.op, hits=[
                kp.KbHit(id=h.id, title=h.title, language=kp.KbLanguage(h.language.value),
                         score=h.score, answer=h.answer, matched=list(h.matched))
                for h in hits
            ])
        if isinstance(frame, kp.KbFetch):
            article = self.store.article(frame.article_id)
            if article is None or (article.status is not ArticleStatus.PUBLISHED and not editor):
                # The same answer whether a draft exists or not.
                raise StoreError("not_found", "no such article")
            return kp.KbArticleFrame(op=frame.op, article=article_frame(article))
        if isinstance(frame, kp.KbVersions):
            if not editor:
                raise StoreError("forbidden", "versions are for supervisors and admins")
            versions = self.store.versions(frame.article_id)
            if not versions:
                raise StoreError("not_found", "no such article")
            return kp.KbVersionList(op=frame.op, article_id=frame.article_id, versions=[
                kp.KbVersionInfo(version=v.version, title=v.title,
                                 status=kp.KbStatus(v.status.value), author=v.author,
                                 created_at=v.created_at)
                for v in versions
            ])
        if frame.drafts and not editor:
            raise StoreError("forbidden", "drafts are for supervisors and admins")
        listed = None if frame.drafts else ArticleStatus.PUBLISHED
        page = self.store.articles(listed, after=frame.after, limit=frame.limit + 1)
        more = len(page) > frame.limit
        page = page[: frame.limit]
        return kp.KbArticles(
            op=frame.op,
            articles=[article_frame(a) for a in page],
            next_after=page[-1].id if more and page else None,
            total=self.store.count(listed),  # for the desktop's progress display
        )

    def stop(self) -> None:
        self.tasks.cancel_all()
